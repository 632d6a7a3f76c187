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
// reply (or with mail options o) and runs the checks with credentials.
func policyRun(t *testing.T, svc checks.Service, reply string, o faultpeer.MailOptions) *Report {
	t.Helper()
	var p *faultpeer.Peer
	var err error
	switch svc {
	case checks.SMTP:
		p, err = faultpeer.SMTP(faultpeer.SMTPOptions{AuthReply: reply})
	case checks.IMAP:
		o.LoginReply = reply
		p, err = faultpeer.IMAP(o)
	case checks.POP3:
		o.LoginReply = reply
		p, err = faultpeer.POP3(o)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	closed, err := faultpeer.RefusingPort()
	if err != nil {
		t.Fatal(err)
	}
	tg := checks.Target{Service: svc, Host: "127.0.0.1", Port: p.Port(), User: faultpeer.MailUser,
		Secret: checks.NewSecret(faultpeer.MailPassword), Timeout: 1500 * time.Millisecond}
	rep, err := Check(context.Background(), RunSpec{Target: tg, Options: checks.Options{Ports: []checks.StandardPort{{Port: closed}}}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
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

// TestScenarioOAuthOnly: an IMAP server offering only XOAUTH2/OAUTHBEARER
// is oauth-required before any password is sent.
func TestScenarioOAuthOnly(t *testing.T) {
	for _, svc := range []checks.Service{checks.IMAP, checks.POP3} {
		t.Run(string(svc), func(t *testing.T) {
			t.Parallel()
			rep := policyRun(t, svc, "", faultpeer.MailOptions{OAuthOnly: true})
			wantTop(t, rep, OAuthRequired, "XOAUTH2 OAUTHBEARER")
			for _, r := range rep.Results {
				for _, l := range r.Transcript {
					if strings.Contains(l, "LOGIN ") || strings.Contains(l, "AUTHENTICATE") || strings.Contains(l, "PASS") || strings.Contains(l, "USER ") {
						t.Errorf("%s: a login was sent: %q", r.ID, l)
					}
				}
			}
		})
	}
}
