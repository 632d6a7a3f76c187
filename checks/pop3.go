package checks

import (
	"context"
	"errors"
	"strings"
)

// probePOP3 holds the POP3 conversation (RFC 1939, 2449, 2595, 5034):
// greeting, CAPA, STLS when security is starttls, USER/PASS or AUTH PLAIN
// when credentials are given, QUIT.
func probePOP3(_ context.Context, s *Session) { runMail(s, CheckPOP3, pop3Dialect{}) }

// pop3Dialect is POP3's side of the shared mail conversation.
type pop3Dialect struct{}

// status parses a status line: the text after +OK, or a *ReplyError for
// -ERR (busy by its response code) or for anything else.
func (pop3Dialect) status(line string, auth bool) (string, error) {
	if text, ok := cutStatus(line, "+OK"); ok {
		return text, nil
	}
	if text, ok := cutStatus(line, "-ERR"); ok {
		return "", mailRefusal("-ERR", line, text, auth)
	}
	return "", &ReplyError{Line: line, Auth: auth}
}

// cmd sends one command and reads its status line.
func (d pop3Dialect) cmd(m *mailConn, line string, hidden, auth bool) (string, error) {
	if err := m.send(line, hidden); err != nil {
		return "", err
	}
	reply, err := m.line()
	if err != nil {
		return "", err
	}
	return d.status(reply, auth)
}

func (d pop3Dialect) greet(m *mailConn) (string, bool, error) {
	line, err := m.line()
	if err != nil {
		return "", false, err
	}
	text, err := d.status(line, false)
	var re *ReplyError
	if errors.As(err, &re) && re.Status == "" {
		return "", false, notGreeting(line)
	}
	return text, false, err
}

func (d pop3Dialect) capabilities(m *mailConn, f *ServerFacts) error {
	if _, err := d.cmd(m, "CAPA", false, false); err != nil {
		var re *ReplyError
		if errors.As(err, &re) && re.Status == "-ERR" {
			return nil // an RFC 1939 server without CAPA: nothing advertised
		}
		return err
	}
	for range maxMailLines {
		line, err := m.line()
		if err != nil {
			return err
		}
		if line == "." {
			return nil
		}
		line = strings.TrimPrefix(line, ".")
		f.Capabilities = append(f.Capabilities, line)
		kw, args, _ := strings.Cut(line, " ")
		switch strings.ToUpper(kw) {
		case "STLS":
			f.StartTLS = true
		case "SASL":
			f.AuthMechs = append(f.AuthMechs, strings.Fields(strings.ToUpper(args))...)
		}
	}
	return errMailTooManyLines
}

func (d pop3Dialect) startTLS(m *mailConn) error {
	_, err := d.cmd(m, "STLS", false, false)
	return err
}

// login uses USER/PASS when USER is offered (or nothing is advertised at
// all), else AUTH PLAIN with an initial response.
func (d pop3Dialect) login(m *mailConn, f *ServerFacts, a *AuthFacts, user, pass string) error {
	var err error
	switch {
	case len(f.Capabilities) == 0 || hasCap(f.Capabilities, "USER"):
		a.Offered, a.Mechanism = true, "USER"
		if _, err = d.cmd(m, "USER "+user, false, true); err == nil {
			a.Reply, err = d.cmd(m, "PASS "+pass, true, true)
		}
	case hasMech(f, "PLAIN"):
		a.Offered, a.Mechanism = true, "PLAIN"
		a.Reply, err = d.cmd(m, "AUTH PLAIN "+saslPlain(user, pass), true, true)
	default:
		err = errMailNoLogin
	}
	return err
}

func (d pop3Dialect) quit(m *mailConn) { _, _ = d.cmd(m, "QUIT", false, false) }
