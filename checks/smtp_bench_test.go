package checks_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"net"
	"net/textproto"
	"testing"

	"assistant/checks"
	"assistant/faultpeer"
)

// BenchmarkSMTPFullCheck is a whole Run (input to QUIT) with STARTTLS and
// AUTH against the in-process peer.
func BenchmarkSMTPFullCheck(b *testing.B) {
	cfg, opt := smtpTLS(b)
	p := startSMTP(b, faultpeer.SMTPOptions{TLS: cfg})
	tg := smtpTarget(p, checks.SecurityStartTLS, faultpeer.SMTPPassword)
	for b.Loop() {
		res, err := checks.Run(context.Background(), tg, opt)
		if err != nil {
			b.Fatal(err)
		}
		if a := checks.Find(res, checks.CheckAuth); a.Status != checks.StatusPass {
			b.Fatalf("auth %s: %v", a.Status, a.Fault)
		}
	}
}

// BenchmarkSMTPRawBaseline is the same conversation's round trips by hand
// (dial, greeting, EHLO, STARTTLS and handshake, EHLO, AUTH PLAIN, QUIT),
// the floor BenchmarkSMTPFullCheck is compared with.
func BenchmarkSMTPRawBaseline(b *testing.B) {
	cfg, opt := smtpTLS(b)
	p := startSMTP(b, faultpeer.SMTPOptions{TLS: cfg})
	client := &tls.Config{ServerName: "127.0.0.1", RootCAs: opt.RootCAs}
	plain := base64.StdEncoding.EncodeToString([]byte("\x00" + faultpeer.SMTPUser + "\x00" + faultpeer.SMTPPassword))
	step := func(tp *textproto.Conn, cmd string, code int) {
		if _, err := tp.Cmd("%s", cmd); err != nil {
			b.Fatal(err)
		}
		if _, _, err := tp.ReadResponse(code); err != nil {
			b.Fatal(cmd, err)
		}
	}
	for b.Loop() {
		raw, err := net.Dial("tcp", p.Addr())
		if err != nil {
			b.Fatal(err)
		}
		tp := textproto.NewConn(raw)
		if _, _, err := tp.ReadResponse(220); err != nil {
			b.Fatal(err)
		}
		step(tp, "EHLO [127.0.0.1]", 250)
		step(tp, "STARTTLS", 220)
		tc := tls.Client(raw, client)
		if err := tc.Handshake(); err != nil {
			b.Fatal(err)
		}
		tp = textproto.NewConn(tc)
		step(tp, "EHLO [127.0.0.1]", 250)
		step(tp, "AUTH PLAIN "+plain, 235)
		step(tp, "QUIT", 221)
		tp.Close()
	}
}
