package wizard

import (
	"context"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// Loopback scenarios of the logins refused by policy: every reply of the
// pattern table, verbatim, from a scripted peer, through the real checks
// and the diagnosis; the top finding must be the pattern's cause and quote
// the reply in both languages.

// policyRun starts a scripted peer for svc answering every login with
// reply (or with mail options o, or for SMTP offering only mechs) and runs
// the checks with credentials.
func policyRun(t *testing.T, svc checks.Service, reply string, o faultpeer.MailOptions, mechs ...string) *Report {
	t.Helper()
	var p *faultpeer.Peer
	var err error
	switch svc {
	case checks.SMTP:
		p, err = faultpeer.SMTP(faultpeer.SMTPOptions{AuthReply: reply, Mechanisms: mechs})
	case checks.IMAP:
		o.LoginReply = reply
		p, err = faultpeer.IMAP(o)
	case checks.POP3:
		o.LoginReply = reply
		p, err = faultpeer.POP3(o)
	}
	closed := started(t, p, err)
	tg := checks.Target{Service: svc, Host: "127.0.0.1", Port: p.Port(), User: faultpeer.MailUser,
		Secret: checks.NewSecret(faultpeer.MailPassword), Timeout: 1500 * time.Millisecond}
	rep, err := Check(context.Background(), RunSpec{Target: tg, Options: checks.Options{Ports: []checks.StandardPort{{Port: closed}}}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// started takes a started peer (failing on err), closes it when the test
// ends, and returns a port where nothing listens, as the only other
// standard port to probe.
func started(t *testing.T, p *faultpeer.Peer, err error) int {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	closed, err := faultpeer.RefusingPort()
	if err != nil {
		t.Fatal(err)
	}
	return closed
}

// wantTop asserts the top finding's cause and that its texts are finished
// in both languages and quote every snippet.
func wantTop(t *testing.T, rep *Report, want Cause, quoted ...string) Finding {
	t.Helper()
	if len(rep.Findings) == 0 || rep.Findings[0].Cause != want {
		t.Fatalf("findings %v, want %s first", causes(rep.Findings), want)
	}
	top := rep.Findings[0]
	for _, l := range Langs {
		checkRendered(t, top, l)
		all := strings.Join(append([]string{top.Title(l), top.Explanation(l)}, top.Remediation(l)...), "\n")
		for _, q := range quoted {
			if !strings.Contains(all, q) {
				t.Errorf("%s: texts do not quote %q:\n%s", l, q, all)
			}
		}
	}
	return top
}

func TestScenarioPolicyReplies(t *testing.T) {
	for _, p := range policyPatterns {
		t.Run(p.Provider+" "+p.Text, func(t *testing.T) {
			t.Parallel()
			rep := policyRun(t, p.Service, p.Reply, faultpeer.MailOptions{})
			prov := providerByID(p.Provider)
			// The reply's last line, as the explanation quotes it.
			lines := strings.Split(p.Reply, "\r\n")
			quoted := []string{lines[len(lines)-1], prov.Name}
			if url := prov.AppPasswordURL; p.Cause == AppPasswordRequired && url != "" {
				quoted = append(quoted, url)
			}
			if url := prov.EnableURL; p.Cause == AccessDisabled && url != "" {
				quoted = append(quoted, url)
			}
			top := wantTop(t, rep, p.Cause, quoted...)
			for _, f := range rep.Findings {
				if f.Cause == AuthFailed || f.Cause == AuthRequired {
					t.Errorf("%s named beside %s: %v", f.Cause, top.Cause, causes(rep.Findings))
				}
			}
		})
	}
}

// TestScenarioKnownProvider: iCloud's greeting and its plain refusal of
// the account password (both verbatim from
// https://github.com/lefcha/imapfilter/issues/125): iCloud wants app
// passwords from mail programs, so app-password-required comes first, with
// Apple's page, and auth-failed after it.
func TestScenarioKnownProvider(t *testing.T) {
	rep := policyRun(t, checks.IMAP, "NO [AUTHENTICATIONFAILED] Authentication failed", faultpeer.MailOptions{
		Greeting: "* OK [CAPABILITY st11p00mm-iscream022 15E205 XAPPLEPUSHSERVICE IMAP4 IMAP4rev1 SASL-IR AUTH=ATOKEN AUTH=PLAIN] " +
			"iSCREAM ready to rumble (15E205-0982aaf890fd:18514) st11p00mm-iscream022 [04:19:14:31:21:53]"})
	wantTop(t, rep, AppPasswordRequired, "iCloud Mail", "https://support.apple.com/en-us/HT204397", "Authentication failed")
	if cs := causes(rep.Findings); len(cs) < 2 || cs[1] != AuthFailed {
		t.Errorf("findings %v, want auth-failed second", cs)
	}
}

// TestScenarioOAuthOnly: a server offering only XOAUTH2/OAUTHBEARER is
// oauth-required before any password is sent.
func TestScenarioOAuthOnly(t *testing.T) {
	for _, svc := range []checks.Service{checks.SMTP, checks.IMAP, checks.POP3} {
		t.Run(string(svc), func(t *testing.T) {
			t.Parallel()
			var rep *Report
			if svc == checks.SMTP {
				rep = policyRun(t, svc, "", faultpeer.MailOptions{}, "XOAUTH2", "OAUTHBEARER")
			} else {
				rep = policyRun(t, svc, "", faultpeer.MailOptions{OAuthOnly: true})
			}
			wantTop(t, rep, OAuthRequired, "XOAUTH2 OAUTHBEARER")
			for _, r := range rep.Results {
				for _, l := range r.Transcript {
					c, client := strings.CutPrefix(l, "C: ")
					if client && (strings.Contains(c, "LOGIN ") || strings.Contains(c, "AUTH") || strings.Contains(c, "PASS") || strings.Contains(c, "USER ")) {
						t.Errorf("%s: a login was sent: %q", r.ID, l)
					}
				}
			}
		})
	}
}

// exchangeGreeting is Exchange's banner as Microsoft documents it ("220
// mail1.fabrikam.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug 2016
// 16:24:41 -0700", https://learn.microsoft.com/en-us/exchange/mail-flow/test-smtp-with-telnet),
// with the peer's own time.
func exchangeGreeting(now time.Time) string {
	return "220 mail1.fabrikam.com Microsoft ESMTP MAIL Service ready at " + now.Format("Mon, 2 Jan 2006 15:04:05 -0700")
}

// TestScenarioClockSkew: the server's certificate is valid by its own
// clock (stated in its greeting), this computer's clock (injected) is off
// by a year either way; and without the server's time, a not yet valid
// certificate is clock-skew with medium confidence.
func TestScenarioClockSkew(t *testing.T) {
	cases := []struct {
		name     string
		offset   time.Duration
		greeting bool
		conf     Confidence
		quoted   []string
	}{
		{"clock a year ahead: expired", 365 * 24 * time.Hour, true, High, []string{"365"}},
		{"clock a year behind: not yet valid", -365 * 24 * time.Hour, true, High, []string{"365"}},
		{"clock behind, no date in the greeting", -365 * 24 * time.Hour, false, Medium, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cert, ca, err := faultpeer.NewServerCert("Test CA", faultpeer.LeafOptions{})
			if err != nil {
				t.Fatal(err)
			}
			o := faultpeer.SMTPOptions{TLS: faultpeer.ServerConfig(cert)}
			if c.greeting {
				o.Greeting = exchangeGreeting(time.Now())
			}
			p, err := faultpeer.SMTP(o)
			closed := started(t, p, err)
			tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: p.Port(), Security: checks.SecurityStartTLS,
				Timeout: 1500 * time.Millisecond}
			local := func() time.Time { return time.Now().Add(c.offset) }
			rep, err := Check(context.Background(), RunSpec{Target: tg, Options: checks.Options{RootCAs: ca.Pool, Clock: local,
				Ports: []checks.StandardPort{{Port: closed}}}})
			if err != nil {
				t.Fatal(err)
			}
			quoted := append([]string{clockText(local())[:10]}, c.quoted...)
			if c.greeting {
				quoted = append(quoted, clockText(time.Now())[:10])
			}
			top := wantTop(t, rep, ClockSkew, quoted...)
			if top.Confidence != c.conf {
				t.Errorf("confidence %s, want %s", top.Confidence, c.conf)
			}
		})
	}
}
