package wizard

// Rules of TLS: security-mismatch, tls-intercepted, tls-certificate, tls-handshake, starttls-unavailable.

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"assistant/checks"
)

// securityMismatch: plain text to an implicit-TLS port, or TLS to a plain port.
func (d *diag) securityMismatch() {
	if d.t.Security == checks.SecurityNone && checks.ImplicitTLSPort(d.t.Port) {
		flt := d.fault(d.proto())
		if flt != nil && flt.Stage == checks.StageGreeting && slices.Contains(
			[]checks.FaultKind{checks.FaultTimeout, checks.FaultReset, checks.FaultClosed, checks.FaultProtocol}, flt.Kind) {
			f := d.finding(SecurityMismatch, High, d.proto())
			f.Facts["kind"] = string(flt.Kind)
			f.Steps = steps(SecurityMismatch, d.setting(&f, d.t.Port, checks.SecurityTLS))
			d.add(f, flt)
			return
		}
	}
	for _, flt := range d.faults() {
		if flt.f.Kind == checks.FaultTLS && flt.f.TLS == checks.TLSNotTLS {
			f := d.finding(SecurityMismatch, High, flt.id)
			sec := checks.SecurityStartTLS
			if d.t.Security == checks.SecurityStartTLS {
				sec = checks.SecurityNone
			}
			f.Variant = "tls-to-plain"
			f.Steps = steps(SecurityMismatch, d.setting(&f, d.t.Port, sec))
			d.add(f, flt.f)
			return
		}
	}
}

// tls: tls-intercepted, tls-certificate, tls-handshake.
func (d *diag) tls() {
	var facts *checks.TLSFacts
	if r := d.facts(checks.CheckTLS); r != nil {
		facts = r.TLS
	}
	if facts != nil {
		if product := Interceptor(facts.Issuer); product != "" {
			f := d.finding(TLSIntercepted, High, checks.CheckTLS)
			f.Facts["issuer"], f.Facts["product"] = facts.Issuer, product
			f.Steps = interceptedSteps(product)
			d.add(f, d.fault(checks.CheckTLS))
			return
		}
	}
	if r := d.facts(d.proto()); r != nil && r.Server != nil {
		if product := interceptorIn(r.Server.Greeting, true); product != "" {
			f := d.finding(TLSIntercepted, Medium, d.proto())
			f.Variant, f.Facts["greeting"], f.Facts["product"] = "greeting", r.Server.Greeting, product
			f.Missing = []string{"missing.issuer"}
			f.Steps = interceptedSteps(product)
			d.add(f)
		}
	}
	for _, x := range d.faults() {
		flt := x.f
		problem := flt.TLS
		if problem == "" && facts != nil && x.id == checks.CheckTLS {
			problem = facts.Problem
		}
		switch {
		case flt.Kind == checks.FaultTLS && slices.Contains([]string{checks.TLSExpired, checks.TLSNotYetValid, checks.TLSUntrusted, checks.TLSNameMismatch}, problem):
			conf := High
			switch d.clockSkew(x, facts, problem) {
			case High:
				continue
			case Medium:
				conf = Low // most likely the clock: the certificate is named too
			}
			f := d.finding(TLSCertificate, conf, x.id)
			if conf != High {
				f.Missing = []string{"missing.server-time"}
			}
			switch {
			case problem == checks.TLSUntrusted && facts != nil && facts.SelfSigned:
				f.Variant = "self-signed"
			case problem != checks.TLSUntrusted:
				f.Variant = problem
			}
			certFacts(&f, facts)
			d.add(f, flt)
		case flt.Kind == checks.FaultTLS || flt.Stage == checks.StageTLSHandshake:
			f := d.finding(TLSHandshake, High, x.id)
			f.Facts["kind"], f.Facts["winsock"] = string(flt.Kind), winsock(flt, 0)
			switch {
			case problem == checks.TLSVersion:
				f.Variant = "version"
			case flt.Kind != checks.FaultTLS:
				f.Variant = "connection"
			}
			d.add(f, flt)
		}
	}
}

// clockSkewMin is the least difference between the two clocks named as
// a wrong clock.
const clockSkewMin = 5 * time.Minute

// clockSkew: clock-skew when the certificate is rejected as expired or not
// yet valid by this computer's clock while the server's own clock (the
// date in a greeting) is inside the certificate's validity. It returns
// the confidence of the clock-skew it named: High when proven (the fault
// explained), Medium for a not yet valid certificate without the server's
// time, "" when none.
func (d *diag) clockSkew(x idFault, c *checks.TLSFacts, problem string) Confidence {
	if c == nil || c.CheckedAt.IsZero() || (problem != checks.TLSExpired && problem != checks.TLSNotYetValid) {
		return ""
	}
	local := c.CheckedAt
	f := d.finding(ClockSkew, High, x.id)
	certFacts(&f, c)
	f.Facts["local_time"], f.Facts["problem_words"] = clockText(local), problem
	server, source, ok := d.serverClock(local)
	if !ok {
		if problem != checks.TLSNotYetValid {
			return ""
		}
		f.Confidence, f.Variant, f.Missing = Medium, "no-server-time", []string{"missing.server-time"}
		d.add(f)
		return Medium
	}
	skew := server.Sub(local)
	inside := !server.Before(c.NotBefore) && !server.After(c.NotAfter)
	if !inside || skew.Abs() < clockSkewMin {
		return "" // the server's clock agrees: the certificate itself is wrong
	}
	f.Evidence = appendID(f.Evidence, source)
	f.Facts["server_time"], f.Facts["time_source"] = clockText(server), string(source)
	h := int(skew.Abs().Round(time.Hour) / time.Hour)
	f.Facts["skew_days"], f.Facts["skew_hours"] = strconv.Itoa(h/24), strconv.Itoa(h%24)
	d.add(f, x.f)
	return High
}

// serverClock is the server's own time at the moment local (this
// computer's clock when the certificate was judged): from the protocol
// check's greeting, else from a greeting the ports check read on another
// standard port. source is the check it comes from.
func (d *diag) serverClock(local time.Time) (time.Time, checks.CheckID, bool) {
	if r := d.facts(d.proto()); r != nil && r.Server != nil && !r.Server.Time.IsZero() {
		return local.Add(r.Server.Time.Sub(r.Server.TimeSeen)), d.proto(), true
	}
	if r := d.facts(checks.CheckPorts); r != nil {
		for _, p := range r.Ports {
			if t, ok := checks.GreetingTime(p.Greeting); ok {
				return t, checks.CheckPorts, true
			}
		}
	}
	return time.Time{}, "", false
}

// clockText shows a moment in UTC, to the minute.
func clockText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// certFacts quotes the certificate: issuer, names, validity.
func certFacts(f *Finding, c *checks.TLSFacts) {
	if c == nil {
		c = &checks.TLSFacts{}
	}
	names := strings.Join(c.DNSNames, ", ")
	if names == "" {
		names = c.Subject
	}
	f.Facts["issuer"], f.Facts["subject"], f.Facts["names"] = c.Issuer, c.Subject, names
	f.Facts["not_before"] = c.NotBefore.UTC().Format(time.DateOnly)
	f.Facts["not_after"] = c.NotAfter.UTC().Format(time.DateOnly)
}

// startTLS: starttls-unavailable when explicit TLS was asked for and the
// server does not offer it or refuses the command.
func (d *diag) startTLS() {
	if d.t.Security != checks.SecurityStartTLS {
		return
	}
	var f Finding
	var explains *checks.Fault
	found := false
	for _, x := range d.faults() {
		if x.f.Stage == checks.StageStartTLS {
			f, explains, found = d.finding(StartTLSUnavailable, High, x.id), x.f, true
			if x.f.Reply != "" {
				f.Variant, f.Facts["reply"] = "refused", replyLine(x.f)
			}
			break
		}
	}
	if !found {
		tr, pr := d.facts(checks.CheckTLS), d.facts(d.proto())
		switch {
		case tr != nil && tr.TLS != nil && !tr.TLS.Offered:
			f, found = d.finding(StartTLSUnavailable, High, checks.CheckTLS), true
		case pr != nil && slices.Contains(pr.Warnings, "starttls-not-offered"):
			f, found = d.finding(StartTLSUnavailable, High, d.proto()), true
		case pr != nil && pr.Server != nil && pr.Status != checks.StatusFail && !pr.Server.StartTLS &&
			(tr == nil || tr.Status == checks.StatusSkip):
			f, found = d.finding(StartTLSUnavailable, Medium, d.proto()), true
			f.Missing = []string{"missing.starttls-reply"}
		}
	}
	if !found {
		return
	}
	f.Facts["command"] = map[checks.Service]string{checks.POP3: "STLS", checks.FTP: "AUTH TLS"}[d.t.Service]
	if f.Facts["command"] == "" {
		f.Facts["command"] = "STARTTLS"
	}
	var first []string
	if p, sec, ok := d.altPort(); ok && sec == checks.SecurityTLS {
		first = d.measured(&f, p, sec)
	}
	f.Steps = steps(StartTLSUnavailable, first...)
	d.add(f, explains)
}

// interceptors maps the organization words of the issuers of local
// antivirus and proxy products that re-sign TLS connections to the
// product's name; banner marks desktop products whose mail shields also
// answer in the server's greeting (gateways of providers are left out).
var interceptors = []struct {
	words, product string
	banner         bool
}{
	{"kaspersky", "Kaspersky", true},
	{"avast", "Avast", true},
	{"avg", "AVG", true},
	{"eset", "ESET", true},
	{"bitdefender", "Bitdefender", true},
	{"dr web", "Dr.Web", true},
	{"drweb", "Dr.Web", true},
	{"doctor web", "Dr.Web", true},
	{"norton", "Norton", true},
	{"mcafee", "McAfee", false},
	{"sophos", "Sophos", false},
	{"fortinet", "Fortinet FortiGate", false},
	{"fortigate", "Fortinet FortiGate", false},
	{"zscaler", "Zscaler", false},
	{"cisco", "Cisco Umbrella", false},
	{"opendns", "Cisco Umbrella", false},
	{"netfilter sdk", "NetFilter SDK", false},
	{"netfiltersdk", "NetFilter SDK", false},
	{"adguard", "AdGuard", true},
	{"avira", "Avira", true},
	{"trend micro", "Trend Micro", false},
	{"g data", "G DATA", true},
	{"f secure", "F-Secure", true},
	{"panda security", "Panda", true},
	{"emsisoft", "Emsisoft", true},
	{"check point", "Check Point", false},
	{"palo alto networks", "Palo Alto Networks", false},
	{"watchguard", "WatchGuard", false},
	{"blue coat", "Blue Coat", false},
	{"barracuda", "Barracuda", false},
	{"kerio", "Kerio Control", false},
	{"untangle", "Untangle", false},
	{"mitmproxy", "mitmproxy", false},
	{"do not trust", "Fiddler", false},
}

// Interceptor names the antivirus or proxy product whose certificate
// authority issued a certificate, judged by the issuer's organization
// (O=) field; "" when it names none.
func Interceptor(issuer string) string {
	for _, org := range dnValues(issuer, "O") {
		if p := interceptorIn(org, false); p != "" {
			return p
		}
	}
	return ""
}

// interceptorIn names a product whose words appear, as whole words, in s;
// with banner, only a desktop product.
func interceptorIn(s string, banner bool) string {
	words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}), " ") + " "
	for _, ic := range interceptors {
		if (ic.banner || !banner) && strings.Contains(words, " "+ic.words+" ") {
			return ic.product
		}
	}
	return ""
}

// dnValues returns the values of an attribute in a distinguished name as
// pkix.Name.String writes it ("CN=x,O=Acme\, Inc.,C=RU"), unescaped.
func dnValues(dn, attr string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if k, v, ok := strings.Cut(cur.String(), "="); ok && strings.EqualFold(strings.TrimSpace(k), attr) {
			out = append(out, strings.TrimSpace(v))
		}
		cur.Reset()
	}
	escaped := false
	for _, r := range dn {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == ',' || r == '+':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

// interceptedSteps puts the product's own setting first where its vendor
// documents one (cause.tls-intercepted.product.<name>), then the cause's
// general steps.
func interceptedSteps(product string) []string {
	key := "cause.tls-intercepted.product." + strings.ToLower(strings.ReplaceAll(product, " ", "-"))
	if EN.Has(key) {
		return steps(TLSIntercepted, key)
	}
	return nil
}
