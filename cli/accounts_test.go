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

	"assistant/accounts"
	"assistant/faultpeer"
)

// accountsHome writes a Thunderbird profile and a FileZilla Site Manager
// in their real formats into a temporary home; the IMAP account points at
// addr with a trailing space, as a careless user typed it.
func accountsHome(t *testing.T, host string, port int) string {
	t.Helper()
	home := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(home, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".thunderbird/profiles.ini", "[Profile0]\nName=default\nIsRelative=1\nPath=x.default\n\n[Profile1]\nName=Работа\nIsRelative=1\nPath=missing\n")
	write(".thunderbird/x.default/prefs.js", `user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.identity.id1.useremail", "ann@example.com");
user_pref("mail.server.server1.hostname", "`+host+` ");
user_pref("mail.server.server1.port", `+strconv.Itoa(port)+`);
user_pref("mail.server.server1.socketType", 0);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "ann");
user_pref("mail.server.server1.name", "Почта Анны");
user_pref("mail.server.server1.password", "S3cr3t-password-cli");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.example.com");
user_pref("mail.smtpserver.smtp1.try_ssl", 9);
`)
	write(".config/filezilla/sitemanager.xml", `<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3><Servers><Folder>Work
<Server><Host>sftp.example.com</Host><Port>22</Port><Protocol>1</Protocol><User>deploy</User><Pass encoding="base64">UzNjcjN0LXBhc3N3b3Jk</Pass><Name>Deploy</Name></Server>
</Folder></Servers></FileZilla3>`)
	return home
}

func runAccounts(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Accounts: &accounts.Env{GOOS: "linux", Home: home}})
	return code, out.String(), errb.String()
}

type accountsOut struct {
	Format   string             `json:"format"`
	Accounts []accounts.Account `json:"accounts"`
	Problems []struct {
		Kind, Profile, Message string
	} `json:"problems"`
}

func listAccounts(t *testing.T, home string) accountsOut {
	t.Helper()
	code, out, errOut := runAccounts(t, home, "accounts", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var l accountsOut
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return l
}

func TestAccountsListsWithoutPasswords(t *testing.T) {
	home := accountsHome(t, "imap.example.com", 143)
	l := listAccounts(t, home)
	if l.Format != "assistant-accounts" || len(l.Accounts) != 3 {
		t.Fatalf("%+v", l)
	}
	if len(l.Problems) != 1 || l.Problems[0].Profile != "Работа" || !strings.Contains(l.Problems[0].Message, "Thunderbird profile Работа:") ||
		!strings.Contains(l.Problems[0].Message, "prefs.js could not be read") {
		t.Errorf("problems %+v", l.Problems)
	}
	for _, lang := range []string{"en", "ru"} {
		for _, format := range []string{"text", "json"} {
			code, out, _ := runAccounts(t, home, "accounts", "--format", format, "--lang", lang)
			if code != ExitOK {
				t.Fatalf("%s %s: exit %d", lang, format, code)
			}
			if strings.Contains(out, "S3cr3t") || strings.Contains(out, "UzNjcjN0") {
				t.Errorf("%s %s output holds a password:\n%s", lang, format, out)
			}
			for _, want := range []string{"Почта Анны", `"imap.example.com "`, "sftp.example.com", "try_ssl=9"} {
				if format == "text" && !strings.Contains(out, want) {
					t.Errorf("%s text lacks %q:\n%s", lang, want, out)
				}
			}
			if format == "text" && lang == "ru" && !strings.Contains(out, "Не удалось прочитать") && !strings.Contains(out, "не удалось прочитать") {
				t.Errorf("ru text:\n%s", out)
			}
		}
	}
	if code, _, errOut := runAccounts(t, home, "accounts", "--format", "xml"); code != ExitUsage || errOut == "" {
		t.Errorf("bad format: exit %d %q", code, errOut)
	}
}

func TestCheckAccountTakesSettingsAndFlagsWin(t *testing.T) {
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := faultpeer.HostPort(addr)
	home := accountsHome(t, host, port)
	var imap, smtp, sftp accounts.Account
	for _, a := range listAccounts(t, home).Accounts {
		switch a.Service {
		case accounts.IMAP:
			imap = a
		case accounts.SMTP:
			smtp = a
		case accounts.SFTP:
			sftp = a
		}
	}
	code, out, errOut := runAccounts(t, home, "check", "--account", imap.ID, "--timeout", "2s", "--format", "json")
	if code != ExitProblem {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Target struct {
			Service, Host, Security, User string
			Port                          int
			Account                       struct{ ID, Program, ProgramName, Name, Source string }
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	tg := r.Target
	if tg.Service != "imap" || tg.Host != host+" " || tg.Port != port || tg.Security != "none" || tg.User != "ann" {
		t.Errorf("target %+v", tg)
	}
	var raw map[string]map[string]map[string]string
	json.Unmarshal([]byte(out), &raw)
	acc := raw["target"]["account"]
	if acc["id"] != imap.ID || acc["program"] != "thunderbird" || acc["program_name"] != "Thunderbird" || acc["name"] != "Почта Анны" ||
		!strings.HasSuffix(acc["source"], "prefs.js") {
		t.Errorf("account %v", acc)
	}
	code, out, _ = runAccounts(t, home, "check", "--account", imap.ID, "--host", host, "--security", "starttls", "--user", "bob",
		"--timeout", "2s", "--format", "text", "--lang", "ru")
	if code != ExitProblem || !strings.Contains(out, "Thunderbird: Почта Анны") || !strings.Contains(out, "bob") || strings.Contains(out, "ann\n") {
		t.Errorf("exit %d, flags did not win or program not named:\n%s", code, out)
	}
	// Values no check can use are named, in the user's language.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--account", smtp.ID}, "try_ssl=9"},
		{[]string{"--account", sftp.ID}, "SFTP"},
		{[]string{"--account", "thunderbird-00000000"}, "thunderbird-00000000"},
		{[]string{"--account", sftp.ID, "--lang", "ru"}, "SSH"},
	} {
		code, _, errOut := runAccounts(t, home, append([]string{"check"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q", c.args, code, errOut)
		}
	}
}
