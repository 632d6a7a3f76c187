package wizard

// Rules of the input and the names: host-missing, host-malformed, dns-not-found, dns-failure.

import (
	"strings"

	"assistant/checks"
)

// input: host-missing, host-malformed. It reports whether the host is
// unusable, so that nothing else can be diagnosed.
func (d *diag) input() bool {
	r := d.facts(checks.CheckInput)
	var in *checks.InputFacts
	if r != nil {
		in = r.Input
	}
	if (in != nil && in.Problem == checks.InputEmpty) || (in == nil && d.t.Host == "") {
		f := d.finding(HostMissing, High, checks.CheckInput)
		f.Steps = []string{"cause.host-missing.step1", d.hostStep(), "cause.host-missing.step2"}
		d.add(f, d.fault(checks.CheckInput))
		return true
	}
	if in == nil {
		return false
	}
	raw := strings.ReplaceAll(in.RawHost, "\n", " ")
	if in.Problem == checks.InputInvalid {
		f := d.finding(HostMalformed, High, checks.CheckInput)
		f.Variant, f.Facts["raw_host"] = "invalid", raw
		f.Steps = []string{"cause.host-malformed.invalid", d.hostStep()}
		d.add(f, d.fault(checks.CheckInput))
		return true
	}
	if len(in.Changes) == 0 {
		return false
	}
	conf, missing := Medium, []string{"missing.harmless"}
	var changes []string
	for _, c := range in.Changes {
		key := "cause.host-malformed.change." + c
		if EN.Has(key) {
			changes = append(changes, key)
		}
		if c != "trailing-dot" && c != "idn" && c != "brackets" {
			conf, missing = High, nil
		}
	}
	f := d.finding(HostMalformed, conf, checks.CheckInput)
	f.Missing = missing
	f.Facts["raw_host"] = raw
	f.Steps = append([]string{"cause.host-malformed.step1", d.hostStep()}, changes...)
	d.add(f)
	return false
}

// hostStep is where the server name is typed in the service's client.
func (d *diag) hostStep() string {
	switch d.t.Service {
	case checks.SMTP:
		return "setting.host.smtp"
	case checks.FTP:
		return "setting.host.ftp"
	}
	return "setting.host.incoming"
}

// dns: dns-not-found, dns-failure.
func (d *diag) dns() {
	r := d.facts(checks.CheckDNS)
	if r == nil || !r.Failed() {
		return
	}
	outcome, resolver := "", "system"
	if r.DNS != nil {
		outcome = r.DNS.Outcome
		if r.DNS.Resolver != "" {
			resolver = r.DNS.Resolver
		}
	}
	flt := r.Fault
	var kind checks.FaultKind
	if flt != nil {
		kind = flt.Kind
	}
	switch {
	case kind == checks.FaultNotFound || outcome == "not-found" || outcome == "no-address":
		f := d.finding(DNSNotFound, High, checks.CheckDNS)
		f.Facts["winsock"] = winsock(flt, checks.WSAHOST_NOT_FOUND)
		if outcome == "no-address" {
			f.Variant = "no-address"
			f.Facts["winsock"] = winsock(flt, checks.WSANO_DATA)
		}
		f.Facts["resolver"] = resolver
		d.add(f, flt)
	case kind == checks.FaultDNS || outcome == "failure" || outcome == "timeout":
		f := d.finding(DNSFailure, High, checks.CheckDNS)
		f.Facts["winsock"] = winsock(flt, checks.WSATRY_AGAIN)
		f.Facts["resolver"] = resolver
		d.add(f, flt)
	}
}
