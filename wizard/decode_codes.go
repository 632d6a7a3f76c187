package wizard

// Bare codes: the codes recognised in any text whatever the client — Outlook
// HRESULTs, WinSock numbers and names, Unix errno names, GnuTLS errors, the
// system's message texts — and the kind of server reply the message quotes.

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

var (
	// hexRE finds Outlook codes with or without 0x.
	hexRE = regexp.MustCompile(`(?i)\b0x([0-9a-f]{8})\b|\b(800ccc[0-9a-f]{2}|8004[0-9a-f]{4})\b`)
	// nameRE finds WinSock and errno names.
	nameRE = regexp.MustCompile(`(?i)\b(?:WSA[A-Z_]{2,20}|E[A-Z_]{3,14})\b`)
	// numberRE finds WinSock numbers.
	numberRE = regexp.MustCompile(`\b(1[01]0\d\d)\b`)
	// gnutlsRE finds FileZilla's GnuTLS errors.
	gnutlsRE = regexp.MustCompile(`(?i)gnutls error\s*(-\d{1,4})`)
	// hostPortRE finds a bare "host:port" anywhere.
	hostPortRE = regexp.MustCompile(`(?i)\b((?:[a-z0-9-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b`)
)

// phrases maps message texts (lower case) to codes; a longer phrase is
// listed before the shorter one it contains, which it then hides. The
// WinSock texts are Windows' own (FormatMessage of the WSAE* codes,
// https://learn.microsoft.com/windows/win32/winsock/windows-sockets-error-codes-2),
// the FileZilla ones from its source (src/engine, src/interface), the
// Thunderbird ones from its en-US and ru string bundles (mailnews).
var phrases = []struct{ text, code string }{
	{"seconds of inactivity", "filezilla-inactivity"}, // "Connection timed out after 20 seconds of inactivity"
	{"connection timed out after", ""},                // FileZilla's, no TCP time-out
	{"timed out waiting for a response", ""},          // Outlook's server timeout: its own code says it
	{"server did not properly shut down tls connection", "GNUTLS-110"},
	{"received tls alert from the server", "GNUTLS-12"},
	{"gnutls could not read from socket", "GNUTLS-54"},
	{"gnutls could not write to socket", "GNUTLS-53"},
	{"the data connection could not be established", "filezilla-data-connection"},
	{"server sent passive reply with unroutable address", "filezilla-unroutable"},
	{"an existing connection was forcibly closed by the remote host", "10054"},
	{"принудительно разорвал существующее подключение", "10054"},
	{"connection reset by peer", "10054"},
	{"connection was reset", "10054"},
	{"было сброшено", "10054"},
	{" was reset", "10054"}, // Thunderbird: "The connection to the server pop.example.com was reset."
	{"software caused connection abort", "10053"},
	{"an established connection was aborted by the software in your host machine", "10053"},
	{"разорвала установленное подключение", "10053"},
	{"no connection could be made because the target machine actively refused it", "10061"},
	{"отверг запрос на подключение", "10061"},
	{"connection refused", "10061"},
	{"the connection was refused", "10061"},
	{"a connection attempt failed because the connected party did not properly respond", "10060"},
	{"попытка установить соединение была безуспешной", "10060"},
	{"connection attempt timed out", "10060"},
	{"connection timed out", "10060"},
	{"timed out", "10060"},
	{"превышено время ожидания", "10060"},
	{"network is unreachable", "10051"},
	{"a socket operation was attempted to an unreachable network", "10051"},
	{"no route to host", "10065"},
	{"a socket operation was attempted to an unreachable host", "10065"},
	{"nonauthoritative host not found", "11002"},
	{"non authoritative host not found", "11002"},
	{"non-recoverable error", "11003"},
	{"no such host is known", "11001"},
	{"этот хост неизвестен", "11001"},
	{"name or service not known", "11001"},
	{"host not found", "11001"},
	{"temporary failure in name resolution", "11002"},
	{"broken pipe", "EPIPE"},
	{"an attempt was made to access a socket in a way forbidden by its access permissions", "10013"},
	{"the certificate is not trusted", "cert-untrusted"},
	{"сертификат не является доверенным", "cert-untrusted"},
	{"uses an invalid security certificate", "cert-untrusted"},
	{"server sent command exit status", "closed-by-server"},
	{"connection has been unexpectedly closed", "closed-by-server"},
	{"server unexpectedly closed network connection", "closed-by-server"},
	{"connection closed by server", "closed-by-server"},
	{"could not connect to server", "connect-failed"},
	{"can't connect to remote server", "connect-failed"},
	{"cannot connect to the server", "connect-failed"},
	{"cannot connect to server", "connect-failed"},
	{"failed to connect to server", "connect-failed"},
	{"не удается подключиться к серверу", "connect-failed"},
	{"не удалось подключиться к серверу", "connect-failed"},
	{"не удалось соединиться с сервером", "connect-failed"},
}

// bareCodes finds every code in the text in any spelling, then orders them
// most specific first and fills ErrorCode and SocketError from them; with
// no server yet, a "host:port" in the text (the remote one of
// "local->remote") is taken as the server, with medium certainty.
func (p *parser) bareCodes() {
	if p.d.ErrorCode != "" {
		p.addCode(p.d.ErrorCode, -1)
	}
	for _, m := range p.findAll(hexRE, "0x", "800") {
		c := p.text[m[0]:m[1]]
		if p.d.ErrorCode == "" && hexCode(c) != "" {
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
	for _, m := range p.findAll(gnutlsRE, "gnutls") {
		p.addCode("GNUTLS"+p.text[m[2]:m[3]], m[0])
	}
	p.reply()
	p.phrases()
	p.order()
	if !p.d.ServerGiven && !p.d.ServerPlaceholder {
		var hostPort string
		for _, m := range hostPortRE.FindAllStringIndex(p.text, maxMatches) {
			if hostPort == "" || strings.HasSuffix(p.text[:m[0]], "->") {
				hostPort = p.text[m[0]:m[1]]
			}
		}
		p.setHost(hostPort, Medium)
	}
}

// findAll runs re only when the lower-case text holds one of the literals
// (every match contains one), and returns the submatch indexes of its matches.
func (p *parser) findAll(re *regexp.Regexp, literals ...string) [][]int {
	if !p.hasAny(literals...) {
		return nil
	}
	return re.FindAllStringSubmatchIndex(p.text, maxMatches)
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
// the vaguest, only counts when nothing more precise was found. A text a
// longer phrase covered is not read again by a shorter one.
func (p *parser) phrases() {
	covered := make([]bool, len(p.low))
	for _, ph := range phrases {
		if ph.code == "connect-failed" && len(p.found) > 0 {
			continue
		}
		for i, n := 0, 0; n < maxMatches; n++ {
			k := strings.Index(p.low[i:], ph.text)
			if k < 0 {
				break
			}
			k += i
			i = k + len(ph.text)
			if slices.Contains(covered[k:i], true) {
				continue
			}
			for j := k; j < i; j++ {
				covered[j] = true
			}
			code := ph.code
			if ph.text == "connection timed out" && p.d.Client == ClientFileZilla {
				// FileZilla's own "Connection timed out": nothing arrived
				// within its timeout (the OS's is "ETIMEDOUT - Connection attempt timed out").
				code = "filezilla-inactivity"
			}
			p.addCode(code, k)
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
