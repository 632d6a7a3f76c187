package faultpeer

// The FTP peer's data connections: passive and active set-up, the
// foreign-address tripwire, listings and uploads with their fault knobs.

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// passive opens a passive port (or pretends to) and announces it.
func (s *ftpSession) passive(verb string) bool {
	o := s.o
	if o.PassiveRefused || (o.EPSVRefused && verb == "EPSV") {
		return s.reply("502 Command not implemented.")
	}
	s.closeData()
	var port int
	switch {
	case o.PASVPort != 0:
		port = o.PASVPort
	case o.Passive == PassiveRefuse:
		addr, err := RefusingAddr()
		if err != nil {
			return s.reply("425 Cannot open passive port.")
		}
		_, port, _ = HostPort(addr)
	default:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return s.reply("425 Cannot open passive port.")
		}
		port = ln.Addr().(*net.TCPAddr).Port
		s.mu.Lock()
		s.pasv = ln
		s.mu.Unlock()
	}
	if verb == "EPSV" {
		return s.reply("229 Entering Extended Passive Mode (|||%d|)", port)
	}
	ip := net.IPv4(127, 0, 0, 1)
	if f := net.ParseIP(o.ForeignPASV).To4(); f != nil {
		ip = f
		if f.IsLoopback() {
			s.tripwire(net.JoinHostPort(f.String(), strconv.Itoa(port)))
		}
	}
	ip4 := ip.To4()
	return s.reply("227 Entering Passive Mode (%d,%d,%d,%d,%d,%d).", ip4[0], ip4[1], ip4[2], ip4[3], port>>8, port&0xff)
}

// tripwire listens on the foreign address and counts every connection.
func (s *ftpSession) tripwire(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.trip = ln
	s.mu.Unlock()
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.st.foreign.Add(1)
			c.Close()
		}
	})
}

// port records the client's active-mode address.
func (s *ftpSession) port(verb, arg string) bool {
	if s.o.PortRefused {
		return s.reply("500 Illegal %s command.", verb)
	}
	var addr string
	if verb == "PORT" {
		var n [6]int
		if _, err := fmt.Sscanf(arg, "%d,%d,%d,%d,%d,%d", &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]); err != nil {
			return s.reply("501 Illegal PORT command.")
		}
		addr = net.JoinHostPort(fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3]), strconv.Itoa(n[4]<<8|n[5]))
	} else {
		parts := strings.Split(arg, arg[:min(1, len(arg))])
		if len(parts) != 5 {
			return s.reply("501 Illegal EPRT command.")
		}
		addr = net.JoinHostPort(parts[2], parts[3])
	}
	s.closeData()
	s.mu.Lock()
	s.active = addr
	s.mu.Unlock()
	return s.reply("200 %s command successful.", verb)
}

// openData accepts the passive connection or connects back to the client.
// silent reports a passive port that accepted but will not go on.
func (s *ftpSession) openData() (c net.Conn, silent bool, err error) {
	s.mu.Lock()
	ln, active := s.pasv, s.active
	s.pasv, s.active = nil, ""
	s.mu.Unlock()
	switch {
	case ln != nil:
		defer ln.Close()
		_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(10 * time.Second))
		c, err = ln.Accept()
		silent = s.o.Passive == PassiveSilent
	case active != "" && !s.o.ActiveFail:
		c, err = net.DialTimeout("tcp", active, 5*time.Second)
	default:
		err = errors.New("no data connection")
	}
	if err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	s.data = c
	s.mu.Unlock()
	return c, silent, nil
}

// transfer opens the data connection, announces it with first, encrypts it
// under PROT P, runs fn over it, closes it and answers last.
func (s *ftpSession) transfer(first, last string, fn func(net.Conn) error) bool {
	raw, silent, err := s.openData()
	if err != nil {
		return s.reply("425 Failed to establish connection.")
	}
	defer s.closeData()
	if silent {
		_, _ = io.Copy(io.Discard, raw) // until the client gives up
		return s.reply("425 Failed to establish connection.")
	}
	if !s.reply("%s", first) {
		return false
	}
	c := raw
	if s.prot {
		tc := tls.Server(raw, s.o.TLS)
		_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
		if tc.Handshake() != nil {
			return s.reply("522 SSL connection failed.")
		}
		_ = tc.SetDeadline(time.Time{})
		s.st.tlsData.Add(1)
		if tc.ConnectionState().DidResume {
			s.st.resumed.Add(1)
		} else if s.o.RequireReuse {
			return s.reply("522 SSL connection failed: session reuse required.")
		}
		c = tc
	}
	if err := fn(c); err != nil {
		if errors.Is(err, errReset) {
			Reset(raw)
		}
		return s.reply("426 Failure reading network stream.")
	}
	c.Close()
	return s.reply("%s", last)
}

// errReset asks transfer to reset the data connection.
var errReset = errors.New("reset by the fault script")

func (s *ftpSession) sendList(c net.Conn) error {
	var b strings.Builder
	b.WriteString("drwxr-xr-x 2 ftp ftp 4096 Jan 01 00:00 pub\r\n")
	for _, n := range s.st.Files() {
		sz, _ := s.st.size(n)
		fmt.Fprintf(&b, "-rw-r--r-- 1 ftp ftp %d Jan 01 00:00 %s\r\n", sz, n)
	}
	_, err := io.WriteString(c, b.String())
	return err
}

// store receives a file, honouring the reset and stall knobs.
func (s *ftpSession) store(name string) bool {
	s.st.create(name)
	return s.transfer("150 Ok to send data.", "226 Transfer complete.", func(c net.Conn) error {
		buf := make([]byte, 256<<10)
		var got int64
		for {
			p := buf
			for _, limit := range []int64{s.o.ResetAfter, s.o.StallAfter} {
				if limit > 0 && limit-got < int64(len(p)) {
					p = p[:max(limit-got, 0)]
				}
			}
			if len(p) == 0 {
				if s.o.ResetAfter > 0 && got >= s.o.ResetAfter {
					return errReset
				}
				<-s.done // stalled: read nothing more until the peer closes
				return io.ErrClosedPipe
			}
			n, err := c.Read(p)
			got += int64(n)
			s.st.appendTo(name, p[:n], !s.o.Discard)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
}
