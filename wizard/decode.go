package wizard

import (
	"encoding/json"
	"regexp"
	"sort"
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
	ClientOutlook   = "outlook"
	ClientFileZilla = "filezilla"
	ClientWinSCP    = "winscp"
	ClientCuteFTP   = "cuteftp"
)

// Decoded is what Decode recognised in a pasted error message. Its JSON form
// is the report's `pasted_error`: the contract fields text, account, server,
// protocol, port, ssl, socket_error, error_code, server_response, plus
// client, protocol_guessed and codes.
type Decoded struct {
	// Text is the pasted text as read (trimmed, at most MaxDecodeInput bytes).
	Text string `json:"text"`
	// Client is one of the Client* constants, or "" for bare codes.
	Client  string `json:"client,omitempty"`
	Account string `json:"account,omitempty"`
	// Server is the server name as the message gives it. ServerGiven tells
	// "Server: ''" (given, empty: the account has no server name, which
	// leads to host-missing) from no server at all; in JSON a given empty
	// server is written as "server": "" and an absent one is left out.
	Server      string `json:"server,omitempty"`
	ServerGiven bool   `json:"-"`
	// Protocol is upper case as written ("SMTP", "POP3", "IMAP", "FTP",
	// "SFTP", "HTTP"); ProtocolGuessed is set when no "Protocol:" field
	// named it and it was inferred (from "Sending", the client, a code, the port).
	Protocol        string `json:"protocol,omitempty"`
	ProtocolGuessed bool   `json:"protocol_guessed,omitempty"`
	Port            int    `json:"port,omitempty"`
	// SSL is the "Secure(SSL): Yes/No" field; nil when absent.
	SSL *bool `json:"ssl,omitempty"`
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
	return d.Client != "" || d.Account != "" || d.ServerGiven || d.Protocol != "" || d.Port != 0 ||
		d.SSL != nil || d.SocketError != 0 || d.ErrorCode != "" || d.ServerResponse != "" || len(d.Codes) > 0
}

// HostMissing reports a server that was given but empty (Server: ‘’).
func (d Decoded) HostMissing() bool { return d.ServerGiven && strings.TrimSpace(d.Server) == "" }

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

// Security is the security mode the message implies: "SSL: Yes" → tls,
// "SSL: No" → none; without an SSL field, an implicit-TLS port (465, 993,
// 995, 990) → tls. False when nothing implies one.
func (d Decoded) Security() (checks.Security, bool) {
	switch {
	case d.SSL != nil && *d.SSL:
		return checks.SecurityTLS, true
	case d.SSL != nil:
		return checks.SecurityNone, true
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
// message names; the fields marked in set keep base's values. A server
// given empty sets an empty host, so that the diagnosis names host-missing.
func (d Decoded) Target(base checks.Target, set Explicit) checks.Target {
	if s, ok := d.Service(); ok && !set.Service {
		base.Service = s
	}
	if d.ServerGiven && !set.Host {
		base.Host = d.Server
	}
	if d.Port > 0 && !set.Port {
		base.Port = d.Port
	}
	if sec, ok := d.Security(); ok && !set.Security {
		base.Security = sec
	}
	return base
}

// Decode reads a message pasted from a mail or FTP client (Outlook 2000–2021,
// Outlook Express, Windows Mail, FileZilla, WinSCP, CuteFTP), in English or
// Russian, or a bare code, and returns what it recognised. It never fails:
// an unrecognisable text gives a Decoded with only Text set. Time is linear
// in the input, which is capped at MaxDecodeInput bytes.
func Decode(text string) Decoded {
	text = capText(text)
	p := &parser{text: text, low: strings.ToLower(text)}
	p.d.Text = text
	p.fields()
	p.task()
	p.clientLines()
	p.codes()
	p.protocol()
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

// parser holds the state of one Decode.
type parser struct {
	text, low  string
	d          Decoded
	fieldCount int
	action     string // "send" or "receive", from an Outlook task name
	found      []foundCode
}

// foundCode is a catalog code and where in the text it was seen.
type foundCode struct {
	info CodeInfo
	pos  int
}

// maxMatches bounds how many matches of one pattern are looked at.
const maxMatches = 256

// field is one of the Outlook message fields.
type field int

const (
	fAccount field = iota
	fServer
	fProtocol
	fPort
	fSSL
	fSocket
	fCode
	fResponse
)

// keyRE finds the field names of Outlook messages in English and Russian;
// longer names come first so that "Server Response" wins over "Server".
var keyRE = regexp.MustCompile(`(?i)(secure\s*\(\s*ssl\s*\)|защита\s*\(\s*ssl\s*\)|server\s*response|ответ\s+сервера|account|уч[её]тная\s+запись|server|сервер|protocol|протокол|port|порт|socket\s*error|ошибка\s+сокета|error\s*number|error\s*code|error\s*id|код\s+ошибки|номер\s+ошибки)`)

// keyField names the field a matched key stands for.
func keyField(key string) field {
	k := strings.Join(strings.Fields(strings.ToLower(key)), "")
	switch {
	case strings.HasPrefix(k, "secure"), strings.HasPrefix(k, "защита"):
		return fSSL
	case strings.HasPrefix(k, "serverresponse"), strings.HasPrefix(k, "ответ"):
		return fResponse
	case strings.HasPrefix(k, "account"), strings.HasPrefix(k, "уч"):
		return fAccount
	case strings.HasPrefix(k, "server"), strings.HasPrefix(k, "сервер"):
		return fServer
	case strings.HasPrefix(k, "protocol"), strings.HasPrefix(k, "протокол"):
		return fProtocol
	case strings.HasPrefix(k, "port"), strings.HasPrefix(k, "порт"):
		return fPort
	case strings.HasPrefix(k, "socket"), strings.HasPrefix(k, "ошибкасокета"):
		return fSocket
	}
	return fCode
}

// isWordRune is a letter or digit: a key glued to one is part of a longer word.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fields reads "Key: 'value'" pairs. A key counts when a colon (or "=")
// follows it, or when it starts a clause (after a comma, period, line break
// or the start) and its value is quoted or has the field's type.
func (p *parser) fields() {
	var keys [][]int
	for _, m := range keyRE.FindAllStringIndex(p.text, maxMatches) {
		before, _ := utf8.DecodeLastRuneInString(p.text[:m[0]])
		after, _ := utf8.DecodeRuneInString(p.text[m[1]:])
		if isWordRune(before) || isWordRune(after) {
			continue
		}
		keys = append(keys, m)
	}
	for i, m := range keys {
		bound := len(p.text)
		if i+1 < len(keys) {
			bound = keys[i+1][0]
		}
		p.field(keyField(p.text[m[0]:m[1]]), m[0], m[1], bound)
	}
	if p.fieldCount >= 2 {
		p.d.Client = ClientOutlook
	}
}

// field reads the value of one key found at [start, end); bound is where
// the next key starts.
func (p *parser) field(f field, start, end, bound int) {
	i := skipSpaces(p.text, end)
	colon := false
	if r, n := utf8.DecodeRuneInString(p.text[i:]); r == ':' || r == '=' || r == '：' {
		colon = true
		i = skipSpaces(p.text, i+n)
	}
	clause := strings.TrimRight(p.text[:start], " \t\u00a0")
	startsClause := clause == "" || strings.ContainsAny(clause[len(clause)-1:], ",;.\n\r")
	if !colon && !startsClause {
		return
	}
	val, quoted := readValue(p.text, i, bound)
	ok := colon || quoted
	switch f {
	case fAccount:
		if ok && p.d.Account == "" {
			p.d.Account = val
		}
	case fServer:
		if ok && !p.d.ServerGiven {
			p.d.Server, p.d.ServerGiven = val, true
		}
	case fResponse:
		if ok && p.d.ServerResponse == "" {
			p.d.ServerResponse = val
		}
	case fProtocol:
		if v := protocolToken(val); v != "" && p.d.Protocol == "" {
			p.d.Protocol, ok = v, true
		} else {
			ok = false
		}
	case fPort:
		if n := leadingInt(val); n > 0 && n <= 65535 && p.d.Port == 0 {
			p.d.Port, ok = n, true
		} else {
			ok = false
		}
	case fSSL:
		if b, isBool := yesNo(val); isBool && p.d.SSL == nil {
			p.d.SSL, ok = &b, true
		} else {
			ok = false
		}
	case fSocket:
		if n := leadingInt(strings.TrimLeft(val, "# ")); n > 0 && p.d.SocketError == 0 {
			p.d.SocketError, ok = n, true
			p.addCode(strconv.Itoa(n), start)
		} else {
			ok = false
		}
	case fCode:
		if c := hexCode(val); c != "" && p.d.ErrorCode == "" {
			p.d.ErrorCode, ok = c, true
		} else {
			ok = false
		}
	}
	if ok {
		p.fieldCount++
	}
}

// skipSpaces returns the index of the first non-blank byte at or after i
// (line breaks are not blanks).
func skipSpaces(s string, i int) int {
	for i < len(s) {
		if s[i] == ' ' || s[i] == '\t' {
			i++
		} else if strings.HasPrefix(s[i:], "\u00a0") {
			i += len("\u00a0")
		} else {
			break
		}
	}
	return i
}

// closers lists, for each opening quote, the quotes that may close it
// (Russian and Word-corrected texts mix them).
var closers = map[rune]string{
	'\'': "'", '‘': "’‘'", '’': "’'", '‚': "’‘'", '`': "`'",
	'"': "\"", '“': "”“\"", '”': "”\"", '„': "“”\"",
	'«': "»", '‹': "›",
}

// maxValue bounds how far a quoted value is searched for its closing quote.
const maxValue = 2048

// readValue reads a value at i: quoted (up to the closing quote that ends
// the clause, so "Can't" inside a reply does not end it) or bare (up to a
// comma, semicolon, line break or the next key).
func readValue(s string, i, bound int) (string, bool) {
	q, qn := utf8.DecodeRuneInString(s[i:])
	if cl, isQuote := closers[q]; isQuote && i < len(s) {
		limit := min(len(s), i+qn+maxValue)
		first := -1
		for j := i + qn; j < limit; {
			r, n := utf8.DecodeRuneInString(s[j:])
			if strings.ContainsRune(cl, r) {
				if first < 0 {
					first = j
				}
				k := skipSpaces(s, j+n)
				if k >= len(s) || strings.ContainsAny(s[k:k+1], ",;\r\n)") || (s[k] == '.' && (k+1 >= len(s) || s[k+1] == ' ' || s[k+1] == '\n' || s[k+1] == '\r')) {
					return s[i+qn : j], true
				}
			}
			j += n
		}
		if first >= 0 {
			return s[i+qn : first], true
		}
		i += qn
	}
	end := min(bound, len(s), i+256)
	if k := strings.IndexAny(s[i:end], ",;\r\n"); k >= 0 {
		end = i + k
	}
	return strings.TrimSpace(s[i:end]), false
}

// protocolToken reads a protocol name such as "SMTP" or "POP3".
func protocolToken(v string) string {
	n := 0
	for n < len(v) && n < 10 && (v[n] >= 'a' && v[n] <= 'z' || v[n] >= 'A' && v[n] <= 'Z' || v[n] >= '0' && v[n] <= '9') {
		n++
	}
	if n < 2 || (n < len(v) && isWordRune(rune(v[n]))) {
		return ""
	}
	return strings.ToUpper(v[:n])
}

// leadingInt reads the decimal number a value starts with; 0 if none or
// too long to be a port or a code.
func leadingInt(v string) int {
	n := 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	if n == 0 || n > 6 {
		return 0
	}
	x, _ := strconv.Atoi(v[:n])
	return x
}

// yesNo reads "Yes"/"No" in English or Russian.
func yesNo(v string) (bool, bool) {
	w := strings.ToLower(v)
	if k := strings.IndexFunc(w, func(r rune) bool { return !isWordRune(r) }); k >= 0 {
		w = w[:k]
	}
	switch w {
	case "yes", "да", "true", "on", "1":
		return true, true
	case "no", "нет", "false", "off", "0":
		return false, true
	}
	return false, false
}

// hexCode reads an 8-digit hex code with or without 0x, as "0x800CCC0E".
func hexCode(v string) string {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "0x"), "0X")
	n := 0
	for n < len(v) && strings.ContainsRune("0123456789abcdefABCDEF", rune(v[n])) {
		n++
	}
	if n != 8 || (n < len(v) && isWordRune(rune(v[n]))) {
		return ""
	}
	return "0x" + strings.ToUpper(v[:n])
}

// taskRE finds Outlook's task names: "Task 'x - Sending' reported error",
// "Задача "x - Отправка" сообщила об ошибке", "при выполнении задачи "x - Получение"".
var taskRE = regexp.MustCompile(`(?i)(?:task|задач\p{L}*)\s*["'‘’“”«„]([^"'‘’“”«»„\r\n]{1,256}?)\s+-\s+(\p{L}[\p{L} ]{0,40}?)\s*["'‘’“”»]`)

// task reads the Outlook task name: the account, and whether it was sending or receiving.
func (p *parser) task() {
	m := taskRE.FindStringSubmatch(p.text)
	if m == nil {
		return
	}
	p.d.Client = ClientOutlook
	if p.d.Account == "" {
		p.d.Account = strings.TrimSpace(m[1])
	}
	a := strings.ToLower(m[2])
	send := strings.Contains(a, "send") || strings.Contains(a, "отправ")
	recv := strings.Contains(a, "receiv") || strings.Contains(a, "получ")
	switch {
	case send && !recv:
		p.action = "send"
	case recv && !send:
		p.action = "receive"
	}
}

var (
	// fzLineRE finds FileZilla's log prefixes, in English and Russian.
	fzLineRE = regexp.MustCompile(`(?im)^\s*(?:status|command|response|trace|статус|команда|ответ):\s`)
	// fzResponseRE finds FileZilla's server replies.
	fzResponseRE = regexp.MustCompile(`(?im)^\s*(?:response|ответ):\s*([1-5]\d\d[ -][^\r\n]*)`)
	// resolvingRE finds the host name FileZilla resolves.
	resolvingRE = regexp.MustCompile(`(?i)(?:resolving address of|определение ip-адреса для)\s+["“”']?([^\s"“”']+)`)
	// connectingRE finds "Connecting to host:port" (FileZilla, CuteFTP) and
	// "Connection to "host"" (WinSCP).
	connectingRE = regexp.MustCompile(`(?i)(?:connecting to|connection to|соединение с|подключение к)\s+["“”']?(\[[0-9a-f:.]+\](?::\d{1,5})?|[^\s"“”'>,]+)`)
	// cuteIPRE and cutePortRE read CuteFTP's "-> IP=1.2.3.4 PORT=21".
	cuteIPRE   = regexp.MustCompile(`(?i)\bIP=([0-9a-f.:]+)`)
	cutePortRE = regexp.MustCompile(`(?i)\bPORT=(\d{1,5})\b`)
	// hostPortRE finds a bare "host:port" anywhere.
	hostPortRE = regexp.MustCompile(`(?i)\b((?:[a-z0-9-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b`)
)

// clientLines recognises FTP clients' logs and reads the host, port and
// server reply they show.
func (p *parser) clientLines() {
	l := p.low
	switch {
	case strings.Contains(l, "error:>") || strings.Contains(l, "status:>") || strings.Contains(l, "-> ip=") || strings.Contains(l, "cuteftp"):
		p.d.Client = ClientCuteFTP
	case strings.Contains(l, "network error:") || strings.Contains(l, "winscp") || strings.Contains(l, "unexpectedly closed"):
		p.d.Client = ClientWinSCP
	case fzLineRE.MatchString(p.text) || strings.Contains(l, "gnutls") || strings.Contains(l, "filezilla") ||
		strings.Contains(l, "of inactivity") || strings.Contains(l, "could not connect to server"):
		p.d.Client = ClientFileZilla
	}
	if p.d.ServerResponse == "" {
		for _, m := range fzResponseRE.FindAllStringSubmatch(p.text, maxMatches) {
			if m[1][0] >= '4' {
				p.d.ServerResponse = strings.TrimSpace(m[1])
			}
		}
	}
	if p.d.ServerGiven {
		return
	}
	if m := resolvingRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1])
	}
	for _, m := range connectingRE.FindAllStringSubmatch(p.text, maxMatches) {
		p.setHost(m[1])
	}
	if m := cuteIPRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1])
	}
	if m := cutePortRE.FindStringSubmatch(p.text); m != nil {
		p.setPort(m[1])
	}
	// In "local->remote" (Go and socket library errors) the remote counts.
	var hostPort string
	for _, m := range hostPortRE.FindAllStringIndex(p.text, maxMatches) {
		if hostPort == "" || strings.HasSuffix(p.text[:m[0]], "->") {
			hostPort = p.text[m[0]:m[1]]
		}
	}
	p.setHost(hostPort)
}

// setHost takes a "host", "host:port" or "[v6]:port" token when it looks
// like a host name (a dot or a colon in it) and nothing set one before.
func (p *parser) setHost(tok string) {
	tok = strings.TrimRight(tok, ".…")
	host, port := tok, ""
	if strings.HasPrefix(tok, "[") {
		if k := strings.IndexByte(tok, ']'); k > 0 {
			host, port = tok[1:k], strings.TrimPrefix(tok[k+1:], ":")
		}
	} else if strings.Count(tok, ":") == 1 {
		host, port, _ = strings.Cut(tok, ":")
	}
	if !strings.ContainsAny(host, ".:") || strings.ContainsFunc(host, func(r rune) bool {
		return !isWordRune(r) && !strings.ContainsRune(".-_:", r)
	}) {
		return
	}
	if !p.d.ServerGiven {
		p.d.Server, p.d.ServerGiven = host, true
	}
	p.setPort(port)
}

// setPort takes a port when none was set before.
func (p *parser) setPort(s string) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= 65535 && p.d.Port == 0 {
		p.d.Port = n
	}
}

var (
	// hexRE finds Outlook codes with or without 0x.
	hexRE = regexp.MustCompile(`(?i)\b0x([0-9a-f]{8})\b|\b(800ccc[0-9a-f]{2}|8004[0-9a-f]{4})\b`)
	// nameRE finds WinSock and errno names.
	nameRE = regexp.MustCompile(`(?i)\b(?:WSA[A-Z_]{2,20}|E[A-Z_]{3,14})\b`)
	// numberRE finds WinSock numbers.
	numberRE = regexp.MustCompile(`\b(1[01]0\d\d)\b`)
	// gnutlsRE finds FileZilla's GnuTLS errors.
	gnutlsRE = regexp.MustCompile(`(?i)gnutls error\s*(-\d{1,4})`)
	// refusedRE finds WinSCP's "Connection to "host" refused/timed out".
	refusedRE = regexp.MustCompile(`(?i)connection to\s+["“”']?[^\s"“”']+["“”']?\s+(refused|timed out)`)
	// noHostRE finds WinSCP's "Host "x" does not exist".
	noHostRE = regexp.MustCompile(`(?i)host\s+["“”'][^"“”'\s]+["“”']\s+does not exist`)
)

// phrases maps message texts (lower case) to codes; a longer phrase is
// listed before the shorter one it contains, which it then hides.
var phrases = []struct{ text, code string }{
	{"timed out after", "filezilla-inactivity"}, // "Connection timed out after 20 seconds of inactivity"
	{"an existing connection was forcibly closed by the remote host", "10054"},
	{"принудительно разорвал существующее подключение", "10054"},
	{"connection reset by peer", "10054"},
	{"connection was reset", "10054"},
	{"software caused connection abort", "10053"},
	{"an established connection was aborted by the software in your host machine", "10053"},
	{"разорвала установленное подключение", "10053"},
	{"no connection could be made because the target machine actively refused it", "10061"},
	{"отверг запрос на подключение", "10061"},
	{"connection refused", "10061"},
	{"a connection attempt failed because the connected party did not properly respond", "10060"},
	{"попытка установить соединение была безуспешной", "10060"},
	{"connection attempt timed out", "10060"},
	{"connection timed out", "10060"},
	{"network is unreachable", "10051"},
	{"a socket operation was attempted to an unreachable network", "10051"},
	{"no route to host", "10065"},
	{"a socket operation was attempted to an unreachable host", "10065"},
	{"no such host is known", "11001"},
	{"этот хост неизвестен", "11001"},
	{"name or service not known", "11001"},
	{"host not found", "11001"},
	{"temporary failure in name resolution", "11002"},
	{"broken pipe", "EPIPE"},
	{"server sent command exit status", "closed-by-server"},
	{"connection has been unexpectedly closed", "closed-by-server"},
	{"server unexpectedly closed network connection", "closed-by-server"},
	{"connection closed by server", "closed-by-server"},
	{"could not connect to server", "connect-failed"},
	{"can't connect to remote server", "connect-failed"},
	{"cannot connect to server", "connect-failed"},
	{"не удается подключиться к серверу", "connect-failed"},
}

// addCode records a catalog code seen at pos.
func (p *parser) addCode(code string, pos int) {
	if info, ok := LookupCode(code); ok {
		p.found = append(p.found, foundCode{info, pos})
	}
}

// codes finds every code in the text in any spelling, then orders them
// most specific first and fills ErrorCode and SocketError from them.
func (p *parser) codes() {
	if p.d.ErrorCode != "" {
		p.addCode(p.d.ErrorCode, -1)
	}
	for _, m := range hexRE.FindAllStringSubmatchIndex(p.text, maxMatches) {
		c := p.text[m[0]:m[1]]
		if p.d.ErrorCode == "" {
			p.d.ErrorCode = hexCode(c)
		}
		p.addCode(c, m[0])
	}
	for _, m := range nameRE.FindAllStringIndex(p.text, maxMatches) {
		p.addCode(p.text[m[0]:m[1]], m[0])
	}
	for _, m := range numberRE.FindAllStringIndex(p.text, maxMatches) {
		if p.winsockContext(m[0], m[1]) {
			p.addCode(p.text[m[0]:m[1]], m[0])
		}
	}
	for _, m := range gnutlsRE.FindAllStringSubmatchIndex(p.text, maxMatches) {
		p.addCode("GNUTLS"+p.text[m[2]:m[3]], m[0])
	}
	for _, m := range refusedRE.FindAllStringSubmatchIndex(p.text, maxMatches) {
		code := "10061"
		if strings.EqualFold(p.text[m[2]:m[3]], "timed out") {
			code = "10060"
		}
		p.addCode(code, m[0])
	}
	if m := noHostRE.FindStringIndex(p.text); m != nil {
		p.addCode("11001", m[0])
	}
	p.reply()
	p.phrases()
	p.order()
}

// winsockContext tells a WinSock number from any other five-digit number:
// the text is the number alone, or an error word or "#" shortly precedes it
// on the same line, and it is not a port ("host:10054").
func (p *parser) winsockContext(start, end int) bool {
	if strings.TrimSpace(p.text) == p.text[start:end] {
		return true
	}
	if start > 0 && p.text[start-1] == ':' {
		return false
	}
	from := max(0, start-32)
	for from < start && !utf8.RuneStart(p.low[from]) {
		from++
	}
	ctx := p.low[from:start]
	if k := strings.LastIndexAny(ctx, "\r\n"); k >= 0 {
		ctx = ctx[k+1:]
	}
	for _, w := range []string{"error", "ошибк", "socket", "сокет", "#", "wsa", "winsock", "errno", "код"} {
		if strings.Contains(ctx, w) {
			return true
		}
	}
	return false
}

// phrases recognises codes by the text of their messages; connect-failed,
// the vaguest, only counts when nothing more precise was found.
func (p *parser) phrases() {
	low := p.low
	for _, ph := range phrases {
		if ph.code == "connect-failed" && len(p.found) > 0 {
			continue
		}
		for {
			k := strings.Index(low, ph.text)
			if k < 0 {
				break
			}
			p.addCode(ph.code, k)
			low = low[:k] + strings.Repeat(" ", len(ph.text)) + low[k+len(ph.text):]
		}
	}
}

// reply classifies the quoted server reply.
func (p *parser) reply() {
	r := strings.ToLower(p.d.ServerResponse)
	pos := strings.Index(p.text, p.d.ServerResponse)
	switch {
	case r == "":
	case patternIn(r) != nil:
		p.addCode("reply-"+string(patternIn(r).Cause), pos)
	case strings.HasPrefix(r, "421") || strings.Contains(r, "too many connections"):
		p.addCode("reply-421", pos)
	case strings.Contains(r, "starttls"):
		p.addCode("reply-starttls", pos)
	case strings.Contains(r, "relay") || strings.Contains(r, "5.7.1") || strings.Contains(r, "authentication required") || strings.HasPrefix(r, "530 5.7.0"):
		p.addCode("reply-relay", pos)
	case strings.HasPrefix(r, "535") || strings.HasPrefix(r, "530") || strings.Contains(r, "5.7.8") ||
		(strings.HasPrefix(r, "-err") && (strings.Contains(r, "pass") || strings.Contains(r, "login") || strings.Contains(r, "auth") || strings.Contains(r, "user"))):
		p.addCode("reply-auth", pos)
	}
}

// kindRank orders codes most specific first.
var kindRank = map[CodeKind]int{KindReply: 0, KindWinSock: 1, KindErrno: 1, KindGnuTLS: 1, KindMessage: 2, KindOutlook: 3}

// order sorts and de-duplicates the codes found and fills SocketError.
func (p *parser) order() {
	sort.SliceStable(p.found, func(i, j int) bool {
		a, b := p.found[i], p.found[j]
		if kindRank[a.info.Kind] != kindRank[b.info.Kind] {
			return kindRank[a.info.Kind] < kindRank[b.info.Kind]
		}
		return a.pos < b.pos
	})
	seen := map[string]bool{}
	for _, f := range p.found {
		if seen[f.info.Code] {
			continue
		}
		seen[f.info.Code] = true
		p.d.Codes = append(p.d.Codes, f.info.Code)
		if p.d.SocketError == 0 {
			p.d.SocketError = f.info.WinSock()
		}
	}
}

var (
	// protoWordRE finds protocol names in running text and host names.
	protoWordRE = regexp.MustCompile(`(?i)\b(smtp|pop3|pop|imap4?|sftp|ftps?)\b`)
	// sshRE recognises WinSCP's SSH sessions (SFTP, SCP).
	sshRE = regexp.MustCompile(`(?i)exit status|\bscp\b|\bsftp\b|\bssh\b`)
)

// portService is the service a standard port belongs to.
var portService = map[int]string{25: "SMTP", 465: "SMTP", 587: "SMTP", 2525: "SMTP", 110: "POP3", 995: "POP3", 143: "IMAP", 993: "IMAP", 21: "FTP", 990: "FTP"}

// protocol infers the protocol when no "Protocol:" field named it: from the
// task (Sending → SMTP), the client (FTP clients → FTP, or SFTP for WinSCP's
// SSH sessions), a code that belongs to one service, a protocol word in the
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
		case ClientWinSCP:
			guess = "FTP"
			if sshRE.MatchString(p.text) {
				guess = "SFTP"
			}
		case ClientFileZilla, ClientCuteFTP:
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
	p.d.Protocol, p.d.ProtocolGuessed = guess, guess != ""
}

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

// Explain is the text `assistant explain` prints: what was recognised,
// what each code means, the likely causes (ID and a short phrase), and the
// `assistant check` command that would confirm them.
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

	if len(d.Codes) > 0 || d.ErrorCode != "" {
		b.WriteByte('\n')
		line(false, l.T("decode.heading.codes"))
		if _, known := LookupCode(d.ErrorCode); d.ErrorCode != "" && !known {
			line(true, d.ErrorCode+" — "+l.T("decode.code.unknown"))
		}
		for _, c := range d.Codes {
			info, _ := LookupCode(c)
			name := c
			if info.Kind == KindMessage || info.Kind == KindReply {
				name = l.T("decode.kind." + string(info.Kind))
			} else if len(info.Names) > 0 {
				name += " (" + strings.Join(info.Names, ", ") + ")"
			}
			line(true, name+" — "+info.Meaning(l))
		}
	}

	b.WriteByte('\n')
	if causes := d.Causes(); len(causes) > 0 {
		line(false, l.T("decode.heading.causes"))
		for _, c := range causes {
			line(true, string(c)+" — "+l.T("decode.cause."+string(c)))
		}
	} else {
		line(false, l.T("decode.no_causes"))
	}

	t := d.Target(checks.Target{}, Explicit{})
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

// explainFields lists the recognised fields, one line each.
func explainFields(d Decoded, l Lang) []string {
	var out []string
	add := func(key string, v any) { out = append(out, l.T(key, "value", v)) }
	if d.Account != "" {
		add("decode.field.account", d.Account)
	}
	switch {
	case d.HostMissing():
		add("decode.field.server_empty", "")
	case d.ServerGiven:
		add("decode.field.server", d.Server)
	}
	if d.Protocol != "" {
		if d.ProtocolGuessed {
			add("decode.field.protocol_guessed", d.Protocol)
		} else {
			add("decode.field.protocol", d.Protocol)
		}
	}
	if d.Port != 0 {
		add("decode.field.port", d.Port)
	}
	if d.SSL != nil {
		if *d.SSL {
			add("decode.field.ssl_yes", "")
		} else {
			add("decode.field.ssl_no", "")
		}
	}
	if d.SocketError != 0 {
		add("decode.field.socket_error", d.SocketError)
	}
	if d.ErrorCode != "" {
		add("decode.field.error_code", d.ErrorCode)
	}
	if d.ServerResponse != "" {
		add("decode.field.server_response", d.ServerResponse)
	}
	return out
}
