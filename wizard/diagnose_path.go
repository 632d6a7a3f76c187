package wizard

// Rules of the network path: network-unreachable, port-blocked, service-down, wrong-port, sftp-only, ipv6-broken.

import (
	"slices"
	"strconv"
	"strings"

	"assistant/checks"
)

// winsock is the fault's WinSock code, or def.
func winsock(f *checks.Fault, def int) string {
	if f != nil && f.WinSock != 0 {
		return strconv.Itoa(f.WinSock)
	}
	return strconv.Itoa(def)
}

// otherPorts are the ports check's results for the standard ports other
// than the configured one.
func (d *diag) otherPorts() []checks.PortFacts {
	r := d.facts(checks.CheckPorts)
	if r == nil {
		return nil
	}
	var out []checks.PortFacts
	for _, p := range r.Ports {
		if !p.Configured && p.Port != d.t.Port {
			out = append(out, p)
		}
	}
	return out
}

// portPreference orders the alternatives: submission before 25, TLS first.
var portPreference = map[checks.Service][]int{
	checks.SMTP: {587, 465, 2525, 25},
	checks.POP3: {995, 110},
	checks.IMAP: {993, 143},
	checks.FTP:  {21, 990},
}

// altPort is the preferred standard port that answered the service's
// greeting or a TLS handshake during the ports check, with the security
// mode it answered in.
func (d *diag) altPort() (checks.PortFacts, checks.Security, bool) {
	var best checks.PortFacts
	bestRank, found := 1<<30, false
	for _, p := range d.otherPorts() {
		if !p.Answered() {
			continue
		}
		rank := slices.Index(portPreference[d.t.Service], p.Port)
		if rank < 0 {
			rank = 100 + p.Port
		}
		if rank < bestRank {
			best, bestRank, found = p, rank, true
		}
	}
	if !found {
		return best, "", false
	}
	sec := best.Security
	switch {
	case best.Answer == checks.AnswerTLS:
		sec = checks.SecurityTLS
	case sec == checks.SecurityTLS:
		sec = checks.SecurityNone
	}
	return best, sec, true
}

// measured fills the facts of the alternative port that answered and
// returns the steps that say so and how to set it.
func (d *diag) measured(f *Finding, p checks.PortFacts, sec checks.Security) []string {
	f.Facts["alt_port"] = strconv.Itoa(p.Port)
	f.Facts["alt_security"] = string(sec)
	key := "measured.tls"
	if p.Answer == checks.AnswerGreeting {
		key = "measured.greeting.none"
		if sec != checks.SecurityNone {
			key = "measured.greeting.starttls"
		}
	}
	f.Evidence = appendID(f.Evidence, checks.CheckPorts)
	return []string{key, d.setting(f, p.Port, sec)}
}

func appendID(ids []string, id checks.CheckID) []string {
	if slices.Contains(ids, string(id)) {
		return ids
	}
	return append(ids, string(id))
}

// reach says what is known about the host's reachability apart from the
// configured port: ok when ping answered or another port answered or
// refused (evidence names those checks); pingSilent when ping got no reply,
// portsSilent when every other port timed out.
type reach struct {
	ok, pingSilent, portsSilent bool
	evidence                    []checks.CheckID
}

func (d *diag) reachability() reach {
	var rc reach
	if p := d.facts(checks.CheckPing); p != nil && p.Ping != nil {
		switch {
		case p.Ping.Received > 0:
			rc.ok = true
			rc.evidence = append(rc.evidence, checks.CheckPing)
		case p.Ping.Sent > 0 && p.Ping.Method != "tcp":
			rc.pingSilent = true
		}
	} else if f := d.fault(checks.CheckPing); f != nil && f.Kind == checks.FaultTimeout {
		rc.pingSilent = true
	}
	others := d.otherPorts()
	rc.portsSilent = len(others) > 0
	portsOK := false
	for _, p := range others {
		if p.Answer != checks.AnswerClosed || (p.Fault != nil && p.Fault.Kind == checks.FaultRefused) {
			portsOK = true
		}
		if p.Answer != checks.AnswerClosed || p.Fault == nil || p.Fault.Kind != checks.FaultTimeout {
			rc.portsSilent = false
		}
	}
	if portsOK {
		rc.ok = true
		rc.evidence = append(rc.evidence, checks.CheckPorts)
	}
	return rc
}

// network: network-unreachable, port-blocked, wrong-port (refused),
// service-down, from the connect to the configured port.
func (d *diag) network() {
	if p := d.fault(checks.CheckPing); p != nil && p.Kind == checks.FaultUnreachable {
		f := d.finding(NetworkUnreachable, High, checks.CheckPing, checks.CheckTCP)
		f.Variant, f.Facts["winsock"] = "route", winsock(p, checks.WSAEHOSTUNREACH)
		d.add(f, p, d.fault(checks.CheckTCP))
	}
	flt := d.fault(checks.CheckTCP)
	if flt == nil || d.explained[flt] {
		return
	}
	rc := d.reachability()
	switch flt.Kind {
	case checks.FaultUnreachable:
		f := d.finding(NetworkUnreachable, High, checks.CheckTCP)
		f.Variant, f.Facts["winsock"] = "route", winsock(flt, checks.WSAEHOSTUNREACH)
		d.add(f, flt)
	case checks.FaultTimeout:
		d.connectTimeout(flt, rc)
	case checks.FaultRefused:
		d.connectRefused(flt, rc)
	}
}

func (d *diag) connectTimeout(flt *checks.Fault, rc reach) {
	if rc.ok {
		f := d.finding(PortBlocked, High, append([]checks.CheckID{checks.CheckTCP}, rc.evidence...)...)
		f.Facts["winsock"] = winsock(flt, checks.WSAETIMEDOUT)
		if d.t.Service == checks.SMTP && d.t.Port == 25 {
			f.Variant = "smtp25"
		}
		first := d.portBlockedAlt()
		if p, sec, ok := d.altPort(); ok {
			first = d.measured(&f, p, sec)
		}
		f.Steps = steps(PortBlocked, first...)
		d.add(f, flt)
		return
	}
	f := d.finding(NetworkUnreachable, High, checks.CheckTCP)
	if rc.pingSilent {
		f.Evidence = appendID(f.Evidence, checks.CheckPing)
	}
	if rc.portsSilent {
		f.Evidence = appendID(f.Evidence, checks.CheckPorts)
	}
	f.Facts["winsock"] = winsock(flt, checks.WSAETIMEDOUT)
	if !rc.pingSilent || !rc.portsSilent {
		f.Variant = "unconfirmed"
	}
	switch {
	case rc.pingSilent && rc.portsSilent:
	case rc.pingSilent:
		f.Confidence, f.Missing = Medium, []string{"missing.ports"}
	case rc.portsSilent:
		f.Confidence, f.Missing = Medium, []string{"missing.ping"}
	default:
		// Nothing says whether the host answers at all: both stay possible.
		f.Confidence, f.Missing = Low, []string{"missing.reachability"}
		d.add(f, flt)
		b := d.finding(PortBlocked, Low, checks.CheckTCP)
		b.Facts["winsock"] = f.Facts["winsock"]
		b.Variant, b.Missing, b.Steps = "unconfirmed", f.Missing, steps(PortBlocked, d.portBlockedAlt()...)
		d.add(b)
		return
	}
	d.add(f, flt)
}

// portBlockedAlt is the unmeasured advice on another port: the submission
// ports for SMTP, the provider's other port otherwise.
func (d *diag) portBlockedAlt() []string {
	if d.t.Service == checks.SMTP {
		return []string{"cause.port-blocked.submission"}
	}
	return []string{"cause.port-blocked.other-port"}
}

func (d *diag) connectRefused(flt *checks.Fault, rc reach) {
	if p, sec, ok := d.altPort(); ok {
		f := d.finding(WrongPort, High, checks.CheckTCP)
		f.Facts["winsock"] = winsock(flt, checks.WSAECONNREFUSED)
		f.Steps = steps(WrongPort, d.measured(&f, p, sec)...)
		d.add(f, flt)
		return
	}
	others := d.otherPorts()
	var refused []string
	allRefused := len(others) > 0
	for _, p := range others {
		if p.Fault != nil && p.Fault.Kind == checks.FaultRefused {
			refused = append(refused, strconv.Itoa(p.Port))
		} else {
			allRefused = false
		}
	}
	f := d.finding(ServiceDown, High, append([]checks.CheckID{checks.CheckTCP}, rc.evidence...)...)
	if len(others) > 0 {
		f.Evidence = appendID(f.Evidence, checks.CheckPorts)
	}
	f.Facts["winsock"] = winsock(flt, checks.WSAECONNREFUSED)
	f.Facts["ports"] = strings.Join(append([]string{strconv.Itoa(d.t.Port)}, refused...), ", ")
	pingOK := slices.Contains(rc.evidence, checks.CheckPing)
	switch {
	case len(others) == 0:
		f.Confidence, f.Missing = Low, []string{"missing.ports"}
	case !allRefused:
		f.Confidence, f.Missing = Medium, []string{"missing.ports-refused"}
	case !pingOK:
		f.Confidence, f.Missing = Medium, []string{"missing.ping"}
	}
	d.add(f, flt)
}

// sftpOnly: FTP was asked for and the configured port itself speaks SSH;
// or the configured port and the other FTP ports refuse or stay silent
// while the SSH port answered with an SSH banner.
func (d *diag) sftpOnly() {
	if d.t.Service != checks.FTP {
		return
	}
	f := d.finding(SFTPOnly, High)
	ftpFlt := d.fault(checks.CheckFTP)
	if banner := d.sshBanner(); ftpFlt != nil && ftpFlt.Stage == checks.StageGreeting && banner != "" {
		f.Variant, f.Evidence = "port", []string{string(checks.CheckFTP)}
		f.Facts["ssh_port"], f.Facts["banner"] = strconv.Itoa(d.t.Port), banner
		d.add(f, ftpFlt)
		return
	}
	var ssh *checks.PortFacts
	for _, p := range d.otherPorts() {
		switch {
		case p.SSH && p.Answer == checks.AnswerSSH:
			ssh = &p
		case !p.SSH && p.Answer != checks.AnswerClosed && p.Answer != checks.AnswerSilent:
			return // another FTP port answered: not an SFTP-only server
		}
	}
	flt, id := d.fault(checks.CheckTCP), checks.CheckTCP
	switch {
	case ssh == nil:
		return
	case flt != nil && (flt.Kind == checks.FaultRefused || flt.Kind == checks.FaultTimeout):
		f.Facts["winsock"] = winsock(flt, checks.WSAECONNREFUSED)
	case flt != nil:
		return
	case ftpFlt != nil && ftpFlt.Stage == checks.StageGreeting &&
		(ftpFlt.Kind == checks.FaultTimeout || ftpFlt.Kind == checks.FaultClosed || ftpFlt.Kind == checks.FaultReset):
		flt, id, f.Variant = ftpFlt, checks.CheckFTP, "silent"
	default:
		return
	}
	f.Evidence = []string{string(checks.CheckPorts), string(id)}
	f.Facts["ssh_port"], f.Facts["banner"] = strconv.Itoa(ssh.Port), ssh.Greeting
	d.add(f, flt)
}

// sshBanner is the SSH identification line the configured port sent in
// place of an FTP greeting (the first line of the ftp check's transcript),
// or "".
func (d *diag) sshBanner() string {
	r := d.facts(checks.CheckFTP)
	if r == nil {
		return ""
	}
	for _, l := range r.Transcript {
		if s, ok := strings.CutPrefix(l, "S: "); ok {
			if checks.IsSSHBanner(s) {
				return s
			}
			return ""
		}
	}
	return ""
}

// ipv6Broken: the name has addresses of both families, the configured port
// timed out or was unreachable on every IPv6 address tried, and it
// connected on an IPv4 address.
func (d *diag) ipv6Broken() {
	r := d.facts(checks.CheckAddresses)
	if r == nil {
		return
	}
	var failed, ok []string
	v6 := 0
	for _, a := range r.Addresses {
		switch {
		case a.Family == checks.FamilyIPv4 && a.Connected:
			ok = append(ok, a.Address)
		case a.Family == checks.FamilyIPv6:
			v6++
			if a.Connected || a.Fault == nil || (a.Fault.Kind != checks.FaultTimeout && a.Fault.Kind != checks.FaultUnreachable) {
				return
			}
			failed = append(failed, a.Address+" ("+string(a.Fault.Kind)+")")
		}
	}
	if v6 == 0 || len(ok) == 0 {
		return
	}
	f := d.finding(IPv6Broken, High, checks.CheckAddresses, checks.CheckDNS)
	f.Facts["failed"], f.Facts["ipv4"] = strings.Join(failed, ", "), strings.Join(ok, ", ")
	d.add(f)
}
