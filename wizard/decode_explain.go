package wizard

// What `assistant explain` and the wizard's account page show of a decoded
// message, and the `assistant check` command that confirms it.

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"assistant/checks"
)

// CheckArgs is the `assistant check` command line (without the program
// name) that checks a target: service, host (always, even empty), port,
// security, and the FTP mode and user when set.
func CheckArgs(t checks.Target) []string {
	args := []string{"check"}
	if t.Service != "" {
		args = append(args, "--service", string(t.Service))
	}
	args = append(args, "--host", t.Host)
	if t.Port != 0 {
		args = append(args, "--port", strconv.Itoa(t.Port))
	}
	if t.Security != "" {
		args = append(args, "--security", string(t.Security))
	}
	if t.Service == checks.FTP && t.FTPMode != "" && t.FTPMode != checks.FTPBoth {
		args = append(args, "--ftp-mode", string(t.FTPMode))
	}
	if t.User != "" {
		args = append(args, "--user", t.User)
	}
	return args
}

// ShellJoin quotes args for a POSIX shell, for showing a command line.
func ShellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		plain := a != "" && !strings.ContainsFunc(a, func(r rune) bool {
			return !(r < utf8.RuneSelf && (isWordRune(r) || strings.ContainsRune("._-:/@=+,", r)))
		})
		if plain {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

// maxInlineError is the longest pasted text Explain repeats inline in the
// --from-error command it suggests; a longer one is shown as a file.
const maxInlineError = 300

// Meaning is one recognised code and what it means, for `explain --format json`.
type Meaning struct {
	Code    string   `json:"code"`
	Kind    CodeKind `json:"kind"`
	Names   []string `json:"names,omitempty"`
	Meaning string   `json:"meaning"`
}

// LikelyCause is one cause the message points to, with its short phrase.
type LikelyCause struct {
	Cause Cause  `json:"cause"`
	Text  string `json:"text"`
}

// Explanation is what `assistant explain --format json` prints: the
// report's pasted_error object, what each code means and the likely causes.
type Explanation struct {
	PastedError  *Decoded      `json:"pasted_error"`
	Meanings     []Meaning     `json:"meanings"`
	LikelyCauses []LikelyCause `json:"likely_causes"`
	// Notes are what the check cannot do with this message (SFTP, webmail,
	// no server named), in the chosen language.
	Notes []string `json:"notes,omitempty"`
}

// Explain returns the explanation of a decoded message in a language.
func (d Decoded) Explain(l Lang) Explanation {
	e := Explanation{PastedError: &d, Meanings: []Meaning{}, LikelyCauses: []LikelyCause{}, Notes: notes(d, l)}
	if _, known := LookupCode(d.ErrorCode); d.ErrorCode != "" && !known {
		e.Meanings = append(e.Meanings, Meaning{Code: d.ErrorCode, Kind: KindOutlook, Meaning: l.T("decode.code.unknown")})
	}
	for _, c := range d.Codes {
		info, _ := LookupCode(c)
		e.Meanings = append(e.Meanings, Meaning{Code: c, Kind: info.Kind, Names: info.Names, Meaning: info.Meaning(l)})
	}
	for _, c := range d.Causes() {
		e.LikelyCauses = append(e.LikelyCauses, LikelyCause{Cause: c, Text: l.T("decode.cause." + string(c))})
	}
	return e
}

// UncheckedNote says, in l, why the check does not apply to an SFTP or
// webmail message and what to do instead; "" for any other message.
func (d Decoded) UncheckedNote(l Lang) string {
	switch d.Unchecked() {
	case "SFTP":
		return l.T("decode.note.sftp")
	case "HTTP":
		return l.T("decode.note.http")
	}
	return ""
}

// notes says what the check cannot do with the message.
func notes(d Decoded, l Lang) []string {
	var out []string
	if n := d.UncheckedNote(l); n != "" {
		out = append(out, n)
	}
	if d.Recognised() && !d.ServerGiven {
		out = append(out, l.T("decode.note.no_server"))
	}
	return out
}

// Explain is the text `assistant explain` prints: what was recognised and
// how sure the decoder is of it, what each code means, the likely causes
// (ID and a short phrase), and the `assistant check` command that would
// confirm them.
func Explain(d Decoded, l Lang) string {
	var b strings.Builder
	line := func(indent bool, s string) {
		if indent {
			b.WriteString("  ")
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	if !d.Recognised() {
		line(false, l.T("decode.nothing"))
		return b.String()
	}
	if d.Client != "" {
		line(false, l.T("decode.recognised.client", "client", l.T("decode.client."+d.Client)))
	} else {
		line(false, l.T("decode.recognised"))
	}
	for _, f := range explainFields(d, l) {
		line(true, f)
	}
	e := d.Explain(l)
	if len(e.Meanings) > 0 {
		b.WriteByte('\n')
		line(false, l.T("decode.heading.codes"))
		for _, m := range e.Meanings {
			name := m.Code
			if m.Kind == KindMessage || m.Kind == KindReply {
				name = l.T("decode.kind." + string(m.Kind))
			} else if len(m.Names) > 0 {
				name += " (" + strings.Join(m.Names, ", ") + ")"
			}
			line(true, name+" — "+m.Meaning)
		}
	}

	b.WriteByte('\n')
	if len(e.LikelyCauses) > 0 {
		line(false, l.T("decode.heading.causes"))
		for _, c := range e.LikelyCauses {
			line(true, string(c.Cause)+" — "+c.Text)
		}
	} else {
		line(false, l.T("decode.no_causes"))
	}
	if len(e.Notes) > 0 {
		b.WriteByte('\n')
		for _, n := range e.Notes {
			line(false, n)
		}
	}

	t := d.Target(checks.Target{}, Explicit{})
	if d.Unchecked() == "SFTP" {
		// Whether the server also speaks FTP: the FTP check names sftp-only if not.
		t.Service = checks.FTP
	}
	if t.Host == "" && !d.HostMissing() {
		t.Host = l.T("decode.confirm.host_placeholder")
	}
	b.WriteByte('\n')
	line(false, l.T("decode.heading.confirm"))
	line(true, "assistant "+ShellJoin(CheckArgs(t)))
	if t.Service == "" {
		line(true, l.T("decode.confirm.service"))
	}
	if utf8.RuneCountInString(d.Text) <= maxInlineError {
		line(false, l.T("decode.confirm.from_error"))
		line(true, "assistant "+ShellJoin([]string{"check", "--from-error", d.Text}))
	} else {
		line(false, l.T("decode.confirm.from_error_file"))
		line(true, "assistant "+ShellJoin([]string{"check", "--from-error-file", l.T("decode.confirm.file_name")}))
	}
	return b.String()
}

// explainFields lists the fields a check needs — account, server,
// protocol, port, security — each with how sure the decoder is of it, or
// "not in the message"; then the codes and the reply the message quotes.
func explainFields(d Decoded, l Lang) []string {
	var out []string
	add := func(sure string, key string, v any) {
		s := l.T(key, "value", v)
		if c, ok := d.Sure[sure]; ok {
			s += " — " + l.T("decode.sure."+string(c))
		}
		out = append(out, s)
	}
	absent := func(sure string) { out = append(out, l.T("decode.absent."+sure)) }
	if d.Account != "" {
		add(SureAccount, "decode.field.account", d.Account)
	} else {
		absent(SureAccount)
	}
	switch {
	case d.HostMissing():
		add(SureServer, "decode.field.server_empty", "")
	case d.ServerGiven:
		add(SureServer, "decode.field.server", d.Server)
	case d.URL != "":
		add(SureServer, "decode.field.url", d.URL)
	case d.ServerPlaceholder:
		add(SureServer, "decode.field.server_placeholder", "")
	default:
		absent(SureServer)
	}
	if d.Protocol != "" {
		add(SureProtocol, "decode.field.protocol", d.Protocol)
	} else {
		absent(SureProtocol)
	}
	if d.Port != 0 {
		add(SurePort, "decode.field.port", d.Port)
	} else {
		absent(SurePort)
	}
	switch {
	case d.SSL != nil && *d.SSL:
		add(SureSecurity, "decode.field.ssl_yes", "")
	case d.SSL != nil:
		add(SureSecurity, "decode.field.ssl_no", "")
	case d.TLS != "":
		add(SureSecurity, "decode.field.security."+string(d.TLS), "")
	default:
		absent(SureSecurity)
	}
	if d.SocketError != 0 {
		out = append(out, l.T("decode.field.socket_error", "value", d.SocketError))
	}
	if d.ErrorCode != "" {
		out = append(out, l.T("decode.field.error_code", "value", d.ErrorCode))
	}
	if d.ServerResponse != "" {
		out = append(out, l.T("decode.field.server_response", "value", d.ServerResponse))
	}
	return out
}
