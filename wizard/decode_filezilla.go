package wizard

// FileZilla: its message log ("Status:", "Command:", "Response:", "Error:"
// lines; Russian "Статус:", "Команда:", "Ответ:", "Ошибка:"), for FTP, FTPS
// and SFTP. The log names its server in "Resolving address of HOST",
// "Connecting to HOST:PORT..." and, for SFTP, `Command: open "user@host" 22`.

import (
	"regexp"
	"strings"

	"assistant/checks"
)

// fileZillaReader reads FileZilla's message log.
type fileZillaReader struct{}

func (fileZillaReader) client() string { return ClientFileZilla }

var (
	// fzLineRE finds FileZilla's log prefixes, in English and Russian.
	fzLineRE = regexp.MustCompile(`(?im)^\s*(?:status|command|response|trace|error|статус|команда|ответ|ошибка):\s`)
	// fzStatusRE finds the log prefixes only FileZilla writes.
	fzStatusRE = regexp.MustCompile(`(?im)^\s*(?:status|command|response|trace|статус|команда|ответ):\s`)
	// fzResponseRE finds FileZilla's server replies.
	fzResponseRE = regexp.MustCompile(`(?im)^\s*(?:response|ответ):\s*([1-5]\d\d[ -][^\r\n]*)`)
	// fzResolvingRE finds the host name FileZilla resolves.
	fzResolvingRE = regexp.MustCompile(`(?i)(?:resolving address of|определение ip-адреса для)\s+["“”']?([^\s"“”']+)`)
	// fzConnectingRE finds "Connecting to host:port..." (Russian "Соединение с").
	fzConnectingRE = regexp.MustCompile(`(?im)^\s*(?:status|статус):\s*(?:connecting to|соединение с|подключение к)\s+(\[[0-9a-f:.]+\](?::\d{1,5})?|[^\s"“”'>,]+)`)
	// fzTraceConnectRE finds the SFTP engine's trace "Connecting to 192.0.2.1 port 22".
	fzTraceConnectRE = regexp.MustCompile(`(?im)^\s*trace:\s*connecting to\s+(\S+)\s+port\s+(\d{1,5})`)
	// fzOpenRE finds the SFTP engine's `open "user@host" 22`.
	fzOpenRE = regexp.MustCompile(`(?i)\bopen\s+"([^"\s]+)"\s+(\d{1,5})`)
	// fzSFTPRE finds the marks of an SFTP session.
	fzSFTPRE = regexp.MustCompile(`(?i)fzsftp|\bopen\s+"[^"\s]+"\s+\d|sftp://|\bssh\b|host key|hostkey`)
)

// maxLogLines bounds how many lines of one kind a client log reader looks at.
const maxLogLines = 32

func (fileZillaReader) score(p *parser) int {
	s := 0
	if fzStatusRE.MatchString(p.text) {
		// "Error:" lines alone are any program's; with a Status, Command or
		// Response line they are FileZilla's log.
		s = len(fzLineRE.FindAllStringIndex(p.text, 64))
	}
	s += p.score(5, "filezilla", "fzsftp", "gnutls")
	s += p.score(2, "could not connect to server", "seconds of inactivity", "waiting for welcome message",
		"initializing tls", "connection established", "не удалось подключиться к серверу")
	return s
}

func (fileZillaReader) read(p *parser) {
	for _, m := range fzResponseRE.FindAllStringSubmatch(p.text, maxLogLines) {
		if m[1][0] >= '4' {
			p.d.ServerResponse = strings.TrimSpace(m[1])
		}
	}
	if m := fzOpenRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
		p.setPort(m[2], High)
	}
	if m := fzResolvingRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
	}
	if m := fzTraceConnectRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
		p.setPort(m[2], High)
	}
	for _, m := range fzConnectingRE.FindAllStringSubmatch(p.text, maxLogLines) {
		// The name it resolved stays the server; the address gives the port.
		p.setHost(m[1], High)
		_, port := splitHostPort(m[1])
		p.setPort(port, High)
	}
	if p.hasAny("sftp", "open \"", "ssh", "host key", "hostkey") && fzSFTPRE.MatchString(p.text) {
		p.d.Protocol, p.d.ProtocolGuessed, p.d.Sure[SureProtocol] = "SFTP", true, Medium
		return
	}
	p.fileZillaTLS()
}

// fileZillaTLS reads the security mode from the log: "AUTH TLS" (or "AUTH
// SSL") is explicit TLS (starttls); TLS negotiated right after connecting
// ("Connection established, initializing TLS...") is implicit (tls);
// "Initializing TLS..." alone is explicit unless the port is 990.
func (p *parser) fileZillaTLS() {
	l := p.low
	switch {
	case strings.Contains(l, "auth tls") || strings.Contains(l, "auth ssl"):
		p.d.TLS = checks.SecurityStartTLS
	case strings.Contains(l, "connection established, initializing tls") ||
		strings.Contains(l, "соединение установлено, инициализация tls"):
		p.d.TLS = checks.SecurityTLS
	case strings.Contains(l, "initializing tls") || strings.Contains(l, "инициализация tls"):
		p.d.TLS = checks.SecurityStartTLS
		if p.d.Port == 990 {
			p.d.TLS = checks.SecurityTLS
		}
	default:
		return
	}
	p.d.Sure[SureSecurity] = Medium
}
