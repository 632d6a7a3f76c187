package wizard

import (
	"strings"
	"testing"

	"assistant/accounts"
	"assistant/checks"
)

func TestStepsSpeakOfTheAccountsProgram(t *testing.T) {
	finding := func() []Finding {
		return []Finding{{Cause: HostMissing, Facts: map[string]string{"set_port": "465", "set_security": "tls", "service": "SMTP"},
			Steps: []string{"cause.host-missing.step1", "setting.host.smtp", "setting.smtp"}}}
	}
	for _, c := range []struct {
		program accounts.Program
		want    map[Lang]string
	}{
		{accounts.Thunderbird, map[Lang]string{EN: "Thunderbird: ☰ → Account Settings → Outgoing Server (SMTP)", RU: "Thunderbird: ☰ → Параметры учётной записи"}},
		{accounts.WindowsMail, map[Lang]string{EN: "Windows Live Mail / Outlook Express: Accounts", RU: "Windows Live Mail / Outlook Express: Учётные записи"}},
		{accounts.Outlook, map[Lang]string{EN: "Outlook (classic): File → Account Settings", RU: "Outlook (классический): Файл"}},
	} {
		r := &Report{Target: checks.Target{Service: checks.SMTP}, Findings: finding()}
		r.setAccount(&AccountOrigin{Program: c.program, ProgramName: string(c.program), Name: "n"})
		for l, want := range c.want {
			steps := r.Findings[0].Remediation(l)
			if len(steps) != 3 || !strings.HasPrefix(steps[1], want) || !strings.HasPrefix(steps[2], want) {
				t.Errorf("%s %s: %q", c.program, l, steps)
			}
			if c.program == accounts.Thunderbird && !strings.Contains(steps[2], "Port: 465, Connection security: SSL/TLS") && l == EN {
				t.Errorf("facts not filled: %q", steps[2])
			}
		}
	}
	r := &Report{Findings: finding()}
	r.setAccount(nil)
	if r.Findings[0].Steps[1] != "setting.host.smtp" {
		t.Errorf("steps changed without an account: %v", r.Findings[0].Steps)
	}
}

func TestReportNamesTheAccount(t *testing.T) {
	r := &Report{Target: checks.Target{Service: checks.IMAP, Host: "imap.example.com"}, Findings: []Finding{{Cause: NoProblemFound}}}
	r.setAccount(&AccountOrigin{ID: "thunderbird-1", Program: accounts.Thunderbird, ProgramName: "Thunderbird", Name: "Почта", Source: "/p/prefs.js"})
	for _, f := range []Format{FormatJSON, FormatText, FormatMarkdown, FormatHTML} {
		for _, l := range Langs {
			out, err := r.Render(l, f)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Thunderbird", "Почта", "/p/prefs.js"}
			if f == FormatJSON {
				want = append(want, `"program": "thunderbird"`, `"id": "thunderbird-1"`)
			}
			for _, w := range want {
				if !strings.Contains(string(out), w) {
					t.Errorf("%s %s lacks %q", f, l, w)
				}
			}
		}
	}
}

func TestSettingsOf(t *testing.T) {
	base := accounts.Account{Name: "n", ProgramName: "P", Service: accounts.POP3, Host: "h ", Port: 0, Security: accounts.SecurityTLS}
	s, err := SettingsOf(base)
	if err != nil || s.Host != "h " || s.Port != 0 || s.Security != checks.SecurityTLS || s.Service != checks.POP3 {
		t.Errorf("%+v %v", s, err)
	}
	for _, c := range []struct {
		change func(a *accounts.Account)
		key    string
	}{
		{func(a *accounts.Account) { a.Service = accounts.SFTP }, "accounts.error.sftp"},
		{func(a *accounts.Account) { a.Port = 70000 }, "accounts.error.port"},
		{func(a *accounts.Account) { a.Security, a.SecurityRaw = accounts.SecurityUnknown, "socketType=7" }, "accounts.error.security"},
	} {
		a := base
		c.change(&a)
		_, err := SettingsOf(a)
		ae, ok := err.(*AccountError)
		if !ok || ae.Key != c.key || strings.Contains(ae.Message(RU), "{") {
			t.Errorf("%s: %v", c.key, err)
		}
	}
}

func TestPickAccount(t *testing.T) {
	s := NewSession(nil, Tool{}, checks.Options{})
	s.PickAccount(accounts.Account{ID: "x", Program: accounts.FileZilla, ProgramName: "FileZilla", Name: "Site", Service: accounts.FTP,
		Host: "ftp.example.com", Port: 21, Security: accounts.SecurityStartTLS, FTPMode: "active", User: "bob"})
	st := s.State()
	if st.Step != StepAccount || st.Form.Host != "ftp.example.com" || st.Form.Port != "21" || !st.Form.PortSet || st.Form.FTPMode != checks.FTPActive ||
		st.Form.Security != checks.SecurityStartTLS || st.Account == nil || st.Account.ID != "x" || st.Error != "" {
		t.Fatalf("%+v", st)
	}
	s.PickAccount(accounts.Account{Name: "Box", Service: accounts.SFTP, Host: "ssh.example.com"})
	if st := s.State(); st.Step != StepAccount || !strings.Contains(st.Error, "SFTP") {
		t.Fatalf("SFTP: %+v", st)
	}
	s.Choose(checks.SMTP)
	s.PickAccount(accounts.Account{Name: "odd", ProgramName: "Thunderbird", Service: accounts.IMAP, Host: "imap.example.com",
		Security: accounts.SecurityUnknown, SecurityRaw: "socketType=7"})
	if st := s.State(); st.Form.Security != checks.SecurityNone || st.Form.Port != "143" || !strings.Contains(st.Error, "socketType=7") {
		t.Fatalf("unknown security: %+v", st.Form)
	}
	s.Choose(checks.SMTP)
	if s.State().Account != nil {
		t.Fatal("choosing a service kept the account origin")
	}
}
