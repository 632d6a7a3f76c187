package wizard

// Rules of the provider's documented settings: settings-differ, and the
// provider's facts on login refusals (the documented user-name form, its
// "enable access first" instruction and link, OAuth2-only services).

import (
	"slices"
	"strconv"
	"strings"

	"assistant/checks"
	"assistant/provider"
)

// loginRefusals are the causes of a refused login; the provider's enable
// link (fact enable_url) and documented user-name form are added to them.
var loginRefusals = []Cause{AuthFailed, "app-password-required", "oauth-required", "access-disabled"}

// mainChecks are the checks of the account's own settings whose failure
// makes settings-differ the top finding.
var mainChecks = []checks.CheckID{checks.CheckInput, checks.CheckDNS, checks.CheckTCP, checks.CheckTLS,
	checks.CheckSMTP, checks.CheckPOP3, checks.CheckIMAP, checks.CheckAuth}

// providerSettings runs after the other rules and the fallback: it names
// settings-differ when the documented settings differ from the account's
// and answer from this computer — first when the account's own settings
// fail, as a supporting finding (low confidence) when both work — and adds the provider's
// facts to login refusals.
func (d *diag) providerSettings() {
	pr := d.facts(checks.CheckProvider)
	if pr == nil || pr.Provider == nil {
		return
	}
	p := pr.Provider
	d.loginFacts(p)
	if p.Documented == nil || p.Probe == nil || len(p.Differs) == 0 || !documentedWorks(p.Probe) {
		return
	}
	accountFails := slices.ContainsFunc(mainChecks, func(id checks.CheckID) bool { return d.fault(id) != nil })
	f := d.finding(SettingsDiffer, Low, checks.CheckProvider)
	d.providerFacts(&f, p)
	if accountFails {
		f.Confidence = High
		if d.t.Host == "" {
			f.Variant = "nohost"
		}
		for _, id := range mainChecks {
			if d.fault(id) != nil {
				f.Evidence = appendID(f.Evidence, id)
			}
		}
	} else {
		f.Variant, f.Missing = "supporting", []string{"missing.settings-still-work"}
	}
	f.Steps = d.differSteps(p)
	if accountFails {
		// The account's settings fail and the documented ones work: the
		// settings are the most likely cause.
		d.out = append([]Finding{f}, d.out...)
		return
	}
	// Both work: a supporting finding. It replaces no-problem-found, which
	// never stands beside another finding: outdated settings that still
	// answer are worth changing before they stop.
	d.out = slices.DeleteFunc(d.out, func(x Finding) bool { return x.Cause == NoProblemFound })
	d.add(f)
}

// documentedWorks reports whether the documented server answered: every
// check passed, or only the login was refused (the password is the
// account's, the server is right).
func documentedWorks(p *checks.DocumentedProbe) bool {
	return p.Status == checks.StatusPass || p.FailedCheck == checks.CheckAuth && p.Greeting != ""
}

// providerFacts fills a finding's facts from the provider check.
func (d *diag) providerFacts(f *Finding, p *checks.ProviderFacts) {
	doc := *p.Documented
	f.Facts["provider"] = p.Name
	if p.Name == "" {
		f.Facts["provider"] = p.Domain
	}
	f.Facts["source"] = p.Source
	f.Facts["doc_host"] = doc.Host
	f.Facts["doc_port"] = strconv.Itoa(doc.Port)
	f.Facts["doc_security"] = doc.Security
	f.Facts["doc_user"] = p.User
	f.Facts["user"] = d.t.User
	if p.EnableURL != "" {
		f.Facts["enable_url"] = p.EnableURL
	}
	var dis []string
	for _, x := range p.Disagreements {
		dis = append(dis, x.Source+": "+x.Server.Host+":"+strconv.Itoa(x.Server.Port)+" "+x.Server.Security)
	}
	f.Facts["disagreement"] = strings.Join(dis, "; ")
}

// differSteps names each differing field and where to change it, for the
// documented server's direction (outgoing SMTP or incoming IMAP/POP3).
func (d *diag) differSteps(p *checks.ProviderFacts) []string {
	dir := "incoming"
	if d.t.Service == checks.SMTP {
		dir = "smtp"
	}
	var out []string
	if slices.Contains(p.Differs, "host") {
		out = append(out, "provider.step.host."+dir)
	}
	if slices.Contains(p.Differs, "port") || slices.Contains(p.Differs, "security") {
		out = append(out, "provider.step.port."+dir)
	}
	if slices.Contains(p.Differs, "user") && p.User != "" {
		out = append(out, "provider.step.user")
	}
	out = append(out, "provider.step.source")
	if len(p.Disagreements) > 0 {
		out = append(out, "provider.step.disagree")
	}
	return out
}

// loginFacts adds the provider's enable link, OAuth2-only note and
// documented user-name form to the findings of a refused login.
func (d *diag) loginFacts(p *checks.ProviderFacts) {
	for i := range d.out {
		f := &d.out[i]
		if !slices.Contains(loginRefusals, f.Cause) {
			continue
		}
		name := p.Name
		if name == "" {
			name = p.Domain
		}
		var extra []string
		if p.EnableURL != "" {
			f.Facts["enable_url"] = p.EnableURL
			f.Facts["provider"] = name
			extra = append(extra, "provider.step.enable")
		}
		if p.OAuthOnly {
			f.Facts["provider"] = name
			extra = append(extra, "provider.step.oauth")
		}
		if p.User != "" && slices.Contains(p.Differs, "user") {
			f.Facts["provider"], f.Facts["doc_user"] = name, p.User
			f.Facts["user_form"] = userForm(p)
			if a := d.facts(checks.CheckAuth); a != nil && a.Auth != nil && a.Auth.User != "" {
				f.Facts["user"] = a.Auth.User
			}
			extra = append([]string{"provider.step.user_form"}, extra...)
		}
		if len(extra) == 0 {
			continue
		}
		if len(f.Steps) == 0 {
			f.Steps = steps(f.Cause)
		}
		f.Steps = append(extra, f.Steps...)
		f.Evidence = appendID(f.Evidence, checks.CheckProvider)
	}
}

// userForm names the documented user-name form: "address", "localpart" or
// "other" (a fact value, rendered through fact.user_form.*).
func userForm(p *checks.ProviderFacts) string {
	switch p.Documented.UserName {
	case provider.UserAddress:
		return "address"
	case provider.UserLocalPart:
		return "localpart"
	}
	return "other"
}
