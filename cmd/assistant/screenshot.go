package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/wizard"
)

// demo is the hook of scripts/screenshots: it walks the session to a step
// (start, account, checks, result) with demo settings. Its checks only
// reach 127.0.0.1: a refused port for the result page, a silent peer
// watched every 30 s for the checks page.
func demo(s *wizard.Session, step string) {
	if step == "start" {
		return
	}
	s.Choose(checks.SMTP)
	f := s.State().Form
	f.Host, f.Security, f.User, f.Password = "mail.example.com", checks.SecurityStartTLS, "anna@example.com", "secret"
	s.SetForm(f)
	if step == "account" {
		return
	}
	addr, err := faultpeer.RefusingAddr()
	if step == "checks" {
		var p *faultpeer.Peer
		if p, err = faultpeer.Listen(func(c net.Conn) { faultpeer.Silence(c, nil) }); err == nil {
			addr = p.Addr()
		}
		s.SetWatch(true, 30*time.Second)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return
	}
	host, port, _ := net.SplitHostPort(addr)
	f = s.State().Form
	f.Host, f.Port, f.PortSet, f.Security = host, port, true, checks.SecurityNone
	s.SetForm(f)
	s.Start()
}
