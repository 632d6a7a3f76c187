package faultpeer

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"
)

// Behaviour is how a hostile peer (Hostile) misbehaves, the same way for
// every service: the scripted peers of the hostile test table.
type Behaviour string

// Hostile behaviours.
const (
	HostileSilent      Behaviour = "silent"       // accepts and never speaks
	HostileDrip        Behaviour = "drip"         // the greeting one byte per DripInterval
	HostileEndlessLine Behaviour = "endless-line" // a greeting line that never ends
	// HostileEndlessMulti sends a multi-line reply that never ends: the
	// greeting (SMTP, FTP) or the answer to the first command (POP3 CAPA,
	// IMAP CAPABILITY).
	HostileEndlessMulti Behaviour = "endless-multi"
	// HostileManyLines is the same reply with ManyLines lines and a proper
	// end, then a close (FIN).
	HostileManyLines Behaviour = "many-lines"
	HostileGarbage   Behaviour = "garbage"     // binary bytes instead of a greeting, then silence
	HostileTLSJunk   Behaviour = "tls-garbage" // plain bytes where a TLS handshake is expected (implicit TLS)
	HostileFIN       Behaviour = "fin"         // greets, closes its side (FIN) and keeps reading
	HostileMute      Behaviour = "mute"        // greets, then never answers a command
	// HostileStartTLSJunk offers explicit TLS (STARTTLS, STLS, AUTH TLS),
	// accepts it and then sends plain bytes instead of a handshake.
	HostileStartTLSJunk Behaviour = "starttls-garbage"
	// HostileResetStartTLS offers explicit TLS and resets (RST) the
	// connection when the client asks for it.
	HostileResetStartTLS Behaviour = "reset-starttls"
	HostileResetHalf     Behaviour = "reset-half" // half a greeting line, then RST
)

// DripInterval is the pace of HostileDrip: well below any step timeout,
// so only a bound on the whole step ends it.
const DripInterval = 200 * time.Millisecond

// ManyLines is the length of HostileManyLines' reply.
const ManyLines = 10000

// Services a hostile peer can pretend to be.
const (
	ServiceSMTP = "smtp"
	ServicePOP3 = "pop3"
	ServiceIMAP = "imap"
	ServiceFTP  = "ftp"
)

// dialect is what a hostile peer says in the words of a service.
type dialect struct {
	greeting string // a complete greeting line
	// multiFirst is true when the multi-line reply is the greeting
	// (SMTP, FTP: "220-"), false when it answers the first command.
	multiFirst bool
	line, end  func(tag string) string
	// offer answers the command that asks for the capabilities and
	// upgrade the one that starts TLS; other is the refusal of the rest.
	offer, upgrade map[string]func(tag string) string
	other          func(tag string) string
}

func dialectOf(service string) dialect {
	switch service {
	case ServicePOP3:
		return dialect{greeting: "+OK hostile POP3 ready\r\n",
			line:    func(string) string { return "X-HOSTILE-CAPABILITY\r\n" },
			end:     func(string) string { return ".\r\n" },
			offer:   map[string]func(string) string{"CAPA": func(string) string { return "+OK\r\nUSER\r\nSTLS\r\n.\r\n" }},
			upgrade: map[string]func(string) string{"STLS": func(string) string { return "+OK Begin TLS negotiation\r\n" }},
			other:   func(string) string { return "-ERR no\r\n" }}
	case ServiceIMAP:
		return dialect{greeting: "* OK hostile IMAP ready\r\n",
			line: func(string) string { return "* OK [ALERT] hostile untagged line\r\n" },
			end:  func(tag string) string { return tag + " OK done\r\n" },
			offer: map[string]func(string) string{"CAPABILITY": func(tag string) string {
				return "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n" + tag + " OK done\r\n"
			}},
			upgrade: map[string]func(string) string{"STARTTLS": func(tag string) string { return tag + " OK Begin TLS negotiation now\r\n" }},
			other:   func(tag string) string { return tag + " BAD no\r\n" }}
	}
	d := dialect{greeting: "220 hostile ready\r\n", multiFirst: true,
		line: func(string) string { return "220-hostile continuation line\r\n" },
		end:  func(string) string { return "220 hostile ready\r\n" },
		offer: map[string]func(string) string{"EHLO": func(string) string { return "250-hostile\r\n250 STARTTLS\r\n" },
			"FEAT": func(string) string { return "211-Features:\r\n AUTH TLS\r\n211 End\r\n" }},
		upgrade: map[string]func(string) string{"STARTTLS": func(string) string { return "220 Ready to start TLS\r\n" },
			"AUTH": func(string) string { return "234 Proceed with negotiation.\r\n" }},
		other: func(string) string { return "502 no\r\n" }}
	return d
}

// Hostile starts a peer that misbehaves as b says, speaking service
// (ServiceSMTP, ServicePOP3, ServiceIMAP, ServiceFTP).
func Hostile(b Behaviour, service string) (*Peer, error) {
	d := dialectOf(service)
	var p *Peer
	ready := make(chan struct{})
	p, err := Listen(func(c net.Conn) {
		<-ready
		hostile(c, b, d, p.Done())
	})
	if err != nil {
		return nil, err
	}
	close(ready)
	return p, nil
}

func hostile(c net.Conn, b Behaviour, d dialect, done <-chan struct{}) {
	switch b {
	case HostileSilent:
		Silence(c, done)
	case HostileDrip:
		Drip(c, d.greeting, DripInterval, done)
		Silence(c, done)
	case HostileEndlessLine:
		Endless(c, d.greeting[:4])
	case HostileGarbage, HostileTLSJunk:
		if _, err := io.WriteString(c, junk); err == nil {
			Silence(c, done)
		}
	case HostileMute:
		if _, err := io.WriteString(c, d.greeting); err == nil {
			Silence(c, done)
		}
	case HostileFIN:
		if _, err := io.WriteString(c, d.greeting); err != nil {
			return
		}
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		_, _ = io.Copy(io.Discard, c)
	case HostileResetHalf:
		if _, err := io.WriteString(c, d.greeting[:len(d.greeting)/2]); err == nil {
			time.Sleep(20 * time.Millisecond) // let the partial line arrive first
		}
		Reset(c)
	case HostileEndlessMulti, HostileManyLines:
		multi(c, d, b == HostileManyLines)
	case HostileStartTLSJunk, HostileResetStartTLS:
		startTLSJunk(c, d, b == HostileResetStartTLS, done)
	}
}

// junk is what the garbage peers send: binary bytes and terminal escapes.
const junk = "\x00\xff\xfe garbage \x1b[2J\x07\r\n"

// startTLSJunk answers the capability and TLS commands of the dialect,
// then sends junk where the server's TLS handshake should start, or
// resets the connection at the TLS command when reset is set.
func startTLSJunk(c net.Conn, d dialect, reset bool, done <-chan struct{}) {
	if _, err := io.WriteString(c, d.greeting); err != nil {
		return
	}
	Lines(c, func(cmd string) (string, bool) {
		tag, verb := "", Verb(cmd)
		if !d.multiFirst && d.end("") != ".\r\n" { // IMAP: a tag first
			tag, cmd, _ = strings.Cut(cmd, " ")
			verb = Verb(cmd)
		}
		if up, ok := d.upgrade[verb]; ok {
			if reset {
				Reset(c)
				return "", false
			}
			return up(tag) + junk, false
		}
		if offer, ok := d.offer[verb]; ok {
			return offer(tag), true
		}
		return d.other(tag), true
	})
	Silence(c, done)
}

// multi sends the dialect's multi-line reply, endless or ManyLines long
// and then closed (FIN).
func multi(c net.Conn, d dialect, bounded bool) {
	w := bufio.NewWriterSize(c, 64<<10)
	tag := ""
	if !d.multiFirst {
		if _, err := io.WriteString(c, d.greeting); err != nil {
			return
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return
		}
		tag, _, _ = strings.Cut(line, " ")
		if d.end("") == ".\r\n" {
			if _, err := w.WriteString("+OK capabilities follow\r\n"); err != nil {
				return
			}
		}
	}
	for i := 0; !bounded || i < ManyLines; i++ {
		if _, err := w.WriteString(d.line(tag)); err != nil {
			return
		}
	}
	if _, err := w.WriteString(d.end(tag)); err != nil || w.Flush() != nil {
		return
	}
	// Then close (FIN): the client fails at its next step, never at this reply.
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_, _ = io.Copy(io.Discard, c)
}

// Sink is a listener that accepts connections and counts the bytes it
// receives without ever answering: another local service a client must
// not talk to (a PASV reply naming its port).
type Sink struct {
	*Peer
	n atomic.Int64
}

// NewSink starts a Sink on 127.0.0.1.
func NewSink() (*Sink, error) {
	s := &Sink{}
	p, err := Listen(func(c net.Conn) {
		buf := make([]byte, 512)
		for {
			n, err := c.Read(buf)
			s.n.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	s.Peer = p
	return s, err
}

// Received is how many bytes the sink got so far.
func (s *Sink) Received() int64 { return s.n.Load() }
