package wizard

// WinSCP: its error dialogs ("Network error: Connection to "host" refused.",
// "Host "x" does not exist.", "Connection has been unexpectedly closed.
// Server sent command exit status 0.") and its session log ("Looking up
// host "x"", "Connecting to 192.0.2.1 port 22").

import (
	"regexp"
	"strings"
)

// winSCPReader reads WinSCP's messages and log.
type winSCPReader struct{}

func (winSCPReader) client() string { return ClientWinSCP }

var (
	// winRefusedRE finds "Connection to "host" refused/timed out".
	winRefusedRE = regexp.MustCompile(`(?i)connection to\s+["“”']([^\s"“”']+)["“”']\s+(refused|timed out)`)
	// winNoHostRE finds "Host "x" does not exist".
	winNoHostRE = regexp.MustCompile(`(?i)host\s+["“”']([^"“”'\s]+)["“”']\s+does not exist`)
	// winLookingRE finds the log's `Looking up host "x"`.
	winLookingRE = regexp.MustCompile(`(?i)looking up host\s+["“”']([^"“”'\s]+)["“”']`)
	// winConnectingRE finds the log's "Connecting to 192.0.2.1 port 22".
	winConnectingRE = regexp.MustCompile(`(?i)connecting to\s+(\S+)\s+port\s+(\d{1,5})`)
	// winLogHostRE and winLogProtocolRE read the session log's head
	// ("Host name: 127.0.0.1 (Port: 22222)", "Transfer Protocol: FTP"),
	// also written by NetBox, WinSCP's Far Manager port.
	winLogHostRE     = regexp.MustCompile(`(?im)^\s*host name:\s*(\S+)\s*\(port:\s*(\d{1,5})\)`)
	winLogProtocolRE = regexp.MustCompile(`(?im)^\s*transfer protocol:\s*(sftp|scp|ftps?|webdav|s3)\b`)
	// sshRE recognises WinSCP's SSH sessions (SFTP, SCP).
	sshRE = regexp.MustCompile(`(?i)exit status|\bscp\b|\bsftp\b|\bssh\b|host key`)
)

func (winSCPReader) score(p *parser) int {
	s := p.score(5, "winscp")
	s += p.score(3, "server sent command exit status", "connection has been unexpectedly closed", "looking up host",
		"transfer protocol:", "netbox version", "winscp version")
	if p.hasAny("connection to") && winRefusedRE.MatchString(p.text) {
		s += 3
	}
	if p.hasAny("does not exist") && winNoHostRE.MatchString(p.text) {
		s += 3
	}
	return s + p.score(1, "network error:", "unexpectedly closed", "authentication failed")
}

func (winSCPReader) read(p *parser) {
	for _, m := range winRefusedRE.FindAllStringSubmatchIndex(p.text, maxLogLines) {
		p.setHost(p.text[m[2]:m[3]], High)
		code := "10061"
		if strings.EqualFold(p.text[m[4]:m[5]], "timed out") {
			code = "10060"
		}
		p.addCode(code, m[0])
	}
	if m := winNoHostRE.FindStringSubmatchIndex(p.text); m != nil {
		p.setHost(p.text[m[2]:m[3]], High)
		p.addCode("11001", m[0])
	}
	if m := winLookingRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
	}
	if m := winConnectingRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
		p.setPort(m[2], High)
	}
	if p.hasAny("host name:") {
		if m := winLogHostRE.FindStringSubmatch(p.text); m != nil {
			p.setHost(m[1], High)
			p.setPort(m[2], High)
		}
	}
	if m := winLogProtocolRE.FindStringSubmatch(p.text); p.hasAny("transfer protocol:") && m != nil {
		p.d.Protocol, p.d.Sure[SureProtocol] = strings.ToUpper(m[1]), High
		return
	}
	if sshRE.MatchString(p.text) || p.d.Port == 22 {
		p.d.Protocol, p.d.ProtocolGuessed, p.d.Sure[SureProtocol] = "SFTP", true, Medium
	}
}
