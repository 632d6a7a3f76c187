package ui

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"assistant/checks"
	"assistant/wizard"
)

// demoResults is a fixed run against a refused port, for the goldens.
func demoResults() []checks.Result {
	ms := time.Millisecond
	refused := &checks.Fault{Kind: checks.FaultRefused, WinSock: 10061, Stage: checks.StageConnect}
	return []checks.Result{
		{ID: checks.CheckInput, Status: checks.StatusPass, Input: &checks.InputFacts{RawHost: "mail.example.com", Host: "mail.example.com", Port: 587}},
		{ID: checks.CheckDNS, Status: checks.StatusPass, Duration: 12 * ms, DNS: &checks.DNSFacts{Resolver: "system", Addresses: []string{"192.0.2.10"}, Outcome: "ok"}},
		{ID: checks.CheckPing, Status: checks.StatusPass, Duration: 31 * ms, Ping: &checks.PingFacts{Sent: 3, Received: 3, RTT: 9 * ms, ICMPAllowed: true}},
		{ID: checks.CheckTCP, Status: checks.StatusFail, Duration: 2 * ms, Fault: refused, TCP: &checks.TCPFacts{Address: "192.0.2.10:587"},
			Steps: []checks.Step{{Name: "connect 192.0.2.10:587", Status: checks.StatusFail, Duration: 2 * ms, Detail: "connection refused"}}},
		{ID: checks.CheckPorts, Status: checks.StatusWarn, Duration: 40 * ms, Ports: []checks.PortFacts{
			{Port: 25, Answer: "greeting"}, {Port: 465, Security: checks.SecurityTLS, Answer: "tls"}, {Port: 587, Configured: true, Answer: "closed", Fault: refused}}},
		{ID: checks.CheckTLS, Status: checks.StatusSkip, Skipped: checks.SkipDependency},
		{ID: checks.CheckSMTP, Status: checks.StatusSkip, Skipped: checks.SkipDependency},
		{ID: checks.CheckAuth, Status: checks.StatusSkip, Skipped: checks.SkipNoCredentials},
	}
}

// demoState is the state of the window on a step, with fixed results.
func demoState(h *harness, step wizard.Step) wizard.State {
	st := h.s.State()
	st.Step = step
	res := demoResults()
	st.Checks = make([]wizard.CheckView, len(res))
	for i, r := range res {
		if step == wizard.StepChecks && i >= 5 {
			r = checks.Result{ID: r.ID, Status: checks.StatusPending}
		}
		st.Checks[i] = wizard.CheckView{ID: r.ID, Result: r}
	}
	st.Done, st.Total = 5, len(res)
	if step == wizard.StepChecks {
		st.Running, st.Watch, st.Interval = true, true, 30*time.Second
		t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
		for i := range 6 {
			run := wizard.TimelineRun{Started: t0.Add(time.Duration(i) * 30 * time.Second), Statuses: map[checks.CheckID]checks.Status{}}
			for _, r := range res {
				run.Statuses[r.ID] = checks.StatusPass
			}
			if i == 2 || i == 5 {
				run.Statuses[checks.CheckTCP] = checks.StatusFail
			}
			st.Timeline = append(st.Timeline, run)
		}
	}
	if step == wizard.StepResult {
		tg := checks.Target{Service: checks.SMTP, Host: "mail.example.com", Port: 587}
		st.Report = &wizard.Report{Results: res, Target: tg, Findings: wizard.Diagnose(tg, res)}
	}
	return st
}

// TestGoldens renders each step (English, and the account page in
// Russian) to markup; refresh a golden by deleting it and copying the one
// written to testdata/failed/ after checking it.
func TestGoldens(t *testing.T) {
	h := newHarness(t)
	c := h.w.win.Canvas()
	h.w.win.Resize(fyne.NewSize(960, 700))
	test.AssertRendersToMarkup(t, "start.xml", c)

	h.account(checks.SMTP, "mail.example.com", "")
	h.w.account.security.SetSelected("STARTTLS")
	test.Type(h.w.account.user, "anna@example.com")
	test.AssertRendersToMarkup(t, "account.xml", c)
	h.w.lang.SetSelected("Русский")
	test.AssertRendersToMarkup(t, "account_ru.xml", c)
	h.w.lang.SetSelected("English")

	h.w.render(demoState(h, wizard.StepChecks))
	test.AssertRendersToMarkup(t, "checks.xml", c)
	h.w.render(demoState(h, wizard.StepResult))
	test.AssertRendersToMarkup(t, "result.xml", c)
}

// TestTopFindingFirst: with findings, the first is shown large with its
// explanation and steps, and the others below it.
func TestTopFindingFirst(t *testing.T) {
	h := newHarness(t)
	st := demoState(h, wizard.StepResult)
	first := wizard.Finding{Cause: wizard.PortBlocked, Confidence: wizard.High, Facts: map[string]string{"port": "587", "host": "mail.example.com", "winsock": "10060", "service": "SMTP"}}
	second := wizard.Finding{Cause: wizard.WrongPort, Confidence: wizard.Low}
	st.Report.Findings = []wizard.Finding{first, second}
	for _, l := range wizard.Langs {
		st.Lang = l
		h.w.render(st)
		top := shownText(test.RenderObjectToMarkup(h.w.result.findings[0]))
		for _, want := range append([]string{first.Title(l), first.Explanation(l), l.T("ui.result.likely")}, first.Remediation(l)...) {
			if !strings.Contains(top, want) {
				t.Errorf("%s: the top finding lacks %q", l, want)
			}
		}
		if others := test.RenderObjectToMarkup(h.w.result.findings[1]); !strings.Contains(others, second.Title(l)) {
			t.Errorf("%s: the other findings lack %q", l, second.Title(l))
		}
	}
}

// shownText is the text a markup rendering shows, with wrapped lines joined
// again by the spaces they were broken at.
func shownText(markup string) string {
	var parts []string
	for _, m := range textElement.FindAllStringSubmatch(markup, -1) {
		parts = append(parts, html.UnescapeString(m[1]))
	}
	return strings.Join(parts, " ")
}

var textElement = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)
