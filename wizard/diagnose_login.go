package wizard

// Rules of the login and the relay: app-password-required, oauth-required,
// access-disabled, auth-required, auth-unavailable, auth-failed.

import (
	"slices"
	"strings"

	"assistant/checks"
)

// policy: a login refused by the provider's policy (app-password-required,
// oauth-required, access-disabled), from the refusal's codes and words or,
// before any password was sent, from the mechanisms offered.
func (d *diag) policy() {
	r := d.facts(checks.CheckAuth)
	flt := d.fault(checks.CheckAuth)
	if r == nil || r.Auth == nil || r.Auth.Accepted || flt == nil {
		return
	}
	var srv *checks.ServerFacts
	if p := d.facts(d.proto()); p != nil {
		srv = p.Server
	}
	greeting := ""
	if srv != nil {
		greeting = srv.Greeting
	}
	prov := providerOf(d.t.Host, greeting, replyLine(flt))
	var m *policyMatch
	switch {
	case flt.Kind == checks.FaultAuth:
		m = matchPolicy(d.t.Service, r.Auth, replyLine(flt), prov)
	case srv != nil && onlyOAuth(srv.AuthMechs):
		m = &policyMatch{cause: OAuthRequired, conf: High, provider: prov, variant: "mechs", explains: true}
	case srv != nil && d.t.Service == checks.IMAP && d.t.Security != checks.SecurityNone &&
		slices.ContainsFunc(srv.Capabilities, func(c string) bool { return strings.EqualFold(c, "LOGINDISABLED") }):
		m = &policyMatch{cause: OAuthRequired, conf: Medium, provider: prov, variant: "logindisabled", explains: true}
	}
	if m == nil {
		return
	}
	f := d.finding(m.cause, m.conf, checks.CheckAuth)
	f.Variant = m.variant
	f.Facts["user"] = d.t.User
	if r.Auth.User != "" {
		f.Facts["user"] = r.Auth.User
	}
	f.Facts["reply"] = replyLine(flt)
	if len(r.Auth.Lines) > 0 {
		f.Facts["reply"] = strings.Join(r.Auth.Lines, " ")
	}
	f.Facts["enhanced"] = r.Auth.Enhanced
	if f.Facts["enhanced"] == "" {
		f.Facts["enhanced"] = r.Auth.RespCode
	}
	f.Facts["mechs"] = "-"
	if srv != nil && len(srv.AuthMechs) > 0 {
		f.Facts["mechs"] = strings.Join(srv.AuthMechs, " ")
	}
	if m.conf != High {
		f.Missing = []string{"missing.policy-" + m.variant}
	}
	f.Steps = steps(m.cause, d.policySteps(&f, m)...)
	if m.explains {
		d.add(f, flt)
		return
	}
	d.add(f)
}

// policySteps fills the provider's facts (its name, the app-password and
// enable pages: an enable_url or app_password_url fact already known, e.g.
// from a provider database, wins over the table) and returns the first
// steps that name them.
func (d *diag) policySteps(f *Finding, m *policyMatch) []string {
	f.Facts["provider"] = "-"
	appURL, enableURL := d.base["app_password_url"], d.base["enable_url"]
	if p := m.provider; p != nil {
		f.Facts["provider"] = p.Name
		if appURL == "" {
			appURL = p.AppPasswordURL
		}
		if enableURL == "" {
			enableURL = p.EnableURL
		}
	}
	f.Facts["app_password_url"], f.Facts["enable_url"] = appURL, enableURL
	if m.provider != nil && f.Variant == "" {
		f.Variant = "provider-says" // the provider's own words, from the table
	}
	switch {
	case m.cause == AppPasswordRequired && appURL != "":
		return []string{"policy.step.app-password-url"}
	case m.cause == AppPasswordRequired:
		return []string{"policy.step.app-password"}
	case enableURL != "" && m.cause == AccessDisabled:
		return []string{"policy.step.enable-access-url"}
	case m.cause == AccessDisabled:
		return []string{"policy.step.enable-access"}
	case enableURL != "":
		return []string{"policy.step.enable-password-url"}
	}
	return nil
}

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
	if flt != nil && d.explained[flt] {
		return // refused by policy
	}
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
