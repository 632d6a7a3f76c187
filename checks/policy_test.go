package checks_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// TestClockOption: certificates are judged by Options.Clock (this
// computer's clock), recorded in TLSFacts.CheckedAt; the server's own time
// from its greeting is recorded with the local time it arrived.
func TestClockOption(t *testing.T) {
	cfg, opt := smtpTLS(t)
	stated := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := startSMTP(t, faultpeer.SMTPOptions{TLS: cfg,
		Greeting: "220 mx.example.com ESMTP Exim 4.96 " + stated.Format(time.RFC1123Z)})
	for _, c := range []struct {
		offset time.Duration
		want   string
	}{{48 * time.Hour, checks.TLSExpired}, {-48 * time.Hour, checks.TLSNotYetValid}} {
		local := time.Now().Add(c.offset)
		opt.Clock = func() time.Time { return local }
		res := runSMTP(t, smtpTarget(p, checks.SecurityStartTLS, ""), opt)
		f := wantFaultOf(t, res, checks.CheckTLS, checks.FaultTLS, checks.StageTLSHandshake, 0)
		tf := result(t, res, checks.CheckTLS).TLS
		if f.TLS != c.want || tf.Problem != c.want || !tf.CheckedAt.Equal(local) {
			t.Errorf("offset %v: fault %q, facts %q at %v, want %q at %v", c.offset, f.TLS, tf.Problem, tf.CheckedAt, c.want, local)
		}
		s := result(t, res, checks.CheckSMTP).Server
		if !s.Time.Equal(stated) || !s.TimeSeen.Equal(local) {
			t.Errorf("server time %v seen %v, want %v seen %v", s.Time, s.TimeSeen, stated, local)
		}
	}
}

// TestRefusalFacts: the whole refusal reaches the facts: every line of a
// multi-line SMTP reply and its enhanced code, the IMAP / POP3 response
// code; no envelope follows a refused SMTP login.
func TestRefusalFacts(t *testing.T) {
	gmail := "534-5.7.9 Application-specific password required. Learn more at\r\n" +
		"534 5.7.9 https://support.google.com/mail/?p=InvalidSecondFactor n18sm8811765wru.2 - gsmtp"
	p := startSMTP(t, faultpeer.SMTPOptions{AuthReply: gmail})
	res := runSMTP(t, smtpTarget(p, checks.SecurityNone, faultpeer.SMTPPassword), checks.Options{})
	a := result(t, res, checks.CheckAuth).Auth
	if a == nil || a.Code != 534 || a.Enhanced != "5.7.9" || strings.Join(a.Lines, "\r\n") != gmail {
		t.Errorf("auth facts %+v", a)
	}
	for _, l := range result(t, res, checks.CheckSMTP).Transcript {
		if strings.HasPrefix(l, "C: MAIL") {
			t.Errorf("envelope after a refused login: %q", l)
		}
	}
	for _, c := range []struct {
		svc   checks.Service
		start func(faultpeer.MailOptions) (*faultpeer.Peer, error)
		reply string
		code  string
	}{
		{checks.IMAP, faultpeer.IMAP, "NO [ALERT] Your account is not enabled for IMAP use.", "ALERT"},
		{checks.POP3, faultpeer.POP3, "-ERR [AUTH] Authentication failed.", "AUTH"},
	} {
		mp, err := c.start(faultpeer.MailOptions{LoginReply: c.reply})
		if err != nil {
			t.Fatal(err)
		}
		defer mp.Close()
		tg := checks.Target{Service: c.svc, Host: "127.0.0.1", Port: mp.Port(), User: faultpeer.MailUser,
			Secret: checks.NewSecret(faultpeer.MailPassword), Timeout: smtpTimeout}
		res, err := checks.Run(context.Background(), tg, checks.Options{})
		if err != nil {
			t.Fatal(err)
		}
		a := result(t, res, checks.CheckAuth).Auth
		if a == nil || a.RespCode != c.code || len(a.Lines) != 1 || !strings.HasSuffix(a.Lines[0], c.reply) {
			t.Errorf("%s: auth facts %+v", c.svc, a)
		}
	}
}
