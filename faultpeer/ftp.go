package faultpeer

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The account the FTP peer accepts (besides anonymous, when allowed).
const (
	FTPUser     = "tester"
	FTPPassword = "Pa55-w0rd!secret"
)

// PassiveFault is how the FTP peer's passive data port misbehaves.
type PassiveFault string

// Passive data port behaviours.
const (
	PassiveOK     PassiveFault = ""       // accepts and serves
	PassiveRefuse PassiveFault = "refuse" // nothing listens on the announced port (RST, 10061)
	PassiveSilent PassiveFault = "silent" // accepts the connection, then never answers the command
)

// FTPOptions configure the scripted FTP peer and its faults.
type FTPOptions struct {
	// Busy answers 421 instead of the greeting, then closes.
	Busy bool
	// Silent never greets (the client times out at the greeting).
	Silent bool
	// Greeting, when set, is sent instead of the 220 line, then the peer
	// closes: garbage for a protocol fault.
	Greeting string
	// Drip sends the greeting one byte per Drip interval (a tarpit or a
	// server stuck under load), then serves as usual.
	Drip time.Duration
	// Anonymous accepts the users "anonymous" and "ftp" with any password.
	Anonymous bool
	// TLS enables AUTH TLS, PBSZ and PROT; with Implicit, TLS starts at
	// the first byte instead.
	TLS      *tls.Config
	Implicit bool
	// RequireReuse refuses (522) a TLS data connection that does not resume
	// the control connection's session, like vsftpd's require_ssl_reuse.
	RequireReuse bool
	// ForeignPASV is the IP the 227 reply announces instead of the peer's
	// own. A loopback IP (e.g. 127.0.0.2) gets a tripwire listener on the
	// announced address that counts connection attempts.
	ForeignPASV string
	// Passive makes the passive data port refuse or stay silent.
	Passive PassiveFault
	// PassiveRefused answers 502 to PASV and EPSV; PortRefused 500 to PORT
	// and EPRT; ActiveFail 425 to a transfer after PORT/EPRT (the peer
	// "cannot connect back").
	PassiveRefused bool
	PortRefused    bool
	ActiveFail     bool
	// EPSVRefused answers 502 to EPSV only, so that a client falls back
	// to PASV (and its ForeignPASV address).
	EPSVRefused bool
	// ResetAfter resets (RST) a STOR data connection after that many bytes;
	// StallAfter stops reading it after that many bytes, until the peer is
	// closed. 0 turns them off.
	ResetAfter int64
	StallAfter int64
	// PASVPort, when set, is the port every 227/229 reply announces (on the
	// peer's own address) instead of a passive listener of its own: a
	// port where another local service listens.
	PASVPort int
	// SizeAlways answers every SIZE with 213, as if any file existed;
	// SizeUnknown answers it 502, so that a client asks NLST instead.
	SizeAlways, SizeUnknown bool
	// ListDrip sends the LIST listing one byte per ListDrip interval,
	// NLSTDrip the NLST one.
	ListDrip, NLSTDrip time.Duration
	// ListHeld sends the directory listing but keeps its data connection
	// open (no end of the listing) until the client closes it, and then
	// never answers on the control connection again.
	ListHeld bool
	// EndlessAt answers this command verb (e.g. "STOR") with a
	// multi-line reply that never ends.
	EndlessAt string
	// ResetAt resets the control connection when the client sends this
	// command verb (e.g. "PASS", "LIST", "STOR").
	ResetAt string
	// DeleteRefused answers DELE with vsftpd's "550 Delete operation
	// failed." and keeps the file, as a server without delete permission.
	DeleteRefused bool
	// EchoLogin refuses every login with a 530 that quotes the PASS
	// command as received, password included.
	EchoLogin bool
	// StoreRefused answers STOR with "553 Could not create file." and
	// creates nothing.
	StoreRefused bool
	// State holds the stored files and counters; nil gives a private one.
	State *FTPState
	// Discard keeps only the sizes of stored files, not their bytes
	// (benchmarks).
	Discard bool
}

// FTPState is the FTP peer's in-memory file store and what it observed.
// It is safe for concurrent use.
type FTPState struct {
	mu      sync.Mutex
	files   map[string][]byte
	sizes   map[string]int64
	foreign atomic.Int64
	tlsData atomic.Int64
	resumed atomic.Int64
}

// NewFTPState returns an empty store.
func NewFTPState() *FTPState {
	return &FTPState{files: map[string][]byte{}, sizes: map[string]int64{}}
}

// Files lists the stored file names, sorted.
func (s *FTPState) Files() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.sizes))
	for n := range s.sizes {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ForeignAttempts counts connections to a loopback ForeignPASV address.
func (s *FTPState) ForeignAttempts() int { return int(s.foreign.Load()) }

// TLSData reports how many data connections were encrypted and how many
// of those resumed a TLS session.
func (s *FTPState) TLSData() (conns, resumed int) {
	return int(s.tlsData.Load()), int(s.resumed.Load())
}

func (s *FTPState) size(name string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.sizes[name]
	return n, ok
}

func (s *FTPState) create(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name], s.sizes[name] = nil, 0
}

// appendTo adds bytes to a file that still exists (a client may delete it
// while an upload is stalled).
func (s *FTPState) appendTo(name string, p []byte, keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sizes[name]; !ok {
		return
	}
	s.sizes[name] += int64(len(p))
	if keep {
		s.files[name] = append(s.files[name], p...)
	}
}

func (s *FTPState) remove(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.sizes[name]
	delete(s.files, name)
	delete(s.sizes, name)
	return ok
}

func (s *FTPState) content(name string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[name]
}

// FTP starts a scripted FTP server on 127.0.0.1 that speaks USER/PASS,
// SYST, FEAT, PWD, TYPE, EPSV, PASV, EPRT, PORT, LIST, NLST, STOR, SIZE,
// DELE, RETR and QUIT (plus AUTH TLS, PBSZ and PROT with a TLS config),
// keeps its files in memory and misbehaves as the options say.
func FTP(opts FTPOptions) (*Peer, error) {
	if opts.State == nil {
		opts.State = NewFTPState()
	}
	if (opts.Implicit || opts.RequireReuse) && opts.TLS == nil {
		return nil, errors.New("faultpeer: FTP implicit TLS needs a TLS config")
	}
	srv := &ftpServer{o: opts}
	p, err := Listen(srv.handle)
	if err != nil {
		return nil, err
	}
	srv.peer.Store(p)
	return p, nil
}

type ftpServer struct {
	o    FTPOptions
	peer atomic.Pointer[Peer]
}

// ftpSession is one control connection.
type ftpSession struct {
	o      *FTPOptions
	st     *FTPState
	done   <-chan struct{}
	raw    net.Conn
	ctl    net.Conn
	r      *bufio.Reader
	user   string
	logged bool
	tlsOn  bool
	prot   bool

	mu     sync.Mutex
	pasv   net.Listener // the open passive listener, if any
	trip   net.Listener // the tripwire on a loopback foreign address
	data   net.Conn     // the raw data connection in use
	active string       // the PORT/EPRT address
	wg     sync.WaitGroup
}

func (srv *ftpServer) handle(c net.Conn) {
	var done <-chan struct{}
	if p := srv.peer.Load(); p != nil {
		done = p.Done()
	}
	s := &ftpSession{o: &srv.o, st: srv.o.State, done: done, raw: c, ctl: c}
	quit := make(chan struct{})
	s.wg.Go(func() {
		select {
		case <-done:
			s.closeData()
		case <-quit:
		}
	})
	defer func() {
		close(quit)
		s.closeData()
		s.wg.Wait()
	}()
	s.serve()
}

// closeData closes the passive listeners and the data connection.
func (s *ftpSession) closeData() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range []io.Closer{s.pasv, s.trip, s.data} {
		if c != nil {
			c.Close()
		}
	}
	s.pasv, s.trip, s.data = nil, nil, nil
}

func (s *ftpSession) reply(format string, args ...any) bool {
	_, err := fmt.Fprintf(s.ctl, format+"\r\n", args...)
	return err == nil
}

func (s *ftpSession) serve() {
	o := s.o
	if o.Silent {
		Silence(s.raw, s.done)
		return
	}
	if o.Implicit {
		tc := tls.Server(s.raw, o.TLS)
		_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
		if tc.Handshake() != nil {
			return
		}
		_ = tc.SetDeadline(time.Time{})
		s.ctl, s.tlsOn = tc, true
	}
	switch {
	case o.Busy:
		s.reply("421 Too many connections from your IP, try again later.")
		return
	case o.Greeting != "":
		_, _ = io.WriteString(s.ctl, o.Greeting)
		return
	}
	if o.Drip > 0 {
		Drip(s.ctl, "220 faultpeer FTP ready\r\n", o.Drip, s.done)
	} else if !s.reply("220 faultpeer FTP ready") {
		return
	}
	s.r = bufio.NewReader(s.ctl)
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		verb := Verb(cmd)
		_, arg, _ := strings.Cut(cmd, " ")
		if o.ResetAt != "" && strings.EqualFold(o.ResetAt, verb) {
			Reset(s.raw)
			return
		}
		if o.EndlessAt != "" && strings.EqualFold(o.EndlessAt, verb) {
			for s.reply("150-still going") {
			}
			return
		}
		if !s.command(verb, arg) {
			return
		}
	}
}

// needsLogin lists the commands refused before a login.
var needsLogin = map[string]bool{"PWD": true, "TYPE": true, "EPSV": true, "PASV": true, "EPRT": true,
	"PORT": true, "LIST": true, "NLST": true, "STOR": true, "SIZE": true, "DELE": true, "RETR": true}

// command answers one command; false ends the session.
func (s *ftpSession) command(verb, arg string) bool {
	o := s.o
	if needsLogin[verb] && !s.logged {
		return s.reply("530 Please login with USER and PASS.")
	}
	switch verb {
	case "USER":
		s.user, s.logged = arg, false
		return s.reply("331 Please specify the password.")
	case "PASS":
		anon := o.Anonymous && (s.user == "anonymous" || s.user == "ftp")
		if o.EchoLogin {
			return s.reply("530 Login incorrect for USER %s PASS %s", s.user, arg)
		}
		if anon || (s.user == FTPUser && arg == FTPPassword) {
			s.logged = true
			return s.reply("230 Login successful.")
		}
		return s.reply("530 Login incorrect.")
	case "SYST":
		return s.reply("215 UNIX Type: L8")
	case "FEAT":
		feats := " EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n"
		if o.TLS != nil && !o.Implicit {
			feats += " AUTH TLS\r\n PBSZ\r\n PROT\r\n"
		}
		return s.reply("211-Features:\r\n%s211 End", feats)
	case "PWD":
		return s.reply(`257 "/" is the current directory`)
	case "TYPE", "NOOP", "OPTS", "PBSZ":
		return s.reply("200 OK.")
	case "AUTH":
		return s.authTLS()
	case "PROT":
		if !s.tlsOn {
			return s.reply("503 PROT needs AUTH TLS first.")
		}
		s.prot = strings.EqualFold(arg, "P")
		return s.reply("200 PROT now %s.", arg)
	case "PASV", "EPSV":
		return s.passive(verb)
	case "PORT", "EPRT":
		return s.port(verb, arg)
	case "LIST", "NLST":
		return s.transfer("150 Here comes the directory listing.", "226 Directory send OK.", func(c net.Conn) error {
			if drip := map[string]time.Duration{"LIST": o.ListDrip, "NLST": o.NLSTDrip}[verb]; drip > 0 {
				Drip(c, strings.Repeat("-rw-r--r-- 1 ftp ftp 0 Jan 01 00:00 dripped\r\n", 100), drip, s.done)
				return nil
			}
			if err := s.sendList(c); err != nil || !o.ListHeld {
				return err
			}
			_, _ = io.Copy(io.Discard, c) // until the client gives up
			<-s.done                      // and never a word more on the control connection
			return io.ErrClosedPipe
		})
	case "STOR":
		if o.StoreRefused {
			return s.reply("553 Could not create file.")
		}
		return s.store(arg)
	case "RETR":
		data := s.st.content(arg)
		if _, ok := s.st.size(arg); !ok {
			return s.reply("550 Failed to open file.")
		}
		return s.transfer("150 Opening BINARY mode data connection.", "226 Transfer complete.",
			func(c net.Conn) error { _, err := c.Write(data); return err })
	case "SIZE":
		switch {
		case o.SizeAlways:
			return s.reply("213 4096")
		case o.SizeUnknown:
			return s.reply("502 Command not implemented.")
		}
		if n, ok := s.st.size(arg); ok {
			return s.reply("213 %d", n)
		}
		return s.reply("550 Could not get file size.")
	case "DELE":
		if !o.DeleteRefused && s.st.remove(arg) {
			return s.reply("250 Delete operation successful.")
		}
		return s.reply("550 Delete operation failed.")
	case "QUIT":
		s.reply("221 Goodbye.")
		return false
	}
	return s.reply("502 Command not implemented.")
}

func (s *ftpSession) authTLS() bool {
	if s.o.TLS == nil || s.tlsOn {
		return s.reply("502 Command not implemented.")
	}
	if !s.reply("234 Proceed with negotiation.") {
		return false
	}
	tc := tls.Server(s.raw, s.o.TLS)
	_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
	if tc.Handshake() != nil {
		return false
	}
	_ = tc.SetDeadline(time.Time{})
	s.ctl, s.tlsOn, s.r = tc, true, bufio.NewReader(tc)
	return true
}
