package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"assistant/faultpeer"
	"assistant/practice"
	"assistant/wizard"
)

// run runs a command line with the given stdin and environment and returns
// the exit status, stdout and stderr.
func run(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

// jsonReport decodes the contract's JSON report.
type jsonReport struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Tool    struct{ Name, Version string }
	Created string `json:"created"`
	Lang    string `json:"lang"`
	Target  struct {
		Service       string `json:"service"`
		Host          string `json:"host"`
		Port          int    `json:"port"`
		Security      string `json:"security"`
		FTPMode       string `json:"ftp_mode"`
		User          string `json:"user"`
		PasswordGiven bool   `json:"password_given"`
	} `json:"target"`
	PastedError map[string]any `json:"pasted_error"`
	Checks      []struct {
		ID         string   `json:"id"`
		Status     string   `json:"status"`
		Title      string   `json:"title"`
		Summary    string   `json:"summary"`
		DurationMS *int64   `json:"duration_ms"`
		Transcript []string `json:"transcript"`
		Fault      *struct {
			Kind    string `json:"kind"`
			WinSock int    `json:"winsock"`
			Stage   string `json:"stage"`
			Detail  string `json:"detail"`
		} `json:"fault"`
	} `json:"checks"`
	Findings []struct {
		Cause       string   `json:"cause"`
		Confidence  string   `json:"confidence"`
		Title       string   `json:"title"`
		Explanation string   `json:"explanation"`
		Remediation []string `json:"remediation"`
		Evidence    []string `json:"evidence"`
	} `json:"findings"`
	Runs []struct {
		Started string   `json:"started"`
		Status  string   `json:"status"`
		Faults  []string `json:"faults"`
	} `json:"runs"`
}

func decode(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	if r.Format != "assistant-report" || r.Version != 1 || r.Tool.Name == "" || r.Created == "" {
		t.Fatalf("report header: %+v", r)
	}
	return r
}

func TestUnusableInputExits2InUsersLanguage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"check", "--service", "smtp", "--host", "x", "--port", "70000", "--lang", "ru"}, "вне диапазона"},
		{[]string{"check", "--service", "gopher", "--host", "x"}, "Unknown service"},
		{[]string{"check", "--host", "x"}, "--service"},
		{[]string{"check", "--service", "ftp", "--host", "x", "--transfer-size", "lots"}, "--transfer-size"},
		{[]string{"check", "--service", "ftp", "--host", "x", "--timeout", "soon", "--lang=ru"}, "не подходит"},
		{[]string{"check", "--no-such-flag", "--lang", "ru"}, "Флага --no-such-flag нет"},
		{[]string{"frobnicate"}, "Unknown command"},
	}
	for _, c := range cases {
		code, out, errs := run(t, "", nil, c.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errs, c.want)
		}
	}
}

func TestEmptyHostIsAProblemNotUnusable(t *testing.T) {
	code, out, _ := run(t, "", nil, "check", "--service", "smtp", "--host", " ", "--format", "json")
	if code != ExitProblem {
		t.Fatalf("exit %d, want 1", code)
	}
	r := decode(t, out)
	if r.Checks[0].ID != "input" || r.Checks[0].Status != "fail" {
		t.Fatalf("input check: %+v", r.Checks[0])
	}
	if r.Target.Port != 25 || r.Target.Security != "none" || r.Target.FTPMode != "both" {
		t.Fatalf("defaults: %+v", r.Target)
	}
}

func TestRefusedPortReportsWinSock10061(t *testing.T) {
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := faultpeer.HostPort(addr)
	code, out, _ := run(t, "", nil, "check", "--service", "pop3", "--host", host, "--port", strconv.Itoa(port),
		"--timeout", "2s", "--format", "json", "--lang", "ru")
	if code != ExitProblem {
		t.Fatalf("exit %d", code)
	}
	r := decode(t, out)
	if r.Lang != "ru" {
		t.Fatalf("lang %q", r.Lang)
	}
	var found bool
	for _, c := range r.Checks {
		if c.ID == "tcp" {
			found = true
			if c.Status != "fail" || c.Fault == nil || c.Fault.Kind != "refused" || c.Fault.WinSock != 10061 || c.Fault.Stage != "connect" {
				t.Fatalf("tcp check: %+v %+v", c, c.Fault)
			}
			if !strings.Contains(c.Title, "Подключение") {
				t.Fatalf("title not Russian: %q", c.Title)
			}
		}
		if c.Transcript == nil || c.DurationMS == nil {
			t.Fatalf("check %s lacks transcript or duration_ms", c.ID)
		}
	}
	if !found {
		t.Fatal("no tcp check")
	}
}

func TestPasswordNeverInAnyFormat(t *testing.T) {
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := faultpeer.HostPort(addr)
	const pw = "s3cret-Pa55"
	for _, format := range []string{"json", "text", "markdown", "html"} {
		code, out, errs := run(t, pw+"\n", nil, "check", "--service", "imap", "--host", host, "--port", strconv.Itoa(port),
			"--user", "ann", "--password-stdin", "--timeout", "1s", "--format", format)
		if code != ExitProblem {
			t.Fatalf("%s: exit %d: %s", format, code, errs)
		}
		if strings.Contains(out, pw) || strings.Contains(errs, pw) {
			t.Fatalf("%s report contains the password", format)
		}
		if format == "json" && !decode(t, out).Target.PasswordGiven {
			t.Fatal("password_given false")
		}
	}
}

func TestOutputIsAtomicAndUnwritablePathIsClear(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	code, out, _ := run(t, "", nil, "check", "--service", "smtp", "--host", "", "--format", "markdown", "--output", path)
	if code != ExitProblem || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(data), "# ") {
		t.Fatalf("report file: %v %q", err, data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left-over files: %v", entries)
	}
	bad := filepath.Join(dir, "no-such-dir", "r.json")
	code, _, errs := run(t, "", nil, "check", "--service", "smtp", "--host", "", "--output", bad)
	if code != ExitUsage || !strings.Contains(errs, bad) {
		t.Fatalf("unwritable: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Fatal("a file was left at the unwritable path")
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "", nil, "version")
	if code != ExitOK || !strings.Contains(out, Version) {
		t.Fatalf("exit %d %q", code, out)
	}
}

func TestRepeatRecordsRuns(t *testing.T) {
	code, out, errs := run(t, "", nil, "check", "--service", "ftp", "--host", "", "--repeat", "2", "--interval", "1s", "--format", "json")
	if code != ExitProblem {
		t.Fatalf("exit %d", code)
	}
	// Each run's outcome is streamed on stderr as it ends.
	if !strings.Contains(errs, "Run 1/2 ") || !strings.Contains(errs, "Run 2/2 ") || !strings.Contains(errs, "input:not-found") {
		t.Fatalf("stderr lacks the run lines: %q", errs)
	}
	r := decode(t, out)
	if len(r.Runs) != 2 || r.Runs[0].Status != "fail" || len(r.Runs[0].Faults) == 0 {
		t.Fatalf("runs: %+v", r.Runs)
	}
}

// seedMessage is the real Outlook message of the issue: the server field is empty.
const seedMessage = "Ошибка при соединении с сервером. Учетная запись: ‘КартинаM’, Сервер: ‘’, Протокол: SMTP, Порт: 25, Защита (SSL): Нет, Ошибка сокета: 10054, Код ошибки: 0x800CCC0E"

func TestFromErrorPrefillsAndExplicitFlagsWin(t *testing.T) {
	code, out, errs := run(t, seedMessage, nil, "check", "--from-error-file", "-", "--format", "json", "--lang", "ru")
	if code != ExitProblem {
		t.Fatalf("exit %d: %s", code, errs)
	}
	r := decode(t, out)
	if r.Target.Service != "smtp" || r.Target.Port != 25 || r.Target.Security != "none" || r.Target.Host != "" {
		t.Fatalf("prefill: %+v", r.Target)
	}
	if r.PastedError["socket_error"] == nil || r.PastedError["error_code"] != "0x800CCC0E" {
		t.Fatalf("pasted_error: %v", r.PastedError)
	}
	if r.Checks[0].ID != "input" || r.Checks[0].Status != "fail" {
		t.Fatalf("input: %+v", r.Checks[0])
	}
	// An explicit flag wins over the pasted message.
	_, out, _ = run(t, "", nil, "check", "--from-error", seedMessage, "--port", "587", "--format", "json")
	if r := decode(t, out); r.Target.Port != 587 || r.Target.Service != "smtp" {
		t.Fatalf("explicit port: %+v", r.Target)
	}
}

func TestExplainPrintsMeaningAndCommand(t *testing.T) {
	code, out, _ := run(t, seedMessage, nil, "explain", "--lang", "en", "-")
	if code != ExitOK || !strings.Contains(out, "10054") || !strings.Contains(out, "assistant check") || !strings.Contains(out, "host-missing") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, _, errs := run(t, "  ", nil, "explain")
	if code != ExitUsage || errs == "" {
		t.Fatalf("empty explain: exit %d %q", code, errs)
	}
}

func TestPracticeCheckAndLab(t *testing.T) {
	code, out, errs := run(t, "", nil, "check", "--practice", "ftp-busy", "--format", "json")
	if code != ExitProblem {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if r := decode(t, out); r.Findings[0].Cause != "server-busy" || r.Target.Service != "ftp" {
		t.Fatalf("practice check: %+v", r.Findings)
	}
	code, _, errs = run(t, "", nil, "check", "--practice", "no-such", "--lang", "ru")
	if code != ExitUsage || !strings.Contains(errs, "no-such") {
		t.Fatalf("unknown scenario: exit %d %q", code, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out2, errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"lab", "smtp-reset", "imap-healthy"}, Env{Stdin: strings.NewReader(""), Stdout: &out2, Stderr: &errb})
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	if code := <-done; code != ExitOK {
		t.Fatalf("lab exit %d: %s", code, errb.String())
	}
	if s := out2.String(); !strings.Contains(s, "assistant check --practice smtp-reset") || !strings.Contains(s, "IMAP 127.0.0.1:") {
		t.Fatalf("lab output:\n%s", s)
	}
}

func TestProgramNamesWhoseStepsTheReportGives(t *testing.T) {
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := faultpeer.HostPort(addr)
	base := []string{"check", "--service", "imap", "--host", host, "--port", strconv.Itoa(port), "--timeout", "2s"}
	code, out, _ := run(t, "", nil, append(base, "--program", "thunderbird")...)
	if code != ExitProblem || !strings.Contains(out, "Steps for: Thunderbird") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, "", nil, append(base, "--lang", "ru")...)
	if code != ExitProblem || !strings.Contains(out, "Шаги для: Outlook (классический), Thunderbird (программа не указана)") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	_, out, _ = run(t, "", nil, append(base, "--program", "winscp", "--format", "json")...)
	var r struct {
		Target struct {
			Program string `json:"program"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Target.Program != "winscp" {
		t.Fatalf("target.program %q (%v)", r.Target.Program, err)
	}
	code, _, errs := run(t, "", nil, append(base, "--program", "pine", "--lang", "ru")...)
	if code != ExitUsage || !strings.Contains(errs, "--program") || !strings.Contains(errs, "pine") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func TestUnavailablePracticeSaysWhy(t *testing.T) {
	for lang, want := range map[wizard.Lang]string{wizard.EN: "Not available on this system", wizard.RU: "Недоступно в этой системе"} {
		var errb bytes.Buffer
		code := practiceFailed(Env{Stderr: &errb}, lang, practice.SMTPPortBlocked, practice.ErrUnavailable)
		if code != ExitUsage || !strings.Contains(errb.String(), want) {
			t.Errorf("%s: exit %d, %q", lang, code, errb.String())
		}
	}
}
