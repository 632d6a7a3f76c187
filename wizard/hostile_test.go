package wizard_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/wizard"
)

// renderAll renders a report in every format and language.
func renderAll(t *testing.T, rep *wizard.Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range wizard.Langs {
		for _, f := range wizard.Formats {
			b, err := rep.Render(l, f)
			if err != nil {
				t.Fatalf("%s/%s: %v", l, f, err)
			}
			out[string(l)+"/"+string(f)] = string(b)
		}
	}
	return out
}

// checkAgainst runs the checks against the peers start starts and returns the report.
func checkAgainst(t *testing.T, start func(t *testing.T) (checks.Target, checks.Options)) *wizard.Report {
	t.Helper()
	tg, opt := start(t)
	rep, err := wizard.Check(context.Background(), wizard.RunSpec{Target: tg, Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestFileLeftReported: an FTP server that answers DELE with 550 keeps the
// test file; every format in both languages names the file and the reply,
// the headline says so, and the run is a problem (exit 1).
func TestFileLeftReported(t *testing.T) {
	st := faultpeer.NewFTPState()
	rep := checkAgainst(t, ftpWith(faultpeer.FTPOptions{DeleteRefused: true, State: st}, checks.FTPPassive, 256<<10))
	files := st.Files()
	if len(files) != 1 {
		t.Fatalf("files on the server: %v", files)
	}
	if !rep.Problem() {
		t.Error("a test file left on the server is not a problem (exit 0)")
	}
	top := rep.Findings[0]
	for _, l := range wizard.Langs {
		if head := top.Title(l) + " " + top.Explanation(l); !strings.Contains(head, files[0]) || top.Title(l) == wizard.EN.T("cause.no-problem-found.title") {
			t.Errorf("%s: headline %q does not name the file left", l, head)
		}
	}
	for name, s := range renderAll(t, rep) {
		if strings.Contains(s, `class="cause ok"`) {
			t.Errorf("%s: the finding is shown as all well", name)
		}
		for _, want := range []string{files[0], "550 Delete operation failed"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: report lacks %q", name, want)
			}
		}
		for _, wrong := range []string{"test file deleted", "тестовый файл удалён", "Тестовый файл удалён", "The test file was deleted"} {
			if strings.Contains(s, wrong) {
				t.Errorf("%s: report says %q", name, wrong)
			}
		}
	}
}

// TestCanceledHeadline: a run cancelled while the server stays silent has
// its own headline in both languages, never "every check passed".
func TestCanceledHeadline(t *testing.T) {
	p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{Fault: faultpeer.SMTPSilent}))
	tg := smtpAt(p, checks.SecurityNone, "")
	tg.Timeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(300*time.Millisecond, cancel)
	rep, _ := wizard.Check(ctx, wizard.RunSpec{Target: tg, Options: only(checks.StandardPort{Port: refused(t)})})
	if rep == nil || len(rep.Findings) == 0 {
		t.Fatal("no report")
	}
	top := rep.Findings[0]
	for _, l := range wizard.Langs {
		if got, want := top.Title(l), l.T("cause.no-problem-found.title.canceled"); got != want {
			t.Errorf("%s: headline %q, want %q", l, got, want)
		}
		if ex := top.Explanation(l); ex == l.T("cause.no-problem-found.explanation", "host", "", "port", "", "service", "", "security", "") ||
			strings.Contains(ex, "passed") || strings.Contains(ex, "прошли успешно") {
			t.Errorf("%s: explanation %q", l, ex)
		}
	}
}

// TestEchoedCredentialsRedacted: servers that quote the credentials they
// received in their refusal (the AUTH PLAIN blob, LOGIN's base64 lines,
// POP3 PASS, IMAP LOGIN, FTP PASS) never get the password, or its base64
// forms, into any rendered format in either language.
func TestEchoedCredentialsRedacted(t *testing.T) {
	type echo struct {
		name       string
		user, pass string
		start      func(t *testing.T) (checks.Target, checks.Options)
	}
	mail := func(svc checks.Service, start func(faultpeer.MailOptions) (*faultpeer.Peer, error)) func(t *testing.T) (checks.Target, checks.Options) {
		return func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(start(faultpeer.MailOptions{Fault: faultpeer.MailEchoLogin}))
			return checks.Target{Service: svc, Host: "127.0.0.1", Port: p.Port(), Security: checks.SecurityNone,
				User: faultpeer.MailUser, Secret: checks.NewSecret(faultpeer.MailPassword), Timeout: scenarioTimeout}, only(checks.StandardPort{Port: refused(t)})
		}
	}
	smtpEcho := func(mech string) func(t *testing.T) (checks.Target, checks.Options) {
		return func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{Fault: faultpeer.SMTPEchoAuth, Mechanisms: []string{mech}}))
			return smtpAt(p, checks.SecurityNone, faultpeer.SMTPUser), only(checks.StandardPort{Port: refused(t)})
		}
	}
	cases := []echo{
		{"smtp-plain", faultpeer.SMTPUser, faultpeer.SMTPPassword, smtpEcho("PLAIN")},
		{"smtp-login", faultpeer.SMTPUser, faultpeer.SMTPPassword, smtpEcho("LOGIN")},
		{"pop3", faultpeer.MailUser, faultpeer.MailPassword, mail(checks.POP3, faultpeer.POP3)},
		{"imap", faultpeer.MailUser, faultpeer.MailPassword, mail(checks.IMAP, faultpeer.IMAP)},
		{"ftp", faultpeer.FTPUser, faultpeer.FTPPassword, ftpWith(faultpeer.FTPOptions{EchoLogin: true}, checks.FTPPassive, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rep := checkAgainst(t, c.start)
			auth := checks.Find(rep.Results, checks.CheckAuth)
			if auth == nil || auth.Fault == nil || auth.Fault.Kind != checks.FaultAuth {
				t.Fatalf("auth %+v, want an auth fault", auth)
			}
			if !strings.Contains(auth.Fault.Reply, checks.Hidden) {
				t.Errorf("the server's echo was not seen: reply %q", auth.Fault.Reply)
			}
			for name, s := range renderAll(t, rep) {
				for _, secret := range secretForms(c.user, c.pass) {
					if strings.Contains(s, secret) {
						t.Errorf("%s: report contains the password as %q", name, secret)
					}
				}
			}
		})
	}
}

// secretForms are the password and the base64 forms login commands carry it in.
func secretForms(user, pass string) []string {
	out := []string{pass}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		out = append(out, enc.EncodeToString([]byte(pass)), enc.EncodeToString([]byte("\x00"+user+"\x00"+pass)),
			enc.EncodeToString([]byte(user+"\x00"+user+"\x00"+pass)))
	}
	return out
}

// TestFaultTitles: faults where the server never closed the connection are
// not titled as a close, FTP's opening commands are not called EHLO/CAPA,
// and a user name the tool itself refused to send is not the server's
// refusal.
func TestFaultTitles(t *testing.T) {
	closed := map[wizard.Lang]string{}
	for _, l := range wizard.Langs {
		closed[l] = l.T("cause.connection-aborted.title")
	}
	hostile := func(b faultpeer.Behaviour, svc checks.Service) func(t *testing.T) (checks.Target, checks.Options) {
		return func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.Hostile(b, string(svc)))
			return checks.Target{Service: svc, Host: "127.0.0.1", Port: p.Port(), Security: checks.SecurityNone,
				Timeout: scenarioTimeout}, only(checks.StandardPort{Port: refused(t)})
		}
	}
	startTLSJunk := func(t *testing.T) (checks.Target, checks.Options) {
		tg, opt := hostile(faultpeer.HostileStartTLSJunk, checks.SMTP)(t)
		tg.Security = checks.SecurityStartTLS
		return tg, opt
	}
	crlfUser := func(t *testing.T) (checks.Target, checks.Options) {
		tg, opt := ftpWith(faultpeer.FTPOptions{}, checks.FTPPassive, 0)(t)
		tg.User += "\r\nDELE index.html"
		return tg, opt
	}
	cases := []struct {
		name  string
		start func(t *testing.T) (checks.Target, checks.Options)
		words map[wizard.Lang]string // the top finding's title must contain them
		not   []string               // and its title and explanation must not
	}{
		{"line too long", hostile(faultpeer.HostileEndlessLine, checks.SMTP), map[wizard.Lang]string{wizard.EN: "longer than any real server"}, nil},
		{"too many lines", hostile(faultpeer.HostileManyLines, checks.IMAP), map[wizard.Lang]string{wizard.EN: "longer than any real server"}, nil},
		{"garbage", hostile(faultpeer.HostileGarbage, checks.POP3), map[wizard.Lang]string{wizard.EN: "unexpected reply"}, nil},
		{"ftp drip", hostile(faultpeer.HostileDrip, checks.FTP), map[wizard.Lang]string{wizard.EN: wizard.EN.T("cause.greeting-timeout.title")}, []string{"EHLO", "FEAT"}},
		{"hello timeout", hostile(faultpeer.HostileMute, checks.SMTP), map[wizard.Lang]string{wizard.EN: "timed out"}, nil},
		{"ftp hello", hostile(faultpeer.HostileFIN, checks.FTP), map[wizard.Lang]string{wizard.EN: "closed"}, []string{"EHLO", "CAPA"}},
		{"starttls accepted, then garbage", startTLSJunk, map[wizard.Lang]string{wizard.EN: wizard.EN.T("cause.tls-handshake.title")}, []string{"not available", "not offered"}},
		{"crlf user", crlfUser, map[wizard.Lang]string{wizard.EN: "line break", wizard.RU: "перевод строки"}, []string{"refused the login", "rejects", "вход отклонён"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rep := checkAgainst(t, c.start)
			top := rep.Findings[0]
			for _, l := range wizard.Langs {
				title, text := top.Title(l), top.Title(l)+" "+top.Explanation(l)
				if c.name != "ftp hello" && title == closed[l] {
					t.Errorf("%s: titled %q though the server never closed the connection", l, title)
				}
				if w, ok := c.words[l]; ok && !strings.Contains(title, w) {
					t.Errorf("%s: title %q lacks %q (%s)", l, title, w, top.Explanation(l))
				}
				for _, n := range c.not {
					if strings.Contains(text, n) {
						t.Errorf("%s: %q says %q", l, text, n)
					}
				}
			}
		})
	}
}

// TestFileLeftRepeat: with --repeat every run leaves its own test file on
// a server that refuses DELE; the report names them all and is a problem.
func TestFileLeftRepeat(t *testing.T) {
	st := faultpeer.NewFTPState()
	tg, opt := ftpWith(faultpeer.FTPOptions{DeleteRefused: true, State: st}, checks.FTPPassive, 64<<10)(t)
	rep, err := wizard.Check(context.Background(), wizard.RunSpec{Target: tg, Options: opt, Repeat: 2, Interval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	files := st.Files()
	if len(files) != 2 || !rep.Problem() {
		t.Fatalf("files %v, problem %v", files, rep.Problem())
	}
	steps := strings.Join(rep.Findings[0].Remediation(wizard.EN), " ")
	for _, f := range files {
		if !strings.Contains(steps, f) {
			t.Errorf("the steps do not name %s: %s", f, steps)
		}
	}
}
