package checks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// ErrNotOffered is the cause of a fault when the server does not offer what
// a check needs (STARTTLS, AUTH); the check's facts then say Offered false,
// so the diagnosis can tell "not available here" from "refused".
var ErrNotOffered = errors.New("not offered by the server")

// errNoMechanism is the cause of an auth fault when AUTH is offered but
// with neither PLAIN nor LOGIN.
var errNoMechanism = errors.New("no supported mechanism (PLAIN, LOGIN)")

// RelayTestRecipient is the RCPT TO of the envelope test: an address in a
// reserved domain, so that accepting it means relaying.
const RelayTestRecipient = "relay-test@example.com"

// replayedGreeting is what a go-smtp client reads as its greeting: the
// probe reads the real one itself (to classify it and keep its text), and
// after STARTTLS a fresh client must not wait for another.
const replayedGreeting = "220 replayed\r\n"

// probeSMTP holds the whole SMTP conversation on s.Control: implicit TLS
// first when asked, then the greeting, EHLO (HELO when EHLO is refused),
// STARTTLS and the tls check when asked, AUTH PLAIN or LOGIN as the auth
// check, and an envelope test (MAIL FROM, RCPT TO a foreign address, RSET,
// QUIT) that records whether the server relays. With credentials the login
// comes first and the envelope only after it was accepted, as a mail
// program set to log in does. It never sends DATA, and never sends the
// password in plain text when STARTTLS was asked for and failed.
func probeSMTP(ctx context.Context, s *Session) {
	creds := s.Target.User != "" && s.Target.Secret.Given()
	if !creds {
		s.Skip(CheckAuth, SkipNoCredentials)
	}
	if s.Target.Security == SecurityTLS && s.Handshake(s.Control, TLSModeImplicit) != nil {
		return
	}
	p := &smtpProbe{s: s, c: s.Control, rec: s.Begin(CheckSMTP), facts: &ServerFacts{}}
	defer s.End(CheckSMTP)
	defer p.rec.Facts(func(r *Result) { r.Server = p.facts })
	p.c.Record(p.rec)
	p.run(creds)
}

// smtpProbe is one SMTP conversation. The probe itself reads the greeting
// and sends STARTTLS, RSET and QUIT; go-smtp clients say EHLO, AUTH, MAIL
// and RCPT, through smtpWire.
type smtpProbe struct {
	s     *Session
	c     *Conn
	rec   *Recorder // the smtp check's
	facts *ServerFacts
	wire  *smtpWire
	heard replyLog
	cl    *smtp.Client
}

// run plays the conversation after any implicit TLS handshake.
func (p *smtpProbe) run(creds bool) {
	p.wire = newWire(p.c, &p.heard)
	if err := p.greet(); err != nil {
		p.rec.Fail(StageGreeting, err)
		return
	}
	if err := p.hello(); err != nil {
		p.rec.Fail(StageHello, err)
		return
	}
	secure := true
	if p.s.Target.Security == SecurityStartTLS {
		var usable bool
		if secure, usable = p.startTLS(); !usable {
			return
		}
	}
	if creds {
		if !secure {
			p.s.Skip(CheckAuth, SkipDependency)
		} else if goOn, accepted := p.auth(); !goOn {
			return
		} else if !accepted {
			// A mail program set to log in stops at a refused or
			// impossible login: the envelope would only say "log in".
			p.quit()
			return
		}
	}
	p.envelope()
}

// greet reads the banner: 220 goes on, 421 is busy, anything else is not
// an SMTP greeting.
func (p *smtpProbe) greet() error {
	p.c.Arm()
	code, msg, err := p.reply(220)
	if code != 0 {
		p.facts.Greeting = msg
		p.s.serverTime(p.facts, msg)
	}
	var pe textproto.ProtocolError
	if errors.As(err, &pe) {
		err = fmt.Errorf("%w: %w", ErrNotGreeting, err)
	}
	if err != nil {
		return err
	}
	p.rec.Step("greeting", firstLine(msg), nil)
	p.client()
	return nil
}

// reply reads one reply the probe handles itself (the greeting, the answer
// to STARTTLS). Reading line by line through the wire, it leaves nothing
// buffered for the go-smtp client that follows.
func (p *smtpProbe) reply(expect int) (int, string, error) {
	return textproto.NewReader(bufio.NewReader(p.wire)).ReadResponse(expect)
}

// command sends a command the probe handles itself (STARTTLS, RSET, QUIT:
// go-smtp would say EHLO again before them) and reads its reply.
func (p *smtpProbe) command(cmd string, expect int) error {
	p.c.Arm()
	p.heard.Reset()
	if _, err := io.WriteString(p.c, cmd+"\r\n"); err != nil {
		return err
	}
	_, _, err := p.reply(expect)
	return err
}

// client starts a go-smtp client on the wire as it is now (plain or TLS),
// past the greeting.
func (p *smtpProbe) client() {
	p.wire.pending = []byte(replayedGreeting)
	p.cl = smtp.NewClient(p.wire)
}

// hello sends EHLO (go-smtp falls back to HELO on 500/502) and records the
// server's extensions.
func (p *smtpProbe) hello() error {
	p.c.Arm()
	p.heard.Reset()
	if err := p.cl.Hello(p.localName()); err != nil {
		return err
	}
	replies := p.heard.replies()
	var keywords []string
	for _, l := range extensionLines(replies) {
		if f := strings.Fields(l[min(4, len(l)):]); len(f) > 0 {
			keywords = append(keywords, strings.ToUpper(f[0]))
		}
	}
	p.facts.Capabilities = keywords
	starttls, _ := p.cl.Extension("STARTTLS")
	p.facts.StartTLS = p.facts.StartTLS || starttls
	_, mechs := p.cl.Extension("AUTH")
	p.facts.AuthMechs = strings.Fields(strings.ToUpper(mechs))
	if size, ok := p.cl.MaxMessageSize(); ok {
		p.facts.SizeLimit = int64(size)
	}
	verb := "EHLO"
	if len(replies) > 1 {
		verb = "HELO"
	}
	p.rec.Step(verb, strings.Join(keywords, " "), nil)
	return nil
}

// startTLS sends STARTTLS, runs the tls check's handshake on the
// connection in place (the transcript stays readable) and says EHLO again.
// secured is true once TLS is up; usable says whether the conversation can
// go on (in plain text after a refusal).
func (p *smtpProbe) startTLS() (secured, usable bool) {
	if !p.facts.StartTLS {
		p.failTLS(false, fmt.Errorf("STARTTLS: %w", ErrNotOffered))
		return false, true
	}
	if err := p.command("STARTTLS", 220); err != nil {
		p.failTLS(true, err)
		return false, replied(err)
	}
	if p.wire.br.Buffered() > 0 {
		p.failTLS(true, tlsInjection())
		return false, false
	}
	p.rec.Step("STARTTLS", p.heard.last(), nil)
	if p.s.Handshake(p.c, TLSModeExplicit) != nil {
		return false, false
	}
	// Bytes buffered before the handshake are dropped (RFC 3207: nothing
	// sent in plain text may be taken as part of the TLS session).
	p.wire = newWire(p.c, &p.heard)
	p.client()
	if err := p.hello(); err != nil {
		p.rec.Fail(StageHello, err)
		return true, false
	}
	return true, true
}

// failTLS fails the tls check at stage starttls: STARTTLS not offered, or
// refused.
func (p *smtpProbe) failTLS(offered bool, err error) {
	rec := p.s.Begin(CheckTLS)
	defer p.s.End(CheckTLS)
	rec.Facts(func(r *Result) { r.TLS = &TLSFacts{Mode: TLSModeExplicit, Offered: offered} })
	rec.Fail(StageStartTLS, err)
}

// auth logs in as the auth check with PLAIN or LOGIN, the client's lines
// hidden from the transcript. It reports whether the conversation can go
// on and whether the login was accepted.
func (p *smtpProbe) auth() (goOn, accepted bool) {
	rec := p.s.Begin(CheckAuth)
	defer p.s.End(CheckAuth)
	t := p.s.Target
	facts := &AuthFacts{User: t.User, Offered: len(p.facts.AuthMechs) > 0}
	defer rec.Facts(func(r *Result) { r.Auth = facts })
	var mech sasl.Client
	switch {
	case !facts.Offered:
		rec.Fail(StageAuth, fmt.Errorf("AUTH: %w", ErrNotOffered))
		return true, false
	case contains(p.facts.AuthMechs, sasl.Plain):
		facts.Mechanism, mech = sasl.Plain, sasl.NewPlainClient("", t.User, t.Secret.Reveal())
	case contains(p.facts.AuthMechs, sasl.Login):
		facts.Mechanism, mech = sasl.Login, sasl.NewLoginClient(t.User, t.Secret.Reveal())
	default:
		rec.Fail(StageAuth, fmt.Errorf("AUTH %s: %w", strings.Join(p.facts.AuthMechs, " "), errNoMechanism))
		return true, false
	}
	p.c.Record(rec)
	p.c.Hide(true)
	p.c.Arm()
	p.heard.Reset()
	err := p.cl.Auth(mech)
	p.c.Hide(false)
	p.c.Record(p.rec)
	if err != nil {
		// The refusal, not the reply to the "*" go-smtp sends to abort.
		f := rec.Fail(StageAuth, err)
		facts.Code, facts.Reply = f.Code, p.s.red.line(p.heard.line(f.Code))
		for _, l := range p.heard.reply(f.Code) {
			facts.Lines = append(facts.Lines, p.s.red.line(l))
		}
		facts.Enhanced = enhancedCode(facts.Reply)
		return replied(err), false
	}
	facts.Accepted, facts.Code, facts.Reply = true, 235, p.heard.line(235)
	rec.Step("AUTH "+facts.Mechanism, facts.Reply, nil)
	return true, true
}

// envelope tests relaying with MAIL FROM and RCPT TO a foreign address,
// then RSET and QUIT. A refused envelope is a fact (a warning), not a
// failure; DATA is never sent.
func (p *smtpProbe) envelope() {
	from := p.sender()
	p.c.Arm()
	p.heard.Reset()
	cmd, err := "MAIL FROM", p.cl.Mail(from, nil)
	if err == nil {
		p.rec.Step(cmd, from, nil)
		p.c.Arm()
		p.heard.Reset()
		cmd, err = "RCPT TO", p.cl.Rcpt(RelayTestRecipient, nil)
	}
	if err != nil && !replied(err) {
		p.rec.Fail(StageCommand, err)
		return
	}
	p.relay(cmd, err)
	if err := p.command("RSET", 250); err != nil {
		if !replied(err) {
			p.rec.Fail(StageCommand, err)
			return
		}
		p.rec.Step("RSET", p.heard.last(), err)
	}
	p.quit()
}

// quit ends the conversation with QUIT.
func (p *smtpProbe) quit() {
	if err := p.command("QUIT", 221); err != nil {
		p.rec.Fail(StageQuit, err)
		return
	}
	p.rec.Step("QUIT", p.heard.last(), nil)
}

// relay records the envelope test's outcome from the reply to cmd (MAIL
// FROM or RCPT TO).
func (p *smtpProbe) relay(cmd string, err error) {
	p.facts.RelayCode, p.facts.RelayReply = p.heard.code(), p.heard.last()
	var se *smtp.SMTPError
	switch {
	case err == nil:
		p.facts.Relay = RelayAccepted
	case errors.As(err, &se) && (se.Code == 530 || se.EnhancedCode == smtp.EnhancedCode{5, 7, 0}):
		p.facts.Relay = RelayAuthRequired
	case cmd == "RCPT TO" && p.facts.RelayCode >= 500:
		p.facts.Relay = RelayDenied
	}
	p.rec.Step(cmd, p.facts.RelayReply, err)
	if err == nil {
		return
	}
	warn := "relay-deferred" // a temporary (4xx) refusal
	switch {
	case p.facts.Relay != "":
		warn = "relay-" + p.facts.Relay
	case p.facts.RelayCode >= 500:
		warn = "relay-sender-refused" // MAIL FROM refused: no verdict on relaying
	}
	p.rec.Warn(warn)
}

// sender is the envelope's MAIL FROM: the user when it is an address, else
// postmaster at the server's name (as typed, or as its greeting gives it
// when an IP address was typed: many servers refuse address literals in
// MAIL FROM), else at example.com.
func (p *smtpProbe) sender() string {
	u := p.s.Target.User
	if a, err := mail.ParseAddress(u); err == nil && a.Address == u {
		return u
	}
	host := p.s.Target.Host
	if _, err := netip.ParseAddr(host); err == nil {
		host = "example.com"
		if name, _, _ := strings.Cut(p.facts.Greeting, " "); strings.Contains(name, ".") {
			if _, err := netip.ParseAddr(name); err != nil {
				host = name
			}
		}
	}
	return "postmaster@" + strings.TrimSuffix(host, ".")
}

// localName is the EHLO argument: the address literal of our end, as RFC
// 5321 asks of a client without a meaningful host name.
func (p *smtpProbe) localName() string {
	if a, ok := p.c.LocalAddr().(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(a.IP); ok {
			return addressLiteral(ip.Unmap())
		}
	}
	return "localhost"
}

// addressLiteral is an IP in SMTP form: [192.0.2.1], [IPv6:2001:db8::1].
func addressLiteral(ip netip.Addr) string {
	if ip.Is6() {
		return "[IPv6:" + ip.String() + "]"
	}
	return "[" + ip.String() + "]"
}

// extensionLines are the lines of the last (EHLO) reply after its first.
func extensionLines(replies [][]string) []string {
	if len(replies) == 0 {
		return nil
	}
	return replies[len(replies)-1][1:]
}

// replied reports whether err is a server reply, so the conversation is
// still in step and may go on.
func replied(err error) bool {
	var se *smtp.SMTPError
	var te *textproto.Error
	return errors.As(err, &se) || errors.As(err, &te)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// smtpWire is the connection a go-smtp client talks through: s.Control
// itself (deadlines, transcript, line cap, cancellation), read whole lines
// at a time with the replayed greeting in front. Whole lines matter:
// net/textproto takes a partial line followed by an error (a reset or a
// timeout in mid-line) for a complete line, and the error is lost.
type smtpWire struct {
	*Conn
	br      *bufio.Reader
	pending []byte
}

// newWire reads c, keeping what the server says in heard.
func newWire(c *Conn, heard *replyLog) *smtpWire {
	return &smtpWire{Conn: c, br: bufio.NewReader(io.TeeReader(c, heard))}
}

// Read returns the rest of the current line, or the next complete line, or
// the error that came before its end (Conn caps a line at MaxLine).
func (w *smtpWire) Read(b []byte) (int, error) {
	if len(w.pending) == 0 {
		line, err := w.br.ReadBytes('\n')
		if err != nil {
			return 0, err
		}
		w.pending = line
	}
	n := copy(b, w.pending)
	w.pending = w.pending[n:]
	return n, nil
}

// replyLog keeps the server's bytes since the last Reset, bounded, for the
// facts go-smtp has no accessor for (EHLO keywords, the reply lines).
type replyLog struct{ buf bytes.Buffer }

const maxReplyLog = 64 << 10

func (l *replyLog) Write(b []byte) (int, error) {
	if room := maxReplyLog - l.buf.Len(); room > 0 {
		l.buf.Write(b[:min(len(b), room)])
	}
	return len(b), nil
}

// Reset forgets what was heard.
func (l *replyLog) Reset() { l.buf.Reset() }

// replies groups the complete lines heard into replies (a reply ends with
// a line whose fourth byte is not '-').
func (l *replyLog) replies() [][]string {
	var out [][]string
	var cur []string
	for _, line := range strings.SplitAfter(l.buf.String(), "\n") {
		if !strings.HasSuffix(line, "\n") {
			break
		}
		line = printable(strings.TrimRight(line, "\r\n"))
		cur = append(cur, line)
		if len(line) < 4 || line[3] != '-' {
			out = append(out, cur)
			cur = nil
		}
	}
	return out
}

// last is the final line of the last complete reply heard.
func (l *replyLog) last() string {
	rs := l.replies()
	if len(rs) == 0 {
		return ""
	}
	r := rs[len(rs)-1]
	return r[len(r)-1]
}

// line is the final line of the last reply heard with this code.
func (l *replyLog) line(code int) string {
	if r := l.reply(code); len(r) > 0 {
		return r[len(r)-1]
	}
	return ""
}

// reply is every line of the last reply heard with this code (a
// multi-line reply such as Gmail's "534-5.7.9 …" / "534 5.7.9 …").
func (l *replyLog) reply(code int) []string {
	rs := l.replies()
	for i := len(rs) - 1; i >= 0 && code != 0; i-- {
		if replyCode(rs[i][len(rs[i])-1]) == code {
			return rs[i]
		}
	}
	return nil
}

// code is the reply code of the last reply heard, 0 if none.
func (l *replyLog) code() int { return replyCode(l.last()) }

// enhancedCode is the RFC 3463 enhanced status code after a reply line's
// code ("535 5.7.139 Authentication unsuccessful" → "5.7.139"), or "".
func enhancedCode(line string) string {
	if replyCode(line) == 0 || len(line) < 5 {
		return ""
	}
	word, _, _ := strings.Cut(line[4:], " ")
	parts := strings.Split(word, ".")
	if len(parts) != 3 || (parts[0] != "2" && parts[0] != "4" && parts[0] != "5") {
		return ""
	}
	for _, p := range parts[1:] {
		if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 999 || len(p) > 3 {
			return ""
		}
	}
	return word
}

// replyCode is a reply line's code, 0 if it has none.
func replyCode(line string) int {
	if len(line) < 3 {
		return 0
	}
	n, err := strconv.Atoi(line[:3])
	if err != nil {
		return 0
	}
	return n
}
