package faultpeer

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The account every SMTP peer accepts.
const (
	SMTPUser     = "tester@example.org"
	SMTPPassword = "Pa55-w0rd!faultpeer"
)

// SMTPFault selects how an SMTP peer misbehaves.
type SMTPFault int

// SMTP faults. SMTPHealthy and the Offered faults are a real go-smtp
// server; the others are scripted, in plain text, so the fault happens at
// an exact point of the conversation.
const (
	SMTPHealthy            SMTPFault = iota // a working server
	SMTPNoStartTLS                          // EHLO does not list STARTTLS (AUTH is offered in plain text)
	SMTPNoAuth                              // EHLO never lists AUTH, not even after STARTTLS
	SMTPResetAtConnect                      // RST before a byte is sent
	SMTPResetAtGreeting                     // RST halfway through the greeting line
	SMTPResetAtHello                        // RST on receiving EHLO/HELO
	SMTPResetAtStartTLS                     // RST on receiving STARTTLS
	SMTPResetAtAuth                         // RST on receiving AUTH
	SMTPResetAtMail                         // RST on receiving MAIL FROM (the envelope, before any DATA)
	SMTPCloseAfterGreeting                  // FIN after the greeting, then keeps reading (10053 pattern)
	SMTPBusy                                // 421 greeting, then close
	SMTPSilent                              // accepts and never speaks
	SMTPEndless                             // a greeting line that never ends
	SMTPDrip                                // the greeting one byte per second
	SMTPGarbage                             // a greeting that is not SMTP
	SMTPEchoAuth                            // refuses AUTH quoting the credentials it received (PLAIN blob, LOGIN lines)
)

// Relay is how an SMTP peer answers RCPT TO a foreign domain.
type Relay int

// Relay policies.
const (
	RelayOpen   Relay = iota // accepted
	RelayAuth                // 530 5.7.0 until authenticated, then accepted
	RelayDenied              // 550 5.7.1 to everyone
)

// SMTPOptions shape an SMTP peer.
type SMTPOptions struct {
	Fault SMTPFault
	// TLS, when set, is the server's certificate configuration: STARTTLS is
	// offered with it (unless Fault is SMTPNoStartTLS), and AUTH only after
	// STARTTLS, as on a submission port.
	TLS *tls.Config
	// Implicit serves TLS from the first byte (port 465 style) with TLS.
	Implicit bool
	// Relay is the answer to RCPT TO a foreign domain.
	Relay Relay
	// Mechanisms are the AUTH mechanisms offered; default PLAIN and LOGIN.
	Mechanisms []string
	// Greeting, when set, replaces the banner line (without CRLF), e.g. a
	// provider's "220 smtp.gmail.com ESMTP … - gsmtp" or one with a date.
	Greeting string
	// AuthReply, when set, makes the peer a scripted plain-text dialogue
	// that answers every AUTH with exactly these lines (CRLF-separated,
	// without the final CRLF): a provider's refusal, verbatim.
	AuthReply string
}

// SMTP starts an SMTP peer on 127.0.0.1 with a free port. It never accepts
// a message: DATA is refused.
func SMTP(o SMTPOptions) (*Peer, error) { return SMTPAt("127.0.0.1:0", o) }

// SMTPAt starts an SMTP peer on a given address (e.g. 127.0.0.1:465 inside
// a test's network namespace).
func SMTPAt(addr string, o SMTPOptions) (*Peer, error) {
	if o.Implicit && o.TLS == nil {
		return nil, errors.New("faultpeer: implicit TLS needs a TLS config")
	}
	if len(o.Mechanisms) == 0 {
		o.Mechanisms = []string{sasl.Plain, sasl.Login}
	}
	var p *Peer
	ready := make(chan struct{})
	p, err := ListenAt(addr, func(c net.Conn) {
		<-ready
		serveSMTP(c, o, p.Done())
	})
	if err != nil {
		return nil, err
	}
	close(ready)
	return p, nil
}

// smtpGreeting is the scripted peers' banner.
const smtpGreeting = "220 faultpeer ESMTP ready\r\n"

// serveSMTP serves one connection as o says.
func serveSMTP(c net.Conn, o SMTPOptions, done <-chan struct{}) {
	if o.AuthReply != "" {
		scriptSMTP(withGreeting(c, o), o)
		return
	}
	switch o.Fault {
	case SMTPHealthy, SMTPNoStartTLS, SMTPNoAuth:
		serveGoSMTP(c, o)
	case SMTPResetAtConnect:
		Reset(c)
	case SMTPResetAtGreeting:
		if _, err := io.WriteString(c, smtpGreeting[:9]); err == nil {
			time.Sleep(20 * time.Millisecond) // let the partial line arrive first
		}
		Reset(c)
	case SMTPResetAtHello:
		scriptSMTP(c, o, "EHLO", "HELO")
	case SMTPResetAtStartTLS:
		scriptSMTP(c, o, "STARTTLS")
	case SMTPResetAtAuth:
		scriptSMTP(c, o, "AUTH")
	case SMTPResetAtMail:
		scriptSMTP(c, o, "MAIL")
	case SMTPCloseAfterGreeting:
		if _, err := io.WriteString(c, smtpGreeting); err != nil {
			return
		}
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		_, _ = io.Copy(io.Discard, c) // ends when the client or the peer closes
	case SMTPBusy:
		_, _ = io.WriteString(c, "421 4.3.2 faultpeer: too many connections, try again later\r\n")
	case SMTPSilent:
		Silence(c, done)
	case SMTPEndless:
		Endless(c, "220 ")
	case SMTPDrip:
		Drip(c, smtpGreeting, time.Second, done)
	case SMTPEchoAuth:
		echoSMTP(c, o.Mechanisms)
	case SMTPGarbage:
		if _, err := c.Write([]byte("\xff\xfb\x01\x00garbage\x7f\r\n")); err == nil {
			Silence(c, done)
		}
	}
}

// scriptSMTP is a plain-text SMTP dialogue offering STARTTLS and AUTH that
// resets the connection on the first command whose verb is in resetOn and
// answers AUTH with o.AuthReply.
func scriptSMTP(c net.Conn, o SMTPOptions, resetOn ...string) {
	if _, err := io.WriteString(c, smtpGreeting); err != nil {
		return
	}
	Lines(c, func(cmd string) (string, bool) {
		v := Verb(cmd)
		for _, r := range resetOn {
			if v == r {
				Reset(c)
				return "", false
			}
		}
		switch v {
		case "EHLO":
			return "250-faultpeer\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n", true
		case "HELO", "MAIL", "RCPT", "RSET", "NOOP":
			return "250 2.0.0 OK\r\n", true
		case "AUTH":
			if o.AuthReply != "" {
				return o.AuthReply + "\r\n", true
			}
		case "QUIT":
			return "221 2.0.0 Bye\r\n", false
		}
		return "502 5.5.2 not here\r\n", true
	})
}

// withGreeting replaces c's banner with o.Greeting when one is set.
func withGreeting(c net.Conn, o SMTPOptions) net.Conn {
	if o.Greeting == "" {
		return c
	}
	return &greetingConn{Conn: c, greeting: o.Greeting + "\r\n"}
}

// greetingConn replaces the first line a peer writes (its banner) with
// greeting.
type greetingConn struct {
	net.Conn
	greeting string
	done     bool
}

func (g *greetingConn) Write(b []byte) (int, error) {
	if g.done {
		return g.Conn.Write(b)
	}
	_, rest, ok := strings.Cut(string(b), "\n")
	if !ok {
		return 0, errors.New("faultpeer: the banner must be written in one piece")
	}
	g.done = true
	if _, err := io.WriteString(g.Conn, g.greeting+rest); err != nil {
		return 0, err
	}
	return len(b), nil
}

// CloseWrite passes a half-close on to the TCP connection.
func (g *greetingConn) CloseWrite() error {
	if cw, ok := g.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// echoSMTP offers the AUTH mechanisms (PLAIN, LOGIN) and refuses every login with a 535
// that quotes what the client sent: the PLAIN blob, or the base64 user and
// password lines of LOGIN and the password they decode to, as a careless
// server's log-style reply would.
func echoSMTP(c net.Conn, mechs []string) {
	if _, err := io.WriteString(c, smtpGreeting); err != nil {
		return
	}
	r := bufio.NewReader(c)
	ask := func(prompt string) string {
		if _, err := io.WriteString(c, prompt); err != nil {
			return ""
		}
		line, _ := r.ReadString('\n')
		return strings.TrimRight(line, "\r\n")
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		fields := strings.Fields(cmd)
		var out string
		switch Verb(cmd) {
		case "EHLO":
			out = "250-faultpeer\r\n250 AUTH " + strings.Join(mechs, " ") + "\r\n"
		case "HELO", "NOOP", "RSET":
			out = "250 2.0.0 OK\r\n"
		case "QUIT":
			_, _ = io.WriteString(c, "221 2.0.0 Bye\r\n")
			return
		case "AUTH":
			out = "535 5.7.8 Authentication failed [" + echoAuth(fields, ask) + "]\r\n"
		default:
			out = "502 5.5.2 not here\r\n"
		}
		if _, err := io.WriteString(c, out); err != nil {
			return
		}
	}
}

// echoAuth runs an AUTH exchange and returns everything the client sent.
func echoAuth(fields []string, ask func(prompt string) string) string {
	if len(fields) < 2 {
		return strings.Join(fields, " ")
	}
	// The initial response on the AUTH line, or the answer to a prompt.
	initial := func(prompt string) string {
		if len(fields) > 2 {
			return fields[2]
		}
		return ask(prompt)
	}
	switch strings.ToUpper(fields[1]) {
	case "PLAIN":
		blob := initial("334 \r\n")
		raw, _ := base64.StdEncoding.DecodeString(blob)
		return "AUTH PLAIN " + blob + " = " + strings.ReplaceAll(string(raw), "\x00", " ")
	case "LOGIN":
		user := initial("334 VXNlcm5hbWU6\r\n")
		pass := ask("334 UGFzc3dvcmQ6\r\n")
		raw, _ := base64.StdEncoding.DecodeString(pass)
		return "AUTH LOGIN " + user + " " + pass + " = " + string(raw)
	}
	return strings.Join(fields, " ")
}

// serveGoSMTP serves one connection with a go-smtp server of its own, so
// each connection is handled start to end inside the peer's handler.
func serveGoSMTP(c net.Conn, o SMTPOptions) {
	s := smtp.NewServer(&smtpBackend{o: o})
	s.Domain = "faultpeer.test"
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.MaxMessageBytes = 10 << 20
	if o.TLS != nil && o.Fault != SMTPNoStartTLS {
		s.TLSConfig = o.TLS // STARTTLS is offered only on a plain connection
	}
	s.AllowInsecureAuth = s.TLSConfig == nil
	nc := &notifyConn{Conn: c, closed: make(chan struct{})}
	ln := &oneConnListener{conn: nc, closed: nc.closed}
	if o.Implicit {
		ln.conn = tls.Server(nc, o.TLS)
	}
	ln.conn = withGreeting(ln.conn, o)
	_ = s.Serve(ln)
	_ = s.Shutdown(context.Background()) // waits for the connection's goroutine
}

// oneConnListener hands out one connection, then blocks until it is closed.
type oneConnListener struct {
	conn   net.Conn
	closed <-chan struct{}
	served bool
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if !l.served {
		l.served = true
		return l.conn, nil
	}
	<-l.closed
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }

// notifyConn closes a channel when the server closes it.
type notifyConn struct {
	net.Conn
	once   sync.Once
	closed chan struct{}
}

func (c *notifyConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// smtpBackend makes the sessions of one peer.
type smtpBackend struct{ o SMTPOptions }

func (b *smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	s := &smtpSession{o: b.o}
	if b.o.Fault == SMTPNoAuth {
		return s, nil
	}
	return &smtpAuthSession{s}, nil
}

// smtpSession accepts envelopes by the relay policy and refuses DATA.
type smtpSession struct {
	o    SMTPOptions
	auth bool
}

var (
	errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	errRelayDenied  = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relaying denied"}
	errNoData       = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 3, 0}, Message: "faultpeer accepts no mail"}
)

func (s *smtpSession) Reset()                               {}
func (s *smtpSession) Logout() error                        { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Data(io.Reader) error                 { return errNoData }

func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error {
	switch {
	case s.o.Relay == RelayDenied:
		return errRelayDenied
	case s.o.Relay == RelayAuth && !s.auth:
		return errAuthRequired
	}
	return nil
}

// smtpAuthSession adds AUTH with the fixed test account.
type smtpAuthSession struct{ *smtpSession }

func (s *smtpAuthSession) AuthMechanisms() []string { return s.o.Mechanisms }

func (s *smtpAuthSession) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != SMTPUser || pass != SMTPPassword {
			return smtp.ErrAuthFailed
		}
		s.auth = true
		return nil
	}
	switch strings.ToUpper(mech) {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// loginServer is the server side of SASL LOGIN (go-sasl has only the client).
type loginServer struct {
	check func(user, pass string) error
	user  []byte
	step  int
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if resp == nil {
			return []byte("Username:"), false, nil
		}
		fallthrough
	case 1:
		l.user, l.step = resp, 2
		return []byte("Password:"), false, nil
	}
	return nil, true, l.check(string(l.user), string(resp))
}
