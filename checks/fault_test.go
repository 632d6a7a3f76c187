//go:build linux

package checks_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"assistant/checks"
	"assistant/faultpeer"
)

// netServe starts a loopback peer with handler h and returns its address.
func netServe(t *testing.T, h faultpeer.Handler) string {
	t.Helper()
	p, err := faultpeer.Listen(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(p.Port()))
}

// netDial connects to addr or stops the test.
func netDial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// realRefused dials a loopback port where nothing listens.
func realRefused(t *testing.T) error {
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	_, err = net.Dial("tcp", addr)
	return err
}

// realReset reads from a connection the peer aborts with RST.
func realReset(t *testing.T) error {
	c := netDial(t, netServe(t, func(c net.Conn) {
		time.Sleep(50 * time.Millisecond)
		faultpeer.Reset(c)
	}))
	_, err := c.Read(make([]byte, 10))
	return err
}

// realClosed reads from a connection the peer closes with FIN.
func realClosed(t *testing.T) error {
	c := netDial(t, netServe(t, func(c net.Conn) {}))
	_, err := c.Read(make([]byte, 10))
	return err
}

// realAborted writes after the peer closed: the first write passes, a later
// one fails (EPIPE: WinSock 10053 on Windows).
func realAborted(t *testing.T) error {
	c := netDial(t, netServe(t, func(c net.Conn) {}))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("want EOF first, got %v", err)
	}
	for range 50 {
		if _, err := c.Write([]byte("NOOP\r\n")); err != nil {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("writes after the peer's FIN never failed")
	return nil
}

// realReadTimeout reads from a silent peer past a deadline.
func realReadTimeout(t *testing.T) error {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	c := netDial(t, netServe(t, func(c net.Conn) { faultpeer.Silence(c, stop) }))
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := c.Read(make([]byte, 10))
	return err
}

// realCanceled dials with a context already canceled.
func realCanceled(t *testing.T) error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var d net.Dialer
	_, err := d.DialContext(ctx, "tcp", "127.0.0.1:9")
	return err
}

// realTLS runs a TLS client handshake with cfg against a peer.
func realTLS(t *testing.T, cfg *tls.Config, h faultpeer.Handler) error {
	c := netDial(t, netServe(t, h))
	return tls.Client(c, cfg).Handshake()
}

// tlsPeer serves TLS with a certificate from ca shaped by o.
func tlsPeer(t *testing.T, ca *faultpeer.CA, o faultpeer.LeafOptions) faultpeer.Handler {
	leaf, err := ca.Leaf(o)
	if err != nil {
		t.Fatal(err)
	}
	cfg := faultpeer.ServerConfig(leaf)
	return func(c net.Conn) { _ = tls.Server(c, cfg).Handshake() }
}

func TestClassify(t *testing.T) {
	ca, err := faultpeer.NewCA("Fault Test CA")
	if err != nil {
		t.Fatal(err)
	}
	trusted := &tls.Config{RootCAs: ca.Pool, ServerName: "localhost"}
	opErr := func(e error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", e)}
	}
	cases := []struct {
		name    string
		err     error
		kind    checks.FaultKind
		winsock int
		tls     string
		code    int
	}{
		// Real errors produced on loopback.
		{"real refused", realRefused(t), checks.FaultRefused, checks.WSAECONNREFUSED, "", 0},
		{"real reset", realReset(t), checks.FaultReset, checks.WSAECONNRESET, "", 0},
		{"real closed", realClosed(t), checks.FaultClosed, 0, "", 0},
		{"real aborted", realAborted(t), checks.FaultAborted, checks.WSAECONNABORTED, "", 0},
		{"real read timeout", realReadTimeout(t), checks.FaultTimeout, checks.WSAETIMEDOUT, "", 0},
		{"real canceled", realCanceled(t), checks.FaultCanceled, 0, "", 0},
		{"real TLS to plain text", realTLS(t, trusted, func(c net.Conn) { _, _ = c.Write([]byte("220 mx.test ESMTP\r\n")) }),
			checks.FaultTLS, 0, checks.TLSNotTLS, 0},
		{"real untrusted", realTLS(t, &tls.Config{ServerName: "localhost"}, tlsPeer(t, ca, faultpeer.LeafOptions{})),
			checks.FaultTLS, 0, checks.TLSUntrusted, 0},
		{"real name mismatch", realTLS(t, &tls.Config{RootCAs: ca.Pool, ServerName: "mail.test"}, tlsPeer(t, ca, faultpeer.LeafOptions{})),
			checks.FaultTLS, 0, checks.TLSNameMismatch, 0},
		{"real expired", realTLS(t, trusted, tlsPeer(t, ca, faultpeer.LeafOptions{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})),
			checks.FaultTLS, 0, checks.TLSExpired, 0},
		{"real not yet valid", realTLS(t, trusted, tlsPeer(t, ca, faultpeer.LeafOptions{NotBefore: time.Now().Add(2 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour)})),
			checks.FaultTLS, 0, checks.TLSNotYetValid, 0},

		// Constructed: what a dial through a firewall or a broken network returns.
		{"dial timeout (Dialer.Timeout)", &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}, checks.FaultTimeout, checks.WSAETIMEDOUT, "", 0},
		{"dial timeout (context deadline)", &net.OpError{Op: "dial", Net: "tcp", Err: context.DeadlineExceeded}, checks.FaultTimeout, checks.WSAETIMEDOUT, "", 0},
		{"ETIMEDOUT", opErr(syscall.ETIMEDOUT), checks.FaultTimeout, checks.WSAETIMEDOUT, "", 0},
		{"ECONNREFUSED", opErr(syscall.ECONNREFUSED), checks.FaultRefused, checks.WSAECONNREFUSED, "", 0},
		{"ECONNRESET", opErr(syscall.ECONNRESET), checks.FaultReset, checks.WSAECONNRESET, "", 0},
		{"ECONNABORTED", opErr(syscall.ECONNABORTED), checks.FaultAborted, checks.WSAECONNABORTED, "", 0},
		{"EPIPE", opErr(syscall.EPIPE), checks.FaultAborted, checks.WSAECONNABORTED, "", 0},
		{"ESHUTDOWN", opErr(syscall.ESHUTDOWN), checks.FaultAborted, checks.WSAECONNABORTED, "", 0},
		{"EHOSTUNREACH", opErr(syscall.EHOSTUNREACH), checks.FaultUnreachable, checks.WSAEHOSTUNREACH, "", 0},
		{"EHOSTDOWN", opErr(syscall.EHOSTDOWN), checks.FaultUnreachable, checks.WSAEHOSTDOWN, "", 0},
		{"ENETUNREACH", opErr(syscall.ENETUNREACH), checks.FaultUnreachable, checks.WSAENETUNREACH, "", 0},
		{"ENETDOWN", opErr(syscall.ENETDOWN), checks.FaultUnreachable, checks.WSAENETDOWN, "", 0},
		{"EACCES (local firewall)", opErr(syscall.EACCES), checks.FaultUnreachable, checks.WSAEACCES, "", 0},
		{"EPERM (local firewall)", opErr(syscall.EPERM), checks.FaultUnreachable, checks.WSAEACCES, "", 0},
		{"EADDRINUSE", opErr(syscall.EADDRINUSE), checks.FaultProtocol, checks.WSAEADDRINUSE, "", 0},
		{"unexpected EOF", io.ErrUnexpectedEOF, checks.FaultClosed, 0, "", 0},
		{"use of closed conn", net.ErrClosed, checks.FaultClosed, 0, "", 0},
		{"canceled beats timeout", errors.Join(context.Canceled, os.ErrDeadlineExceeded), checks.FaultCanceled, 0, "", 0},

		// Constructed DNS errors.
		{"NXDOMAIN", &net.DNSError{Err: "no such host", Name: "x.test", IsNotFound: true}, checks.FaultNotFound, checks.WSAHOST_NOT_FOUND, "", 0},
		{"DNS timeout", &net.DNSError{Err: "i/o timeout", Name: "x.test", IsTimeout: true}, checks.FaultDNS, checks.WSATRY_AGAIN, "", 0},
		{"SERVFAIL", &net.DNSError{Err: "server misbehaving", Name: "x.test", IsTemporary: true}, checks.FaultDNS, checks.WSATRY_AGAIN, "", 0},

		// Constructed TLS errors.
		{"record header", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, checks.FaultTLS, 0, checks.TLSNotTLS, 0},
		{"unknown authority", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, checks.FaultTLS, 0, checks.TLSUntrusted, 0},
		{"hostname", x509.HostnameError{Host: "mail.test", Certificate: &x509.Certificate{}}, checks.FaultTLS, 0, checks.TLSNameMismatch, 0},
		{"expired", x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{NotBefore: time.Now().Add(-time.Hour)}}, checks.FaultTLS, 0, checks.TLSExpired, 0},
		{"not yet valid", x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{NotBefore: time.Now().Add(time.Hour)}}, checks.FaultTLS, 0, checks.TLSNotYetValid, 0},
		{"invalid other", x509.CertificateInvalidError{Reason: x509.NotAuthorizedToSign}, checks.FaultTLS, 0, checks.TLSUntrusted, 0},
		{"verification error", &tls.CertificateVerificationError{Err: errors.New("x")}, checks.FaultTLS, 0, checks.TLSUntrusted, 0},
		{"alert protocol version", tls.AlertError(70), checks.FaultTLS, 0, checks.TLSVersion, 0},
		{"alert handshake failure", tls.AlertError(40), checks.FaultTLS, 0, checks.TLSVersion, 0},
		{"alert bad certificate", tls.AlertError(42), checks.FaultTLS, 0, checks.TLSHandshake, 0},

		// Protocol replies.
		{"reply 421", &checks.ReplyError{Code: 421, Line: "421 busy"}, checks.FaultBusy, 0, "", 421},
		{"reply 535", &checks.ReplyError{Code: 535, Line: "535 bad"}, checks.FaultAuth, 0, "", 535},
		{"POP3 -ERR to PASS", &checks.ReplyError{Status: "-ERR", Line: "-ERR nope", Auth: true}, checks.FaultAuth, 0, "", 0},
		{"reply 500", &checks.ReplyError{Code: 500, Line: "500 what"}, checks.FaultProtocol, 0, "", 500},
		{"textproto 530", &textproto.Error{Code: 530, Msg: "Login incorrect."}, checks.FaultAuth, 0, "", 530},
		{"textproto 421", &textproto.Error{Code: 421, Msg: "Too many"}, checks.FaultBusy, 0, "", 421},
		{"smtp 535", &smtp.SMTPError{Code: 535, Message: "bad credentials"}, checks.FaultAuth, 0, "", 535},
		{"smtp 534", &smtp.SMTPError{Code: 534, Message: "weak mechanism"}, checks.FaultAuth, 0, "", 534},
		{"not greeting", checks.ErrNotGreeting, checks.FaultProtocol, 0, "", 0},
		{"line too long", checks.ErrLineTooLong, checks.FaultTooLong, 0, "", 0},
		{"reply too long", checks.ErrReplyTooLong, checks.FaultTooLong, 0, "", 0},
		{"unsafe credentials", checks.ErrUnsafeCredentials, checks.FaultLocal, 0, "", 0},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error produced", c.name)
			continue
		}
		f := checks.Classify(fmt.Errorf("wrapped: %w", c.err), checks.StageGreeting)
		if f.Kind != c.kind || f.WinSock != c.winsock || f.TLS != c.tls || f.Code != c.code || f.Stage != checks.StageGreeting {
			t.Errorf("%s (%v): got %s/%d/%q/%d at %s, want %s/%d/%q/%d", c.name, c.err,
				f.Kind, f.WinSock, f.TLS, f.Code, f.Stage, c.kind, c.winsock, c.tls, c.code)
		}
		if !errors.Is(f, c.err) || f.Detail == "" {
			t.Errorf("%s: fault does not keep the error: %+v", c.name, f)
		}
	}
}

func TestClassifyFaultPassThrough(t *testing.T) {
	if checks.Classify(nil, checks.StageConnect) != nil {
		t.Fatal("nil error must give a nil fault")
	}
	in := &checks.Fault{Kind: checks.FaultNotFound, WinSock: checks.WSANO_DATA}
	got := checks.Classify(fmt.Errorf("x: %w", in), checks.StageResolve)
	if got != in || got.Stage != checks.StageResolve || got.WinSock != checks.WSANO_DATA {
		t.Fatalf("existing fault changed: %+v", got)
	}
	kept := &checks.Fault{Kind: checks.FaultTimeout, Stage: checks.StagePing}
	if checks.Classify(kept, checks.StageConnect).Stage != checks.StagePing {
		t.Fatal("an existing fault's stage must be kept")
	}
}

// TestClassifyRemoteAlert: a server that accepts only TLS 1.3 refuses a
// client limited to TLS 1.2 with a protocol_version alert, which reaches
// the client as a "remote error" *net.OpError, not a tls.AlertError.
func TestClassifyRemoteAlert(t *testing.T) {
	cert, ca, err := faultpeer.NewServerCert("Alert Test", faultpeer.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := faultpeer.ServerConfig(cert)
	srv.MinVersion = tls.VersionTLS13
	ln, err := tls.Listen("tcp", "127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	peer := faultpeer.Serve(ln, func(c net.Conn) { _ = c.(*tls.Conn).Handshake() })
	t.Cleanup(func() { peer.Close() })
	c, err := tls.Dial("tcp", peer.Addr(), &tls.Config{RootCAs: ca.Pool, ServerName: "localhost", MaxVersion: tls.VersionTLS12})
	if err == nil {
		c.Close()
		t.Fatal("handshake succeeded")
	}
	f := checks.Classify(err, checks.StageTLSHandshake)
	if f.Kind != checks.FaultTLS || f.TLS != checks.TLSVersion {
		t.Fatalf("fault %+v (%T: %v), want tls/version", f, err, err)
	}
}
