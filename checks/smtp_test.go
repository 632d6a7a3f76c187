package checks_test

import (
	"context"
	"crypto/tls"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

const smtpTimeout = time.Second

// smtpTLS is a server certificate for 127.0.0.1 and the pool that trusts it.
func smtpTLS(t testing.TB) (*tls.Config, checks.Options) {
	t.Helper()
	leaf, ca, err := faultpeer.NewServerCert("faultpeer", faultpeer.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return faultpeer.ServerConfig(leaf), checks.Options{RootCAs: ca.Pool}
}

func startSMTP(t testing.TB, o faultpeer.SMTPOptions) *faultpeer.Peer {
	t.Helper()
	p, err := faultpeer.SMTP(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// smtpTarget is a target for a peer; pass "" for no credentials.
func smtpTarget(p *faultpeer.Peer, sec checks.Security, pass string) checks.Target {
	t := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: p.Port(), Security: sec, Timeout: smtpTimeout}
	if pass != "" {
		t.User, t.Secret = faultpeer.SMTPUser, checks.NewSecret(pass)
	}
	return t
}

func runSMTP(t testing.TB, tg checks.Target, opt checks.Options) []checks.Result {
	t.Helper()
	res, err := checks.Run(context.Background(), tg, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSMTPHealthyPlain(t *testing.T) {
	before := runtime.NumGoroutine()
	p := startSMTP(t, faultpeer.SMTPOptions{})
	res := runSMTP(t, smtpTarget(p, checks.SecurityNone, ""), checks.Options{})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckTCP: checks.StatusPass, checks.CheckSMTP: checks.StatusPass, checks.CheckAuth: checks.StatusSkip,
	})
	if a := result(t, res, checks.CheckAuth); a.Skipped != checks.SkipNoCredentials {
		t.Errorf("auth skipped %q, want %q", a.Skipped, checks.SkipNoCredentials)
	}
	r := result(t, res, checks.CheckSMTP)
	f := r.Server
	if f == nil {
		t.Fatal("no server facts")
	}
	if !strings.Contains(f.Greeting, "faultpeer.test") {
		t.Errorf("greeting %q", f.Greeting)
	}
	for _, c := range []string{"PIPELINING", "8BITMIME", "SIZE", "AUTH"} {
		if !slices.Contains(f.Capabilities, c) {
			t.Errorf("capabilities %v lack %s", f.Capabilities, c)
		}
	}
	if f.StartTLS || f.SizeLimit != 10<<20 || !slices.Equal(f.AuthMechs, []string{"PLAIN", "LOGIN"}) {
		t.Errorf("facts %+v", f)
	}
	if f.Relay != checks.RelayAccepted || f.RelayCode != 250 {
		t.Errorf("relay %q %d %q", f.Relay, f.RelayCode, f.RelayReply)
	}
	for _, l := range []string{"C: EHLO [127.0.0.1]", "C: MAIL FROM:<postmaster@faultpeer.test>", "C: RCPT TO:<relay-test@example.com>", "C: RSET", "C: QUIT", "S: 221"} {
		if !hasLine(r.Transcript, l) {
			t.Errorf("transcript lacks %q: %q", l, r.Transcript)
		}
	}
	if hasLine(r.Transcript, "C: DATA") {
		t.Error("DATA sent")
	}

	p.Close()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines left over (before %d):\n%s", n-before, before, buf[:runtime.Stack(buf, true)])
	}
}

func TestSMTPRelayRefused(t *testing.T) {
	for _, tc := range []struct {
		relay faultpeer.Relay
		want  string
		code  int
	}{
		{faultpeer.RelayAuth, checks.RelayAuthRequired, 530},
		{faultpeer.RelayDenied, checks.RelayDenied, 550},
	} {
		t.Run(tc.want, func(t *testing.T) {
			p := startSMTP(t, faultpeer.SMTPOptions{Relay: tc.relay})
			res := runSMTP(t, smtpTarget(p, checks.SecurityNone, ""), checks.Options{})
			r := result(t, res, checks.CheckSMTP)
			if r.Status != checks.StatusWarn || !slices.Contains(r.Warnings, "relay-"+tc.want) {
				t.Errorf("status %s warnings %v", r.Status, r.Warnings)
			}
			if f := r.Server; f.Relay != tc.want || f.RelayCode != tc.code || !strings.HasPrefix(f.RelayReply, strconv.Itoa(tc.code)+" 5.7.") {
				t.Errorf("relay %q %d %q", f.Relay, f.RelayCode, f.RelayReply)
			}
			if !hasLine(r.Transcript, "C: QUIT") {
				t.Error("no QUIT after a refused envelope")
			}
		})
	}
}

func TestSMTPStartTLSAuth(t *testing.T) {
	cfg, opt := smtpTLS(t)
	for _, mech := range []string{"PLAIN", "LOGIN"} {
		t.Run(mech, func(t *testing.T) {
			p := startSMTP(t, faultpeer.SMTPOptions{TLS: cfg, Relay: faultpeer.RelayAuth, Mechanisms: []string{mech}})
			res := runSMTP(t, smtpTarget(p, checks.SecurityStartTLS, faultpeer.SMTPPassword), opt)
			wantStatuses(t, res, map[checks.CheckID]checks.Status{
				checks.CheckTLS: checks.StatusPass, checks.CheckSMTP: checks.StatusPass, checks.CheckAuth: checks.StatusPass,
			})
			tf := result(t, res, checks.CheckTLS).TLS
			if tf == nil || tf.Mode != checks.TLSModeExplicit || !tf.Offered || tf.Version != "TLS 1.3" || !tf.Trusted || !tf.NameMatch {
				t.Errorf("tls facts %+v", tf)
			}
			a := result(t, res, checks.CheckAuth)
			if af := a.Auth; af == nil || !af.Accepted || !af.Offered || af.Mechanism != mech || af.Code != 235 || af.User != faultpeer.SMTPUser {
				t.Errorf("auth facts %+v", a.Auth)
			}
			if !hasLine(a.Transcript, "C: "+checks.Hidden) {
				t.Errorf("auth transcript has no hidden line: %q", a.Transcript)
			}
			s := result(t, res, checks.CheckSMTP)
			if f := s.Server; !f.StartTLS || f.Relay != checks.RelayAccepted || !slices.Contains(f.AuthMechs, mech) {
				t.Errorf("server facts %+v", f)
			}
			if !hasLine(s.Transcript, "C: STARTTLS") || !hasLine(s.Transcript, "C: QUIT") {
				t.Errorf("transcript %q", s.Transcript)
			}
			for _, l := range s.Transcript {
				if strings.ContainsRune(l, '\ufffd') || strings.Contains(l, `\x16\x03`) {
					t.Errorf("ciphertext in the transcript: %q", l)
				}
			}
			wantNoSecret(t, res, faultpeer.SMTPUser, faultpeer.SMTPPassword)
		})
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	cfg, opt := smtpTLS(t)
	p := startSMTP(t, faultpeer.SMTPOptions{TLS: cfg, Implicit: true})
	res := runSMTP(t, smtpTarget(p, checks.SecurityTLS, faultpeer.SMTPPassword), opt)
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckTLS: checks.StatusPass, checks.CheckSMTP: checks.StatusPass, checks.CheckAuth: checks.StatusPass,
	})
	if tf := result(t, res, checks.CheckTLS).TLS; tf.Mode != checks.TLSModeImplicit || !tf.Trusted {
		t.Errorf("tls facts %+v", tf)
	}
	if f := result(t, res, checks.CheckSMTP).Server; f.StartTLS || !strings.Contains(f.Greeting, "faultpeer.test") {
		t.Errorf("server facts %+v", f)
	}
	wantNoSecret(t, res, faultpeer.SMTPUser, faultpeer.SMTPPassword)
}

func TestSMTPWrongPassword(t *testing.T) {
	cfg, opt := smtpTLS(t)
	p := startSMTP(t, faultpeer.SMTPOptions{TLS: cfg, Relay: faultpeer.RelayAuth})
	const wrong = "not-the-password-42"
	res := runSMTP(t, smtpTarget(p, checks.SecurityStartTLS, wrong), opt)
	f := wantFaultOf(t, res, checks.CheckAuth, checks.FaultAuth, checks.StageAuth, 0)
	if f.Code != 535 {
		t.Errorf("code %d", f.Code)
	}
	if a := result(t, res, checks.CheckAuth).Auth; a.Accepted || a.Code != 535 || !a.Offered {
		t.Errorf("auth facts %+v", a)
	}
	// A mail program set to log in stops at the refused login: no
	// envelope after it, only QUIT.
	s := result(t, res, checks.CheckSMTP)
	if s.Server.Relay != "" {
		t.Errorf("relay %q: the envelope was tried after a refused login", s.Server.Relay)
	}
	for _, l := range append(s.Transcript, result(t, res, checks.CheckAuth).Transcript...) {
		if strings.HasPrefix(l, "C: MAIL") || strings.HasPrefix(l, "C: RCPT") {
			t.Errorf("transcript line %q after a refused login", l)
		}
	}
	if !slices.Contains(s.Transcript, "C: QUIT") {
		t.Errorf("no QUIT in %q", s.Transcript)
	}
	wantNoSecret(t, res, faultpeer.SMTPUser, wrong)
}

func TestSMTPResets(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault faultpeer.SMTPFault
		sec   checks.Security
		pass  string
		check checks.CheckID
		stage checks.Stage
	}{
		{"connect", faultpeer.SMTPResetAtConnect, checks.SecurityNone, "", checks.CheckSMTP, checks.StageGreeting},
		{"greeting", faultpeer.SMTPResetAtGreeting, checks.SecurityNone, "", checks.CheckSMTP, checks.StageGreeting},
		{"hello", faultpeer.SMTPResetAtHello, checks.SecurityNone, "", checks.CheckSMTP, checks.StageHello},
		{"starttls", faultpeer.SMTPResetAtStartTLS, checks.SecurityStartTLS, faultpeer.SMTPPassword, checks.CheckTLS, checks.StageStartTLS},
		{"auth", faultpeer.SMTPResetAtAuth, checks.SecurityNone, faultpeer.SMTPPassword, checks.CheckAuth, checks.StageAuth},
		{"mail", faultpeer.SMTPResetAtMail, checks.SecurityNone, "", checks.CheckSMTP, checks.StageCommand},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startSMTP(t, faultpeer.SMTPOptions{Fault: tc.fault})
			res := runSMTP(t, smtpTarget(p, tc.sec, tc.pass), checks.Options{})
			if tc.fault == faultpeer.SMTPResetAtConnect && result(t, res, checks.CheckTCP).Failed() {
				// The RST came before connect returned.
				tc.check, tc.stage = checks.CheckTCP, checks.StageConnect
			}
			wantFaultOf(t, res, tc.check, checks.FaultReset, tc.stage, checks.WSAECONNRESET)
			if tc.fault == faultpeer.SMTPResetAtStartTLS {
				wantStatuses(t, res, map[checks.CheckID]checks.Status{checks.CheckAuth: checks.StatusSkip})
			}
		})
	}
}

func TestSMTPCloseThenWrite(t *testing.T) {
	p := startSMTP(t, faultpeer.SMTPOptions{Fault: faultpeer.SMTPCloseAfterGreeting})
	res := runSMTP(t, smtpTarget(p, checks.SecurityNone, ""), checks.Options{})
	wantFaultOf(t, res, checks.CheckSMTP, checks.FaultClosed, checks.StageHello, 0)
	if r := result(t, res, checks.CheckSMTP); !hasLine(r.Transcript, "C: EHLO") || r.Server.Greeting == "" {
		t.Errorf("transcript %q facts %+v", r.Transcript, r.Server)
	}
}

func TestSMTPGreetingFaults(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   faultpeer.SMTPFault
		kind    checks.FaultKind
		winsock int
		is      error
		min     time.Duration
	}{
		{"busy", faultpeer.SMTPBusy, checks.FaultBusy, 0, nil, 0},
		{"silence", faultpeer.SMTPSilent, checks.FaultTimeout, checks.WSAETIMEDOUT, nil, smtpTimeout},
		{"endless", faultpeer.SMTPEndless, checks.FaultTooLong, 0, checks.ErrLineTooLong, 0},
		{"drip", faultpeer.SMTPDrip, checks.FaultTimeout, checks.WSAETIMEDOUT, nil, smtpTimeout},
		{"garbage", faultpeer.SMTPGarbage, checks.FaultProtocol, 0, checks.ErrNotGreeting, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startSMTP(t, faultpeer.SMTPOptions{Fault: tc.fault})
			start := time.Now()
			res := runSMTP(t, smtpTarget(p, checks.SecurityNone, ""), checks.Options{})
			took := time.Since(start)
			f := wantFaultOf(t, res, checks.CheckSMTP, tc.kind, checks.StageGreeting, tc.winsock)
			if tc.is != nil && !errors.Is(f, tc.is) {
				t.Errorf("fault %v is not %v", f, tc.is)
			}
			if took < tc.min || took > smtpTimeout+500*time.Millisecond {
				t.Errorf("took %v", took)
			}
			if tc.fault == faultpeer.SMTPBusy && (f.Code != 421 || !strings.Contains(f.Reply, "too many")) {
				t.Errorf("busy fault %+v", f)
			}
		})
	}
}

func TestSMTPStartTLSNotOffered(t *testing.T) {
	cfg, opt := smtpTLS(t)
	p := startSMTP(t, faultpeer.SMTPOptions{Fault: faultpeer.SMTPNoStartTLS, TLS: cfg})
	res := runSMTP(t, smtpTarget(p, checks.SecurityStartTLS, faultpeer.SMTPPassword), opt)
	f := wantFaultOf(t, res, checks.CheckTLS, checks.FaultProtocol, checks.StageStartTLS, 0)
	if !errors.Is(f, checks.ErrNotOffered) {
		t.Errorf("fault %v is not ErrNotOffered", f)
	}
	if tf := result(t, res, checks.CheckTLS).TLS; tf == nil || tf.Offered || tf.Mode != checks.TLSModeExplicit {
		t.Errorf("tls facts %+v", tf)
	}
	if a := result(t, res, checks.CheckAuth); a.Status != checks.StatusSkip || a.Skipped != checks.SkipDependency {
		t.Errorf("auth %s %q", a.Status, a.Skipped)
	}
	s := result(t, res, checks.CheckSMTP)
	if hasLine(s.Transcript, "C: AUTH") || hasLine(s.Transcript, "C: "+checks.Hidden) {
		t.Errorf("login attempted in plain text: %q", s.Transcript)
	}
	if s.Server.StartTLS || s.Server.Relay != checks.RelayAccepted {
		t.Errorf("server facts %+v", s.Server)
	}
	wantNoSecret(t, res, faultpeer.SMTPUser, faultpeer.SMTPPassword)
}

func TestSMTPAuthNotOffered(t *testing.T) {
	cfg, opt := smtpTLS(t)
	p := startSMTP(t, faultpeer.SMTPOptions{Fault: faultpeer.SMTPNoAuth, TLS: cfg})
	res := runSMTP(t, smtpTarget(p, checks.SecurityStartTLS, faultpeer.SMTPPassword), opt)
	wantStatuses(t, res, map[checks.CheckID]checks.Status{checks.CheckTLS: checks.StatusPass, checks.CheckSMTP: checks.StatusPass})
	f := wantFaultOf(t, res, checks.CheckAuth, checks.FaultProtocol, checks.StageAuth, 0)
	if !errors.Is(f, checks.ErrNotOffered) {
		t.Errorf("fault %v is not ErrNotOffered", f)
	}
	if a := result(t, res, checks.CheckAuth).Auth; a == nil || a.Offered || a.Accepted {
		t.Errorf("auth facts %+v", a)
	}
}

func TestSMTPSecurityMismatch(t *testing.T) {
	cfg, opt := smtpTLS(t)
	t.Run("tls-to-plain", func(t *testing.T) {
		p := startSMTP(t, faultpeer.SMTPOptions{})
		res := runSMTP(t, smtpTarget(p, checks.SecurityTLS, ""), opt)
		f := wantFaultOf(t, res, checks.CheckTLS, checks.FaultTLS, checks.StageTLSHandshake, 0)
		if f.TLS != checks.TLSNotTLS || result(t, res, checks.CheckTLS).TLS.Problem != checks.TLSNotTLS {
			t.Errorf("tls problem %q", f.TLS)
		}
		wantStatuses(t, res, map[checks.CheckID]checks.Status{checks.CheckSMTP: checks.StatusSkip})
	})
	t.Run("plain-to-tls", func(t *testing.T) {
		p := startSMTP(t, faultpeer.SMTPOptions{TLS: cfg, Implicit: true})
		res := runSMTP(t, smtpTarget(p, checks.SecurityNone, ""), opt)
		wantFaultOf(t, res, checks.CheckSMTP, checks.FaultTimeout, checks.StageGreeting, checks.WSAETIMEDOUT)
	})
}

func TestSMTPRefused(t *testing.T) {
	port := netRefusedPort(t)
	tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: port, Timeout: smtpTimeout}
	res := runSMTP(t, tg, checks.Options{})
	wantFaultOf(t, res, checks.CheckTCP, checks.FaultRefused, checks.StageConnect, checks.WSAECONNREFUSED)
	wantStatuses(t, res, map[checks.CheckID]checks.Status{checks.CheckSMTP: checks.StatusSkip})
}

func TestSMTPCancel(t *testing.T) {
	p := startSMTP(t, faultpeer.SMTPOptions{Fault: faultpeer.SMTPSilent})
	tg := smtpTarget(p, checks.SecurityNone, "")
	tg.Timeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel once the greeting wait has begun (after ping's echoes and the connect).
	var canceled time.Time
	time.AfterFunc(700*time.Millisecond, func() { canceled = time.Now(); cancel() })
	res, err := checks.Run(ctx, tg, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(canceled); took > time.Second {
		t.Errorf("Run took %v after cancel", took)
	}
	wantFaultOf(t, res, checks.CheckSMTP, checks.FaultCanceled, checks.StageGreeting, 0)
}
