//go:build linux

package practice

import (
	"net"
	"os"
	"syscall"

	"assistant/checks"
	"assistant/faultpeer"
)

// startPortBlocked imitates an ISP that blocks port 25: the configured
// port drops connection attempts (a connect times out, WinSock 10060)
// while a submission port with STARTTLS answers beside it. Without a
// firewall of its own, it uses a listener with a backlog of 0 whose one
// queue place is taken: Linux then drops every further SYN.
func startPortBlocked(l *Lab) error {
	ln, err := blackhole()
	if err != nil {
		return err
	}
	l.closers = append(l.closers, ln)
	filler, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	l.closers = append(l.closers, filler)
	cfg, err := l.tls("Practice CA")
	if err != nil {
		return err
	}
	sub, err := l.keep(faultpeer.SMTP(faultpeer.SMTPOptions{TLS: cfg}))
	if err != nil {
		return err
	}
	l.Target = checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	l.Options.Ports = []checks.StandardPort{{Port: sub.Port(), Security: checks.SecurityStartTLS}}
	return nil
}

// blackhole listens on 127.0.0.1 with an accept backlog of 0 and never accepts.
func blackhole() (net.Listener, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "blackhole")
	defer f.Close()
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return nil, err
	}
	if err := syscall.Listen(fd, 0); err != nil {
		return nil, err
	}
	return net.FileListener(f)
}
