package accounts

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Outlook Express keeps its accounts in the Internet Account Manager:
// HKCU\Software\Microsoft\Internet Account Manager\Accounts\<0000000N>,
// and per identity under HKCU\Identities\{GUID}\Software\Microsoft\
// Internet Account Manager\Accounts. Windows Mail (Vista) and Windows Live
// Mail keep the same values as .oeaccount XML files in the subfolders of
// their store (%LOCALAPPDATA%\Microsoft\Windows Mail, ...\Windows Live
// Mail), the value names with underscores and each element typed SZ or
// DWORD (hexadecimal), as Microsoft documents in "New Handling for
// Account Data" (https://learn.microsoft.com/previous-versions/windows/desktop/oe/oe-account-entry).
// Values: Account Name, SMTP/POP3/IMAP Server, Port, User Name, Secure
// Connection (1 = "This server requires a secure connection (SSL)"),
// SMTP Email Address; the ... Password2 values are seen by name only.
// With the SSL box ticked these programs speak TLS from the first byte
// on POP3 and IMAP, and for SMTP on port 465, STARTTLS on other ports.

const (
	outlookExpressName  = "Outlook Express"
	windowsMailName     = "Windows Mail"
	windowsLiveMailName = "Windows Live Mail"
	iamKey              = `Software\Microsoft\Internet Account Manager\Accounts`
)

var oeFields = []mailFields{
	{service: POP3, server: "POP3 Server", port: "POP3 Port", user: "POP3 User Name", secure: "POP3 Secure Connection"},
	{service: IMAP, server: "IMAP Server", port: "IMAP Port", user: "IMAP User Name", secure: "IMAP Secure Connection"},
	{service: SMTP, server: "SMTP Server", port: "SMTP Port", user: "SMTP User Name", secure: "SMTP Secure Connection"},
}

func oeSecure(svc Service, port, v int) Security {
	switch {
	case v == 0:
		return SecurityNone
	case v != 1:
		return SecurityUnknown
	case svc == SMTP && port != 465:
		return SecurityStartTLS
	}
	return SecurityTLS
}

func oeAccount(c *collector, s settings, program, source, key string) {
	name, _ := s.get("Account Name")
	email, _ := s.get("SMTP Email Address")
	pw := s.has("POP3 Password2") || s.has("IMAP Password2") || s.has("SMTP Password2")
	base := Account{Program: WindowsMail, ProgramName: program, Name: name, Email: email, PasswordStored: pw, Source: source}
	mailAccounts(c, s, base, oeFields, key, oeSecure)
}

func findWindowsMail(c *collector, env Env) {
	readIAM(c, env.Registry, iamKey)
	if ids := openPath(env.Registry, "Identities"); ids != nil {
		names, _ := ids.SubKeys()
		for _, id := range names {
			readIAM(c, ids, id+`\`+iamKey)
		}
		ids.Close()
	}
	if env.LocalAppData == "" {
		return
	}
	for _, store := range []struct{ dir, name string }{
		{filepath.Join(env.LocalAppData, "Microsoft", "Windows Mail"), windowsMailName},
		{filepath.Join(env.LocalAppData, "Microsoft", "Windows Live Mail"), windowsLiveMailName},
	} {
		// The account files are in the store's first-level folders (and
		// its root); the message folders below are not walked.
		files, _ := filepath.Glob(filepath.Join(store.dir, "*.oeaccount"))
		more, _ := filepath.Glob(filepath.Join(store.dir, "*", "*.oeaccount"))
		for i, f := range append(files, more...) {
			if i >= maxAccounts {
				break
			}
			readOEAccount(c, f, store.name)
		}
	}
}

func readIAM(c *collector, root Key, path string) {
	eachSubKey(c, root, path, Problem{Program: WindowsMail, ProgramName: outlookExpressName}, func(name string, sk Key) {
		oeAccount(c, regSettings{sk}, outlookExpressName, sk.Path(), name)
	})
}

// oeValues is an .oeaccount file's values by their registry names.
type oeValues struct {
	values map[string]string
	secret map[string]bool
}

func (o oeValues) get(name string) (string, bool) {
	v, ok := o.values[strings.ReplaceAll(name, " ", "_")]
	return v, ok
}

func (o oeValues) has(name string) bool { return o.secret[strings.ReplaceAll(name, " ", "_")] }

func readOEAccount(c *collector, path, program string) {
	data, err := c.read(path)
	var v oeValues
	if err == nil {
		v, err = parseOEAccount(data)
	}
	if err != nil {
		c.fileProblem(WindowsMail, program, "", path, err)
		return
	}
	oeAccount(c, v, program, path, "")
}

var errNotOEAccount = errors.New("not a MessageAccount document")

// parseOEAccount reads the flat <MessageAccount> document, in UTF-8 or
// (as Windows Live Mail writes it) UTF-16 with a byte-order mark.
func parseOEAccount(data []byte) (oeValues, error) {
	v := oeValues{values: map[string]string{}, secret: map[string]bool{}}
	data = toUTF8(data)
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.HasPrefix(strings.ToLower(label), "utf-16") || strings.EqualFold(label, "unicode") {
			return r, nil // already decoded by toUTF8
		}
		return nil, errors.New("unsupported encoding " + label)
	}
	depth, root := 0, false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) && root && depth == 0 {
			return v, nil
		}
		if err != nil {
			return v, invalidError{err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				if t.Name.Local != "MessageAccount" {
					return v, invalidError{errNotOEAccount}
				}
				root = true
				continue
			}
			name := t.Name.Local
			if strings.Contains(strings.ToLower(name), "password") {
				v.secret[name] = true
				if err := d.Skip(); err != nil {
					return v, invalidError{err}
				}
				depth--
				continue
			}
			var text string
			if err := d.DecodeElement(&text, &t); err != nil {
				return v, invalidError{err}
			}
			depth--
			if typeOf(t) == "DWORD" {
				if n, err := strconv.ParseUint(strings.TrimSpace(text), 16, 32); err == nil {
					text = strconv.FormatUint(n, 10)
				}
			}
			if len(v.values) < 200 {
				v.values[name] = text
			}
		case xml.EndElement:
			depth--
		}
	}
}

func typeOf(t xml.StartElement) string {
	for _, a := range t.Attr {
		if a.Name.Local == "type" {
			return strings.ToUpper(a.Value)
		}
	}
	return ""
}

// toUTF8 decodes UTF-16 (by its byte-order mark) to UTF-8.
func toUTF8(b []byte) []byte {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	}
	b = b[2:]
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	return []byte(string(utf16.Decode(u)))
}
