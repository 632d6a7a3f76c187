package checks_test

import (
	"context"
	"crypto/tls"
	"net"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// netPeer starts a loopback peer that sends greeting ("" sends nothing and
// stays silent) and then waits for the client to leave.
func netPeer(t *testing.T, greeting string) int { return netPeerAt(t, "127.0.0.1:0", greeting) }

// netPeerAt is netPeer listening at addr.
func netPeerAt(t *testing.T, addr, greeting string) int {
	t.Helper()
	stop := make(chan struct{})
	p, err := faultpeer.ListenAt(addr, func(c net.Conn) {
		if greeting != "" {
			if _, err := c.Write([]byte(greeting)); err != nil {
				return
			}
		}
		faultpeer.Silence(c, stop)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(stop); p.Close() })
	return p.Port()
}

// netTLSPeer starts an implicit-TLS peer with a certificate no system
// trusts, sending greeting inside TLS.
func netTLSPeer(t *testing.T, greeting string) int {
	t.Helper()
	leaf, _, err := faultpeer.NewServerCert("Test CA", faultpeer.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	p := faultpeer.Serve(tls.NewListener(ln, faultpeer.ServerConfig(leaf)), func(c net.Conn) {
		if _, err := c.Write([]byte(greeting)); err != nil {
			return
		}
		faultpeer.Silence(c, stop)
	})
	t.Cleanup(func() { close(stop); p.Close() })
	return p.Port()
}

// netRefusedPort is a loopback port where nothing listens.
func netRefusedPort(t *testing.T) int {
	t.Helper()
	port, err := faultpeer.RefusingPort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// netRun runs every check on target and fails the test on unusable input.
func netRun(t *testing.T, target checks.Target, opt checks.Options) []checks.Result {
	t.Helper()
	if target.Timeout == 0 {
		target.Timeout = time.Second
	}
	res, err := checks.Run(context.Background(), target, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// netResult finds a check's result or stops the test.
func netResult(t *testing.T, res []checks.Result, id checks.CheckID) *checks.Result {
	t.Helper()
	r := checks.Find(res, id)
	if r == nil {
		t.Fatalf("no result for %s", id)
	}
	return r
}

func netPortFacts(t *testing.T, r *checks.Result, port int) checks.PortFacts {
	t.Helper()
	for _, p := range r.Ports {
		if p.Port == port {
			return p
		}
	}
	t.Fatalf("port %d not probed: %+v", port, r.Ports)
	return checks.PortFacts{}
}

func TestPortsAnswers(t *testing.T) {
	greet := netPeer(t, "220 mx.test ESMTP ready\r\n")
	busy := netPeer(t, "421 too many connections\r\n")
	silent := netPeer(t, "")
	other := netPeer(t, "SSH-2.0-OpenSSH_9.2\r\n")
	closed := netRefusedPort(t)
	tlsPort := netTLSPeer(t, "220 mx.test ESMTP over TLS\r\n")
	plainOnTLS := netPeer(t, "220 plain on a TLS port\r\n")

	opt := checks.Options{Ports: []checks.StandardPort{
		{Port: greet, Security: checks.SecurityNone},
		{Port: busy, Security: checks.SecurityNone},
		{Port: silent, Security: checks.SecurityStartTLS},
		{Port: other, Security: checks.SecurityNone},
		{Port: closed, Security: checks.SecurityStartTLS},
		{Port: tlsPort, Security: checks.SecurityTLS},
		{Port: plainOnTLS, Security: checks.SecurityTLS},
	}}
	start := time.Now()
	res := netRun(t, checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: netRefusedPort(t)}, opt)
	r := netResult(t, res, checks.CheckPorts)
	if r.Status != checks.StatusPass {
		t.Fatalf("ports status %s, want pass: %+v", r.Status, r)
	}
	// Seven ports, one silent for the whole 1 s timeout: concurrent probes
	// end in about one timeout.
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Errorf("run took %v: ports not probed side by side", took)
	}
	if len(r.Ports) != 7 {
		t.Fatalf("%d ports probed, want 7 (the configured one is not among them): %+v", len(r.Ports), r.Ports)
	}
	cases := []struct {
		port               int
		answer, greeting   string
		configured         bool
		kind               checks.FaultKind
		winsock            int
		tlsProblem         string
		answered           bool
		security           checks.Security
		wantFault, noFault bool
	}{
		{port: greet, answer: checks.AnswerGreeting, greeting: "220 mx.test ESMTP ready", answered: true},
		{port: busy, answer: checks.AnswerGreeting, greeting: "421 too many connections", answered: true},
		{port: silent, answer: checks.AnswerSilent},
		{port: other, answer: checks.AnswerOther, greeting: "SSH-2.0-OpenSSH_9.2"},
		{port: closed, answer: checks.AnswerClosed, kind: checks.FaultRefused, winsock: checks.WSAECONNREFUSED},
		{port: tlsPort, answer: checks.AnswerTLS, greeting: "220 mx.test ESMTP over TLS", answered: true},
		{port: plainOnTLS, answer: checks.AnswerOther, greeting: "220 p", kind: checks.FaultTLS, tlsProblem: checks.TLSNotTLS},
	}
	for _, c := range cases {
		p := netPortFacts(t, r, c.port)
		if p.Answer != c.answer || p.Greeting != c.greeting || p.Configured != c.configured || p.Answered() != c.answered {
			t.Errorf("port %d: got %+v, want answer %q greeting %q configured %v", c.port, p, c.answer, c.greeting, c.configured)
		}
		if p.Duration <= 0 {
			t.Errorf("port %d: no duration", c.port)
		}
		switch {
		case c.kind == "" && p.Fault != nil:
			t.Errorf("port %d: unexpected fault %v", c.port, p.Fault)
		case c.kind != "" && (p.Fault == nil || p.Fault.Kind != c.kind || p.Fault.WinSock != c.winsock || p.Fault.TLS != c.tlsProblem):
			t.Errorf("port %d: fault %+v, want %s %d %q", c.port, p.Fault, c.kind, c.winsock, c.tlsProblem)
		}
	}
}

func TestPortsGreetingPerService(t *testing.T) {
	cases := []struct {
		svc      checks.Service
		greeting string
		answer   string
	}{
		{checks.SMTP, "220-mx.test first of many\r\n", checks.AnswerGreeting},
		{checks.SMTP, "2200 not a reply\r\n", checks.AnswerOther},
		{checks.SMTP, "554 no service for you\r\n", checks.AnswerGreeting},
		{checks.FTP, "220 (vsFTPd 3.0.3)\r\n", checks.AnswerGreeting},
		{checks.FTP, "421 busy\r\n", checks.AnswerGreeting},
		{checks.FTP, "+OK pop3 here\r\n", checks.AnswerOther},
		{checks.POP3, "+OK Dovecot ready.\r\n", checks.AnswerGreeting},
		{checks.POP3, "-ERR [SYS/TEMP] busy\r\n", checks.AnswerGreeting},
		{checks.POP3, "220 smtp here\r\n", checks.AnswerOther},
		{checks.IMAP, "* OK [CAPABILITY IMAP4rev1] ready\r\n", checks.AnswerGreeting},
		{checks.IMAP, "* PREAUTH logged in\r\n", checks.AnswerGreeting},
		{checks.IMAP, "* BYE too many\r\n", checks.AnswerGreeting},
		{checks.IMAP, "+OK pop3\r\n", checks.AnswerOther},
	}
	for _, c := range cases {
		port := netPeer(t, c.greeting)
		res := netRun(t, checks.Target{Service: c.svc, Host: "127.0.0.1", Port: netRefusedPort(t)},
			checks.Options{Ports: []checks.StandardPort{{Port: port, Security: checks.SecurityNone}}})
		r := netResult(t, res, checks.CheckPorts)
		p := netPortFacts(t, r, port)
		if p.Answer != c.answer {
			t.Errorf("%s %q: answer %q, want %q", c.svc, c.greeting, p.Answer, c.answer)
		}
		wantStatus := checks.StatusPass
		if c.answer != checks.AnswerGreeting {
			wantStatus = checks.StatusWarn
		}
		if r.Status != wantStatus {
			t.Errorf("%s %q: status %s, want %s", c.svc, c.greeting, r.Status, wantStatus)
		}
	}
}

func TestPortsNoneAnsweredWarns(t *testing.T) {
	a, b := netRefusedPort(t), netRefusedPort(t)
	res := netRun(t, checks.Target{Service: checks.IMAP, Host: "127.0.0.1", Port: a},
		checks.Options{Ports: []checks.StandardPort{{Port: b, Security: checks.SecurityTLS}}})
	r := netResult(t, res, checks.CheckPorts)
	if r.Status != checks.StatusWarn || len(r.Warnings) != 1 || r.Warnings[0] != checks.WarnNoPortAnswered {
		t.Fatalf("status %s warnings %v, want warn %s", r.Status, r.Warnings, checks.WarnNoPortAnswered)
	}
	if len(r.Ports) != 1 || r.Ports[0].Port != b || r.Ports[0].Answer != checks.AnswerClosed {
		t.Fatalf("ports %+v: want only the standard one, closed (the configured port is the tcp check's)", r.Ports)
	}
	// The tcp check fails on the refused configured port; ports ran beside it.
	if tcp := netResult(t, res, checks.CheckTCP); tcp.Fault == nil || tcp.Fault.Kind != checks.FaultRefused {
		t.Errorf("tcp %+v", tcp)
	}
}

func TestPortsCanceled(t *testing.T) {
	silent := netPeer(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	res, err := checks.Run(ctx, checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: netPeer(t, ""), Timeout: 5 * time.Second},
		checks.Options{Ports: []checks.StandardPort{{Port: silent, Security: checks.SecurityNone}, {Port: silent, Security: checks.SecurityTLS}}})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("cancel took %v", took)
	}
	r := netResult(t, res, checks.CheckPorts)
	if r.Fault == nil || r.Fault.Kind != checks.FaultCanceled {
		t.Errorf("ports after cancel: %+v", r)
	}
}
