package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
)

// The FTP conversation is written by hand on net/textproto over the
// session's *Conn rather than with github.com/jlaffaye/ftp: these tests
// need raw commands on the control connection (the greeting as sent, AUTH
// TLS as its own check, the raw PASV/EPSV replies and their announced
// address, PORT/EPRT for active mode), which that library cannot send on
// its connection: it reads the greeting inside Dial, owns its buffered
// reader, has no active mode and rewrites PASV addresses silently. Every
// step here arms the connection's deadline and records the raw replies.
// The upload test (transfer.go) is an ordinary client upload and runs on
// its own connection through jlaffaye/ftp.

// anonymousPassword is the customary password of an anonymous login.
const anonymousPassword = "anonymous@"

// ftpClient is one FTP control connection and what it learnt.
type ftpClient struct {
	s   *Session
	ctx context.Context
	c   *Conn
	tp  *textproto.Conn
	// server is the control connection's peer IP, local its local IP.
	server, local net.IP
	// dataTLS is the configuration for data connections once PROT P was
	// accepted (it shares the control session's cache for reuse); nil for
	// plain data connections.
	dataTLS *tls.Config
	// synced is false once a reply may still be pending on the control
	// connection (an interrupted transfer), so it must not be used again.
	synced bool
}

func newFTPClient(ctx context.Context, s *Session, c *Conn) *ftpClient {
	f := &ftpClient{s: s, ctx: ctx, c: c, tp: textproto.NewConn(c), synced: true}
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		f.server = a.IP
	}
	if a, ok := c.LocalAddr().(*net.TCPAddr); ok {
		f.local = a.IP
	}
	return f
}

// reply reads one reply under a fresh step deadline. A failed read leaves
// the control connection out of step.
func (f *ftpClient) reply() (int, string, error) {
	f.c.Arm()
	return f.read()
}

// read reads one reply within the current step. A line textproto took
// for complete though the connection failed under it (bufio's ReadLine
// returns a partial line without its error) is that failure.
func (f *ftpClient) read() (int, string, error) {
	code, msg, err := f.tp.ReadResponse(0)
	if err == nil {
		err = f.c.Err()
	}
	f.synced = err == nil
	return code, msg, err
}

// cmd sends one command and reads its reply, as one step.
func (f *ftpClient) cmd(format string, args ...any) (int, string, error) {
	f.c.Arm()
	if err := f.tp.PrintfLine(format, args...); err != nil {
		f.synced = false
		return 0, "", err
	}
	return f.reply()
}

// replyLine rebuilds the first line of a reply as the server sent it.
func replyLine(code int, msg string) string {
	first, _, _ := strings.Cut(msg, "\n")
	return fmt.Sprintf("%d %s", code, first)
}

// replyErr is the error for an unexpected reply.
func replyErr(code int, msg string) *ReplyError {
	return &ReplyError{Code: code, Line: replyLine(code, msg)}
}

// greeting reads the server's banner: 220, or an error (421 is busy).
func (f *ftpClient) greeting() (string, error) {
	f.c.Arm()
	// Look at the first bytes before ReadResponse, which would take a
	// line such as "SSH-2.0-..." for the start of a multi-line reply.
	head, err := f.tp.R.Peek(4)
	switch {
	case err != nil && len(head) == 0:
		f.synced = false
		return "", err
	case err == nil && !isReplyStart(head):
		line, _ := f.tp.ReadLine()
		return "", fmt.Errorf("%w: %q", ErrNotGreeting, line)
	}
	code, msg, err := f.read() // the same step: the greeting gets one timeout
	var pe textproto.ProtocolError
	switch {
	case errors.As(err, &pe):
		return "", fmt.Errorf("%w: %w", ErrNotGreeting, err)
	case err != nil:
		return "", err
	case code != 220:
		return "", replyErr(code, msg)
	}
	return msg, nil
}

// isReplyStart reports whether b starts like an FTP reply: three digits
// and a space or a hyphen.
func isReplyStart(b []byte) bool {
	for _, d := range b[:3] {
		if d < '0' || d > '9' {
			return false
		}
	}
	return b[3] == ' ' || b[3] == '-'
}

// authTLS asks for explicit TLS and reports the reply; a code other than
// 234 comes back as a *ReplyError.
func (f *ftpClient) authTLS() error {
	code, msg, err := f.cmd("AUTH TLS")
	if err == nil && code != 234 {
		err = replyErr(code, msg)
	}
	return err
}

// sendLogin sends USER and, when asked for, PASS (hidden in the
// transcript). A refusal comes back as a *ReplyError marked Auth.
func (f *ftpClient) sendLogin(user, pass string) (int, string, error) {
	if err := safeCredentials(user, pass); err != nil {
		return 0, "", err
	}
	code, msg, err := f.cmd("USER %s", user)
	if err == nil && code == 331 {
		f.c.Hide(true)
		code, msg, err = f.cmd("PASS %s", pass)
		f.c.Hide(false)
	}
	if err == nil && code != 230 {
		return code, msg, &ReplyError{Code: code, Line: replyLine(code, msg), Auth: code/100 == 5}
	}
	return code, msg, err
}

// probeFTP holds the FTP conversation on the control connection: TLS,
// greeting, features, login, the passive and active data tests and the
// upload test, each recorded into its own check.
func probeFTP(ctx context.Context, s *Session) {
	c := s.Control
	if c == nil {
		return
	}
	if s.Target.Security == SecurityTLS && s.Handshake(c, TLSModeImplicit) != nil {
		return
	}
	f := newFTPClient(ctx, s, c)
	if !f.open() || !f.login() {
		return
	}
	passive := f.dataChecks()
	if f.synced && ctx.Err() == nil {
		f.c.Record(nil) // every check has ended: QUIT belongs to none
		_, _, _ = f.cmd("QUIT")
	}
	transferCheck(ctx, s, passive)
}

// open runs the ftp check: greeting, FEAT, explicit TLS when asked, SYST.
// It reports whether the conversation can go on to the login.
func (f *ftpClient) open() bool {
	s := f.s
	rec := s.Begin(CheckFTP)
	defer s.End(CheckFTP)
	f.c.Record(rec)
	facts := &ServerFacts{}
	defer rec.Facts(func(r *Result) { r.Server = facts })

	banner, err := f.greeting()
	if err != nil {
		rec.Fail(StageGreeting, err)
		return false
	}
	facts.Greeting = banner
	rec.Step("greeting", replyLine(220, banner), nil)

	if err := f.features(rec, facts); err != nil {
		rec.Fail(StageHello, err)
		return false
	}
	if s.Target.Security == SecurityStartTLS {
		if !f.startTLS(facts) {
			return false
		}
		f.c.Record(rec)
	}
	code, msg, err := f.cmd("SYST")
	if err != nil {
		rec.Fail(StageHello, err)
		return false
	}
	if code == 215 {
		facts.System = msg
	}
	rec.Step("SYST", replyLine(code, msg), nil)
	return true
}

// features asks FEAT and records the feature lines. A refusal means no
// features; no reply at all (a timeout, a reset) is the hello's fault.
func (f *ftpClient) features(rec *Recorder, facts *ServerFacts) error {
	code, msg, err := f.cmd("FEAT")
	if err != nil {
		return err
	}
	if code != 211 {
		rec.Step("FEAT", "not supported", nil)
		return nil
	}
	for _, l := range strings.Split(msg, "\n") {
		if !strings.HasPrefix(l, " ") {
			continue
		}
		feat := strings.TrimSpace(l)
		facts.Capabilities = append(facts.Capabilities, feat)
		verb, arg, _ := strings.Cut(strings.ToUpper(feat), " ")
		if verb == "AUTH" && strings.Contains(arg, "TLS") {
			facts.StartTLS = true
		}
	}
	rec.Step("FEAT", strings.Join(facts.Capabilities, ", "), nil)
	return nil
}

// startTLS sends AUTH TLS and runs the tls check. A refusal fails the tls
// check at stage starttls (Offered false); the password is then never sent.
func (f *ftpClient) startTLS(facts *ServerFacts) bool {
	s := f.s
	rec := s.Begin(CheckTLS)
	f.c.Record(rec)
	err := f.authTLS()
	if err == nil && f.tp.R.Buffered() > 0 {
		err = tlsInjection()
	}
	if err != nil {
		var re *ReplyError
		if errors.As(err, &re) {
			facts.StartTLS = false
			rec.Warn("starttls-not-offered")
		}
		rec.Fail(StageStartTLS, err)
		rec.Facts(func(r *Result) { r.TLS = &TLSFacts{Mode: TLSModeExplicit} })
		s.End(CheckTLS)
		return false
	}
	facts.StartTLS = true
	return s.Handshake(f.c, TLSModeExplicit) == nil
}

// login runs the auth check with the user's credentials, or, without a
// user, tries an anonymous login only to enable the listing tests. It
// reports whether the data tests can run.
func (f *ftpClient) login() bool {
	s := f.s
	user := s.Target.User
	if user == "" {
		return f.anonymous()
	}
	rec := s.Begin(CheckAuth)
	defer s.End(CheckAuth)
	f.c.Record(rec)
	facts := &AuthFacts{User: user, Mechanism: "USER/PASS", Offered: true}
	defer rec.Facts(func(r *Result) { r.Auth = facts })
	code, msg, err := f.sendLogin(user, s.Target.Secret.Reveal())
	facts.Code = code
	if code != 0 {
		facts.Reply = replyLine(code, msg)
	}
	if err != nil {
		rec.Fail(StageAuth, err)
		return false
	}
	facts.Accepted = true
	rec.Step("login", facts.Reply, nil)
	return f.prepare(rec)
}

// anonymous tries an anonymous login for the listing tests; the auth check
// is skipped (no credentials) and records that the login was anonymous.
// Without it the data tests and the transfer are skipped too.
func (f *ftpClient) anonymous() bool {
	s := f.s
	rec := s.Rec(CheckAuth)
	f.c.Record(rec)
	facts := &AuthFacts{User: "anonymous", Mechanism: "USER/PASS", Offered: true, Anonymous: true}
	code, msg, err := f.sendLogin("anonymous", anonymousPassword)
	facts.Code = code
	if code != 0 {
		facts.Reply = replyLine(code, msg)
	}
	rec.Step("anonymous login", facts.Reply, err)
	facts.Accepted = err == nil
	ok := facts.Accepted && f.prepare(rec)
	rec.Facts(func(r *Result) { r.Auth = facts })
	s.Skip(CheckAuth, SkipNoCredentials)
	if !ok {
		for _, id := range []CheckID{CheckFTPPassive, CheckFTPActive, CheckTransfer} {
			if s.Planned(id) {
				s.Skip(id, SkipNoCredentials)
			}
		}
	}
	return ok
}

// prepare sets binary mode and, on a TLS control connection, PBSZ 0 and
// PROT P so that data connections are encrypted too.
func (f *ftpClient) prepare(rec *Recorder) bool {
	steps := []string{"TYPE I"}
	tlsOn := f.c.TLSState() != nil
	if tlsOn {
		steps = append(steps, "PBSZ 0", "PROT P")
	}
	for _, c := range steps {
		code, msg, err := f.cmd("%s", c)
		if err != nil {
			rec.Fail(StageCommand, err)
			return false
		}
		if code/100 != 2 {
			// A server refusing PROT P keeps data connections in plain text.
			rec.Step(c, replyLine(code, msg), replyErr(code, msg))
			tlsOn = tlsOn && c != "PROT P"
			continue
		}
		rec.Step(c, replyLine(code, msg), nil)
	}
	if tlsOn {
		f.dataTLS = f.s.TLSConfig(&TLSFacts{})
	}
	return true
}
