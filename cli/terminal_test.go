package cli

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/wizard"
)

// hostileGreeting retitles the terminal window and clears the screen when
// printed raw (issue 13).
const hostileGreeting = "220 \x1b]0;owned\x07\x1b[2J mail \u202eevil\u202c \x9b31m ready\r\n"

// rawControls are bytes and runes that must never reach a terminal raw.
const rawControls = "\x1b\x07\x9b\u202e\u202c\r"

// hostilePeer greets with hostileGreeting and answers every command with
// a reply that carries escapes too.
func hostilePeer(t *testing.T) *faultpeer.Peer {
	t.Helper()
	p, err := faultpeer.Listen(func(c net.Conn) {
		c.Write([]byte(hostileGreeting))
		faultpeer.Lines(c, func(cmd string) (string, bool) {
			return "554 \x1b[31mno\x1b[0m\r\n", false
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestTextOutputIsTerminalSafe: the text and Markdown reports, explain and
// the progress lines show a server's or user's control characters as
// visible escapes, never raw.
func TestTextOutputIsTerminalSafe(t *testing.T) {
	p := hostilePeer(t)
	for _, format := range []string{"text", "markdown", "json"} {
		_, out, errs := run(t, "", nil, "check", "--service", "smtp", "--host", "127.0.0.1", "--port", strconv.Itoa(p.Port()),
			"--timeout", "2s", "--format", format)
		if strings.ContainsAny(out, rawControls) || strings.ContainsAny(errs, rawControls) {
			t.Fatalf("%s report has raw control characters:\n%q", format, out)
		}
		if format == "json" {
			decode(t, out)
			continue
		}
		if !strings.Contains(out, `\x1b]0;owned\x07`) {
			t.Fatalf("%s report does not show the escapes visibly:\n%s", format, out)
		}
	}
	_, out, _ := run(t, "", nil, "check", "--service", "smtp", "--host", "evil\x1b[2J\u202e.example", "--format", "text")
	if strings.ContainsAny(out, rawControls) || !strings.Contains(out, `evil\x1b[2J\u202e.example`) {
		t.Fatalf("typed host printed raw:\n%q", out)
	}
	_, out, _ = run(t, "Socket Error: 10061 \x1b]0;owned\x07 Server: 'mail\x1b[2J.example.com'", nil, "explain", "-")
	if strings.ContainsAny(out, rawControls) || !strings.Contains(out, `\x1b]0;owned\x07`) {
		t.Fatalf("explain printed raw:\n%q", out)
	}
	code, _, errs := run(t, "", nil, "check", "--service", "smtp\x1b[2J", "--host", "x")
	if code != ExitUsage || strings.ContainsAny(errs, rawControls) || !strings.Contains(errs, `smtp\x1b[2j`) {
		t.Fatalf("message printed raw: %q", errs)
	}
	var b bytes.Buffer
	progress(&b, wizard.EN)(checks.Result{ID: checks.CheckSMTP, Status: checks.StatusFail,
		Fault: &checks.Fault{Kind: checks.FaultProtocol, Stage: checks.StageGreeting, Detail: hostileGreeting}})
	if strings.ContainsAny(b.String(), rawControls) {
		t.Fatalf("progress line printed raw: %q", b.String())
	}
}

// TestHeaderShowsThePortChecked: a port typed into the host is the one
// checked, and the report's header and JSON target say so.
func TestHeaderShowsThePortChecked(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	host := "[::1]"
	if err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		host = "127.0.0.1"
	}
	if err != nil {
		t.Fatal(err)
	}
	p := faultpeer.Serve(ln, func(c net.Conn) {
		c.Write([]byte("220 ready\r\n"))
		faultpeer.Lines(c, func(string) (string, bool) { return "221 bye\r\n", false })
	})
	defer p.Close()
	port := strconv.Itoa(p.Port())
	_, out, _ := run(t, "", nil, "check", "--service", "smtp", "--host", host+":"+port, "--timeout", "2s", "--format", "text")
	heading, _, _ := strings.Cut(out, "\n")
	if !strings.HasSuffix(heading, "port "+port) {
		t.Fatalf("heading %q, want port %s", heading, port)
	}
	_, out, _ = run(t, "", nil, "check", "--service", "smtp", "--host", host+":"+port, "--timeout", "2s", "--format", "json")
	if r := decode(t, out); strconv.Itoa(r.Target.Port) != port {
		t.Fatalf("JSON target port %d, want %s", r.Target.Port, port)
	}
	if host != "[::1]" {
		t.Skip("no IPv6 loopback for the zone literal")
	}
	// An IPv6 literal with a zone is an address to connect to, not a typo.
	_, out, _ = run(t, "", nil, "check", "--service", "smtp", "--host", "::1%lo", "--port", port, "--timeout", "2s", "--format", "json")
	for _, c := range decode(t, out).Checks {
		if (c.ID == "input" || c.ID == "tcp") && c.Status != "pass" && c.Status != "warn" {
			t.Fatalf("::1%%lo: %s is %s %+v", c.ID, c.Status, c.Fault)
		}
	}
}

// TestRepeatTimelineIsCompact: many runs give one line per fault in the
// text report, with counts and first and last times; JSON keeps each run.
func TestRepeatTimelineIsCompact(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	rep := &wizard.Report{Target: checks.Target{Service: checks.SMTP, Host: "mail.example.com"}, Created: start}
	for i := range MaxRepeat {
		rec := wizard.RunRecord{Started: start.Add(time.Duration(i) * time.Second), Status: checks.StatusPass, Faults: []string{}}
		if i%10 == 3 {
			rec.Status, rec.Faults = checks.StatusFail, []string{"tcp:reset"}
		}
		rep.Runs = append(rep.Runs, rec)
	}
	for _, f := range []wizard.Format{wizard.FormatText, wizard.FormatMarkdown, wizard.FormatHTML} {
		data, err := rep.Render(wizard.EN, f)
		if err != nil {
			t.Fatal(err)
		}
		// The fault is said in words, once: the check's title and what happened.
		if n := bytes.Count(data, []byte("Connection to the port: reset by the peer")); n != 1 || bytes.Contains(data, []byte("tcp:reset")) {
			t.Errorf("%s: the fault appears %d times in words (or as a code)", f, n)
		}
		if !bytes.Contains(data, []byte("1000 runs, 100 failed")) || !bytes.Contains(data, []byte("10:00:03–10:16:33")) {
			t.Errorf("%s timeline:\n%s", f, data)
		}
		if len(data) > 8<<10 {
			t.Errorf("%s report is %d bytes for 1000 runs", f, len(data))
		}
	}
	data, _ := rep.Render(wizard.EN, wizard.FormatJSON)
	if n := bytes.Count(data, []byte(`"started"`)); n != MaxRepeat {
		t.Errorf("JSON lists %d runs, want %d", n, MaxRepeat)
	}
}
