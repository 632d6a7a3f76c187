package wizard

// The Outlook family: Outlook 2000–2021, Outlook Express, Windows Mail and
// Windows Live Mail share the "Account: …, Server: …, Protocol: …, Port: …,
// Secure(SSL): …, Socket Error: …, Error Number: 0x…" block and the
// "Task 'name - Sending' reported error (0x…)" line, in English and Russian.

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// outlookReader reads the Outlook family's messages.
type outlookReader struct{}

func (outlookReader) client() string { return ClientOutlook }

// outlookPhrases are texts only the Outlook family shows.
var outlookPhrases = []string{
	"outlook express", "microsoft outlook", "outlook cannot", "outlook could not", "windows mail", "windows live mail",
	"почта windows", "the connection to the server has failed", "cannot connect to the server",
	"the connection to the server was interrupted", "the server could not be found",
	"unexpectedly terminated the connection", "your imap server closed the connection",
	"your imap server has closed the connection", "error number:", "error id:",
	"номер ошибки:", "код ошибки:", "ошибка сокета:",
}

// outlookCodeRE finds the family's own HRESULTs (IXP_E_*, SMTP_E_*, POP3_E_*, IMAP_E_*, MAPI).
var outlookCodeRE = regexp.MustCompile(`(?i)\b(?:0x)?(?:800ccc[0-9a-f]{2}|8004210[0-9a-f])\b`)

func (outlookReader) score(p *parser) int {
	f := p.outlookFields()
	s := 0
	if f.count >= 2 {
		s += 2 * f.count
	}
	if p.hasAny("task", "задач") && taskRE.MatchString(p.text) {
		s += 4
	}
	s += p.score(2, outlookPhrases...)
	if s == 0 {
		// A bare code, or prose without the family's fields, is no Outlook message.
		return 0
	}
	if p.hasAny("800") && outlookCodeRE.MatchString(p.text) { // every family code has "800"
		s += 3
	}
	return s
}

func (outlookReader) read(p *parser) {
	f := p.outlookFields()
	p.d.Account, p.d.Protocol, p.d.Port, p.d.SSL = f.d.Account, f.d.Protocol, f.d.Port, f.d.SSL
	p.d.SocketError, p.d.ErrorCode, p.d.ServerResponse = f.d.SocketError, f.d.ErrorCode, f.d.ServerResponse
	p.d.ServerPlaceholder, p.d.URL = f.d.ServerPlaceholder, f.d.URL
	if f.d.ServerGiven {
		p.d.Server, p.d.ServerGiven = f.d.Server, true
	}
	for k, v := range f.d.Sure {
		p.d.Sure[k] = v
	}
	p.found = append(p.found, f.found...)
	p.task()
}

// outlookFields is what the "Key: value" fields of a text hold.
type outlookFields struct {
	d     Decoded
	found []foundCode
	count int
}

// outlookFields reads the fields once (the score needs them, then read).
func (p *parser) outlookFields() *outlookFields {
	if p.outlook == nil {
		q := &parser{text: p.text, low: p.low}
		q.d.Sure = map[string]Confidence{}
		n := q.fields()
		p.outlook = &outlookFields{d: q.d, found: q.found, count: n}
	}
	return p.outlook
}

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
	fServerError
)

// keyRE finds the field names of Outlook messages in English and Russian;
// longer names come first so that "Server Response" wins over "Server".
// A field name may wrap ("Socket\n  Error").
var keyRE = regexp.MustCompile(`(?i)(secure\s*\(\s*ssl\s*\)|защита\s*\(\s*ssl\s*\)|server\s*response|ответ\s+сервера|server\s+error|ошибка\s+сервера|account|уч[её]тная\s+запись|server|сервер|protocol|протокол|port|порт|socket\s*error|ошибка\s+сокета|error\s*number|error\s*code|error\s*id|код\s+ошибки|номер\s+ошибки)`)

// keyStartRE is keyRE anchored, for matching at a candidate position.
var keyStartRE = regexp.MustCompile(`^` + keyRE.String())

// keyStems are the lower-case beginnings of every key of keyRE.
var keyStems = []string{"secure", "защита", "server", "ответ", "account", "уч", "сервер", "protocol", "протокол",
	"port", "порт", "socket", "ошибка", "error", "код", "номер"}

// keyMatches finds the keys of keyRE in the text, in order, without
// overlaps. It looks only where a key's stem starts (found in the
// lower-case text, whose offsets match the text's), so that a long text
// without keys costs a few substring searches instead of a regular
// expression over every byte.
func (p *parser) keyMatches() [][]int {
	var starts []int
	for _, stem := range keyStems {
		for i, n := 0, 0; n < maxMatches; n++ {
			k := strings.Index(p.low[i:], stem)
			if k < 0 {
				break
			}
			starts = append(starts, i+k)
			i += k + len(stem)
		}
	}
	sort.Ints(starts)
	var out [][]int
	next := 0
	for _, st := range starts {
		if st < next || len(out) >= maxMatches {
			continue
		}
		m := keyStartRE.FindStringIndex(p.text[st:min(len(p.text), st+64)])
		if m == nil {
			continue
		}
		out = append(out, []int{st, st + m[1]})
		next = st + m[1]
	}
	return out
}

// keyField names the field a matched key stands for.
func keyField(key string) field {
	k := strings.Join(strings.Fields(strings.ToLower(key)), "")
	switch {
	case strings.HasPrefix(k, "secure"), strings.HasPrefix(k, "защита"):
		return fSSL
	case strings.HasPrefix(k, "serverresponse"), strings.HasPrefix(k, "ответ"):
		return fResponse
	case strings.HasPrefix(k, "servererror"), strings.HasPrefix(k, "ошибкасервера"):
		return fServerError
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

// fields reads "Key: 'value'" pairs and returns how many it read. A key
// counts when it starts a clause (after a comma, semicolon, period, line
// break, tab, closing quote or the start) and a separator (":", "=", ";")
// follows it, or its value is quoted or has the field's type; a socket
// error or error number field may also stand inside a clause ("Windows Live
// Mail Error ID: 0x…"), its value being a code.
func (p *parser) fields() int {
	var keys [][]int
	for _, m := range p.keyMatches() {
		before, _ := utf8.DecodeLastRuneInString(p.text[:m[0]])
		after, _ := utf8.DecodeRuneInString(p.text[m[1]:])
		if isWordRune(before) || isWordRune(after) {
			continue
		}
		// A key word inside a value ("--- Server closing connection") is
		// neither a key nor the end of the value before it.
		f := keyField(p.text[m[0]:m[1]])
		if !startsClause(p.text, m[0]) && !((f == fSocket || f == fCode) && hasSeparator(p.text, m[1])) {
			continue
		}
		keys = append(keys, m)
	}
	n := 0
	for i, m := range keys {
		bound := len(p.text)
		if i+1 < len(keys) {
			bound = keys[i+1][0]
		}
		if p.field(keyField(p.text[m[0]:m[1]]), m[0], m[1], bound) {
			n++
		}
	}
	return n
}

// startsClause reports whether a key at start begins a clause.
func startsClause(s string, start int) bool {
	clause := strings.TrimRight(s[:start], " \t")
	if clause == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(clause)
	return strings.ContainsRune(",;.\n'’\"”»)", r)
}

// hasSeparator reports a ":", "=" or ";" after the key ending at end.
func hasSeparator(s string, end int) bool {
	r, _ := utf8.DecodeRuneInString(s[skipSpaces(s, end):])
	return r == ':' || r == '=' || r == '：' || r == ';'
}

// field reads the value of one key found at [start, end); bound is where
// the next key starts. It reports whether a value was read.
func (p *parser) field(f field, start, end, bound int) bool {
	i := skipSpaces(p.text, end)
	sep := false
	if r, n := utf8.DecodeRuneInString(p.text[i:]); r == ':' || r == '=' || r == '：' || r == ';' {
		sep = true
		i = skipSpaces(p.text, i+n)
	}
	typed := f == fSocket || f == fCode
	if !startsClause(p.text, start) && !(typed && sep) {
		return false
	}
	if sep {
		// A value wrapped onto the next line: "Server:\n  'smtp.example.com'".
		if j := skipBlankLines(p.text, i, 2); j < bound {
			i = j
		}
	}
	if i > bound {
		return false
	}
	val, quoted := readValue(p.text, i, bound)
	ok := sep || quoted
	switch f {
	case fAccount:
		if ok = ok && val != ""; ok && p.d.Account == "" {
			p.d.Account, p.d.Sure[SureAccount] = unwrap(val), High
		}
	case fServer:
		// Empty only when the message shows it empty and quoted: "Server: ''".
		if ok = quoted || (sep && val != ""); ok && !p.d.ServerGiven {
			p.setServer(unwrap(val), High)
		}
	case fResponse:
		if !quoted {
			val = strings.TrimRight(val, ". ")
		}
		if ok = ok && val != ""; ok && p.d.ServerResponse == "" {
			p.d.ServerResponse = unwrap(val)
		}
	case fServerError:
		ok = false
	case fProtocol:
		if v := protocolToken(val); v != "" && p.d.Protocol == "" {
			p.d.Protocol, p.d.Sure[SureProtocol], ok = v, High, true
		} else {
			ok = false
		}
	case fPort:
		if n := leadingInt(val); n > 0 && n <= 65535 && p.d.Port == 0 {
			p.d.Port, p.d.Sure[SurePort], ok = n, High, true
		} else {
			ok = false
		}
	case fSSL:
		if b, isBool := yesNo(val); isBool && p.d.SSL == nil {
			p.d.SSL, p.d.Sure[SureSecurity], ok = &b, High, true
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
	return ok
}

// skipSpaces returns the index of the first non-blank byte at or after i
// (line breaks are not blanks).
func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// skipBlankLines skips blanks and at most lines line breaks from i.
func skipBlankLines(s string, i, lines int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\r':
			i++
		case s[i] == '\n' && lines > 0:
			lines--
			i++
		default:
			return i
		}
	}
	return i
}

// wrapRE finds a line break with the indentation around it.
var wrapRE = regexp.MustCompile(`[ \t]*\r?\n[ \t]*`)

// unwrap joins a value the dialog or the article wrapped onto several lines.
func unwrap(v string) string { return wrapRE.ReplaceAllString(v, "") }

// closers lists, for each opening quote, the quotes that may close it
// (Russian and Word-corrected texts mix them).
var closers = map[rune]string{
	'\'': "'’", '‘': "’‘'", '’': "’'", '‚': "’‘'", '`': "`'",
	'"': "\"”", '“': "”“\"", '”': "”\"", '„': "“”\"",
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
				if k >= len(s) || strings.ContainsAny(s[k:k+1], ",;\r\n)") || k >= bound ||
					(s[k] == '.' && (k+1 >= len(s) || s[k+1] == ' ' || s[k+1] == '\n' || s[k+1] == '\r')) {
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
// "Задача "x - Отправка" сообщила об ошибке", "при выполнении задачи "x -
// Получение"". The name may wrap.
var taskRE = regexp.MustCompile(`(?i)(?:task|задач\p{L}*)\s*["'‘’“”«„]([^"'‘’“”«»„]{1,256}?)\s+-\s+(\p{L}[\p{L} ]{0,40}?)\s*["'‘’“”»]`)

// task reads the Outlook task name: the account, and whether it was sending or receiving.
func (p *parser) task() {
	if !p.hasAny("task", "задач") {
		return
	}
	m := taskRE.FindStringSubmatch(p.text)
	if m == nil {
		return
	}
	if p.d.Account == "" {
		p.d.Account, p.d.Sure[SureAccount] = unwrap(strings.TrimSpace(m[1])), High
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
