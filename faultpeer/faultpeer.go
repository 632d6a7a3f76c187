// Package faultpeer runs misbehaving servers on loopback: peers that refuse,
// stay silent, reset at a chosen stage, close and then read, answer 421,
// send endless lines, drip one byte a second, send garbage, name a foreign
// PASV address or reset an upload after N bytes, echo the credentials they
// received, refuse to delete an uploaded file; Hostile serves the same
// misbehaviour in the words of each service. The tests of package checks
// use them to produce exact faults, and practice mode starts them so a user
// can see a diagnosis without a broken server of their own. It is a package
// of its own so that both share the very same peers.
package faultpeer

import (
	"bufio"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Handler serves one accepted connection; it returns when done with it.
// The peer closes the connection after the handler returns, unless the
// handler already closed or reset it.
type Handler func(c net.Conn)

// Peer is a listener on 127.0.0.1 serving every connection with a Handler.
type Peer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	done  chan struct{}
}

// Listen starts a peer on 127.0.0.1 with a free port.
func Listen(h Handler) (*Peer, error) { return ListenAt("127.0.0.1:0", h) }

// ListenAt starts a peer on a given address.
func ListenAt(addr string, h Handler) (*Peer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return Serve(ln, h), nil
}

// Serve runs a peer on an existing listener (e.g. a TLS listener).
func Serve(ln net.Listener, h Handler) *Peer {
	p := &Peer{ln: ln, conns: map[net.Conn]struct{}{}, done: make(chan struct{})}
	p.wg.Add(1)
	go p.accept(h)
	return p
}

func (p *Peer) accept(h Handler) {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer func() {
				c.Close()
				p.mu.Lock()
				delete(p.conns, c)
				p.mu.Unlock()
			}()
			h(c)
		}()
	}
}

// Addr is the peer's "127.0.0.1:port".
func (p *Peer) Addr() string { return p.ln.Addr().String() }

// Port is the peer's TCP port.
func (p *Peer) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// Done is closed when the peer is closed; handlers that wait (silence)
// return on it.
func (p *Peer) Done() <-chan struct{} { return p.done }

// Close stops accepting, closes every open connection and waits for all
// handlers to return.
func (p *Peer) Close() error {
	p.mu.Lock()
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	err := p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

// RefusingAddr returns a loopback address where nothing listens, so a
// connect is refused: it binds a free port and releases it at once.
func RefusingAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// RefusingPort is the port of RefusingAddr on 127.0.0.1.
func RefusingPort() (int, error) {
	addr, err := RefusingAddr()
	if err != nil {
		return 0, err
	}
	_, port, err := HostPort(addr)
	return port, err
}

// Reset aborts a connection with a TCP RST (SO_LINGER 0, then close):
// the client sees ECONNRESET, WinSock 10054.
func Reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// Silence holds a connection open without a word until the client closes
// it or the peer is closed.
func Silence(c net.Conn, done <-chan struct{}) {
	closed := make(chan struct{})
	go func() {
		buf := make([]byte, 512)
		for {
			if _, err := c.Read(buf); err != nil {
				close(closed)
				return
			}
		}
	}()
	select {
	case <-closed:
	case <-done:
		c.Close()
		<-closed
	}
}

// Drip writes s one byte per interval until done, the client goes away or s ends.
func Drip(c net.Conn, s string, interval time.Duration, done <-chan struct{}) {
	for i := 0; i < len(s); i++ {
		if _, err := c.Write([]byte{s[i]}); err != nil {
			return
		}
		select {
		case <-time.After(interval):
		case <-done:
			return
		}
	}
}

// Endless writes a line that never ends until the client stops reading.
func Endless(c net.Conn, prefix string) {
	chunk := []byte(strings.Repeat("A", 8192))
	if _, err := c.Write([]byte(prefix)); err != nil {
		return
	}
	for {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

// Lines reads the client's command lines and answers each through reply,
// which returns what to send ("" sends nothing) and whether to go on.
// It returns when reply says stop or the client goes away.
func Lines(c net.Conn, reply func(cmd string) (string, bool)) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		out, more := reply(strings.TrimRight(line, "\r\n"))
		if out != "" {
			if _, err := c.Write([]byte(out)); err != nil {
				return
			}
		}
		if !more {
			return
		}
	}
}

// Verb is the upper-cased first word of a command line.
func Verb(cmd string) string {
	v, _, _ := strings.Cut(cmd, " ")
	return strings.ToUpper(v)
}

// HostPort splits "127.0.0.1:port" into its parts.
func HostPort(addr string) (string, int, error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, errors.New("bad port in " + addr)
	}
	return h, n, nil
}
