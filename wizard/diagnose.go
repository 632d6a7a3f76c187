package wizard

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"assistant/checks"
)

// The transfer-slow threshold: a 25 MiB attachment or file (the common
// message size limit of mail providers) sent within 60 s, the default
// server timeout of Outlook ("Server Timeouts: 1 minute") and the order of
// the idle timeouts of FTP clients (FileZilla: 20 s without progress).
// Below SlowBytesPerSecond (≈ 427 KiB/s) such a transfer outlasts it.
const (
	PlannedTransfer    = 25 << 20
	ClientTimeout      = 60 * time.Second
	SlowBytesPerSecond = float64(PlannedTransfer) / 60
)

// Diagnose turns the results of one run into findings, most likely first.
// A cause is named only when its evidence is present, never when the
// evidence contradicts it; the list is never empty (no-problem-found when
// every check passed).
func Diagnose(t checks.Target, results []checks.Result) []Finding {
	d := newDiag(t, results)
	if !d.input() {
		for _, rule := range []func(){
			d.dns, d.network, d.securityMismatch, d.tls, d.startTLS, d.busy, d.greeting,
			d.relay, d.login, d.ftpData, d.transfer, d.session,
		} {
			rule()
		}
		d.fallback()
	}
	rank := map[Confidence]int{High: 0, Medium: 1, Low: 2}
	slices.SortStableFunc(d.out, func(a, b Finding) int { return rank[a.Confidence] - rank[b.Confidence] })
	return d.out
}

// DiagnoseRuns diagnoses the runs of --repeat N (started holds when each
// began). When a check passes in some runs and fails in others it names
// intermittent first, quoting the time and faults of each failing run,
// followed by the findings of the last failing run.
func DiagnoseRuns(t checks.Target, runs [][]checks.Result, started []time.Time) []Finding {
	if len(runs) == 0 {
		return Diagnose(t, nil)
	}
	passed, failed := map[checks.CheckID]bool{}, map[checks.CheckID]bool{}
	var failures []string
	lastFail := -1
	for i, run := range runs {
		when := ""
		if i < len(started) {
			when = started[i].Format("15:04:05") + " "
		}
		for _, r := range run {
			switch r.Status {
			case checks.StatusPass, checks.StatusWarn:
				passed[r.ID] = true
			case checks.StatusFail:
				failed[r.ID] = true
				lastFail = i
				kind := "fail"
				if r.Fault != nil {
					kind = string(r.Fault.Kind)
				}
				failures = append(failures, when+string(r.ID)+":"+kind)
			}
		}
	}
	var evidence []string
	for _, run := range runs {
		for _, r := range run {
			if passed[r.ID] && failed[r.ID] && !slices.Contains(evidence, string(r.ID)) {
				evidence = append(evidence, string(r.ID))
			}
		}
	}
	if len(evidence) == 0 {
		return Diagnose(t, runs[len(runs)-1])
	}
	last := Diagnose(t, runs[lastFail])
	base := newDiag(t, runs[lastFail]).base
	f := Finding{Cause: Intermittent, Confidence: High, Evidence: evidence, Facts: base}
	f.Facts["failures"] = strings.Join(failures, ", ")
	f.Facts["runs"] = strconv.Itoa(len(runs))
	f.Facts["failed_runs"] = strconv.Itoa(countFailing(runs))
	return append([]Finding{f}, last...)
}

func countFailing(runs [][]checks.Result) int {
	n := 0
	for _, run := range runs {
		if slices.ContainsFunc(run, checks.Result.Failed) {
			n++
		}
	}
	return n
}

// diag is the state of one diagnosis.
type diag struct {
	t         checks.Target
	rs        []checks.Result
	base      map[string]string
	out       []Finding
	explained map[*checks.Fault]bool
}

func newDiag(t checks.Target, rs []checks.Result) *diag {
	t = t.WithDefaults()
	d := &diag{t: t, rs: rs, explained: map[*checks.Fault]bool{}}
	t.Host = strings.TrimSpace(t.Host)
	if in := d.facts(checks.CheckInput); in != nil && in.Input != nil {
		if in.Input.Host != "" {
			t.Host = in.Input.Host
		}
		if in.Input.Port != 0 {
			t.Port = in.Input.Port
		}
	}
	d.t = t
	d.base = map[string]string{
		"host": t.Host, "port": strconv.Itoa(t.Port), "service": strings.ToUpper(string(t.Service)),
		"security": string(t.Security),
	}
	return d
}

// facts returns the result of a check, or nil when it is absent.
func (d *diag) facts(id checks.CheckID) *checks.Result { return checks.Find(d.rs, id) }

// fault returns the fault of a failed check, or nil.
func (d *diag) fault(id checks.CheckID) *checks.Fault {
	if r := d.facts(id); r != nil && r.Failed() && r.Fault != nil && r.Fault.Kind != checks.FaultCanceled {
		return r.Fault
	}
	return nil
}

func (d *diag) passed(id checks.CheckID) bool {
	r := d.facts(id)
	return r != nil && (r.Status == checks.StatusPass || r.Status == checks.StatusWarn)
}

// proto is the protocol check of the service (smtp, pop3, imap, ftp).
func (d *diag) proto() checks.CheckID { return checks.CheckID(d.t.Service) }

// finding starts a finding with the base facts.
func (d *diag) finding(c Cause, conf Confidence, evidence ...checks.CheckID) Finding {
	f := Finding{Cause: c, Confidence: conf, Facts: map[string]string{}}
	for k, v := range d.base {
		f.Facts[k] = v
	}
	for _, id := range evidence {
		if !slices.Contains(f.Evidence, string(id)) {
			f.Evidence = append(f.Evidence, string(id))
		}
	}
	return f
}

// add names a finding once per cause and marks the faults it explains.
func (d *diag) add(f Finding, explains ...*checks.Fault) {
	for _, x := range explains {
		if x != nil {
			d.explained[x] = true
		}
	}
	if d.named(f.Cause) {
		return
	}
	d.out = append(d.out, f)
}

func (d *diag) named(c Cause) bool {
	return slices.ContainsFunc(d.out, func(f Finding) bool { return f.Cause == c })
}

// steps lists case-specific step keys followed by the cause's default steps.
func steps(c Cause, first ...string) []string {
	out := slices.Clone(first)
	for i := 1; ; i++ {
		key := "cause." + string(c) + ".step" + strconv.Itoa(i)
		if !EN.Has(key) {
			return out
		}
		out = append(out, key)
	}
}

// setting fills the facts of a settings step (port and security mode, in
// Outlook's and FileZilla's words) and returns its key for the service.
func (d *diag) setting(f *Finding, port int, sec checks.Security) string {
	f.Facts["set_port"] = strconv.Itoa(port)
	f.Facts["set_security"] = string(sec)
	f.Facts["set_encryption"] = string(sec)
	switch d.t.Service {
	case checks.SMTP:
		return "setting.smtp"
	case checks.FTP:
		return "setting.ftp"
	}
	return "setting.incoming"
}

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
	if flt == nil {
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

// idFault is a failed check's fault.
type idFault struct {
	id checks.CheckID
	f  *checks.Fault
}

// faults lists the faults of the failed checks not yet explained, in run order.
func (d *diag) faults() []idFault {
	var out []idFault
	for _, r := range d.rs {
		if f := d.fault(r.ID); f != nil && !d.explained[f] {
			out = append(out, idFault{r.ID, f})
		}
	}
	return out
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
			d.add(f, d.fault(checks.CheckTLS))
			return
		}
	}
	if r := d.facts(d.proto()); r != nil && r.Server != nil {
		if product := interceptorIn(r.Server.Greeting, true); product != "" {
			f := d.finding(TLSIntercepted, Medium, d.proto())
			f.Variant, f.Facts["greeting"], f.Facts["product"] = "greeting", r.Server.Greeting, product
			f.Missing = []string{"missing.issuer"}
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
			f := d.finding(TLSCertificate, High, x.id)
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

// replyLine is the server's reply of a fault: code and text.
func replyLine(f *checks.Fault) string { return withCode(f.Code, f.Reply) }

// withCode puts a reply code before a reply's text unless the text
// already starts with it.
func withCode(code int, reply string) string {
	if code != 0 && !strings.HasPrefix(reply, strconv.Itoa(code)) {
		return strconv.Itoa(code) + " " + reply
	}
	return reply
}

// busy: server-busy from a 421, IMAP BYE or POP3 [IN-USE] in any check.
func (d *diag) busy() {
	for _, x := range d.faults() {
		if x.f.Kind != checks.FaultBusy {
			continue
		}
		f := d.finding(ServerBusy, High, x.id)
		f.Facts["stage"], f.Facts["reply"] = string(x.f.Stage), replyLine(x.f)
		if d.t.Service == checks.FTP {
			f.Steps = steps(ServerBusy, "cause.server-busy.filezilla")
		}
		d.add(f, x.f)
	}
}

// greeting: greeting-timeout, and wrong-port when the configured port is
// silent or speaks something else while a standard port answered.
func (d *diag) greeting() {
	flt := d.fault(d.proto())
	if flt == nil || d.explained[flt] || flt.Stage != checks.StageGreeting ||
		(flt.Kind != checks.FaultTimeout && flt.Kind != checks.FaultProtocol) {
		return
	}
	standard := slices.ContainsFunc(checks.StandardPorts(d.t.Service), func(p checks.StandardPort) bool { return p.Port == d.t.Port })
	if p, sec, ok := d.altPort(); ok {
		w := d.finding(WrongPort, High, checks.CheckTCP, d.proto())
		w.Variant = "silent"
		if flt.Kind == checks.FaultProtocol {
			w.Variant = "other"
		}
		if standard {
			w.Confidence, w.Missing = Medium, []string{"missing.nonstandard"}
		}
		w.Steps = steps(WrongPort, d.measured(&w, p, sec)...)
		d.add(w, flt)
	}
	if flt.Kind != checks.FaultTimeout {
		return
	}
	f := d.finding(GreetingTimeout, High, d.proto())
	f.Facts["timeout"] = strconv.Itoa(int(d.t.Timeout.Seconds()))
	if d.named(WrongPort) && !standard {
		f.Confidence, f.Missing = Medium, []string{"missing.alt-answered"}
	}
	d.add(f, flt)
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

// ftpData: ftp-pasv-address, ftp-mode-refused, ftp-passive-blocked,
// ftp-active-blocked.
func (d *diag) ftpData() {
	if d.t.Service != checks.FTP {
		return
	}
	for _, id := range []checks.CheckID{checks.CheckFTPPassive, checks.CheckFTPActive} {
		r := d.facts(id)
		if r == nil {
			continue
		}
		mode, other, otherID := "passive", "active", checks.CheckFTPActive
		if id == checks.CheckFTPActive {
			mode, other, otherID = "active", "passive", checks.CheckFTPPassive
		}
		data := r.Data
		if data == nil {
			data = &checks.DataFacts{}
		}
		if data.Foreign || slices.Contains(r.Warnings, "pasv-foreign-address") {
			f := d.finding(FTPPasvAddress, High, id)
			f.Facts["announced"], f.Facts["server"], f.Facts["reply"] = data.Announced, data.Server, data.Reply
			d.add(f, d.fault(id))
		}
		flt := d.fault(id)
		if flt == nil || d.explained[flt] {
			continue
		}
		code := flt.Code
		if code == 0 {
			code = data.Code
		}
		var first []string
		if d.passed(otherID) {
			first = append(first, "measured.mode."+other)
		}
		f := d.finding(FTPModeRefused, High, id)
		f.Facts["mode"], f.Facts["set_mode"] = mode, other
		f.Facts["command"] = data.Command
		if f.Facts["command"] == "" {
			f.Facts["command"] = map[string]string{"passive": "PASV", "active": "PORT"}[mode]
		}
		f.Facts["code"], f.Facts["reply"] = strconv.Itoa(code), replyLine(flt)
		if f.Facts["reply"] == "" {
			f.Facts["reply"] = data.Reply
		}
		switch {
		case flt.Stage == checks.StageCommand && (code == 500 || code == 502 || code == 550):
			f.Steps = steps(FTPModeRefused, append(first, "setting.ftp-mode")...)
			d.add(f, flt)
		case flt.Stage == checks.StageDataConnect || code == 425:
			f.Cause = FTPPassiveBlocked
			if mode == "active" {
				f.Cause = FTPActiveBlocked
			}
			f.Facts["winsock"] = winsock(flt, 0)
			f.Facts["kind"] = string(flt.Kind)
			f.Facts["address"] = cmp.Or(data.Used, data.Announced, data.Server, d.t.Host)
			if f.Cause == FTPActiveBlocked && f.Facts["reply"] != "" {
				f.Variant = "reply"
			}
			d.dataBlockedConfidence(&f, otherID)
			f.Steps = steps(f.Cause, append(first, "setting.ftp-mode")...)
			d.add(f, flt)
		}
	}
}

// dataBlockedConfidence: a blocked data connection is sure when the control
// connection works, and for active mode when passive works.
func (d *diag) dataBlockedConfidence(f *Finding, otherID checks.CheckID) {
	if !d.passed(checks.CheckFTP) {
		f.Confidence, f.Missing = Medium, append(f.Missing, "missing.control")
	} else {
		f.Evidence = appendID(f.Evidence, checks.CheckFTP)
	}
	if f.Cause != FTPActiveBlocked {
		return
	}
	if d.passed(otherID) {
		f.Evidence = appendID(f.Evidence, otherID)
	} else {
		f.Confidence, f.Missing = Medium, append(f.Missing, "missing.passive")
	}
}

// transfer: transfer-interrupted, transfer-slow.
func (d *diag) transfer() {
	r := d.facts(checks.CheckTransfer)
	if r == nil {
		return
	}
	tf := r.Transfer
	if tf == nil {
		tf = &checks.TransferFacts{}
	}
	flt := d.fault(checks.CheckTransfer)
	if flt != nil && !d.explained[flt] && (flt.Offset > 0 || flt.Stage == checks.StageDataTransfer) {
		f := d.finding(TransferInterrupted, High, checks.CheckTransfer)
		offset := flt.Offset
		if offset == 0 {
			offset = tf.Sent
		}
		f.Facts["offset"], f.Facts["size"] = strconv.FormatInt(offset, 10), strconv.FormatInt(tf.Size, 10)
		f.Facts["percent"] = "0"
		if tf.Size > 0 {
			f.Facts["percent"] = strconv.FormatInt(offset*100/tf.Size, 10)
		}
		f.Facts["kind"], f.Facts["stage"], f.Facts["reply"] = string(flt.Kind), string(flt.Stage), replyLine(flt)
		dataOK := d.passed(checks.CheckFTPPassive) || d.passed(checks.CheckFTPActive)
		if d.passed(checks.CheckFTP) && dataOK {
			f.Evidence = appendID(appendID(f.Evidence, checks.CheckFTP), dataCheck(d))
		} else {
			f.Confidence, f.Missing = Medium, []string{"missing.control"}
		}
		d.add(f, flt)
	}
	if tf.BytesPerSecond > 0 && tf.BytesPerSecond < SlowBytesPerSecond {
		f := d.finding(TransferSlow, High, checks.CheckTransfer)
		f.Facts["rate"] = strconv.FormatFloat(tf.BytesPerSecond/1024, 'f', 0, 64)
		f.Facts["planned"] = strconv.Itoa(PlannedTransfer >> 20)
		f.Facts["timeout"] = strconv.Itoa(int(ClientTimeout.Seconds()))
		f.Facts["minutes"] = fmt.Sprintf("%.0f", float64(PlannedTransfer)/tf.BytesPerSecond/60+0.5)
		if flt != nil {
			f.Confidence, f.Missing = Medium, []string{"missing.transfer-done"}
		}
		d.add(f)
	}
}

// dataCheck is the data check that passed (passive first).
func dataCheck(d *diag) checks.CheckID {
	if d.passed(checks.CheckFTPPassive) {
		return checks.CheckFTPPassive
	}
	return checks.CheckFTPActive
}

// session: connection-reset and connection-aborted for the faults no more
// specific cause explains.
func (d *diag) session() {
	for _, x := range d.faults() {
		switch x.f.Kind {
		case checks.FaultReset:
			f := d.finding(ConnectionReset, High, x.id)
			f.Facts["stage"], f.Facts["winsock"] = string(x.f.Stage), winsock(x.f, checks.WSAECONNRESET)
			d.add(f, x.f)
		case checks.FaultAborted, checks.FaultClosed:
			f := d.finding(ConnectionAborted, High, x.id)
			d.lastReply(&f, x)
			d.add(f, x.f)
		}
	}
}

// lastReply quotes the fault's reply or the last server line of the
// check's transcript, and the stage.
func (d *diag) lastReply(f *Finding, x idFault) {
	f.Facts["stage"] = string(x.f.Stage)
	reply := replyLine(x.f)
	if reply == "" {
		if r := d.facts(x.id); r != nil {
			for i := len(r.Transcript) - 1; i >= 0; i-- {
				if s, ok := strings.CutPrefix(r.Transcript[i], "S: "); ok {
					reply = s
					break
				}
			}
		}
	}
	f.Facts["reply"] = reply
	if reply != "" {
		f.Variant = "reply"
	}
}

// fallback: a failure no rule explains is quoted as connection-aborted with
// low confidence; when every check passed, no-problem-found.
func (d *diag) fallback() {
	if len(d.out) > 0 {
		return
	}
	if fs := d.faults(); len(fs) > 0 {
		f := d.finding(ConnectionAborted, Low, fs[0].id)
		d.lastReply(&f, fs[0])
		f.Variant = map[string]string{"": "other", "reply": "other-reply"}[f.Variant]
		f.Facts["kind"] = string(fs[0].f.Kind)
		f.Missing = []string{"missing.unexplained"}
		d.add(f, fs[0].f)
		return
	}
	f := d.finding(NoProblemFound, High)
	for _, r := range d.rs {
		switch {
		case r.Status == checks.StatusPass || r.Status == checks.StatusWarn:
			f.Evidence = append(f.Evidence, string(r.ID))
		case r.Skipped == checks.SkipCanceled || r.Status == checks.StatusPending || r.Status == checks.StatusFail:
			f.Confidence, f.Missing = Low, []string{"missing.canceled"}
		case r.ID == checks.CheckAuth && r.Skipped == checks.SkipNoCredentials && f.Confidence == High:
			f.Confidence, f.Missing = Medium, []string{"missing.login"}
		}
	}
	if len(f.Evidence) == 0 {
		f.Confidence, f.Missing = Low, []string{"missing.canceled"}
	}
	d.add(f)
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
