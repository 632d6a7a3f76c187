//go:build linux

package wizard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/internal/realpeer"
	"assistant/wizard"
)

// The ranking with credentials, against the real exim started by the test:
// when the user gave credentials, the login's outcome decides the top
// finding, never the relay test's "log in first".
func TestRealScenarioCredentials(t *testing.T) {
	exim := realpeer.Exim(t, realpeer.EximOptions{})
	cases := []struct {
		name  string
		port  int
		sec   checks.Security
		pass  string
		ports []checks.StandardPort
		want  wizard.Cause
		// quoted must appear in the explanation in both languages.
		quoted string
	}{
		{name: "wrong password on the submission port", port: exim.Submission, sec: checks.SecurityStartTLS,
			pass: "wrong-" + realpeer.Password, want: wizard.AuthFailed, quoted: "535",
			ports: []checks.StandardPort{{Port: exim.Submission, Security: checks.SecurityStartTLS}}},
		{name: "credentials on a port without AUTH", port: exim.Port, sec: checks.SecurityNone,
			pass: realpeer.Password, want: wizard.AuthUnavailable, quoted: "127.0.0.1",
			ports: []checks.StandardPort{{Port: exim.Port, Security: checks.SecurityNone}, {Port: exim.Submission, Security: checks.SecurityStartTLS}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: c.port, Security: c.sec,
				User: realpeer.User, Secret: checks.NewSecret(c.pass), Timeout: 2 * time.Second}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep, err := wizard.Check(ctx, wizard.RunSpec{Target: tg, Options: checks.Options{RootCAs: exim.CA.Pool, Ports: c.ports}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, string(f.Cause)+"/"+string(f.Confidence))
			}
			if len(rep.Findings) == 0 || rep.Findings[0].Cause != c.want {
				t.Fatalf("findings %v, want %s first", got, c.want)
			}
			for _, f := range rep.Findings {
				if f.Cause == wizard.AuthRequired {
					t.Errorf("auth-required named although credentials were given: %v", got)
				}
			}
			smtp := checks.Find(rep.Results, checks.CheckSMTP)
			for _, l := range smtp.Transcript {
				if strings.HasPrefix(l, "C: MAIL") || strings.HasPrefix(l, "C: RCPT") || strings.HasPrefix(l, "C: DATA") {
					t.Errorf("envelope sent after the login failed: %q", l)
				}
			}
			top := rep.Findings[0]
			for _, l := range wizard.Langs {
				if e := top.Explanation(l); !strings.Contains(e, c.quoted) {
					t.Errorf("%s: explanation %q does not quote %q", l, e, c.quoted)
				}
				assertFinished(t, l, top)
			}
		})
	}
}

// assertFinished fails on a text of the finding that is empty or still
// has a placeholder or a key in it.
func assertFinished(t *testing.T, l wizard.Lang, f wizard.Finding) {
	t.Helper()
	texts := append([]string{f.Title(l), f.Explanation(l)}, f.Remediation(l)...)
	if len(texts) < 3 {
		t.Errorf("%s: %s has no remediation steps", l, f.Cause)
	}
	for _, s := range texts {
		if s == "" || strings.Contains(s, "{") || strings.HasPrefix(s, "cause.") || strings.HasPrefix(s, "policy.") {
			t.Errorf("%s: unfinished text %q", l, s)
		}
	}
}

// TestRealScenarioClockSkew: exim states its own date in its greeting;
// with this computer's clock (injected) two years ahead, its certificate
// is expired by our clock and valid by exim's: clock-skew, both clocks
// quoted.
func TestRealScenarioClockSkew(t *testing.T) {
	exim := realpeer.Exim(t, realpeer.EximOptions{})
	local := func() time.Time { return time.Now().AddDate(2, 0, 0) }
	tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: exim.Submission, Security: checks.SecurityStartTLS,
		Timeout: 2 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := wizard.Check(ctx, wizard.RunSpec{Target: tg, Options: checks.Options{RootCAs: exim.CA.Pool, Clock: local,
		Ports: []checks.StandardPort{{Port: exim.Submission, Security: checks.SecurityStartTLS}}}})
	if err != nil {
		t.Fatal(err)
	}
	smtp := checks.Find(rep.Results, checks.CheckSMTP)
	if smtp.Server == nil || smtp.Server.Time.IsZero() || time.Since(smtp.Server.Time).Abs() > time.Minute {
		t.Fatalf("exim's greeting date not read: %+v", smtp.Server)
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Cause != wizard.ClockSkew || rep.Findings[0].Confidence != wizard.High {
		t.Fatalf("findings %+v, want clock-skew first", rep.Findings)
	}
	top := rep.Findings[0]
	for _, l := range wizard.Langs {
		e := top.Explanation(l)
		for _, q := range []string{local().UTC().Format("2006-01-02"), time.Now().UTC().Format("2006-01-02")} {
			if !strings.Contains(e, q) {
				t.Errorf("%s: %q does not quote %s", l, e, q)
			}
		}
		assertFinished(t, l, top)
	}
}
