//go:build linux

package realpeer_test

import (
	"bufio"
	"crypto/tls"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"assistant/internal/realpeer"
)

// greeting dials addr (through TLS when tlsCfg is set) and returns the
// first line the server sends.
func greeting(t *testing.T, addr string, tlsCfg *tls.Config) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	if tlsCfg != nil {
		c = tls.Client(c, tlsCfg)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("%s: reading the greeting: %v", addr, err)
	}
	return strings.TrimSpace(line)
}

func port(p int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p)) }

func expectPrefix(t *testing.T, what, got, prefix string) {
	t.Helper()
	if !strings.HasPrefix(got, prefix) {
		t.Errorf("%s greeting = %q, want prefix %q", what, got, prefix)
	}
}

func TestRealVsftpdGreets(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{})
	expectPrefix(t, "vsftpd", greeting(t, srv.Addr, nil), "220 ")
	if srv.User != realpeer.User || srv.Password == "" || srv.Dir == "" {
		t.Errorf("server account/dir not filled: %+v", srv)
	}
}

// TestRealVsftpdExplicitTLSLogin proves the TLS setup and the system test
// user: AUTH TLS, a verified handshake, USER/PASS accepted, the root empty.
func TestRealVsftpdExplicitTLSLogin(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{ExplicitTLS: true})
	raw, err := net.DialTimeout("tcp", srv.Addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(5 * time.Second))
	expect := func(c *textproto.Conn, code int, cmd string, args ...any) {
		t.Helper()
		if cmd != "" {
			if err := c.PrintfLine(cmd, args...); err != nil {
				t.Fatal(err)
			}
		}
		if _, msg, err := c.ReadResponse(code); err != nil {
			t.Fatalf("%q: %v %s", cmd, err, msg)
		}
	}
	c := textproto.NewConn(raw)
	expect(c, 220, "")
	expect(c, 234, "AUTH TLS")
	tc := tls.Client(raw, &tls.Config{ServerName: "localhost", RootCAs: srv.CA.Pool})
	c = textproto.NewConn(tc)
	expect(c, 331, "USER %s", srv.User)
	expect(c, 230, "PASS %s", srv.Password)
	expect(c, 257, "PWD")
	expect(c, 221, "QUIT")
}

func TestRealVsftpdImplicitTLSGreets(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{ImplicitTLS: true})
	cfg := &tls.Config{ServerName: "localhost", RootCAs: srv.CA.Pool}
	expectPrefix(t, "vsftpd implicit TLS", greeting(t, srv.Addr, cfg), "220 ")
}

func TestRealVsftpdMaxClients(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{MaxClients: 1})
	first, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	first.SetDeadline(time.Now().Add(3 * time.Second))
	if line, err := bufio.NewReader(first).ReadString('\n'); err != nil || !strings.HasPrefix(line, "220 ") {
		t.Fatalf("first client: %q, %v", line, err)
	}
	expectPrefix(t, "second client", greeting(t, srv.Addr, nil), "421 ")
}

func TestRealEximGreets(t *testing.T) {
	t.Parallel()
	srv := realpeer.Exim(t, realpeer.EximOptions{})
	expectPrefix(t, "exim plain", greeting(t, srv.Addr, nil), "220 ")
	expectPrefix(t, "exim submission", greeting(t, port(srv.Submission), nil), "220 ")
	cfg := &tls.Config{ServerName: "localhost", RootCAs: srv.CA.Pool}
	expectPrefix(t, "exim smtps", greeting(t, port(srv.SMTPS), cfg), "220 ")
}

func TestRealDovecotGreets(t *testing.T) {
	t.Parallel()
	srv := realpeer.Dovecot(t, realpeer.DovecotOptions{})
	cfg := &tls.Config{ServerName: "localhost", RootCAs: srv.CA.Pool}
	expectPrefix(t, "imap", greeting(t, port(srv.IMAP), nil), "* OK ")
	expectPrefix(t, "imaps", greeting(t, port(srv.IMAPS), cfg), "* OK ")
	expectPrefix(t, "pop3", greeting(t, port(srv.POP3), nil), "+OK ")
	expectPrefix(t, "pop3s", greeting(t, port(srv.POP3S), cfg), "+OK ")
}
