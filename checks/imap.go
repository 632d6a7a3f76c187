package checks

import (
	"context"
	"io"
	"strconv"
	"strings"
)

// maxLiteral bounds an IMAP literal ({n}) the probe reads past.
const maxLiteral = 1 << 20

// probeIMAP holds the IMAP conversation (RFC 3501, 9051): greeting,
// CAPABILITY, STARTTLS when security is starttls, LOGIN or AUTHENTICATE
// PLAIN when credentials are given, LOGOUT.
func probeIMAP(_ context.Context, s *Session) { runMail(s, CheckIMAP, &imapDialect{}) }

// imapDialect is IMAP's side of the shared mail conversation; it numbers
// its command tags.
type imapDialect struct{ n int }

// read reads one response line, reading past the literals ({n}) it
// carries; literal contents are left out of the returned line.
func (d *imapDialect) read(m *mailConn) (string, error) {
	line, err := m.line()
	for err == nil {
		n, ok := literalSize(line)
		if !ok {
			return line, nil
		}
		if len(line) > MaxLine {
			return "", ErrLineTooLong
		}
		if n > maxLiteral {
			return "", &ReplyError{Line: printable(line)}
		}
		if _, err = io.CopyN(io.Discard, m.tp.R, n); err != nil {
			break
		}
		var more string
		more, err = m.line()
		line += " " + more
	}
	return "", err
}

// literalSize returns n when line ends with a literal announcement "{n}"
// or "{n+}".
func literalSize(line string) (int64, bool) {
	if !strings.HasSuffix(line, "}") {
		return 0, false
	}
	i := strings.LastIndexByte(line, '{')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(line[i+1:len(line)-1], "+"), 10, 64)
	return n, err == nil && n >= 0
}

// cmd sends a tagged command and reads up to its tagged completion. It
// returns the untagged lines (without "* ") and the completion's text; NO,
// BAD or an untagged BYE is a *ReplyError. cont, when not empty, is sent
// (hidden) in answer to the server's continuation request "+".
func (d *imapDialect) cmd(m *mailConn, command string, hidden, auth bool, cont string) ([]string, string, error) {
	d.n++
	tag := "A" + strconv.Itoa(d.n)
	if err := m.send(tag+" "+command, hidden); err != nil {
		return nil, "", err
	}
	var untagged []string
	for range maxMailLines {
		line, err := d.read(m)
		if err != nil {
			return untagged, "", err
		}
		if rest, ok := cutStatus(line, "*"); ok {
			if text, bye := cutStatus(rest, "BYE"); bye {
				return untagged, "", mailRefusal("BYE", line, text, auth)
			}
			untagged = append(untagged, rest)
			continue
		}
		if _, ok := cutStatus(line, "+"); ok && cont != "" {
			if err := m.send(cont, true); err != nil {
				return untagged, "", err
			}
			cont = ""
			continue
		}
		rest, ok := cutStatus(line, tag)
		if !ok {
			return untagged, "", &ReplyError{Line: line, Auth: auth}
		}
		if text, ok := cutStatus(rest, "OK"); ok {
			return untagged, text, nil
		}
		for _, st := range []string{"NO", "BAD"} {
			if text, ok := cutStatus(rest, st); ok {
				return untagged, "", mailRefusal(st, line, text, auth)
			}
		}
		return untagged, "", &ReplyError{Line: line, Auth: auth}
	}
	return untagged, "", errMailTooManyLines
}

// greet accepts "* OK" and "* PREAUTH"; "* BYE" means busy.
func (d *imapDialect) greet(m *mailConn) (string, bool, error) {
	line, err := d.read(m)
	if err != nil {
		return "", false, err
	}
	rest, _ := cutStatus(line, "*")
	if text, ok := cutStatus(rest, "OK"); ok {
		return text, false, nil
	}
	if text, ok := cutStatus(rest, "PREAUTH"); ok {
		return text, true, nil
	}
	if _, ok := cutStatus(rest, "BYE"); ok {
		return "", false, &ReplyError{Status: "BYE", Line: line, Busy: true}
	}
	return "", false, notGreeting(line)
}

func (d *imapDialect) capabilities(m *mailConn, f *ServerFacts) error {
	untagged, _, err := d.cmd(m, "CAPABILITY", false, false, "")
	if err != nil {
		return err
	}
	for _, u := range untagged {
		list, ok := cutStatus(u, "CAPABILITY")
		if !ok {
			continue
		}
		for _, c := range strings.Fields(list) {
			f.Capabilities = append(f.Capabilities, c)
			up := strings.ToUpper(c)
			if mech, ok := strings.CutPrefix(up, "AUTH="); ok {
				f.AuthMechs = append(f.AuthMechs, mech)
			}
			f.StartTLS = f.StartTLS || up == "STARTTLS"
		}
	}
	return nil
}

func (d *imapDialect) startTLS(m *mailConn) error {
	_, _, err := d.cmd(m, "STARTTLS", false, false, "")
	return err
}

// login uses LOGIN with quoted strings unless LOGINDISABLED is announced
// (or the credentials are not plain ASCII and PLAIN is offered), else
// AUTHENTICATE PLAIN.
func (d *imapDialect) login(m *mailConn, f *ServerFacts, a *AuthFacts, user, pass string) error {
	plain := hasMech(f, "PLAIN")
	var untagged []string
	var err error
	switch {
	case !hasCap(f.Capabilities, "LOGINDISABLED") && (imapASCII(user+pass) || !plain):
		a.Offered, a.Mechanism = true, "LOGIN"
		untagged, a.Reply, err = d.cmd(m, "LOGIN "+imapQuote(user)+" "+imapQuote(pass), true, true, "")
	case plain:
		a.Offered, a.Mechanism = true, "PLAIN"
		untagged, a.Reply, err = d.cmd(m, "AUTHENTICATE PLAIN", false, true, saslPlain(user, pass))
	default:
		err = errMailNoLogin
	}
	a.Lines = alerts(untagged)
	return err
}

// alerts are the untagged lines that carry a response code ("* NO [ALERT]
// …", "* OK [WEBALERT …] …"): what the server says to the user about a login.
func alerts(untagged []string) []string {
	var out []string
	for _, u := range untagged {
		if c := replyRespCode(u); c != "" && c != "CAPABILITY" {
			out = append(out, "* "+u)
		}
	}
	return out
}

func (d *imapDialect) quit(m *mailConn) { _, _, _ = d.cmd(m, "LOGOUT", false, false, "") }

// imapQuote makes an IMAP quoted string.
func imapQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// imapASCII reports whether s needs no 8-bit transport.
func imapASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
