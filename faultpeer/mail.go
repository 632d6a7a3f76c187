package faultpeer

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"net"
	"strings"
	"time"
)

// MailFault selects how a scripted POP3 or IMAP peer misbehaves.
type MailFault int

// Faults of the scripted mail peers.
const (
	MailHealthy            MailFault = iota // answers like a working server
	MailBadPassword                         // refuses every login
	MailBusy                                // greets with a busy refusal and closes: POP3 "-ERR [SYS/TEMP]", IMAP "* BYE"
	MailResetGreeting                       // resets (RST) instead of greeting
	MailResetAfterCapa                      // answers CAPA/CAPABILITY, then resets at the next command
	MailResetLogin                          // resets when the password is sent
	MailSilence                             // accepts and never says a word
	MailGarbage                             // greets with another protocol's banner
	MailNoStartTLS                          // never offers STLS/STARTTLS and refuses it
	MailCloseAfterGreeting                  // greets, then closes (FIN)
	MailEchoLogin                           // refuses every login quoting the command (and SASL blob) it received
)

var mailFaultNames = [...]string{"healthy", "bad-password", "busy", "reset-greeting", "reset-after-capa",
	"reset-login", "silence", "garbage", "no-starttls", "close-after-greeting", "echo-login"}

// String names the fault ("healthy", "bad-password", "busy", ...).
func (f MailFault) String() string {
	if f < 0 || int(f) >= len(mailFaultNames) {
		return "unknown"
	}
	return mailFaultNames[f]
}

// The one account the scripted mail peers accept.
const (
	MailUser     = "alice@example.test"
	MailPassword = "Pa55-w0rd-secret"
)

// MailOptions shape a scripted mail peer.
type MailOptions struct {
	Fault MailFault
	// TLS lets the peer offer STLS/STARTTLS with this configuration (unless
	// Fault is MailNoStartTLS); with Implicit it speaks TLS from the first byte.
	TLS      *tls.Config
	Implicit bool
	// LoginDisabled offers no login before TLS, like Dovecot's default:
	// POP3 lists neither USER nor SASL, IMAP lists LOGINDISABLED and no AUTH=.
	LoginDisabled bool
	// OAuthOnly offers only OAuth2 logins (IMAP: AUTH=XOAUTH2
	// AUTH=OAUTHBEARER and LOGINDISABLED; POP3: SASL XOAUTH2 OAUTHBEARER).
	OAuthOnly bool
	// Greeting, when set, replaces the greeting line (without CRLF).
	Greeting string
	// LoginReply, when set, is the answer to every password login, after
	// the tag for IMAP: a provider's refusal verbatim, e.g. `NO [ALERT]
	// Application-specific password required: … (Failure)`.
	LoginReply string
}

// POP3 starts a scripted POP3 peer (greeting, CAPA, STLS, USER/PASS, AUTH
// PLAIN, QUIT) that accepts MailUser/MailPassword and misbehaves as
// o.Fault says.
func POP3(o MailOptions) (*Peer, error) {
	return serveMail(o, "+OK POP3 faultpeer ready\r\n",
		"-ERR [SYS/TEMP] Too many connections, try again later\r\n", pop3Answer)
}

// IMAP starts a scripted IMAP peer (greeting, CAPABILITY, STARTTLS, LOGIN,
// AUTHENTICATE PLAIN, LOGOUT) that accepts MailUser/MailPassword and
// misbehaves as o.Fault says. Its CAPABILITY answer carries an unsolicited
// line with a literal, as real servers may send.
func IMAP(o MailOptions) (*Peer, error) {
	return serveMail(o, "* OK IMAP4rev1 faultpeer ready\r\n",
		"* BYE Too many connections, try again later\r\n", imapAnswer)
}

// mailNext is what a scripted peer does after answering a command.
type mailNext int

const (
	mailGoOn  mailNext = iota
	mailStop           // close (FIN)
	mailTLS            // start the TLS handshake
	mailReset          // reset (RST)
)

// mailDialog is one connection of a scripted mail peer.
type mailDialog struct {
	o         MailOptions
	raw       net.Conn // TCP, for Reset
	c         net.Conn // raw, or TLS over it
	r         *bufio.Reader
	secure    bool
	resetNext bool
	user      string
	sasl      string // the last SASL PLAIN response received
}

func (d *mailDialog) send(s string) bool {
	_, err := d.c.Write([]byte(s))
	return err == nil
}

func (d *mailDialog) readLine() (string, bool) {
	line, err := d.r.ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err == nil
}

// upgrade runs the server side of a TLS handshake.
func (d *mailDialog) upgrade() bool {
	tc := tls.Server(d.raw, d.o.TLS)
	if tc.Handshake() != nil {
		return false
	}
	d.c, d.r, d.secure = tc, bufio.NewReader(tc), true
	return true
}

func (d *mailDialog) offersTLS() bool {
	return d.o.TLS != nil && !d.secure && d.o.Fault != MailNoStartTLS
}

func (d *mailDialog) loginAllowed() bool { return !d.o.OAuthOnly && (d.secure || !d.o.LoginDisabled) }

func (d *mailDialog) accepts(user, pass string) bool {
	return d.o.Fault != MailBadPassword && d.o.Fault != MailEchoLogin && user == MailUser && pass == MailPassword
}

// refusal is the reply to a failed login: the protocol's own words, or
// for MailEchoLogin the command and SASL response as received.
func (d *mailDialog) refusal(plain, line string) string {
	if d.o.Fault != MailEchoLogin {
		return plain
	}
	status := "-ERR" // POP3; IMAP keeps its tag and NO
	if !strings.HasPrefix(plain, status) {
		status = strings.Join(strings.Fields(plain)[:2], " ")
	}
	echo := line
	if d.sasl != "" {
		echo += " " + d.sasl
	}
	return status + " [AUTH] Login incorrect for " + echo + "\r\n"
}

// saslPlain reads a SASL PLAIN response (the initial one, or after a "+"
// prompt) and reports whether it names the accepted account.
func (d *mailDialog) saslPlain(initial string) bool {
	if initial == "" {
		if !d.send("+ \r\n") {
			return false
		}
		initial, _ = d.readLine()
	}
	d.sasl = initial
	raw, err := base64.StdEncoding.DecodeString(initial)
	parts := bytes.Split(raw, []byte{0})
	return err == nil && len(parts) == 3 && d.accepts(string(parts[1]), string(parts[2]))
}

// serveMail runs the conversation both mail peers share; answer says what
// the protocol replies to each command.
func serveMail(o MailOptions, greeting, busy string, answer func(*mailDialog, string) (string, mailNext)) (*Peer, error) {
	started := make(chan struct{})
	var p *Peer
	p, err := Listen(func(c net.Conn) {
		<-started
		d := &mailDialog{o: o, raw: c, c: c, r: bufio.NewReader(c)}
		if o.Implicit && o.TLS != nil && !d.upgrade() {
			return
		}
		switch o.Fault {
		case MailSilence:
			Silence(d.c, p.Done())
			return
		case MailResetGreeting:
			// A moment first, so the client's connect completes: an
			// immediate RST would fail the connect itself.
			select {
			case <-time.After(100 * time.Millisecond):
			case <-p.Done():
			}
			Reset(c)
			return
		case MailGarbage:
			d.send("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
			Silence(d.c, p.Done())
			return
		case MailBusy:
			d.send(busy)
			return
		}
		if o.Greeting != "" {
			greeting = o.Greeting + "\r\n"
		}
		if !d.send(greeting) {
			return
		}
		if o.Fault == MailCloseAfterGreeting {
			if cw, ok := d.c.(interface{ CloseWrite() error }); ok {
				_ = cw.CloseWrite()
			}
			Silence(d.c, p.Done())
			return
		}
		for {
			line, ok := d.readLine()
			if !ok {
				return
			}
			if d.resetNext {
				Reset(c)
				return
			}
			reply, next := answer(d, line)
			if reply != "" && !d.send(reply) {
				return
			}
			switch next {
			case mailStop:
				return
			case mailReset:
				Reset(c)
				return
			case mailTLS:
				if !d.upgrade() {
					return
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	close(started)
	return p, nil
}

// pop3Answer is the POP3 script.
func pop3Answer(d *mailDialog, line string) (string, mailNext) {
	_, arg, _ := strings.Cut(line, " ")
	switch Verb(line) {
	case "CAPA":
		caps := "+OK Capability list follows\r\nTOP\r\nUIDL\r\n"
		switch {
		case d.o.OAuthOnly:
			caps += "SASL XOAUTH2 OAUTHBEARER\r\n"
		case d.loginAllowed():
			caps += "USER\r\nSASL PLAIN\r\n"
		}
		if d.offersTLS() {
			caps += "STLS\r\n"
		}
		d.resetNext = d.o.Fault == MailResetAfterCapa
		return caps + "IMPLEMENTATION faultpeer\r\n.\r\n", mailGoOn
	case "STLS":
		if !d.offersTLS() {
			return "-ERR STLS not available\r\n", mailGoOn
		}
		return "+OK Begin TLS negotiation\r\n", mailTLS
	case "USER":
		if !d.loginAllowed() {
			return "-ERR [AUTH] Plaintext authentication disallowed\r\n", mailGoOn
		}
		d.user = arg
		return "+OK\r\n", mailGoOn
	case "PASS", "AUTH":
		switch {
		case d.o.Fault == MailResetLogin:
			return "", mailReset
		case !d.loginAllowed():
			return "-ERR [AUTH] Plaintext authentication disallowed\r\n", mailGoOn
		case d.o.LoginReply != "":
			return d.o.LoginReply + "\r\n", mailGoOn
		case Verb(line) == "PASS" && d.accepts(d.user, arg),
			Verb(line) == "AUTH" && strings.EqualFold(Verb(arg), "PLAIN") && d.saslPlain(strings.TrimSpace(arg[5:])):
			return "+OK Logged in.\r\n", mailGoOn
		}
		return d.refusal("-ERR [AUTH] Authentication failed.\r\n", line), mailGoOn
	case "QUIT":
		return "+OK Logging out.\r\n", mailStop
	case "NOOP":
		return "+OK\r\n", mailGoOn
	}
	return "-ERR Unknown command.\r\n", mailGoOn
}

// imapAnswer is the IMAP script.
func imapAnswer(d *mailDialog, line string) (string, mailNext) {
	tag, cmd, _ := strings.Cut(line, " ")
	_, arg, _ := strings.Cut(cmd, " ")
	ok, no := tag+" OK completed\r\n", tag+" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
	switch Verb(cmd) {
	case "CAPABILITY":
		caps := "* CAPABILITY IMAP4rev1 ID"
		if d.offersTLS() {
			caps += " STARTTLS"
		}
		switch {
		case d.o.OAuthOnly:
			caps += " AUTH=XOAUTH2 AUTH=OAUTHBEARER LOGINDISABLED"
		case d.loginAllowed():
			caps += " AUTH=PLAIN"
		default:
			caps += " LOGINDISABLED"
		}
		d.resetNext = d.o.Fault == MailResetAfterCapa
		return "* ID (\"name\" {9}\r\nfaultpeer)\r\n" + caps + "\r\n" + ok, mailGoOn
	case "STARTTLS":
		if !d.offersTLS() {
			return tag + " BAD Unknown command.\r\n", mailGoOn
		}
		return tag + " OK Begin TLS negotiation now.\r\n", mailTLS
	case "LOGIN", "AUTHENTICATE":
		switch {
		case d.o.Fault == MailResetLogin:
			return "", mailReset
		case !d.loginAllowed():
			return tag + " NO [PRIVACYREQUIRED] Plaintext authentication disallowed.\r\n", mailGoOn
		case d.o.LoginReply != "":
			if Verb(cmd) == "AUTHENTICATE" {
				d.saslPlain(strings.TrimSpace(arg[min(5, len(arg)):]))
			}
			return tag + " " + d.o.LoginReply + "\r\n", mailGoOn
		case Verb(cmd) == "LOGIN" && imapLogin(d, arg),
			Verb(cmd) == "AUTHENTICATE" && strings.EqualFold(Verb(arg), "PLAIN") && d.saslPlain(strings.TrimSpace(arg[5:])):
			return ok, mailGoOn
		}
		return d.refusal(no, line), mailGoOn
	case "LOGOUT":
		return "* BYE Logging out\r\n" + ok, mailStop
	case "NOOP":
		return ok, mailGoOn
	}
	return tag + " BAD Unknown command.\r\n", mailGoOn
}

// imapLogin checks LOGIN's two arguments, atoms or quoted strings.
func imapLogin(d *mailDialog, arg string) bool {
	var args []string
	for arg = strings.TrimSpace(arg); arg != "" && len(args) < 3; arg = strings.TrimSpace(arg) {
		if arg[0] != '"' {
			word, rest, _ := strings.Cut(arg, " ")
			args, arg = append(args, word), rest
			continue
		}
		var b strings.Builder
		i := 1
		for ; i < len(arg) && arg[i] != '"'; i++ {
			if arg[i] == '\\' && i+1 < len(arg) {
				i++
			}
			b.WriteByte(arg[i])
		}
		args, arg = append(args, b.String()), arg[min(i+1, len(arg)):]
	}
	return len(args) == 2 && d.accepts(args[0], args[1])
}
