package wizard

import (
	"slices"
	"strings"
	"testing"
	"time"

	"assistant/checks"
)

// The cases of the network path's newer causes: sftp-only, ipv6-broken,
// idle-timeout and the FTP connection limit.

// sshBanner is a real OpenSSH identification line (Debian 12).
const sshBanner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"

// ftp21 is a healthy plain FTP run whose ports check also saw the SSH port.
func ftp21(sshAnswer string) *run {
	return newRun(checks.FTP, 21, checks.SecurityNone).with(checks.CheckPorts, func(r *checks.Result) {
		p := checks.PortFacts{Port: checks.SFTPPort, SSH: true, Security: checks.SecurityNone, Answer: sshAnswer}
		if sshAnswer == checks.AnswerSSH {
			p.Greeting = sshBanner
		} else {
			p.Fault = &checks.Fault{Kind: checks.FaultRefused, Stage: checks.StageConnect, WinSock: checks.WSAECONNREFUSED}
		}
		r.Ports = append(r.Ports, p)
	})
}

// dual is a healthy SMTP run on a name with an IPv4 and an IPv6 address;
// v6 is what the addresses check saw on the IPv6 one.
func dual(v6 checks.FaultKind) *run {
	return smtp25().with(checks.CheckAddresses, func(r *checks.Result) {
		r.Status, r.Skipped = checks.StatusPass, ""
		r.Addresses = []checks.AddressFacts{
			{Address: "192.0.2.10", Port: 25, Family: checks.FamilyIPv4, Connected: true, FromTCP: true, Used: true},
			{Address: "2001:db8::10", Port: 25, Family: checks.FamilyIPv6, Connected: v6 == ""},
		}
		if v6 != "" {
			r.Status, r.Warnings = checks.StatusWarn, []string{checks.WarnAddressFailed}
			r.Addresses[1].Fault = &checks.Fault{Kind: v6, Stage: checks.StageConnect, WinSock: ws[v6]}
		}
	})
}

// idled adds an idle check's result to a run: probes idle 5 s and 15 s
// with the given outcomes, a keep-alive connection and a fresh one.
func idled(b *run, short, long, keep string, fill func(*checks.IdleFacts)) *run {
	f := &checks.IdleFacts{Duration: 15 * time.Second, KeepAliveEvery: 2 * time.Second,
		Probes:    []checks.IdleProbe{{Idle: 5 * time.Second, Outcome: short}, {Idle: 15 * time.Second, Outcome: long}},
		KeepAlive: &checks.IdleProbe{Idle: 15 * time.Second, KeepAlive: true, Outcome: keep},
		Fresh:     &checks.IdleProbe{Outcome: checks.IdleAlive}}
	r := checks.Result{ID: checks.CheckIdle, Status: checks.StatusPass, Idle: f}
	for i, p := range f.Probes {
		switch p.Outcome {
		case checks.IdleAlive:
			f.SurvivedUpTo = p.Idle
		case checks.IdleReset, checks.IdleSilent:
			kind := map[string]checks.FaultKind{checks.IdleReset: checks.FaultReset, checks.IdleSilent: checks.FaultTimeout}[p.Outcome]
			f.Probes[i].Fault = &checks.Fault{Kind: kind, Stage: checks.StageIdle, WinSock: ws[kind]}
			if f.TimeoutAfter == 0 {
				f.TimeoutAfter, r.Status, r.Fault = p.Idle, checks.StatusFail, f.Probes[i].Fault
			}
		}
	}
	if fill != nil {
		fill(f)
	}
	b.rs = append(b.rs, r)
	return b
}

func pathDiagCases() []diagCase {
	alive, reset, silent := checks.IdleAlive, checks.IdleReset, checks.IdleSilent
	return []diagCase{
		{name: "idle timeout: reset after 15 s, 5 s survived, keep-alive works", want: IdleTimeout, conf: High,
			evidence: []string{"idle"}, facts: map[string]string{"timeout": "15", "survived": "5", "every": "2"},
			not: []Cause{ConnectionReset},
			run: idled(ftp21(checks.AnswerClosed), alive, reset, alive, nil)},
		{name: "idle timeout: silence after 5 s, keep-alive fails too", want: IdleTimeout, conf: High,
			facts: map[string]string{"timeout": "5", "keepalive_after": "8"},
			run:   idled(smtp25(), silent, silent, silent, func(f *checks.IdleFacts) { f.KeepAlive.After = 8 * time.Second })},
		{name: "idle: the server's own timeout", want: IdleTimeout, conf: Medium,
			facts: map[string]string{"server_timeout": "12", "reply": "421 Timeout."},
			run: idled(ftp21(checks.AnswerClosed), alive, checks.IdleServerClosed, alive, func(f *checks.IdleFacts) {
				f.Probes[1].After, f.Probes[1].Reply, f.ServerTimeout = 12*time.Second, "421 Timeout.", 12*time.Second
			})},
		{name: "idle: nothing dropped", want: NoProblemFound, conf: High, not: []Cause{IdleTimeout},
			run: idled(ftp21(checks.AnswerClosed), alive, alive, alive, nil)},
		{name: "connection limit from the idle test", want: ServerBusy, conf: High, evidence: []string{"idle"},
			facts: map[string]string{"limit": "2", "limit_transfers": "1"},
			run: idled(ftp21(checks.AnswerClosed), alive, checks.IdleBusy, alive, func(f *checks.IdleFacts) {
				f.Limit = &checks.ConnLimit{Accepted: 2, Reply: "421 There are too many connections from your internet address."}
			})},
		{name: "connection limit added to a 421 of the transfer", want: ServerBusy, conf: High, evidence: []string{"transfer", "idle"},
			facts: map[string]string{"limit": "3", "limit_transfers": "2", "stage": "greeting"},
			run: idled(ftp21(checks.AnswerClosed).fail(checks.CheckTransfer,
				checks.Fault{Kind: checks.FaultBusy, Stage: checks.StageGreeting, Code: 421, Reply: "There are too many connections from your internet address."}, false),
				alive, checks.IdleBusy, alive, func(f *checks.IdleFacts) {
					f.Limit = &checks.ConnLimit{Accepted: 3, Reply: "421 There are too many connections from your internet address."}
				})},
		{name: "ipv6 broken: timeout on IPv6, IPv4 works", want: IPv6Broken, conf: High, evidence: []string{"addresses", "dns"},
			facts: map[string]string{"failed": "2001:db8::10 (timeout)", "ipv4": "192.0.2.10"},
			run:   dual(checks.FaultTimeout)},
		{name: "ipv6 broken: unreachable", want: IPv6Broken, conf: High, run: dual(checks.FaultUnreachable)},
		{name: "ipv6 refused is not broken IPv6", want: NoProblemFound, conf: High, not: []Cause{IPv6Broken},
			run: dual(checks.FaultRefused)},
		{name: "both families answer", want: NoProblemFound, conf: High, run: dual("")},
		{name: "sftp only: FTP refused, SSH on 22", want: SFTPOnly, conf: High, evidence: []string{"ports", "tcp"},
			facts: map[string]string{"ssh_port": "22", "banner": sshBanner, "winsock": "10061"},
			not:   []Cause{ServiceDown},
			run: ftp21(checks.AnswerSSH).port(990, checks.AnswerClosed, checks.FaultRefused).
				fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true)},
		{name: "sftp only: FTP silent, SSH on 22", want: SFTPOnly, conf: High, evidence: []string{"ports", "ftp"},
			run: ftp21(checks.AnswerSSH).port(990, checks.AnswerSilent, "").
				fail(checks.CheckFTP, flt(checks.FaultTimeout, checks.StageGreeting), true)},
		{name: "sftp only: the configured port speaks SSH", want: SFTPOnly, conf: High, evidence: []string{"ftp"},
			facts: map[string]string{"ssh_port": "21", "banner": sshBanner},
			run: ftp21(checks.AnswerClosed).with(checks.CheckFTP, func(r *checks.Result) {
				r.Transcript = []string{"S: " + sshBanner}
			}).fail(checks.CheckFTP, flt(checks.FaultProtocol, checks.StageGreeting), true)},
		{name: "not sftp only: 990 answers FTP", want: WrongPort, conf: High, not: []Cause{SFTPOnly},
			run: ftp21(checks.AnswerSSH).fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true)},
		{name: "not sftp only: 22 refused too", want: ServiceDown, conf: High, not: []Cause{SFTPOnly},
			run: ftp21(checks.AnswerClosed).port(990, checks.AnswerClosed, checks.FaultRefused).
				fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true)},
	}
}

// TestPortsSummarySSH: an SSH banner on 22 counts as an answer in the
// ports check's summary, in its own words.
func TestPortsSummarySSH(t *testing.T) {
	r := checks.Result{ID: checks.CheckPorts, Status: checks.StatusWarn, Ports: []checks.PortFacts{
		{Port: 990, Answer: checks.AnswerClosed}, {Port: 22, SSH: true, Answer: checks.AnswerSSH, Greeting: sshBanner}}}
	for l, want := range map[Lang]string{EN: "Answered: 22 (SSH (SFTP))", RU: "22 (SSH (SFTP))"} {
		if got := CheckSummary(r, l); !strings.Contains(got, want) || strings.Contains(got, "did not answer: 22") {
			t.Errorf("%s: %q, want %q", l, got, want)
		}
	}
}

// TestServerBusyHowToMeasure: an FTP 421 without the idle test says how
// to measure the limit; with the idle test's limit it says the number.
func TestServerBusyHowToMeasure(t *testing.T) {
	busy := checks.Fault{Kind: checks.FaultBusy, Stage: checks.StageGreeting, Code: 421,
		Reply: "There are too many connections from your internet address."}
	b := ftp21(checks.AnswerClosed).fail(checks.CheckFTP, busy, true)
	f := Diagnose(b.t, b.rs)[0]
	if f.Cause != ServerBusy || !slices.Contains(f.Steps, "cause.server-busy.measure") {
		t.Fatalf("%s steps %v, want how to measure", f.Cause, f.Steps)
	}
	for _, l := range Langs {
		if got := strings.Join(f.Remediation(l), "\n"); !strings.Contains(got, "--idle-test 15s") {
			t.Errorf("%s: %s", l, got)
		}
	}
}

// TestIdleSummary: the idle check's line says how long connections
// survived, or that none did.
func TestIdleSummary(t *testing.T) {
	r := checks.Result{ID: checks.CheckIdle, Status: checks.StatusWarn, Warnings: []string{checks.WarnIdleServerClosed},
		Idle: &checks.IdleFacts{Probes: []checks.IdleProbe{{Idle: 3 * time.Second, Outcome: checks.IdleServerClosed}},
			KeepAlive: &checks.IdleProbe{Outcome: checks.IdleAlive}}}
	if got := CheckSummary(r, EN); !strings.HasPrefix(got, "No connection stayed alive") || !strings.Contains(got, "2 connections") ||
		!strings.Contains(got, "The server itself closed an idle connection.") {
		t.Errorf("summary %q", got)
	}
	r.Idle.SurvivedUpTo, r.Status, r.Warnings = 5*time.Second, checks.StatusPass, nil
	if got := CheckSummary(r, RU); !strings.Contains(got, "до 5 с") {
		t.Errorf("summary %q", got)
	}
}
