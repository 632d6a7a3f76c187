package wizard

// CuteFTP: its log ("STATUS:>  Connecting to ftp.example.com -> IP=1.2.3.4
// PORT=21", "ERROR:>  Can't connect to remote server. Socket error = #10061.").

import "regexp"

// cuteFTPReader reads CuteFTP's log.
type cuteFTPReader struct{}

func (cuteFTPReader) client() string { return ClientCuteFTP }

var (
	// cuteIPRE and cutePortRE read CuteFTP's "-> IP=1.2.3.4 PORT=21".
	cuteIPRE   = regexp.MustCompile(`(?i)\bIP=([0-9a-f.:]+)`)
	cutePortRE = regexp.MustCompile(`(?i)\bPORT=(\d{1,5})\b`)
	// cuteDataRE finds "Connecting FTP data socket... 192.0.2.1:1025": the
	// server's address, on a data port.
	cuteDataRE = regexp.MustCompile(`(?i)connecting ftp data socket\.*\s*([0-9a-f.:]+):\d{1,5}`)
	// cuteConnectingRE finds "Connecting to host".
	cuteConnectingRE = regexp.MustCompile(`(?i)connecting to\s+([^\s"“”'>,]+)`)
)

func (cuteFTPReader) score(p *parser) int {
	return p.score(3, "status:>", "error:>", "command:>", "-> ip=", "cuteftp")
}

func (cuteFTPReader) read(p *parser) {
	if m := cuteConnectingRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
	}
	if m := cuteIPRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
	}
	if m := cutePortRE.FindStringSubmatch(p.text); m != nil {
		p.setPort(m[1], High)
	}
	if m := cuteDataRE.FindStringSubmatch(p.text); m != nil {
		p.setServer(m[1], Medium)
	}
}
