package wizard

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"assistant/checks"
)

// MaxDecodeInput caps how many bytes of a pasted text Decode reads; the
// rest is ignored (a real message is a few hundred bytes, a client log a
// few kilobytes).
const MaxDecodeInput = 64 << 10

// Clients Decode recognises by the shape of their messages. "outlook"
// stands for the whole family that shares the "Account: …, Server: …"
// format: Outlook 2000–2021, Outlook Express, Windows Mail, Windows Live Mail.
const (
	ClientOutlook     = "outlook"
	ClientThunderbird = "thunderbird"
	ClientFileZilla   = "filezilla"
	ClientWinSCP      = "winscp"
	ClientCuteFTP     = "cuteftp"
)

// The keys of Decoded.Sure: the fields whose certainty it records.
const (
	SureAccount  = "account"
	SureServer   = "server"
	SureProtocol = "protocol"
	SurePort     = "port"
	SureSecurity = "security"
)

// Decoded is what Decode recognised in a pasted error message. Its JSON form
// is the report's `pasted_error`: the contract fields text, account, server,
// protocol, port, ssl, socket_error, error_code, server_response, plus
// client, protocol_guessed, security, url, server_placeholder, sure and codes.
type Decoded struct {
	// Text is the pasted text as read (trimmed, at most MaxDecodeInput bytes).
	Text string `json:"text"`
	// Client is one of the Client* constants, or "" for bare codes.
	Client  string `json:"client,omitempty"`
	Account string `json:"account,omitempty"`
	// Server is the server name as the message gives it. ServerGiven tells
	// "Server: ''" (given, empty: the account has no server name, which
	// leads to host-missing) from no server at all; in JSON a given empty
	// server is written as "server": "" and an absent one is left out. An
	// empty server is only ever given when the message shows an empty
	// quoted server field.
	Server      string `json:"server,omitempty"`
	ServerGiven bool   `json:"-"`
	// ServerPlaceholder is set when the server field holds a placeholder
	// such as "(Server name)" (knowledge-base texts): no server is known.
	ServerPlaceholder bool `json:"server_placeholder,omitempty"`
	// URL is a web address the message gives as the server (a Windows Live
	// Mail HTTP account): a webmail account the check cannot test.
	URL string `json:"url,omitempty"`
	// Protocol is upper case as written ("SMTP", "POP3", "IMAP", "FTP",
	// "SFTP", "HTTP"); ProtocolGuessed is set when no "Protocol:" field
	// named it and it was inferred (from "Sending", the client, a code, the port).
	Protocol        string `json:"protocol,omitempty"`
	ProtocolGuessed bool   `json:"protocol_guessed,omitempty"`
	Port            int    `json:"port,omitempty"`
	// SSL is the "Secure(SSL): Yes/No" field; nil when absent.
	SSL *bool `json:"ssl,omitempty"`
	// TLS is the security mode a client log shows when it has no SSL field
	// (FileZilla's "AUTH TLS" is starttls, TLS right after connecting is tls).
	TLS checks.Security `json:"security,omitempty"`
	// SocketError is the WinSock code: the "Socket Error" field, else the
	// first WinSock code recognised in any spelling (10054, WSAECONNRESET,
	// ECONNRESET, "connection reset by peer").
	SocketError int `json:"socket_error,omitempty"`
	// ErrorCode is the Outlook code, as "0x800CCC0E".
	ErrorCode      string `json:"error_code,omitempty"`
	ServerResponse string `json:"server_response,omitempty"`
	// Codes lists the catalog codes recognised (CodeInfo.Code), most
	// specific first: server replies, socket errors, client messages, Outlook codes.
	Codes []string `json:"codes,omitempty"`
	// Sure says how sure the decoder is of each field it filled (the Sure* keys): High when
	// the message shows it in a labelled field, Medium when it follows from
	// the message's structure (a log line, a client phrase), Low when it is
	// a guess (a protocol from a port or a host name).
	Sure map[string]Confidence `json:"sure,omitempty"`
}

// decodedJSON is Decoded without its methods, for the JSON forms.
type decodedJSON Decoded

// MarshalJSON writes "server": "" for a server that was given empty.
func (d Decoded) MarshalJSON() ([]byte, error) {
	var server *string
	if d.ServerGiven {
		server = &d.Server
	}
	return json.Marshal(struct {
		decodedJSON
		Server *string `json:"server,omitempty"`
	}{decodedJSON(d), server})
}

// UnmarshalJSON reads what MarshalJSON writes, ServerGiven included.
func (d *Decoded) UnmarshalJSON(data []byte) error {
	var v struct {
		*decodedJSON
		Server *string `json:"server"`
	}
	v.decodedJSON = (*decodedJSON)(d)
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	d.Server, d.ServerGiven = "", v.Server != nil
	if v.Server != nil {
		d.Server = *v.Server
	}
	return nil
}

// Recognised reports whether anything at all was recognised.
func (d Decoded) Recognised() bool {
	return d.Client != "" || d.Account != "" || d.ServerGiven || d.ServerPlaceholder || d.URL != "" || d.Protocol != "" ||
		d.Port != 0 || d.SSL != nil || d.TLS != "" || d.SocketError != 0 || d.ErrorCode != "" ||
		d.ServerResponse != "" || len(d.Codes) > 0
}

// HostMissing reports a server that the message shows empty (Server: ‘’).
func (d Decoded) HostMissing() bool {
	return d.ServerGiven && strings.TrimSpace(d.Server) == "" && d.Sure[SureServer] == High
}

// Causes lists the causes the recognised message points to, most likely
// first: host-missing for an empty server, then the causes of each code.
func (d Decoded) Causes() []Cause {
	var out []Cause
	seen := map[Cause]bool{}
	add := func(c Cause) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if d.HostMissing() {
		add(HostMissing)
	}
	for _, code := range d.Codes {
		if info, ok := LookupCode(code); ok {
			for _, c := range info.Causes {
				add(c)
			}
		}
	}
	return out
}

// Service maps the protocol to a checked service; false for none or one
// the assistant does not check (SFTP, HTTP).
func (d Decoded) Service() (checks.Service, bool) {
	switch d.Protocol {
	case "SMTP", "ESMTP":
		return checks.SMTP, true
	case "POP3", "POP":
		return checks.POP3, true
	case "IMAP", "IMAP4":
		return checks.IMAP, true
	case "FTP", "FTPS":
		return checks.FTP, true
	}
	return "", false
}

// Unchecked reports a protocol the message names that the assistant does
// not check: "SFTP" (SSH) or "HTTP" (webmail); "" otherwise.
func (d Decoded) Unchecked() string {
	switch d.Protocol {
	case "SFTP", "SSH", "SCP":
		return "SFTP"
	case "HTTP", "HTTPS", "DAV", "HTTPMAIL":
		return "HTTP"
	}
	if d.URL != "" {
		return "HTTP"
	}
	return ""
}

// Security is the security mode the message implies: "SSL: Yes" → tls,
// "SSL: No" → none; a client log's TLS lines; without either, an
// implicit-TLS port (465, 993, 995, 990) → tls. False when nothing implies one.
func (d Decoded) Security() (checks.Security, bool) {
	switch {
	case d.SSL != nil && *d.SSL:
		return checks.SecurityTLS, true
	case d.SSL != nil:
		return checks.SecurityNone, true
	case d.TLS != "":
		return d.TLS, true
	case checks.ImplicitTLSPort(d.Port):
		return checks.SecurityTLS, true
	}
	return "", false
}

// Explicit names the Target fields the user set himself (flags given on
// the command line, fields typed in the window); Decoded.Target leaves them
// as they are.
type Explicit struct{ Service, Host, Port, Security bool }

// Target prefills base with the service, host, port and security the
// message names; the fields marked in set keep base's values. Only a server
// the message shows empty sets an empty host (so that the diagnosis names
// host-missing); a message without a server leaves the host as it was.
func (d Decoded) Target(base checks.Target, set Explicit) checks.Target {
	if s, ok := d.Service(); ok && !set.Service {
		base.Service = s
	}
	if d.ServerGiven && !set.Host && (d.Server != "" || d.HostMissing()) {
		base.Host = d.Server
	}
	// An SFTP session's port 22 is SSH's, no port for the FTP check.
	if d.Port > 0 && !set.Port && d.Unchecked() != "SFTP" {
		base.Port = d.Port
	}
	if sec, ok := d.Security(); ok && !set.Security {
		base.Security = sec
	}
	return base
}

// reader is one client family's reading of a pasted text: the Outlook
// family, Thunderbird, FileZilla, WinSCP, CuteFTP. Decode lets the family
// whose structure the text shows most strongly read it; the bare codes are
// read in every text afterwards.
type reader interface {
	// client is the Client* constant of the family.
	client() string
	// score is how strongly the text shows the family's structure; 0: not at all.
	score(p *parser) int
	// read fills p.d with what the family's structure shows.
	read(p *parser)
}

// readers lists the families; on equal scores the earlier one wins.
var readers = []reader{outlookReader{}, thunderbirdReader{}, fileZillaReader{}, winSCPReader{}, cuteFTPReader{}}

// Decode reads a message pasted from a mail or FTP client (Outlook 2000–2021,
// Outlook Express, Windows Mail, Thunderbird, FileZilla, WinSCP, CuteFTP),
// in English or Russian, or a bare code, and returns what it recognised. It
// never fails: an unrecognisable text gives a Decoded with only Text set.
// Time is linear in the input, which is capped at MaxDecodeInput bytes.
func Decode(text string) Decoded {
	text = capText(text)
	p := newParser(text)
	var best reader
	top := 0
	for _, r := range readers {
		if s := r.score(p); s > top {
			best, top = r, s
		}
	}
	switch {
	case best != nil:
		p.d.Client = best.client()
		best.read(p)
	case p.outlookFields().count > 0:
		// A lone field ("Server: ''") is read, but names no client.
		outlookReader{}.read(p)
	}
	p.bareCodes()
	p.protocol()
	if len(p.d.Sure) == 0 {
		p.d.Sure = nil
	}
	return p.d
}

// capText cuts text to MaxDecodeInput bytes on a rune boundary, replaces
// invalid UTF-8 and trims it.
func capText(s string) string {
	if len(s) > MaxDecodeInput {
		cut := MaxDecodeInput
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
}

// parser holds the state of one Decode. text is the normalised text every
// reader works on (see normalise); low is its lower-case form.
type parser struct {
	text, low string
	d         Decoded
	action    string // "send" or "receive", from an Outlook task name or a Thunderbird phrase
	found     []foundCode
	outlook   *outlookFields // the Outlook fields, read once by the score
}

func newParser(text string) *parser {
	n := normalise(text)
	p := &parser{text: n, low: lowerSameLength(n)}
	p.d.Text = text
	p.d.Sure = map[string]Confidence{}
	return p
}

// lowerSameLength lower-cases s where that keeps each rune's length, so
// that an offset in the result is the same offset in s.
func lowerSameLength(s string) string {
	return strings.Map(func(r rune) rune {
		if l := unicode.ToLower(r); utf8.RuneLen(l) == utf8.RuneLen(r) {
			return l
		}
		return r
	}, s)
}

var (
	// quotePrefixRE finds the "> " quote prefixes of forum and mail replies.
	quotePrefixRE = regexp.MustCompile(`(?m)^[ \t]*(?:>[ \t]?)+`)
	// stampRE finds the timestamps client logs put before each line:
	// FileZilla's "2019-03-05 10:11:12 1234 1 ", WinSCP's ". 2019-03-05
	// 10:11:12.345 ", "[10:11:12] ", "10:11:12 ".
	stampRE = regexp.MustCompile(`(?m)^[ \t]*(?:[.!<*][ \t]+)?\[?(?:\d{4}[-./]\d{2}[-./]\d{2}[ T]?|\d{2}[./]\d{2}[./]\d{4} )?\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,6})?\]?(?:[ \t]+\d+[ \t]+\d+(?:[ \t]|$))?[ \t]*`)
	// timesRE finds a multiplication sign or a Cyrillic "х" written for the x of "0x".
	timesRE = regexp.MustCompile(`0[×хХ]([0-9A-Fa-f]{8})`)
)

// normalise removes what is not part of the message: quote prefixes,
// log timestamps, non-breaking spaces; and spells "0×800CCC0F" as "0x800CCC0F".
func normalise(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = quotePrefixRE.ReplaceAllString(s, "")
	s = stampRE.ReplaceAllString(s, "")
	return timesRE.ReplaceAllString(s, "0x$1")
}

// foundCode is a catalog code and where in the text it was seen.
type foundCode struct {
	info CodeInfo
	pos  int
}

// maxMatches bounds how many matches of one pattern are looked at.
const maxMatches = 256

// isWordRune is a letter or digit: a key glued to one is part of a longer word.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// setServer records a server name read from the text, if none was before:
// sure says how sure the reader is. A placeholder or a web address is no
// server. It reports whether the server was taken.
func (p *parser) setServer(v string, sure Confidence) bool {
	if p.d.ServerGiven {
		return false
	}
	low := strings.ToLower(strings.TrimSpace(v))
	switch {
	case strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://"):
		p.d.URL = strings.TrimSpace(v)
		if p.d.Protocol == "" {
			p.d.Protocol, p.d.Sure[SureProtocol] = "HTTP", sure
		}
		return false
	case isPlaceholder(low):
		p.d.ServerPlaceholder = true
		return false
	}
	p.d.Server, p.d.ServerGiven, p.d.Sure[SureServer] = v, true, sure
	return true
}

// placeholders are the words knowledge-base texts put where a server name goes.
var placeholders = []string{"server name", "server_name", "servername", "account_name", "имя сервера", "your server", "ваш сервер", "yourserver", "your.server", "xxx", "<", "%"}

// isPlaceholder tells a placeholder such as "(Server name)", "<your
// server>", the bare word "server" of knowledge-base texts or an address
// hidden as "x.x.x.x" or "*.*.*.*" from a server name.
func isPlaceholder(low string) bool {
	if low != "" && strings.ContainsAny(low[:1], "([{<") || strings.Contains(low, "*") {
		return true
	}
	switch low {
	case "server", "сервер", "mail server", "mailserver", "hostname", "host", "example":
		return true
	}
	for _, w := range placeholders {
		if strings.Contains(low, w) {
			return true
		}
	}
	labels := strings.Split(low, ".")
	xs := 0
	for _, l := range labels {
		if l != "" && strings.Trim(l, "x") == "" {
			xs++
			if len(l) >= 2 {
				return true
			}
		}
	}
	return xs >= 2
}

// setHost takes a "host", "host:port" or "[v6]:port" token when it looks
// like a host name (a dot or a colon in it) and nothing set one before.
func (p *parser) setHost(tok string, sure Confidence) {
	host, port := splitHostPort(tok)
	if strings.Contains(host, "**") {
		// A name the poster hid: "w********.kr".
		p.d.ServerPlaceholder = true
		return
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 && !strings.Contains(host, "://") {
		host = host[i+1:]
	}
	if !strings.ContainsAny(host, ".:") || strings.ContainsFunc(host, func(r rune) bool {
		return !isWordRune(r) && !strings.ContainsRune(".-_:", r)
	}) {
		return
	}
	if p.setServer(host, sure) {
		p.setPort(port, sure)
	}
}

// splitHostPort splits "host", "host:port" or "[v6]:port" (trailing
// dots and punctuation of a log line removed).
func splitHostPort(tok string) (host, port string) {
	tok = strings.TrimRight(tok, ".…,;")
	host = tok
	if strings.HasPrefix(tok, "[") {
		if k := strings.IndexByte(tok, ']'); k > 0 {
			host, port = tok[1:k], strings.TrimPrefix(tok[k+1:], ":")
		}
	} else if strings.Count(tok, ":") == 1 {
		host, port, _ = strings.Cut(tok, ":")
	}
	return host, port
}

// setPort takes a port when none was set before.
func (p *parser) setPort(s string, sure Confidence) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= 65535 && p.d.Port == 0 {
		p.d.Port, p.d.Sure[SurePort] = n, sure
	}
}

// hasAny reports whether the lower-case text holds any of the words; a
// reader asks it before running a regular expression that needs one.
func (p *parser) hasAny(words ...string) bool {
	for _, w := range words {
		if strings.Contains(p.low, w) {
			return true
		}
	}
	return false
}

// score counts how many of the words occur in the text, each worth w.
func (p *parser) score(w int, words ...string) int {
	n := 0
	for _, s := range words {
		if strings.Contains(p.low, s) {
			n += w
		}
	}
	return n
}

// addCode records a catalog code seen at pos.
func (p *parser) addCode(code string, pos int) {
	if info, ok := LookupCode(code); ok {
		p.found = append(p.found, foundCode{info, pos})
	}
}

var (
	// protoWordRE finds protocol names in running text and host names.
	protoWordRE = regexp.MustCompile(`(?i)\b(smtp|pop3|pop|imap4?|sftp|ftps?)\b`)
)

// portService is the service a standard port belongs to.
var portService = map[int]string{25: "SMTP", 465: "SMTP", 587: "SMTP", 2525: "SMTP", 110: "POP3", 995: "POP3", 143: "IMAP", 993: "IMAP", 21: "FTP", 990: "FTP", 22: "SFTP"}

// protocol infers the protocol when no "Protocol:" field named it: from the
// task (Sending → SMTP), the client (FTP clients → FTP, or SFTP for SSH
// sessions), a code that belongs to one service, a protocol word in the
// text or host name, the task (Receiving → POP3), and last the port.
func (p *parser) protocol() {
	if p.d.Protocol != "" || !p.d.Recognised() {
		return
	}
	guess := ""
	if p.action == "send" {
		guess = "SMTP"
	}
	if guess == "" {
		switch p.d.Client {
		case ClientWinSCP, ClientFileZilla, ClientCuteFTP:
			guess = "FTP"
		}
	}
	for _, c := range p.d.Codes {
		if info, _ := LookupCode(c); guess == "" && info.Service != "" {
			guess = strings.ToUpper(string(info.Service))
		}
	}
	if m := protoWordRE.FindStringSubmatch(p.text); guess == "" && m != nil {
		guess = strings.ToUpper(m[1])
		if guess == "POP" {
			guess = "POP3"
		}
	}
	if guess == "" && p.action == "receive" {
		guess = "POP3"
	}
	if guess == "" {
		guess = portService[p.d.Port]
	}
	if guess != "" {
		p.d.Protocol, p.d.ProtocolGuessed, p.d.Sure[SureProtocol] = guess, true, Low
	}
}
