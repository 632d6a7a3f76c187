package checks

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
)

// maxMailLines bounds a multi-line reply (POP3 CAPA) and the untagged lines
// before an IMAP completion, so a chatty peer cannot fill memory.
const maxMailLines = 1000

// Errors of the mail conversations that are not a server's reply.
var (
	errMailNoStartTLS   = errors.New("the server does not offer explicit TLS (STLS/STARTTLS)")
	errMailNoLogin      = errors.New("the server offers no usable login on this connection")
	errMailTooManyLines = errors.New("too many reply lines")
)

// mailConn is a line-based conversation (POP3, IMAP) over a check's Conn.
type mailConn struct {
	c  *Conn
	tp *textproto.Conn
}

func newMailConn(c *Conn) *mailConn { return &mailConn{c: c, tp: textproto.NewConn(c)} }

// send starts a step (Arm) and writes one command line; a hidden line
// shows as [hidden] in the transcript.
func (m *mailConn) send(line string, hidden bool) error {
	m.c.Arm()
	if hidden {
		m.c.Hide(true)
		defer m.c.Hide(false)
	}
	return m.tp.PrintfLine("%s", line)
}

// line reads one reply line without its CRLF. It reads with ReadString,
// not textproto's ReadLine: bufio's ReadLine drops the error that comes
// with a partial line, and so would lose ErrLineTooLong.
func (m *mailConn) line() (string, error) {
	s, err := m.tp.R.ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r"), nil
}

// cutStatus reports whether line starts with the status word (any case)
// and returns the text after it.
func cutStatus(line, status string) (string, bool) {
	if len(line) < len(status) || !strings.EqualFold(line[:len(status)], status) {
		return "", false
	}
	rest := line[len(status):]
	if rest == "" {
		return "", true
	}
	if rest[0] != ' ' {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// respCode returns the response code in brackets that opens a reply's
// text ("[IN-USE] locked" → "IN-USE"), upper-cased, or "".
func respCode(text string) string {
	if !strings.HasPrefix(text, "[") {
		return ""
	}
	code, _, ok := strings.Cut(text[1:], "]")
	if !ok {
		return ""
	}
	code, _, _ = strings.Cut(code, " ")
	return strings.ToUpper(code)
}

// replyRespCode is the response code of a whole refusal line, after the
// status ("-ERR [AUTH] …") or the tag and status ("A2 NO [ALERT] …").
func replyRespCode(line string) string {
	rest := line
	for range 2 {
		if strings.HasPrefix(rest, "[") {
			break
		}
		_, rest, _ = strings.Cut(rest, " ")
	}
	return respCode(rest)
}

// busyCodes are the response codes that mean "temporarily unavailable":
// POP3 (RFC 2449, 3206) and IMAP (RFC 5530).
var busyCodes = map[string]bool{"IN-USE": true, "SYS/TEMP": true, "UNAVAILABLE": true, "INUSE": true}

// mailRefusal is the error for a negative reply (POP3 -ERR, IMAP NO/BAD/BYE)
// whose text follows the status; its response code decides whether the
// server is busy.
func mailRefusal(status, line, text string, auth bool) *ReplyError {
	return &ReplyError{Status: status, Line: line, Auth: auth, Busy: busyCodes[respCode(text)]}
}

// hasCap reports whether a capability list names a capability (the first
// word of an entry, any case).
func hasCap(caps []string, name string) bool {
	for _, c := range caps {
		if w, _, _ := strings.Cut(c, " "); strings.EqualFold(w, name) {
			return true
		}
	}
	return false
}

// hasMech reports whether mech is among the SASL mechanisms offered.
func hasMech(f *ServerFacts, mech string) bool {
	for _, m := range f.AuthMechs {
		if strings.EqualFold(m, mech) {
			return true
		}
	}
	return false
}

// saslPlain is the SASL PLAIN response (RFC 4616) in base64.
func saslPlain(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}

// safeCredentials refuses credentials that would break a command line.
func safeCredentials(user, pass string) error {
	if strings.ContainsAny(user+pass, "\r\n\x00") {
		return ErrUnsafeCredentials
	}
	return nil
}

// notGreeting wraps a line that is not the service's greeting.
func notGreeting(line string) error { return fmt.Errorf("%w: %s", ErrNotGreeting, printable(line)) }

// mailDialect is what POP3 and IMAP say differently; runMail holds the
// conversation both share. Each method arms the connection for its steps.
type mailDialect interface {
	// greet reads the greeting and returns its text; preauth is IMAP's
	// PREAUTH (already logged in).
	greet(m *mailConn) (text string, preauth bool, err error)
	// capabilities asks for the capabilities and fills f.
	capabilities(m *mailConn, f *ServerFacts) error
	// startTLS asks for explicit TLS; a refusal is a *ReplyError.
	startTLS(m *mailConn) error
	// login authenticates with what f offers and fills a (Offered,
	// Mechanism, Reply); errMailNoLogin when nothing usable is offered.
	login(m *mailConn, f *ServerFacts, a *AuthFacts, user, pass string) error
	// quit ends the session politely, ignoring the answer.
	quit(m *mailConn)
}

// mailRun is one POP3 or IMAP conversation and the checks it records into.
type mailRun struct {
	s     *Session
	id    CheckID
	d     mailDialect
	m     *mailConn
	rec   *Recorder
	facts *ServerFacts
	// greeted is set once the server greeted: only then is a goodbye due.
	greeted bool
}

// runMail holds a POP3 or IMAP conversation on the session's control
// connection: implicit TLS (tls check), greeting and capabilities (the
// service's check), explicit TLS (tls check), login (auth check), quit.
func runMail(s *Session, id CheckID, d mailDialect) {
	c := s.Control
	if s.Target.Security == SecurityTLS && s.Handshake(c, TLSModeImplicit) != nil {
		s.Skip(id, SkipDependency)
		s.Skip(CheckAuth, SkipDependency)
		return
	}
	r := &mailRun{s: s, id: id, d: d, m: newMailConn(c), rec: s.Begin(id), facts: &ServerFacts{}}
	c.Record(r.rec)
	preauth, err := r.open()
	if err == nil {
		err = r.explicitTLS()
	}
	r.rec.Facts(func(res *Result) { res.Server = r.facts })
	switch {
	case err != nil:
		r.end(err)
		s.Skip(CheckAuth, SkipDependency)
	case s.Target.User == "" || !s.Target.Secret.Given():
		r.end(nil)
		s.Skip(CheckAuth, SkipNoCredentials)
	default:
		s.End(id)
		r.auth(preauth)
	}
}

// end says goodbye when the server greeted and the connection is still in
// order, and ends the service's check.
func (r *mailRun) end(err error) {
	if r.greeted && mailUsable(err) {
		r.d.quit(r.m)
	}
	r.s.End(r.id)
}

// mailUsable reports whether the conversation can go on after err: the
// server answered (a refusal), or the client stopped by itself.
func mailUsable(err error) bool {
	var re *ReplyError
	if errors.As(err, &re) {
		return re.Status != "BYE"
	}
	return err == nil || errors.Is(err, errMailNoStartTLS) || errors.Is(err, errMailNoLogin) ||
		errors.Is(err, ErrUnsafeCredentials)
}

// open reads the greeting and the capabilities.
func (r *mailRun) open() (bool, error) {
	r.m.c.Arm()
	text, preauth, err := r.d.greet(r.m)
	if err != nil {
		r.rec.Fail(StageGreeting, err)
		return false, err
	}
	r.facts.Greeting, r.greeted = text, true
	r.s.serverTime(r.facts, text)
	r.rec.Step("greeting", text, nil)
	return preauth, r.capabilities()
}

// capabilities asks for the capabilities (again after TLS) and records them.
func (r *mailRun) capabilities() error {
	r.facts.Capabilities, r.facts.AuthMechs = nil, nil
	if err := r.d.capabilities(r.m, r.facts); err != nil {
		r.rec.Fail(StageHello, err)
		return err
	}
	r.rec.Step("capabilities", strings.Join(r.facts.Capabilities, ", "), nil)
	return nil
}

// explicitTLS upgrades the connection with STLS/STARTTLS when the security
// mode asks for it. Not offered or refused, the tls check fails at stage
// starttls with Offered false, and no password is sent in plain text.
func (r *mailRun) explicitTLS() error {
	if r.s.Target.Security != SecurityStartTLS {
		return nil
	}
	trec := r.s.Begin(CheckTLS)
	r.m.c.Record(trec)
	defer r.m.c.Record(r.rec)
	err := errMailNoStartTLS
	if r.facts.StartTLS {
		err = r.d.startTLS(r.m)
	}
	if err == nil && r.m.tp.R.Buffered() > 0 {
		err = tlsInjection()
	}
	if err != nil {
		var re *ReplyError
		offered := r.facts.StartTLS && !errors.As(err, &re)
		trec.Facts(func(res *Result) { res.TLS = &TLSFacts{Mode: TLSModeExplicit, Offered: offered} })
		trec.Fail(StageStartTLS, err)
		r.s.End(CheckTLS)
		return err
	}
	if err := r.s.Handshake(r.m.c, TLSModeExplicit); err != nil {
		return err
	}
	r.m.c.Record(r.rec)
	return r.capabilities()
}

// auth logs in as the target's user in the auth check, then quits.
func (r *mailRun) auth(preauth bool) {
	s := r.s
	rec := s.Begin(CheckAuth)
	defer s.End(CheckAuth)
	r.m.c.Record(rec)
	user, pass := s.Target.User, s.Target.Secret.Reveal()
	a := &AuthFacts{User: user}
	var err error
	switch {
	case preauth:
		a.Offered, a.Accepted, a.Mechanism = true, true, "PREAUTH"
	default:
		if err = safeCredentials(user, pass); err == nil {
			err = r.d.login(r.m, r.facts, a, user, pass)
		}
	}
	var re *ReplyError
	switch {
	case errors.As(err, &re):
		a.Reply, a.RespCode = re.Line, replyRespCode(re.Line)
		a.Lines = append(a.Lines, re.Line)
	case errors.Is(err, errMailNoLogin):
		a.Offered = len(r.facts.AuthMechs) > 0 // offered, but none this probe speaks
	}
	a.Reply = s.red.line(a.Reply)
	for i, l := range a.Lines {
		a.Lines[i] = s.red.line(l)
	}
	if err != nil {
		rec.Fail(StageAuth, err)
	} else {
		a.Accepted = true
		rec.Step("login", a.Mechanism, nil)
	}
	rec.Facts(func(res *Result) { res.Auth = a })
	if mailUsable(err) {
		r.d.quit(r.m)
	}
}
