package wizard

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"assistant/checks"
)

// run builds synthetic results in plan order: every planned check passes
// with the facts a healthy server gives, until a case changes them.
type run struct {
	t  checks.Target
	rs []checks.Result
}

func newRun(svc checks.Service, port int, sec checks.Security) *run {
	t := checks.Target{Service: svc, Host: "mail.example.com", Port: port, Security: sec, User: "ann"}
	t = t.WithDefaults()
	b := &run{t: t}
	for _, id := range checks.Plan(t) {
		b.rs = append(b.rs, checks.Result{ID: id, Status: checks.StatusPass})
	}
	b.with(checks.CheckInput, func(r *checks.Result) {
		r.Input = &checks.InputFacts{RawHost: t.Host, Host: t.Host, Port: port}
	})
	b.with(checks.CheckDNS, func(r *checks.Result) {
		r.DNS = &checks.DNSFacts{Resolver: "system", Addresses: []string{"192.0.2.10"}, Outcome: "ok"}
	})
	b.with(checks.CheckPing, func(r *checks.Result) {
		r.Ping = &checks.PingFacts{Method: "icmp", ICMPAllowed: true, Sent: 3, Received: 3, Address: "192.0.2.10"}
	})
	b.with(checks.CheckTCP, func(r *checks.Result) { r.TCP = &checks.TCPFacts{Address: "192.0.2.10:25"} })
	b.with(checks.CheckAddresses, func(r *checks.Result) { r.Status, r.Skipped = checks.StatusSkip, checks.SkipNotApplicable })
	b.with(checks.CheckPorts, func(r *checks.Result) {
		for _, p := range checks.StandardPorts(svc) {
			answer := checks.AnswerGreeting
			if p.Security == checks.SecurityTLS {
				answer = checks.AnswerTLS
			}
			r.Ports = append(r.Ports, checks.PortFacts{Port: p.Port, Security: p.Security, Configured: p.Port == port, Answer: answer})
		}
	})
	b.with(checks.CheckTLS, func(r *checks.Result) {
		r.TLS = &checks.TLSFacts{Mode: "implicit", Offered: true, Version: "TLS 1.3", Issuer: "CN=R11,O=Let's Encrypt,C=US",
			Trusted: true, NameMatch: true}
	})
	b.with(checks.CheckID(svc), func(r *checks.Result) {
		r.Server = &checks.ServerFacts{Greeting: "mail.example.com ready", StartTLS: true, AuthMechs: []string{"PLAIN"}}
		if svc == checks.SMTP {
			r.Server.Relay = checks.RelayAccepted
		}
	})
	b.with(checks.CheckAuth, func(r *checks.Result) {
		r.Auth = &checks.AuthFacts{User: "ann", Mechanism: "PLAIN", Offered: true, Accepted: true}
	})
	b.with(checks.CheckFTPPassive, func(r *checks.Result) {
		r.Data = &checks.DataFacts{Mode: "passive", Command: "EPSV", Code: 229, Connected: true, Server: "192.0.2.10"}
	})
	b.with(checks.CheckFTPActive, func(r *checks.Result) {
		r.Data = &checks.DataFacts{Mode: "active", Command: "EPRT", Code: 200, Connected: true}
	})
	b.with(checks.CheckTransfer, func(r *checks.Result) {
		r.Transfer = &checks.TransferFacts{Mode: "passive", Size: 2 << 20, Sent: 2 << 20, ReadBack: 2 << 20,
			BytesPerSecond: 4 << 20, Verified: true, Deleted: true}
	})
	return b
}

// with changes the result of a planned check.
func (b *run) with(id checks.CheckID, fn func(*checks.Result)) *run {
	if r := checks.Find(b.rs, id); r != nil {
		fn(r)
	}
	return b
}

// fail records a fault on a check, as the recorder does, and skips the
// checks that depend on it (everything after it in the sequence but ports
// and ping, which run beside).
func (b *run) fail(id checks.CheckID, f checks.Fault, skipRest bool) *run {
	seen := false
	for i := range b.rs {
		r := &b.rs[i]
		switch {
		case r.ID == id:
			fc := f
			r.Status, r.Fault, seen = checks.StatusFail, &fc, true
		case seen && skipRest && r.ID != checks.CheckPorts && r.ID != checks.CheckPing:
			r.Status, r.Skipped, r.Fault = checks.StatusSkip, checks.SkipDependency, nil
			r.Server, r.Auth, r.Data, r.Transfer, r.TLS = nil, nil, nil, nil, nil
		}
	}
	return b
}

// port sets what the ports check saw on one port.
func (b *run) port(port int, answer string, kind checks.FaultKind) *run {
	return b.with(checks.CheckPorts, func(r *checks.Result) {
		for i := range r.Ports {
			if r.Ports[i].Port == port {
				r.Ports[i].Answer, r.Ports[i].Fault = answer, nil
				if kind != "" {
					r.Ports[i].Fault = &checks.Fault{Kind: kind, Stage: checks.StageConnect, WinSock: ws[kind]}
				}
			}
		}
	})
}

// allPorts closes every other port with the given fault kind.
func (b *run) allPorts(kind checks.FaultKind) *run {
	for _, p := range checks.StandardPorts(b.t.Service) {
		if p.Port != b.t.Port {
			b.port(p.Port, checks.AnswerClosed, kind)
		}
	}
	return b
}

func (b *run) noPing() *run {
	return b.with(checks.CheckPing, func(r *checks.Result) {
		r.Status = checks.StatusFail
		r.Ping.Received = 0
		r.Fault = &checks.Fault{Kind: checks.FaultTimeout, Stage: checks.StagePing, WinSock: checks.WSAETIMEDOUT}
	})
}

var ws = map[checks.FaultKind]int{
	checks.FaultRefused: checks.WSAECONNREFUSED, checks.FaultTimeout: checks.WSAETIMEDOUT,
	checks.FaultReset: checks.WSAECONNRESET, checks.FaultAborted: checks.WSAECONNABORTED,
	checks.FaultUnreachable: checks.WSAEHOSTUNREACH,
}

func flt(kind checks.FaultKind, stage checks.Stage) checks.Fault {
	return checks.Fault{Kind: kind, Stage: stage, WinSock: ws[kind]}
}

type diagCase struct {
	name     string
	run      *run
	want     Cause
	conf     Confidence
	evidence []string
	facts    map[string]string // a subset of the top finding's facts
	also     []Cause           // named too
	not      []Cause           // contradicted: never named
}

func smtp25() *run { return newRun(checks.SMTP, 25, checks.SecurityNone) }

func diagCases() []diagCase {
	expired := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	return slices.Concat(policyCases(), pathDiagCases(), []diagCase{
		{name: "host missing", want: HostMissing, conf: High, evidence: []string{"input"},
			run: smtp25().with(checks.CheckInput, func(r *checks.Result) {
				r.Input = &checks.InputFacts{Problem: checks.InputEmpty}
			}).fail(checks.CheckInput, flt(checks.FaultProtocol, checks.StageInput), true)},
		{name: "host malformed, cleaned and checked", want: HostMalformed, conf: High, evidence: []string{"input"},
			facts: map[string]string{"host": "mail.example.com", "raw_host": " smtp://mail.example.com:587 ", "port": "587"},
			not:   []Cause{NoProblemFound},
			run: newRun(checks.SMTP, 587, checks.SecurityStartTLS).with(checks.CheckInput, func(r *checks.Result) {
				r.Status = checks.StatusWarn
				r.Input = &checks.InputFacts{RawHost: " smtp://mail.example.com:587 ", Host: "mail.example.com", Port: 587,
					Changes: []string{"space", "scheme", "port"}}
			})},
		{name: "host malformed then not found", want: HostMalformed, conf: High, evidence: []string{"input"},
			also: []Cause{DNSNotFound},
			run: smtp25().with(checks.CheckInput, func(r *checks.Result) {
				r.Input = &checks.InputFacts{RawHost: "mial.example.com ", Host: "mial.example.com", Port: 25, Changes: []string{"space"}}
			}).fail(checks.CheckDNS, flt(checks.FaultNotFound, checks.StageResolve), true)},
		{name: "host trailing dot only is medium", want: HostMalformed, conf: Medium, evidence: []string{"input"},
			run: smtp25().with(checks.CheckInput, func(r *checks.Result) {
				r.Input = &checks.InputFacts{RawHost: "mail.example.com.", Host: "mail.example.com", Port: 25, Changes: []string{"trailing-dot"}}
			})},
		{name: "host invalid", want: HostMalformed, conf: High, evidence: []string{"input"},
			facts: map[string]string{"raw_host": "mail,example;com"},
			run: smtp25().with(checks.CheckInput, func(r *checks.Result) {
				r.Input = &checks.InputFacts{RawHost: "mail,example;com", Problem: checks.InputInvalid}
			}).fail(checks.CheckInput, flt(checks.FaultProtocol, checks.StageInput), true)},
		{name: "dns not found", want: DNSNotFound, conf: High, evidence: []string{"dns"},
			facts: map[string]string{"winsock": "11001", "resolver": "system"},
			run: smtp25().with(checks.CheckDNS, func(r *checks.Result) { r.DNS.Outcome = "not-found" }).
				fail(checks.CheckDNS, checks.Fault{Kind: checks.FaultNotFound, Stage: checks.StageResolve, WinSock: 11001}, true)},
		{name: "dns no address", want: DNSNotFound, conf: High, evidence: []string{"dns"},
			facts: map[string]string{"winsock": "11004"},
			run: smtp25().with(checks.CheckDNS, func(r *checks.Result) { r.DNS.Outcome = "no-address" }).
				fail(checks.CheckDNS, checks.Fault{Kind: checks.FaultNotFound, Stage: checks.StageResolve, WinSock: 11004}, true)},
		{name: "dns failure", want: DNSFailure, conf: High, evidence: []string{"dns"},
			facts: map[string]string{"winsock": "11002", "resolver": "127.0.0.1:5353"},
			run: smtp25().with(checks.CheckDNS, func(r *checks.Result) { r.DNS.Outcome, r.DNS.Resolver = "timeout", "127.0.0.1:5353" }).
				fail(checks.CheckDNS, checks.Fault{Kind: checks.FaultDNS, Stage: checks.StageResolve, WinSock: 11002}, true)},
		{name: "no route", want: NetworkUnreachable, conf: High, evidence: []string{"tcp"},
			facts: map[string]string{"winsock": "10065"}, not: []Cause{PortBlocked},
			run: smtp25().fail(checks.CheckTCP, flt(checks.FaultUnreachable, checks.StageConnect), true)},
		{name: "timeout, no ping, every port silent", want: NetworkUnreachable, conf: High,
			evidence: []string{"tcp", "ping", "ports"}, not: []Cause{PortBlocked},
			run: smtp25().noPing().allPorts(checks.FaultTimeout).fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true)},
		{name: "timeout, nothing else known", want: NetworkUnreachable, conf: Low, evidence: []string{"tcp"},
			also: []Cause{PortBlocked},
			run: smtp25().with(checks.CheckPing, func(r *checks.Result) { r.Ping = nil; r.Status = checks.StatusSkip }).
				with(checks.CheckPorts, func(r *checks.Result) { r.Ports = nil }).
				fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true)},
		{name: "port 25 filtered, 587 answers", want: PortBlocked, conf: High, evidence: []string{"tcp", "ping", "ports"},
			facts: map[string]string{"alt_port": "587", "alt_security": "starttls", "winsock": "10060"},
			not:   []Cause{NetworkUnreachable, ServiceDown},
			run: smtp25().port(2525, checks.AnswerClosed, checks.FaultTimeout).
				fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true)},
		{name: "filtered, host answers only by refusals", want: PortBlocked, conf: High, evidence: []string{"tcp", "ports"},
			not: []Cause{NetworkUnreachable},
			run: newRun(checks.IMAP, 993, checks.SecurityTLS).noPing().allPorts(checks.FaultRefused).
				fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true)},
		{name: "refused everywhere is service down, not blocked", want: ServiceDown, conf: High,
			evidence: []string{"tcp", "ping", "ports"}, facts: map[string]string{"ports": "25, 465, 587, 2525"},
			not: []Cause{PortBlocked, NetworkUnreachable, WrongPort},
			run: smtp25().allPorts(checks.FaultRefused).fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true)},
		{name: "refused everywhere without ping", want: ServiceDown, conf: Medium, evidence: []string{"tcp", "ports"},
			not: []Cause{PortBlocked},
			run: newRun(checks.POP3, 110, checks.SecurityNone).noPing().allPorts(checks.FaultRefused).
				fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true)},
		{name: "refused, 993 answers", want: WrongPort, conf: High, evidence: []string{"tcp", "ports"},
			facts: map[string]string{"alt_port": "993", "alt_security": "tls", "set_port": "993"},
			not:   []Cause{ServiceDown, PortBlocked},
			run:   newRun(checks.IMAP, 143, checks.SecurityNone).fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true)},
		{name: "odd port silent, 587 answers", want: WrongPort, conf: High, evidence: []string{"tcp", "smtp", "ports"},
			facts: map[string]string{"alt_port": "587"}, also: []Cause{GreetingTimeout},
			run: newRun(checks.SMTP, 26, checks.SecurityNone).fail(checks.CheckSMTP, flt(checks.FaultTimeout, checks.StageGreeting), true)},
		{name: "plain text to 465", want: SecurityMismatch, conf: High, evidence: []string{"smtp"},
			facts: map[string]string{"set_port": "465", "set_security": "tls", "kind": "timeout"},
			not:   []Cause{GreetingTimeout, WrongPort},
			run:   newRun(checks.SMTP, 465, checks.SecurityNone).fail(checks.CheckSMTP, flt(checks.FaultTimeout, checks.StageGreeting), true)},
		{name: "plain text to 990 reset", want: SecurityMismatch, conf: High, evidence: []string{"ftp"},
			not: []Cause{ConnectionReset},
			run: newRun(checks.FTP, 990, checks.SecurityNone).fail(checks.CheckFTP, flt(checks.FaultReset, checks.StageGreeting), true)},
		{name: "TLS to plain 143", want: SecurityMismatch, conf: High, evidence: []string{"tls"},
			facts: map[string]string{"set_security": "starttls"}, not: []Cause{TLSHandshake, TLSCertificate},
			run: newRun(checks.IMAP, 143, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS = &checks.TLSFacts{Mode: "implicit", Offered: true, Problem: checks.TLSNotTLS}
			}).fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: checks.TLSNotTLS}, true)},
		{name: "STARTTLS not offered", want: StartTLSUnavailable, conf: High, evidence: []string{"tls", "ports"},
			facts: map[string]string{"command": "STARTTLS", "alt_port": "465"},
			run: newRun(checks.SMTP, 587, checks.SecurityStartTLS).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS = &checks.TLSFacts{Mode: "starttls", Offered: false}
			}).fail(checks.CheckTLS, flt(checks.FaultProtocol, checks.StageStartTLS), true)},
		{name: "STLS refused", want: StartTLSUnavailable, conf: High, evidence: []string{"pop3", "ports"},
			facts: map[string]string{"command": "STLS", "reply": "-ERR TLS not available"},
			run: newRun(checks.POP3, 110, checks.SecurityStartTLS).
				fail(checks.CheckPOP3, checks.Fault{Kind: checks.FaultProtocol, Stage: checks.StageStartTLS, Reply: "-ERR TLS not available"}, true)},
		{name: "certificate expired", want: TLSCertificate, conf: High, evidence: []string{"tls"},
			facts: map[string]string{"not_after": "2025-03-01"}, not: []Cause{TLSHandshake, TLSIntercepted},
			run: newRun(checks.IMAP, 993, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS.Problem, r.TLS.NotAfter = checks.TLSExpired, expired
			}).fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: checks.TLSExpired}, true)},
		{name: "certificate for another name", want: TLSCertificate, conf: High, evidence: []string{"tls"},
			facts: map[string]string{"names": "*.hosting.example"},
			run: newRun(checks.FTP, 21, checks.SecurityStartTLS).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS.Problem, r.TLS.DNSNames, r.TLS.NameMatch = checks.TLSNameMismatch, []string{"*.hosting.example"}, false
			}).fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: checks.TLSNameMismatch}, true)},
		{name: "Kaspersky re-signs, trusted", want: TLSIntercepted, conf: High, evidence: []string{"tls"},
			facts: map[string]string{"product": "Kaspersky"}, not: []Cause{NoProblemFound},
			run: newRun(checks.IMAP, 993, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS.Issuer = "CN=Kaspersky Anti-Virus Personal Root Certificate,O=AO Kaspersky Lab"
			})},
		{name: "ESET re-signs, untrusted", want: TLSIntercepted, conf: High, evidence: []string{"tls"},
			facts: map[string]string{"product": "ESET"}, not: []Cause{TLSCertificate},
			run: newRun(checks.SMTP, 465, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS.Issuer, r.TLS.Problem, r.TLS.Trusted = "CN=ESET SSL Filter CA,O=ESET\\, spol. s r. o.,C=SK", checks.TLSUntrusted, false
			}).fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: checks.TLSUntrusted}, true)},
		{name: "product only in CN is not intercepted", want: TLSCertificate, conf: High, evidence: []string{"tls"},
			not: []Cause{TLSIntercepted},
			run: newRun(checks.SMTP, 465, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS.Issuer, r.TLS.Problem, r.TLS.SelfSigned = "CN=avast-mail-test,O=Example Hosting", checks.TLSUntrusted, true
			}).fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: checks.TLSUntrusted}, true)},
		{name: "reset during handshake", want: TLSHandshake, conf: High, evidence: []string{"tls"},
			facts: map[string]string{"kind": "reset"}, not: []Cause{ConnectionReset},
			run: newRun(checks.POP3, 995, checks.SecurityTLS).with(checks.CheckTLS, func(r *checks.Result) { r.TLS.Problem = checks.TLSHandshake }).
				fail(checks.CheckTLS, flt(checks.FaultReset, checks.StageTLSHandshake), true)},
		{name: "no common version", want: TLSHandshake, conf: High, evidence: []string{"tls"},
			run: newRun(checks.IMAP, 993, checks.SecurityTLS).
				fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: checks.TLSVersion}, true)},
		{name: "greeting timeout", want: GreetingTimeout, conf: High, evidence: []string{"smtp"},
			facts: map[string]string{"timeout": "10"}, not: []Cause{WrongPort, SecurityMismatch},
			run: smtp25().port(587, checks.AnswerClosed, checks.FaultTimeout).port(465, checks.AnswerSilent, "").
				port(2525, checks.AnswerClosed, checks.FaultRefused).
				fail(checks.CheckSMTP, flt(checks.FaultTimeout, checks.StageGreeting), true)},
		{name: "reset after EHLO", want: ConnectionReset, conf: High, evidence: []string{"smtp"},
			facts: map[string]string{"stage": "hello", "winsock": "10054"},
			run:   smtp25().fail(checks.CheckSMTP, flt(checks.FaultReset, checks.StageHello), true)},
		{name: "closed after a refusal", want: ConnectionAborted, conf: High, evidence: []string{"pop3"},
			facts: map[string]string{"stage": "command", "reply": "-ERR go away"},
			run: newRun(checks.POP3, 110, checks.SecurityNone).with(checks.CheckPOP3, func(r *checks.Result) {
				r.Transcript = []string{"S: +OK ready", "C: CAPA", "S: -ERR go away"}
			}).fail(checks.CheckPOP3, flt(checks.FaultClosed, checks.StageCommand), true)},
		{name: "421 too many connections", want: ServerBusy, conf: High, evidence: []string{"ftp"},
			facts: map[string]string{"reply": "421 Too many connections (8) from this IP", "stage": "greeting"},
			not:   []Cause{GreetingTimeout, ConnectionAborted},
			run: newRun(checks.FTP, 21, checks.SecurityNone).fail(checks.CheckFTP,
				checks.Fault{Kind: checks.FaultBusy, Stage: checks.StageGreeting, Code: 421, Reply: "Too many connections (8) from this IP"}, true)},
		{name: "IMAP BYE", want: ServerBusy, conf: High, evidence: []string{"imap"},
			run: newRun(checks.IMAP, 143, checks.SecurityNone).fail(checks.CheckIMAP,
				checks.Fault{Kind: checks.FaultBusy, Stage: checks.StageGreeting, Reply: "* BYE Too many connections"}, true)},
		{name: "535 bad password", want: AuthFailed, conf: High, evidence: []string{"auth"},
			facts: map[string]string{"user": "ann", "reply": "535 5.7.8 Authentication credentials invalid"},
			run: newRun(checks.SMTP, 587, checks.SecurityStartTLS).with(checks.CheckAuth, func(r *checks.Result) { r.Auth.Accepted = false }).
				fail(checks.CheckAuth, checks.Fault{Kind: checks.FaultAuth, Stage: checks.StageAuth, Code: 535, Reply: "5.7.8 Authentication credentials invalid"}, false)},
		{name: "relay needs auth, no user given", want: AuthRequired, conf: High, evidence: []string{"smtp", "auth"},
			facts: map[string]string{"reply": "530 5.7.0 Authentication required"},
			run: smtp25().with(checks.CheckSMTP, func(r *checks.Result) {
				r.Server.Relay, r.Server.RelayCode, r.Server.RelayReply = checks.RelayAuthRequired, 530, "5.7.0 Authentication required"
			}).with(checks.CheckAuth, func(r *checks.Result) {
				r.Status, r.Skipped, r.Auth = checks.StatusSkip, checks.SkipNoCredentials, nil
			})},
		{name: "relay denied after login is not auth-required", want: NoProblemFound, conf: High,
			not: []Cause{AuthRequired},
			run: smtp25().with(checks.CheckSMTP, func(r *checks.Result) {
				r.Server.Relay, r.Server.RelayCode, r.Server.RelayReply = checks.RelayDenied, 550, "5.7.1 Relaying denied"
			})},
		{name: "no AUTH on 25", want: AuthUnavailable, conf: High, evidence: []string{"auth", "ports"},
			facts: map[string]string{"alt_port": "587", "set_port": "587", "set_security": "starttls"},
			run: smtp25().with(checks.CheckAuth, func(r *checks.Result) { r.Auth.Offered, r.Auth.Accepted = false, false }).
				fail(checks.CheckAuth, flt(checks.FaultProtocol, checks.StageAuth), false)},
		{name: "passive data blocked", want: FTPPassiveBlocked, conf: High, evidence: []string{"ftp-passive", "ftp"},
			not: []Cause{FTPActiveBlocked},
			run: newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckFTPPassive, func(r *checks.Result) {
				r.Data.Connected, r.Data.Used = false, "192.0.2.10:50001"
			}).fail(checks.CheckFTPPassive, flt(checks.FaultTimeout, checks.StageDataConnect), false).
				with(checks.CheckTransfer, func(r *checks.Result) { r.Transfer.Mode = "active" })},
		{name: "active data blocked (425)", want: FTPActiveBlocked, conf: High, evidence: []string{"ftp-active", "ftp", "ftp-passive"},
			run: newRun(checks.FTP, 21, checks.SecurityNone).fail(checks.CheckFTPActive,
				checks.Fault{Kind: checks.FaultProtocol, Stage: checks.StageDataConnect, Code: 425, Reply: "Can't open data connection."}, false)},
		{name: "both data modes blocked", want: FTPPassiveBlocked, conf: High, also: []Cause{FTPActiveBlocked},
			evidence: []string{"ftp-passive", "ftp"},
			run: newRun(checks.FTP, 21, checks.SecurityNone).
				fail(checks.CheckFTPPassive, flt(checks.FaultRefused, checks.StageDataConnect), false).
				fail(checks.CheckFTPActive, flt(checks.FaultTimeout, checks.StageDataConnect), false).
				fail(checks.CheckTransfer, flt(checks.FaultRefused, checks.StageDataConnect), false)},
		{name: "PASV names a private address", want: FTPPasvAddress, conf: High, evidence: []string{"ftp-passive"},
			facts: map[string]string{"announced": "10.0.0.5:50000", "server": "192.0.2.10"},
			run: newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckFTPPassive, func(r *checks.Result) {
				r.Status, r.Warnings = checks.StatusWarn, []string{"pasv-foreign-address"}
				r.Data = &checks.DataFacts{Mode: "passive", Command: "PASV", Code: 227, Announced: "10.0.0.5:50000", Server: "192.0.2.10", Foreign: true}
			})},
		{name: "EPSV refused by policy", want: FTPModeRefused, conf: High, evidence: []string{"ftp-passive"},
			facts: map[string]string{"command": "PASV", "code": "550", "set_mode": "active"},
			not:   []Cause{FTPPassiveBlocked},
			run: newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckFTPPassive, func(r *checks.Result) {
				r.Data = &checks.DataFacts{Mode: "passive", Command: "PASV", Code: 550, Reply: "550 Permission denied."}
			}).fail(checks.CheckFTPPassive, checks.Fault{Kind: checks.FaultProtocol, Stage: checks.StageCommand, Code: 550, Reply: "Permission denied."}, false)},
		{name: "upload reset at 1 MiB", want: TransferInterrupted, conf: High, evidence: []string{"transfer", "ftp", "ftp-passive"},
			facts: map[string]string{"offset": "1.0 MiB", "size": "2.0 MiB", "percent": "50"},
			not:   []Cause{ConnectionReset},
			run: newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckTransfer, func(r *checks.Result) {
				r.Transfer.Sent, r.Transfer.Verified, r.Transfer.BytesPerSecond = 1<<20, false, 2<<20
			}).fail(checks.CheckTransfer, checks.Fault{Kind: checks.FaultReset, Stage: checks.StageDataTransfer, WinSock: 10054, Offset: 1 << 20}, false)},
		{name: "slow upload", want: TransferSlow, conf: High, evidence: []string{"transfer"},
			facts: map[string]string{"rate": "50", "minutes": "9", "planned": "25", "timeout": "60"},
			run: newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckTransfer, func(r *checks.Result) {
				r.Transfer.BytesPerSecond = 50 * 1024
			})},
		{name: "fast enough upload", want: NoProblemFound, conf: High, not: []Cause{TransferSlow},
			run: newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckTransfer, func(r *checks.Result) {
				r.Transfer.BytesPerSecond = SlowBytesPerSecond + 1
			})},
		{name: "unexplained reply", want: ConnectionAborted, conf: Low, evidence: []string{"smtp"},
			facts: map[string]string{"reply": "554 5.7.1 Your IP is listed"},
			run:   smtp25().fail(checks.CheckSMTP, checks.Fault{Kind: checks.FaultProtocol, Stage: checks.StageHello, Code: 554, Reply: "5.7.1 Your IP is listed"}, true)},
		{name: "all passed", want: NoProblemFound, conf: High,
			evidence: []string{"input", "dns", "ping", "tcp", "ports", "tls", "imap", "auth"},
			run:      newRun(checks.IMAP, 993, checks.SecurityTLS)},
		{name: "all passed without login", want: NoProblemFound, conf: Medium,
			run: newRun(checks.POP3, 110, checks.SecurityNone).with(checks.CheckAuth, func(r *checks.Result) {
				r.Status, r.Skipped, r.Auth = checks.StatusSkip, checks.SkipNoCredentials, nil
			})},
	})
}

func TestDiagnose(t *testing.T) {
	for _, c := range append(diagCases(), providerCases()...) {
		t.Run(c.name, func(t *testing.T) {
			got := Diagnose(c.run.t, c.run.rs)
			if len(got) == 0 {
				t.Fatal("no findings")
			}
			top := got[0]
			if top.Cause != c.want || top.Confidence != c.conf {
				t.Fatalf("top = %s/%s, want %s/%s; all: %v", top.Cause, top.Confidence, c.want, c.conf, causes(got))
			}
			if c.evidence != nil && !slices.Equal(top.Evidence, c.evidence) {
				t.Errorf("evidence = %v, want %v", top.Evidence, c.evidence)
			}
			for k, v := range c.facts {
				if top.Facts[k] != v {
					t.Errorf("fact %s = %q, want %q", k, top.Facts[k], v)
				}
			}
			if top.Confidence != High && len(top.Missing) == 0 {
				t.Errorf("%s confidence without naming the missing evidence", top.Confidence)
			}
			for _, a := range c.also {
				if !slices.Contains(causes(got), a) {
					t.Errorf("%s not named; all: %v", a, causes(got))
				}
			}
			for _, n := range c.not {
				if slices.Contains(causes(got), n) {
					t.Errorf("%s named against the evidence; all: %v", n, causes(got))
				}
			}
			if slices.Contains(causes(got), NoProblemFound) && len(got) > 1 {
				t.Errorf("no-problem-found beside other findings: %v", causes(got))
			}
		})
	}
}

func causes(fs []Finding) []Cause {
	out := make([]Cause, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Cause)
	}
	return out
}

var unfilled = regexp.MustCompile(`\{[a-z_0-9]+\}`)

// checkRendered fails when a text of f is missing in l or leaves a
// placeholder unfilled.
func checkRendered(t *testing.T, f Finding, l Lang) {
	t.Helper()
	texts := append([]string{f.Title(l), f.Explanation(l)}, f.Remediation(l)...)
	texts = append(texts, f.Gaps(l)...)
	keys := append([]string{"cause." + string(f.Cause) + ".title"}, f.Steps...)
	keys = append(keys, f.Missing...)
	if f.Variant != "" {
		keys = append(keys, "cause."+string(f.Cause)+".explanation."+f.Variant)
	}
	for _, k := range keys {
		if !l.HasStep(k) {
			t.Errorf("%s: text %q missing in %s", f.Cause, k, l)
		}
	}
	if len(f.Remediation(l)) == 0 {
		t.Errorf("%s: no remediation in %s", f.Cause, l)
	}
	for _, p := range Programs {
		f.Program = p
		texts = append(texts, f.Remediation(l)...)
		texts = append(texts, f.OtherPrograms(l)...)
	}
	for _, s := range texts {
		if m := unfilled.FindString(s); m != "" {
			t.Errorf("%s (%s): %s unfilled in %q", f.Cause, l, m, s)
		}
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s (%s): empty text", f.Cause, l)
		}
	}
}

// TestFindingsRender renders every finding of every case in both languages
// and checks that every cause of causes.md was produced by some case.
func TestFindingsRender(t *testing.T) {
	seen := map[Cause]bool{}
	var all []Finding
	for _, c := range append(diagCases(), providerCases()...) {
		all = append(all, Diagnose(c.run.t, c.run.rs)...)
	}
	all = append(all, DiagnoseRuns(intermittentRuns())...)
	for _, f := range all {
		seen[f.Cause] = true
		for _, l := range Langs {
			checkRendered(t, f, l)
		}
	}
	for _, c := range AllCauses {
		if !seen[c] {
			t.Errorf("no case produces %s", c)
		}
		for _, l := range Langs {
			for _, k := range []string{"title", "explanation", "step1"} {
				if !l.HasStep("cause." + string(c) + "." + k) {
					t.Errorf("cause.%s.%s missing in %s", c, k, l)
				}
			}
		}
	}
}

func TestRenderLocalizesFacts(t *testing.T) {
	b := smtp25().fail(checks.CheckSMTP, flt(checks.FaultReset, checks.StageGreeting), true)
	f := Diagnose(b.t, b.rs)[0]
	if f.Cause != ConnectionReset {
		t.Fatalf("got %s", f.Cause)
	}
	if en, ru := f.Explanation(EN), f.Explanation(RU); !strings.Contains(en, "waiting for the server's greeting") ||
		!strings.Contains(ru, "ожидание приветствия сервера") || !strings.Contains(ru, "10054") {
		t.Errorf("stage not shown in each language: %q / %q", en, ru)
	}
	p := smtp25().port(2525, checks.AnswerClosed, checks.FaultTimeout).fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true)
	got := strings.Join(Diagnose(p.t, p.rs)[0].Remediation(RU), "\n")
	for _, want := range []string{"Используйте порт 587 со STARTTLS", "SMTP-сервер (Outgoing server (SMTP)): 587",
		"(Use the following type of encrypted connection): STARTTLS (в Outlook 2010/2013: TLS)", "Thunderbird:", "Защита соединения: STARTTLS"} {
		if !strings.Contains(got, want) {
			t.Errorf("Russian remediation lacks %q:\n%s", want, got)
		}
	}
}

func TestInterceptor(t *testing.T) {
	for issuer, want := range map[string]string{
		"CN=Kaspersky Anti-Virus Personal Root Certificate,O=AO Kaspersky Lab":                     "Kaspersky",
		"CN=avast! Web/Mail Shield Root,OU=generated by avast! antivirus,O=avast! Web/Mail Shield": "Avast",
		"CN=Dr.Web Personal CA,O=Doctor Web Ltd.":                                                  "Dr.Web",
		"CN=FortiGate CA,OU=Certificate Authority,O=Fortinet,L=Sunnyvale,ST=California,C=US":       "Fortinet FortiGate",
		"CN=Cisco Umbrella Secondary SubCA ams-SG,O=Cisco":                                         "Cisco Umbrella",
		"CN=NetFilterSDK 2,O=NetFilterSDK":                                                         "NetFilter SDK",
		"CN=Zscaler Intermediate Root CA,OU=Zscaler Inc.,O=Zscaler Inc.,C=US":                      "Zscaler",
		"CN=R11,O=Let's Encrypt,C=US":                                                              "",
		"CN=Sectigo RSA Domain Validation Secure Server CA,O=Sectigo Limited,C=GB":                 "",
		"CN=Kaspersky lookalike,O=Savage Hosting":                                                  "",
		"": "",
	} {
		if got := Interceptor(issuer); got != want {
			t.Errorf("Interceptor(%q) = %q, want %q", issuer, got, want)
		}
	}
}

// intermittentRuns: pass, reset, pass, greeting timeout, pass.
func intermittentRuns() (checks.Target, [][]checks.Result, []time.Time) {
	start := time.Date(2026, 11, 24, 10, 0, 2, 0, time.UTC)
	var runs [][]checks.Result
	var started []time.Time
	ok := smtp25()
	for i, b := range []*run{
		smtp25(),
		smtp25().fail(checks.CheckTCP, flt(checks.FaultReset, checks.StageConnect), true),
		smtp25(),
		smtp25().fail(checks.CheckSMTP, flt(checks.FaultTimeout, checks.StageGreeting), true),
		smtp25(),
	} {
		runs = append(runs, b.rs)
		started = append(started, start.Add(time.Duration(i)*time.Minute))
	}
	return ok.t, runs, started
}

func TestDiagnoseRunsIntermittent(t *testing.T) {
	got := DiagnoseRuns(intermittentRuns())
	if len(got) < 2 || got[0].Cause != Intermittent || got[0].Confidence != High {
		t.Fatalf("got %v", causes(got))
	}
	if want := "10:01:02 tcp:reset, 10:03:02 smtp:timeout"; got[0].Facts["failures"] != want {
		t.Errorf("failures = %q, want %q", got[0].Facts["failures"], want)
	}
	if !slices.Equal(got[0].Evidence, []string{"tcp", "smtp"}) {
		t.Errorf("evidence = %v", got[0].Evidence)
	}
	if got[1].Cause != GreetingTimeout {
		t.Errorf("after intermittent: %s, want the last failing run's greeting-timeout", got[1].Cause)
	}
	if ex := got[0].Explanation(RU); !strings.Contains(ex, "Из 5 прогонов не прошли 2") {
		t.Errorf("RU explanation: %q", ex)
	}
}

func TestDiagnoseRunsSteady(t *testing.T) {
	fail := smtp25().fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true)
	fail.allPorts(checks.FaultRefused)
	got := DiagnoseRuns(fail.t, [][]checks.Result{fail.rs, fail.rs}, nil)
	if slices.Contains(causes(got), Intermittent) || got[0].Cause != ServiceDown {
		t.Errorf("steady failure: got %v", causes(got))
	}
	ok := smtp25()
	if got := DiagnoseRuns(ok.t, [][]checks.Result{ok.rs, ok.rs}, nil); got[0].Cause != NoProblemFound {
		t.Errorf("steady success: got %v", causes(got))
	}
}
