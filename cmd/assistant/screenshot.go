package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/practice"
	"assistant/wizard"
)

// demo is the hook of scripts/screenshots: it walks the session to a step
// (start, account, checks, result) with demo settings. Its checks only
// reach 127.0.0.1: the "port 25 blocked" practice scenario for the result
// page (its connect times out after 3 s), a silent peer watched every 30 s
// for the checks page.
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
	if step == "result" {
		if err := s.Practice(practice.SMTPPortBlocked); err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
		}
		return
	}
	p, err := faultpeer.Listen(func(c net.Conn) { faultpeer.Silence(c, nil) })
	s.SetWatch(true, 30*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return
	}
	host, port, _ := net.SplitHostPort(p.Addr())
	f = s.State().Form
	f.Host, f.Port, f.PortSet, f.Security = host, port, true, checks.SecurityNone
	s.SetForm(f)
	s.Start()
}
