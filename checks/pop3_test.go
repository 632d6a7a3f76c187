package checks_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// This file holds the scenarios POP3 and IMAP share (mailScenarios, run by
// TestPOP3 and TestIMAP) and the POP3-only tests.

// mailPeer starts a scripted POP3 or IMAP peer.
type mailPeer func(faultpeer.MailOptions) (*faultpeer.Peer, error)

// mailTest runs checks.Run against one peer.
type mailTest struct {
	svc  checks.Service
	id   checks.CheckID
	peer mailPeer
	ca   *faultpeer.CA
	tls  *faultpeer.MailOptions // a TLS-capable options template
}

func newMailTest(t *testing.T, svc checks.Service, peer mailPeer) *mailTest {
	t.Helper()
	leaf, ca, err := faultpeer.NewServerCert("Mail Test CA", faultpeer.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &mailTest{svc: svc, id: checks.CheckID(svc), peer: peer, ca: ca,
		tls: &faultpeer.MailOptions{TLS: faultpeer.ServerConfig(leaf)}}
}

// start starts a peer and stops it when the test ends.
func (m *mailTest) start(t *testing.T, o faultpeer.MailOptions) int {
	t.Helper()
	p, err := m.peer(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p.Port()
}

// run checks 127.0.0.1:port and returns the results by ID.
func (m *mailTest) run(t *testing.T, ctx context.Context, port int, sec checks.Security, pass string, timeout time.Duration) map[checks.CheckID]*checks.Result {
	t.Helper()
	target := checks.Target{Service: m.svc, Host: "127.0.0.1", Port: port, Security: sec, Timeout: timeout}
	if pass != "" {
		target.User, target.Secret = faultpeer.MailUser, checks.NewSecret(pass)
	}
	res, err := checks.Run(ctx, target, checks.Options{RootCAs: m.ca.Pool})
	if err != nil {
		t.Fatal(err)
	}
	out := map[checks.CheckID]*checks.Result{}
	for i := range res {
		out[res[i].ID] = &res[i]
	}
	if pass != "" {
		wantNoSecret(t, res, faultpeer.MailUser, pass)
	}
	return out
}

func wantSkip(t *testing.T, r *checks.Result, why checks.SkipReason) {
	t.Helper()
	wantStatus(t, r, checks.StatusSkip)
	if r.Skipped != why {
		t.Fatalf("%s skipped %q, want %q", r.ID, r.Skipped, why)
	}
}

// wantLogin asserts an accepted login with mechanism mech whose password
// line shows as [hidden].
func wantLogin(t *testing.T, r *checks.Result, mech string) {
	t.Helper()
	wantStatus(t, r, checks.StatusPass)
	if r.Auth == nil || !r.Auth.Accepted || !r.Auth.Offered || r.Auth.Mechanism != mech || r.Auth.User != faultpeer.MailUser {
		t.Fatalf("auth facts %+v, want accepted %s", r.Auth, mech)
	}
	if !slices.Contains(r.Transcript, "C: "+checks.Hidden) {
		t.Fatalf("transcript without [hidden]: %q", r.Transcript)
	}
}

// wantTLS asserts a trusted handshake in the given mode.
func wantTLS(t *testing.T, r *checks.Result, mode string) {
	t.Helper()
	wantStatus(t, r, checks.StatusPass)
	f := r.TLS
	if f == nil || f.Mode != mode || !f.Offered || !f.Trusted || !f.NameMatch || f.Version == "" || f.Problem != "" {
		t.Fatalf("tls facts %+v, want a trusted %s handshake", f, mode)
	}
}

// mailScenarios are the faults both POP3 and IMAP are checked against;
// mech is the login mechanism used in plain text.
func mailScenarios(t *testing.T, m *mailTest, mech string) {
	ctx := context.Background()
	const sec = time.Second
	tlsOpts := func(f faultpeer.MailFault, implicit, loginDisabled bool) faultpeer.MailOptions {
		o := *m.tls
		o.Fault, o.Implicit, o.LoginDisabled = f, implicit, loginDisabled
		return o
	}

	t.Run("HealthyNoCredentials", func(t *testing.T) {
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{}), checks.SecurityNone, "", sec)
		wantStatus(t, r[m.id], checks.StatusPass)
		srv := r[m.id].Server
		if srv == nil || !strings.Contains(srv.Greeting, "faultpeer ready") || len(srv.Capabilities) == 0 ||
			!slices.Contains(srv.AuthMechs, "PLAIN") || srv.StartTLS {
			t.Fatalf("server facts %+v", srv)
		}
		wantSkip(t, r[checks.CheckAuth], checks.SkipNoCredentials)
		if r[checks.CheckTLS] != nil {
			t.Fatal("tls check planned for security none")
		}
	})
	t.Run("HealthyLogin", func(t *testing.T) {
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{}), checks.SecurityNone, faultpeer.MailPassword, sec)
		wantStatus(t, r[m.id], checks.StatusPass)
		wantLogin(t, r[checks.CheckAuth], mech)
	})
	t.Run("StartTLSLogin", func(t *testing.T) {
		// Login is only offered after TLS: the capabilities are asked again.
		port := m.start(t, tlsOpts(faultpeer.MailHealthy, false, true))
		r := m.run(t, ctx, port, checks.SecurityStartTLS, faultpeer.MailPassword, sec)
		wantTLS(t, r[checks.CheckTLS], checks.TLSModeExplicit)
		wantStatus(t, r[m.id], checks.StatusPass)
		if !r[m.id].Server.StartTLS || !slices.Contains(r[m.id].Server.AuthMechs, "PLAIN") {
			t.Fatalf("server facts after TLS %+v", r[m.id].Server)
		}
		wantLogin(t, r[checks.CheckAuth], mech)
	})
	t.Run("ImplicitTLSLogin", func(t *testing.T) {
		port := m.start(t, tlsOpts(faultpeer.MailHealthy, true, false))
		r := m.run(t, ctx, port, checks.SecurityTLS, faultpeer.MailPassword, sec)
		wantTLS(t, r[checks.CheckTLS], checks.TLSModeImplicit)
		wantStatus(t, r[m.id], checks.StatusPass)
		wantLogin(t, r[checks.CheckAuth], mech)
	})
	t.Run("BadPassword", func(t *testing.T) {
		port := m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailBadPassword})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, sec)
		wantStatus(t, r[m.id], checks.StatusPass)
		f := wantFault(t, r[checks.CheckAuth], checks.FaultAuth, checks.StageAuth, 0)
		a := r[checks.CheckAuth].Auth
		if a == nil || a.Accepted || !a.Offered || a.Reply == "" || f.Reply == "" {
			t.Fatalf("auth facts %+v, fault %+v", a, f)
		}
		if !slices.Contains(r[checks.CheckAuth].Transcript, "C: "+checks.Hidden) {
			t.Fatalf("transcript %q", r[checks.CheckAuth].Transcript)
		}
	})
	t.Run("WrongPasswordNeverShown", func(t *testing.T) {
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{}), checks.SecurityNone, "wrong-Pa55!", sec)
		wantFault(t, r[checks.CheckAuth], checks.FaultAuth, checks.StageAuth, 0)
	})
	t.Run("LoginUnavailable", func(t *testing.T) {
		port := m.start(t, faultpeer.MailOptions{LoginDisabled: true})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, sec)
		wantFault(t, r[checks.CheckAuth], checks.FaultProtocol, checks.StageAuth, 0)
		if a := r[checks.CheckAuth].Auth; a == nil || a.Offered || a.Accepted {
			t.Fatalf("auth facts %+v, want nothing offered", a)
		}
		if slices.Contains(r[checks.CheckAuth].Transcript, "C: "+checks.Hidden) {
			t.Fatal("credentials sent although no login is offered")
		}
	})
	t.Run("Busy", func(t *testing.T) {
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailBusy}), checks.SecurityNone, faultpeer.MailPassword, sec)
		f := wantFault(t, r[m.id], checks.FaultBusy, checks.StageGreeting, 0)
		if f.Reply == "" {
			t.Fatalf("busy fault without the reply: %+v", f)
		}
		wantSkip(t, r[checks.CheckAuth], checks.SkipDependency)
	})
	t.Run("ResetAtGreeting", func(t *testing.T) {
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailResetGreeting}), checks.SecurityNone, "", sec)
		wantFault(t, r[m.id], checks.FaultReset, checks.StageGreeting, checks.WSAECONNRESET)
	})
	t.Run("ResetAfterCapabilities", func(t *testing.T) {
		port := m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailResetAfterCapa})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, sec)
		wantStatus(t, r[m.id], checks.StatusPass)
		wantFault(t, r[checks.CheckAuth], checks.FaultReset, checks.StageAuth, checks.WSAECONNRESET)
	})
	t.Run("ResetAtLogin", func(t *testing.T) {
		port := m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailResetLogin})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, sec)
		wantFault(t, r[checks.CheckAuth], checks.FaultReset, checks.StageAuth, checks.WSAECONNRESET)
	})
	t.Run("Silence", func(t *testing.T) {
		start := time.Now()
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailSilence}), checks.SecurityNone, "", sec)
		wantFault(t, r[m.id], checks.FaultTimeout, checks.StageGreeting, checks.WSAETIMEDOUT)
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("silence took %v with a 1s timeout", d)
		}
	})
	t.Run("Garbage", func(t *testing.T) {
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailGarbage}), checks.SecurityNone, "", sec)
		f := wantFault(t, r[m.id], checks.FaultProtocol, checks.StageGreeting, 0)
		if !errors.Is(f.Err, checks.ErrNotGreeting) {
			t.Fatalf("garbage fault %v is not ErrNotGreeting", f.Err)
		}
	})
	t.Run("StartTLSNotOffered", func(t *testing.T) {
		port := m.start(t, tlsOpts(faultpeer.MailNoStartTLS, false, false))
		r := m.run(t, ctx, port, checks.SecurityStartTLS, faultpeer.MailPassword, sec)
		wantStatus(t, r[m.id], checks.StatusPass)
		wantFault(t, r[checks.CheckTLS], checks.FaultProtocol, checks.StageStartTLS, 0)
		if f := r[checks.CheckTLS].TLS; f == nil || f.Offered || f.Mode != checks.TLSModeExplicit {
			t.Fatalf("tls facts %+v, want explicit, not offered", f)
		}
		wantSkip(t, r[checks.CheckAuth], checks.SkipDependency)
		for _, res := range r {
			if slices.Contains(res.Transcript, "C: "+checks.Hidden) {
				t.Fatalf("%s: credentials sent without TLS: %q", res.ID, res.Transcript)
			}
		}
	})
	t.Run("ImplicitTLSOnPlainPort", func(t *testing.T) {
		r := m.run(t, ctx, m.start(t, faultpeer.MailOptions{}), checks.SecurityTLS, faultpeer.MailPassword, sec)
		f := wantFault(t, r[checks.CheckTLS], checks.FaultTLS, checks.StageTLSHandshake, 0)
		if f.TLS != checks.TLSNotTLS {
			t.Fatalf("tls problem %q, want not-tls", f.TLS)
		}
		wantSkip(t, r[m.id], checks.SkipDependency)
		wantSkip(t, r[checks.CheckAuth], checks.SkipDependency)
	})
	t.Run("CloseAfterGreeting", func(t *testing.T) {
		port := m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailCloseAfterGreeting})
		r := m.run(t, ctx, port, checks.SecurityNone, "", sec)
		wantFault(t, r[m.id], checks.FaultClosed, checks.StageHello, 0)
	})
	t.Run("Refused", func(t *testing.T) {
		port := netRefusedPort(t)
		r := m.run(t, ctx, port, checks.SecurityNone, "", sec)
		wantFault(t, r[checks.CheckTCP], checks.FaultRefused, checks.StageConnect, checks.WSAECONNREFUSED)
		wantSkip(t, r[m.id], checks.SkipDependency)
	})
	t.Run("Cancel", func(t *testing.T) {
		port := m.start(t, faultpeer.MailOptions{Fault: faultpeer.MailSilence})
		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		r := m.run(t, cctx, port, checks.SecurityNone, faultpeer.MailPassword, 10*time.Second)
		if d := time.Since(start); d > time.Second+300*time.Millisecond {
			t.Fatalf("Run returned %v after start, 1s after cancel at most", d)
		}
		wantFault(t, r[m.id], checks.FaultCanceled, checks.StageGreeting, 0)
	})
	t.Run("LineTooLong", func(t *testing.T) {
		p, err := faultpeer.Listen(func(c net.Conn) { faultpeer.Endless(c, "* OK ") })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		r := m.run(t, ctx, p.Port(), checks.SecurityNone, "", sec)
		f := wantFault(t, r[m.id], checks.FaultTooLong, checks.StageGreeting, 0)
		if !errors.Is(f.Err, checks.ErrLineTooLong) {
			t.Fatalf("endless line fault %v is not ErrLineTooLong", f.Err)
		}
	})
}

func TestPOP3(t *testing.T) {
	mailScenarios(t, newMailTest(t, checks.POP3, faultpeer.POP3), "USER")
}

// pop3Script starts a POP3 peer answering each command from a table
// (verb → reply), greeting with greeting.
func pop3Script(t *testing.T, greeting string, replies map[string]string) int {
	t.Helper()
	return scriptPeer(t, greeting, func(cmd string) (string, bool) {
		r, ok := replies[faultpeer.Verb(cmd)]
		if !ok {
			r = "-ERR unknown\r\n"
		}
		return r, faultpeer.Verb(cmd) != "QUIT"
	})
}

func TestPOP3ResponseCodes(t *testing.T) {
	m := newMailTest(t, checks.POP3, faultpeer.POP3)
	ctx := context.Background()
	t.Run("InUseAtLoginIsBusy", func(t *testing.T) {
		port := pop3Script(t, "+OK ready\r\n", map[string]string{
			"CAPA": "+OK\r\nUSER\r\n.\r\n", "USER": "+OK\r\n",
			"PASS": "-ERR [IN-USE] Mailbox locked by another session\r\n", "QUIT": "+OK\r\n"})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, time.Second)
		wantFault(t, r[checks.CheckAuth], checks.FaultBusy, checks.StageAuth, 0)
	})
	t.Run("ErrGreetingWithoutCodeIsProtocol", func(t *testing.T) {
		port := pop3Script(t, "-ERR Too many connections\r\n", nil)
		r := m.run(t, ctx, port, checks.SecurityNone, "", time.Second)
		wantFault(t, r[checks.CheckPOP3], checks.FaultProtocol, checks.StageGreeting, 0)
	})
	t.Run("NoCAPAFallsBackToUSER", func(t *testing.T) {
		port := pop3Script(t, "+OK ready\r\n", map[string]string{
			"USER": "+OK\r\n", "PASS": "+OK welcome\r\n", "QUIT": "+OK\r\n"})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, time.Second)
		wantStatus(t, r[checks.CheckPOP3], checks.StatusPass)
		wantLogin(t, r[checks.CheckAuth], "USER")
	})
	t.Run("STLSRefused", func(t *testing.T) {
		port := pop3Script(t, "+OK ready\r\n", map[string]string{
			"CAPA": "+OK\r\nUSER\r\nSTLS\r\n.\r\n", "STLS": "-ERR [SYS/PERM] TLS not configured\r\n", "QUIT": "+OK\r\n"})
		r := m.run(t, ctx, port, checks.SecurityStartTLS, faultpeer.MailPassword, time.Second)
		f := wantFault(t, r[checks.CheckTLS], checks.FaultProtocol, checks.StageStartTLS, 0)
		if tf := r[checks.CheckTLS].TLS; tf == nil || tf.Offered || !strings.Contains(f.Reply, "SYS/PERM") {
			t.Fatalf("tls facts %+v, fault %+v", tf, f)
		}
		if !r[checks.CheckPOP3].Server.StartTLS {
			t.Fatal("STLS advertised but not recorded")
		}
		wantSkip(t, r[checks.CheckAuth], checks.SkipDependency)
	})
	t.Run("SASLPlainOnly", func(t *testing.T) {
		port := pop3Script(t, "+OK ready\r\n", map[string]string{
			"CAPA": "+OK\r\nSASL PLAIN\r\n.\r\n", "AUTH": "+OK welcome\r\n", "QUIT": "+OK\r\n"})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, time.Second)
		wantLogin(t, r[checks.CheckAuth], "PLAIN")
	})
}
