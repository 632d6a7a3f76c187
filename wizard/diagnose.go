package wizard

import (
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
			d.dns, d.sftpOnly, d.network, d.ipv6Broken, d.securityMismatch, d.tls, d.startTLS, d.busy, d.connLimit, d.greeting,
			d.policy, d.relay, d.login, d.ftpData, d.transfer, d.idle, d.session,
		} {
			rule()
		}
		d.fallback()
	}
	d.providerSettings()
	rankFindings(d.out)
	fileLeft(d.out, d.rs)
	return d.out
}

// precedence orders the causes among findings of equal confidence: the
// ranking between findings, in one place. A cause that stops the
// conversation earlier (name, path, TLS, greeting) comes before what the
// conversation said later; the login's own outcome (refused by policy,
// not offered, refused) comes before the relay test's "log in first",
// because with credentials given the login decides; the specific comes
// before the generic (connection-reset, connection-aborted).
var precedence = []Cause{
	// The provider's documented settings answer where the account's fail:
	// that explains whatever went wrong with the account's own.
	SettingsDiffer,
	HostMissing, HostMalformed, DNSNotFound, DNSFailure,
	SFTPOnly, NetworkUnreachable, IPv6Broken, PortBlocked, WrongPort, ServiceDown,
	SecurityMismatch, ClockSkew, TLSIntercepted, TLSCertificate, TLSHandshake, StartTLSUnavailable,
	ServerBusy, GreetingTimeout,
	AppPasswordRequired, OAuthRequired, AccessDisabled, AuthUnavailable, AuthFailed, AuthRequired,
	FTPPasvAddress, FTPModeRefused, FTPPassiveBlocked, FTPActiveBlocked,
	TransferInterrupted, TransferSlow, IdleTimeout,
	ConnectionReset, ConnectionAborted, Intermittent, NoProblemFound,
}

// rankFindings sorts findings by confidence, then by precedence; a cause
// missing from precedence goes last, and equal ranks keep rule order.
func rankFindings(fs []Finding) {
	conf := map[Confidence]int{High: 0, Medium: 1, Low: 2}
	rank := func(c Cause) int {
		if i := slices.Index(precedence, c); i >= 0 {
			return i
		}
		return len(precedence)
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if d := conf[a.Confidence] - conf[b.Confidence]; d != 0 {
			return d
		}
		return rank(a.Cause) - rank(b.Cause)
	})
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
		out := Diagnose(t, runs[len(runs)-1])
		fileLeft(out, runs...)
		return out
	}
	last := Diagnose(t, runs[lastFail])
	base := newDiag(t, runs[lastFail]).base
	f := Finding{Cause: Intermittent, Confidence: High, Evidence: evidence, Facts: base}
	f.Facts["failures"] = strings.Join(failures, ", ")
	f.Facts["runs"] = strconv.Itoa(len(runs))
	f.Facts["failed_runs"] = strconv.Itoa(countFailing(runs))
	out := append([]Finding{f}, last...)
	fileLeft(out, runs...)
	return out
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
		if !EN.HasStep(key) {
			return out
		}
		out = append(out, key)
	}
}

// setting fills the facts of a settings step (port and security mode; each
// program's words for them are its fact.set_security.<mode>.<program>
// texts) and returns its program-specific key for the service. Outlook has
// no STARTTLS for POP3, only a check box (set_pop3_box), so that case has
// its own key.
func (d *diag) setting(f *Finding, port int, sec checks.Security) string {
	f.Facts["set_port"] = strconv.Itoa(port)
	f.Facts["set_security"], f.Facts["set_pop3_box"] = string(sec), string(sec)
	if d.t.Service == checks.POP3 && sec == checks.SecurityStartTLS {
		return "setting.pop3-stls"
	}
	return "setting." + string(d.t.Service)
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
		if fs[0].f.Kind == checks.FaultLocal {
			// Nothing was sent: the settings, not the server, are the cause.
			f.Variant, f.Steps = "local", []string{"cause.connection-aborted.step.local"}
		}
		f.Facts["kind"] = string(fs[0].f.Kind)
		f.Missing = []string{"missing.unexplained"}
		d.add(f, fs[0].f)
		return
	}
	f := d.finding(NoProblemFound, High)
	canceled := false
	for _, r := range d.rs {
		switch {
		case r.Status == checks.StatusPass || r.Status == checks.StatusWarn:
			f.Evidence = append(f.Evidence, string(r.ID))
		case r.Skipped == checks.SkipCanceled || r.Status == checks.StatusPending || r.Status == checks.StatusFail:
			canceled = true
		case r.ID == checks.CheckAuth && r.Skipped == checks.SkipNoCredentials && f.Confidence == High:
			f.Confidence, f.Missing = Medium, []string{"missing.login"}
		}
	}
	if canceled || len(f.Evidence) == 0 {
		// A run stopped before its end has its own headline: not every
		// check passed, most did not run.
		f.Confidence, f.Missing, f.Variant = Low, []string{"missing.canceled"}, "canceled"
		f.Steps = []string{"cause.no-problem-found.step.canceled", "cause.no-problem-found.step3"}
	}
	d.add(f)
}
