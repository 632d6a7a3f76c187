package wizard

import (
	"strings"
	"testing"

	"assistant/checks"
)

// joined is a finding's remediation in l for program p, one step a line.
func joined(f Finding, l Lang, p Program) (steps, others string) {
	f.Program = p
	return strings.Join(f.Remediation(l), "\n"), strings.Join(f.OtherPrograms(l), "\n")
}

func TestProgramStepsComeFirst(t *testing.T) {
	p := smtp25().port(2525, checks.AnswerClosed, checks.FaultTimeout).fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true)
	f := Diagnose(p.t, p.rs)[0]
	cases := []struct {
		program      Program
		want, absent []string
		others       string
	}{
		{ProgramUnknown, []string{"Outlook (classic): File", "Thunderbird: ☰ → Account Settings → Outgoing Server (SMTP)"}, nil, ""},
		{ProgramThunderbird, []string{"Thunderbird: ☰", "Connection security: STARTTLS"}, []string{"Outlook"}, "Outlook (classic):"},
		{ProgramOutlook, []string{"Use the following type of encrypted connection: STARTTLS (Outlook 2010/2013: TLS)", "Server Settings → Outgoing mail"}, []string{"Thunderbird"}, "Thunderbird:"},
		{ProgramOutlookNew, []string{"The new Outlook for Windows has no File → Account Settings"}, []string{"Thunderbird"}, "Outlook (classic):"},
		// An FTP program's steps do not fit a mail account: the common ones are shown.
		{ProgramFileZilla, []string{"Outlook (classic):", "Thunderbird:"}, []string{"FileZilla"}, ""},
	}
	for _, c := range cases {
		steps, others := joined(f, EN, c.program)
		for _, w := range c.want {
			if !strings.Contains(steps, w) {
				t.Errorf("%q: steps lack %q:\n%s", c.program, w, steps)
			}
		}
		for _, a := range c.absent {
			if strings.Contains(steps, a) {
				t.Errorf("%q: steps name %q:\n%s", c.program, a, steps)
			}
		}
		if c.others != "" && !strings.Contains(others, c.others) {
			t.Errorf("%q: other programs lack %q:\n%s", c.program, c.others, others)
		}
		if c.others == "" && others != "" && c.program == ProgramUnknown {
			t.Errorf("unknown program folds steps away: %s", others)
		}
	}
}

func TestOutlookPOP3HasNoSTARTTLS(t *testing.T) {
	d := newDiag(checks.Target{Service: checks.POP3, Host: "mail.example.com", Port: 110}, nil)
	for _, c := range []struct {
		sec  checks.Security
		want string
	}{
		{checks.SecurityStartTLS, "cannot use STARTTLS (STLS) for POP3"},
		{checks.SecurityTLS, "This server requires an encrypted connection (SSL/TLS): ticked"},
		{checks.SecurityNone, "This server requires an encrypted connection (SSL/TLS): cleared"},
	} {
		f := d.finding(WrongPort, High)
		f.Steps = []string{d.setting(&f, 995, c.sec)}
		if steps, _ := joined(f, EN, ProgramOutlook); !strings.Contains(steps, c.want) {
			t.Errorf("%s: %q not in %s", c.sec, c.want, steps)
		}
		if steps, _ := joined(f, RU, ProgramThunderbird); !strings.Contains(steps, "Защита соединения:") {
			t.Errorf("%s: Thunderbird's Russian label missing: %s", c.sec, steps)
		}
	}
}

func TestPasvAddressClientStep(t *testing.T) {
	for _, c := range []struct {
		announced, want string
	}{
		{"10.0.0.5:50000", "Use the server's external IP address instead (the default)"},
		{"198.51.100.7:50000", "FileZilla replaces only private announced addresses by default"},
	} {
		r := newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckFTPPassive, func(r *checks.Result) {
			r.Status, r.Warnings = checks.StatusWarn, []string{"pasv-foreign-address"}
			r.Data = &checks.DataFacts{Mode: "passive", Command: "PASV", Code: 227, Announced: c.announced, Server: "192.0.2.10", Foreign: true}
		})
		fs := Diagnose(r.t, r.rs)
		if fs[0].Cause != FTPPasvAddress {
			t.Fatalf("%s: got %s", c.announced, fs[0].Cause)
		}
		if steps, _ := joined(fs[0], EN, ProgramFileZilla); !strings.Contains(steps, c.want) {
			t.Errorf("%s: %q not in %s", c.announced, c.want, steps)
		}
	}
}

func TestParseProgram(t *testing.T) {
	for in, want := range map[string]Program{"thunderbird": ProgramThunderbird, " WinSCP ": ProgramWinSCP, "outlook": ProgramOutlook, "cuteftp": ProgramUnknown, "": ProgramUnknown} {
		if got, _ := ParseProgram(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	for _, p := range Programs {
		for _, l := range Langs {
			if p.Name(l) == "" || !l.Has("program."+string(p)) {
				t.Errorf("program %s has no name in %s", p, l)
			}
		}
	}
}

func TestKasperskyStepComesFirst(t *testing.T) {
	r := newRun(checks.IMAP, 993, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) {
		r.TLS.Issuer = "CN=Kaspersky Anti-Virus Personal Root Certificate,O=AO Kaspersky Lab"
	})
	f := Diagnose(r.t, r.rs)[0]
	if f.Cause != TLSIntercepted {
		t.Fatalf("got %s", f.Cause)
	}
	for l, want := range map[Lang]string{EN: "Kaspersky for Windows 21.14 and later: Settings → Security settings", RU: "Kaspersky для Windows 21.14 и новее"} {
		if steps := f.Remediation(l); len(steps) < 2 || !strings.HasPrefix(steps[0], want) {
			t.Errorf("%s: first step %q", l, steps)
		}
	}
}

func TestAntivirusVendorsSteps(t *testing.T) {
	for issuer, want := range map[string]string{
		"CN=ESET SSL Filter CA,O=ESET\\, spol. s r. o.,C=SK": "ESET for Windows: in its main window press F5",
		"CN=Avast Web/Mail Shield Root,O=Avast":              "Avast: Menu → Settings → Protection → Core Shields",
	} {
		r := newRun(checks.IMAP, 993, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) { r.TLS.Issuer = issuer })
		f := Diagnose(r.t, r.rs)[0]
		if steps := f.Remediation(EN); f.Cause != TLSIntercepted || !strings.HasPrefix(steps[0], want) {
			t.Errorf("%s: %s %q", issuer, f.Cause, steps)
		}
	}
}
