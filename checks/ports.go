package checks

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"sync"
)

// WarnNoPortAnswered is the ports check's warning when no probed port spoke
// the service (neither a greeting nor a TLS handshake).
const WarnNoPortAnswered = "no-port-answered"

// maxGreeting bounds the first line read from a port.
const maxGreeting = 1024

// probePorts probes the service's standard ports (Options.Ports when set)
// and the configured port, each in its own goroutine with its own step
// deadline, all joined before it returns. Each port gets one answer: the
// service's greeting (also a busy one: 421, -ERR, * BYE), a completed TLS
// handshake on an implicit-TLS port (certificates are not judged here),
// an SSH banner on the SSH port probed beside FTP, silence, other bytes, or closed with the classified connect fault. The
// check reports facts and passes; it warns when no port answered.
func probePorts(ctx context.Context, s *Session) {
	rec := s.Rec(CheckPorts)
	ports := s.portList()
	facts := make([]PortFacts, len(ports))
	var wg sync.WaitGroup
	for i := range ports {
		wg.Go(func() { facts[i] = s.probePort(ctx, ports[i]) })
	}
	wg.Wait()
	answered := false
	for _, p := range facts {
		detail := p.Answer
		if p.Greeting != "" {
			detail += ": " + p.Greeting
		}
		var err error
		if p.Fault != nil {
			err = p.Fault
		}
		rec.Step("port "+strconv.Itoa(p.Port), detail, err)
		answered = answered || p.Answered()
	}
	rec.Facts(func(r *Result) { r.Ports = facts })
	switch {
	case ctx.Err() != nil:
		rec.Fail(StageConnect, ctx.Err())
	case !answered:
		rec.Warn(WarnNoPortAnswered)
	}
}

// portList is the ports to probe: the standard ones (or Options.Ports),
// for FTP also the SSH port (SFTPPort), except the configured port. The tcp and protocol checks own that one: a
// second connection to it beside theirs could itself exhaust a server's
// connection limit and make a one-client server answer 421.
func (s *Session) portList() []PortFacts {
	std := s.opt.Ports
	if std == nil {
		std = StandardPorts(s.Target.Service)
	}
	out := make([]PortFacts, 0, len(std)+1)
	for _, p := range std {
		if p.Port != s.Target.Port {
			out = append(out, PortFacts{Port: p.Port, Security: p.Security})
		}
	}
	if ssh := s.sshPort(); s.Target.Service == FTP && ssh != s.Target.Port {
		out = append(out, PortFacts{Port: ssh, Security: SecurityNone, SSH: true})
	}
	return out
}

// sshPort is the port probed for an SSH banner beside FTP.
func (s *Session) sshPort() int {
	if s.opt.SSHPort != 0 {
		return s.opt.SSHPort
	}
	return SFTPPort
}

// probePort connects to one port and judges its first words.
func (s *Session) probePort(ctx context.Context, p PortFacts) (res PortFacts) {
	start := timeNow()
	defer func() { res.Duration = timeNow().Sub(start) }()
	c, err := s.Dial(ctx, s.Addr(p.Port), nil)
	if err != nil {
		p.Answer, p.Fault = AnswerClosed, Classify(err, StageConnect)
		return p
	}
	defer c.Close()
	if p.Security == SecurityTLS {
		cfg := &tls.Config{InsecureSkipVerify: true} // trust is the tls check's business
		if _, err := netip.ParseAddr(s.Target.Host); err != nil {
			cfg.ServerName = s.Target.Host
		}
		if _, err := c.StartTLS(cfg); err != nil {
			p.Fault = Classify(err, StageTLSHandshake)
			var rh tls.RecordHeaderError
			switch {
			case p.Fault.Kind == FaultTimeout:
				p.Answer = AnswerSilent
			case errors.As(err, &rh):
				p.Answer, p.Greeting = AnswerOther, printable(string(rh.RecordHeader[:]))
			default:
				p.Answer = AnswerOther
			}
			return p
		}
		p.Answer = AnswerTLS
	}
	c.Arm()
	line, err := bufio.NewReaderSize(c, maxGreeting).ReadSlice('\n')
	text := printable(strings.TrimRight(string(line), "\r\n"))
	switch {
	case p.Answer == AnswerTLS:
		if isGreeting(s.Target.Service, text) {
			p.Greeting = text
		}
	case p.SSH && IsSSHBanner(text):
		p.Answer, p.Greeting = AnswerSSH, text
	case len(line) == 0:
		p.Answer = AnswerSilent
		if f := Classify(err, StageGreeting); f.Kind != FaultTimeout {
			p.Fault = f
		}
	case isGreeting(s.Target.Service, text):
		p.Answer, p.Greeting = AnswerGreeting, text
	default:
		p.Answer, p.Greeting = AnswerOther, text
	}
	return p
}

// IsSSHBanner reports whether a first line is an SSH server's protocol
// identification (RFC 4253 section 4.2: "SSH-protoversion-softwareversion").
func IsSSHBanner(line string) bool { return strings.HasPrefix(line, "SSH-") }

// isGreeting reports whether a first line is the service's greeting,
// including the ones that say busy or goodbye (421, -ERR, * BYE).
func isGreeting(svc Service, line string) bool {
	up := strings.ToUpper(line)
	var prefixes []string
	switch svc {
	case SMTP:
		prefixes = []string{"220", "421", "554"}
	case FTP:
		prefixes = []string{"220", "421", "120"}
	case POP3:
		prefixes = []string{"+OK", "-ERR"}
	case IMAP:
		prefixes = []string{"* OK", "* PREAUTH", "* BYE"}
	}
	for _, pre := range prefixes {
		if strings.HasPrefix(up, pre) {
			if len(pre) == 3 && pre[0] >= '0' && pre[0] <= '9' && len(up) > 3 && up[3] != ' ' && up[3] != '-' {
				return false
			}
			return true
		}
	}
	return false
}
