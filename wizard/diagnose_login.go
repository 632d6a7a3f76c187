package wizard

// Rules of the login and the relay: auth-required, auth-unavailable, auth-failed.

import "assistant/checks"

// relay: auth-required from the SMTP envelope test or a 530 to MAIL.
func (d *diag) relay() {
	if d.t.Service != checks.SMTP {
		return
	}
	r := d.facts(checks.CheckSMTP)
	if r == nil {
		return
	}
	authed := false
	if a := d.facts(checks.CheckAuth); a != nil && a.Auth != nil {
		authed = a.Auth.Accepted
	}
	f := d.finding(AuthRequired, High, checks.CheckSMTP)
	var explains *checks.Fault
	switch {
	case r.Server != nil && r.Server.Relay == checks.RelayAuthRequired:
		f.Facts["reply"] = relayReply(r.Server)
	case r.Server != nil && r.Server.Relay == checks.RelayDenied && !authed:
		f.Variant, f.Facts["reply"] = "denied", relayReply(r.Server)
	case r.Fault != nil && r.Failed() && r.Fault.Stage == checks.StageCommand && r.Fault.Code == 530 && !authed:
		f.Facts["reply"], explains = replyLine(r.Fault), r.Fault
	default:
		return
	}
	if a := d.facts(checks.CheckAuth); a != nil && a.Status == checks.StatusSkip {
		f.Evidence = appendID(f.Evidence, checks.CheckAuth)
	}
	d.add(f, explains)
}

// relayReply is the server's reply to the SMTP envelope test: code and text.
func relayReply(s *checks.ServerFacts) string { return withCode(s.RelayCode, s.RelayReply) }

// login: auth-unavailable, auth-failed.
func (d *diag) login() {
	r := d.facts(checks.CheckAuth)
	if r == nil {
		return
	}
	flt := d.fault(checks.CheckAuth)
	if r.Auth != nil && !r.Auth.Offered {
		f := d.finding(AuthUnavailable, High, checks.CheckAuth)
		var first []string
		if p, sec, ok := d.altPort(); ok && sec != checks.SecurityNone {
			first = d.measured(&f, p, sec)
		} else {
			port, sec := d.securePort()
			first = []string{d.setting(&f, port, sec)}
		}
		f.Steps = steps(AuthUnavailable, first...)
		d.add(f, flt)
		return
	}
	if flt == nil || d.explained[flt] || flt.Kind != checks.FaultAuth {
		return
	}
	f := d.finding(AuthFailed, High, checks.CheckAuth)
	f.Facts["user"] = d.t.User
	reply := replyLine(flt)
	if r.Auth != nil {
		if r.Auth.User != "" {
			f.Facts["user"] = r.Auth.User
		}
		if reply == "" {
			reply = r.Auth.Reply
		}
	}
	f.Facts["reply"] = reply
	if reply == "" {
		f.Variant = "silent"
	}
	d.add(f, flt)
}

// securePort is the standard port and mode where login is normally
// offered: submission with STARTTLS for SMTP, implicit TLS for POP3 and
// IMAP, explicit TLS for FTP.
func (d *diag) securePort() (int, checks.Security) {
	switch d.t.Service {
	case checks.SMTP:
		return 587, checks.SecurityStartTLS
	case checks.FTP:
		return 21, checks.SecurityStartTLS
	}
	return checks.DefaultPort(d.t.Service, checks.SecurityTLS), checks.SecurityTLS
}
