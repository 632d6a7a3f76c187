package ui

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/practice"
	"assistant/wizard"
)

// harness is a wizard window on the test driver. The session's listener
// posts redraws to a queue that the test goroutine runs (pump), as the
// real driver runs them on the UI goroutine: widgets are only ever
// touched by the test goroutine.
type harness struct {
	t     *testing.T
	s     *wizard.Session
	w     *Window
	mu    sync.Mutex
	queue []func()
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	s := wizard.NewSession(nil, wizard.Tool{Name: "test", Version: "0"}, checks.Options{})
	s.SetLang(wizard.EN)
	h := &harness{t: t, s: s}
	h.w = newWindow(a, test.NewTempWindow(t, widget.NewLabel("")), s, h.post)
	t.Cleanup(s.Close)
	return h
}

func (h *harness) post(f func()) {
	h.mu.Lock()
	h.queue = append(h.queue, f)
	h.mu.Unlock()
}

// pump runs the queued redraws.
func (h *harness) pump() {
	h.mu.Lock()
	q := h.queue
	h.queue = nil
	h.mu.Unlock()
	for _, f := range q {
		f()
	}
}

// until pumps redraws until the drawn state satisfies cond, and returns
// how long that took.
func (h *harness) until(what string, limit time.Duration, cond func(st wizard.State) bool) time.Duration {
	h.t.Helper()
	start := time.Now()
	for {
		h.pump()
		if st := h.s.State(); cond(st) && keyOf(st) == h.w.built {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			h.t.Fatalf("%s: not within %s (state %+v)", what, limit, h.s.State())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// account chooses a service and types a server address.
func (h *harness) account(svc checks.Service, host, port string) {
	h.t.Helper()
	test.Tap(h.w.start.choose[svc])
	if h.w.built.step != wizard.StepAccount {
		h.t.Fatalf("choosing %s did not open the account page", svc)
	}
	test.Type(h.w.account.host, host)
	if port != "" {
		h.w.account.port.SetText("")
		test.Type(h.w.account.port, port)
	}
}

// refusedRun runs the checks against a loopback port that refuses and
// waits for the result page.
func (h *harness) refusedRun() {
	h.t.Helper()
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		h.t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(addr)
	h.account(checks.SMTP, host, port)
	test.Tap(h.w.account.run)
	h.s.Wait()
	h.until("result page", 5*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult })
}

func TestPortFollowsSecurityUntilTyped(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.w.start.choose[checks.SMTP])
	a := h.w.account
	if a.port.Text != "25" {
		t.Fatalf("SMTP starts on port %q, want 25", a.port.Text)
	}
	a.security.SetSelected("SSL/TLS")
	if a.port.Text != "465" {
		t.Fatalf("SSL/TLS: port %q, want 465", a.port.Text)
	}
	if !strings.Contains(a.securityHint.Text, "Outlook") {
		t.Fatalf("the security hint names no Outlook setting: %q", a.securityHint.Text)
	}
	a.port.SetText("")
	test.Type(a.port, "2525")
	a.security.SetSelected("STARTTLS")
	if a.port.Text != "2525" || h.s.State().Form.Port != "2525" {
		t.Fatalf("a typed port changed with the security: entry %q, form %q", a.port.Text, h.s.State().Form.Port)
	}
	if a.mode != nil {
		t.Fatal("SMTP shows the FTP data mode")
	}
}

func TestInvalidPortBlocksRunInEitherLanguage(t *testing.T) {
	for _, l := range wizard.Langs {
		t.Run(string(l), func(t *testing.T) {
			h := newHarness(t)
			h.s.SetLang(l)
			h.pump()
			h.account(checks.POP3, "mail.example.com", "99999")
			a := h.w.account
			want := l.T("form.port.invalid", "value", "99999")
			if !a.portMsg.Visible() || a.portMsg.Text != want {
				t.Fatalf("port message %q (visible %v), want %q", a.portMsg.Text, a.portMsg.Visible(), want)
			}
			if !a.run.Disabled() {
				t.Fatal("Run is enabled with an invalid port")
			}
			h.w.onKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			test.Type(a.host, "\n")
			if st := h.s.State(); st.Step != wizard.StepAccount || st.Running {
				t.Fatalf("an invalid port started a run: step %d", st.Step)
			}
			a.port.SetText("")
			test.Type(a.port, "995")
			if a.portMsg.Visible() || a.run.Disabled() {
				t.Fatal("a valid port still shows the message or blocks Run")
			}
		})
	}
}

func TestLanguageSwitchKeepsTypedValues(t *testing.T) {
	h := newHarness(t)
	h.account(checks.FTP, "ftp.example.com", "2121")
	test.Type(h.w.account.user, "anna")
	test.Type(h.w.account.pass, "s3cret")
	h.w.account.size.SetText("")
	test.Type(h.w.account.size, "5x")
	h.w.lang.SetSelected("Русский")

	a := h.w.account
	if h.s.State().Lang != wizard.RU {
		t.Fatal("the session did not switch to Russian")
	}
	for name, got := range map[string]string{"host": a.host.Text, "port": a.port.Text, "user": a.user.Text, "password": a.pass.Text, "size": a.size.Text} {
		want := map[string]string{"host": "ftp.example.com", "port": "2121", "user": "anna", "password": "s3cret", "size": "5x"}[name]
		if got != want {
			t.Errorf("%s: %q after the switch, want %q", name, got, want)
		}
	}
	if a.run.Text != "Начать проверку" || h.w.win.Title() != "Помощник по подключению почты и FTP" {
		t.Errorf("not relabelled: run %q, title %q", a.run.Text, h.w.win.Title())
	}
	if a.security.Options[0] != "Нет" || a.mode.Options[1] != "Пассивный" {
		t.Errorf("options not relabelled: %v %v", a.security.Options, a.mode.Options)
	}
	if want := wizard.RU.T("form.size.invalid", "value", "5x"); a.sizeMsg.Text != want {
		t.Errorf("size message %q, want %q", a.sizeMsg.Text, want)
	}
	if !a.pass.Password {
		t.Error("the password entry is not masked")
	}
	markup := test.RenderToMarkup(h.w.win.Canvas())
	if strings.Contains(markup, "Server") || !strings.Contains(markup, "Сервер") {
		t.Error("English labels left on the account page")
	}
}

func TestRefusedPortShowsTCPFailed(t *testing.T) {
	h := newHarness(t)
	h.refusedRun()
	var tcp *checkRow
	for _, r := range h.w.result.rows {
		if r.id == checks.CheckTCP {
			tcp = r
		}
	}
	if tcp == nil {
		t.Fatal("no tcp row on the result page")
	}
	res := h.s.State().Report.Results
	got := checks.Find(res, checks.CheckTCP)
	if tcp.status != checks.StatusFail || got.Fault == nil || got.Fault.Kind != checks.FaultRefused {
		t.Fatalf("tcp row status %s, fault %+v", tcp.status, got.Fault)
	}
	if tcp.summary.Text != wizard.CheckSummary(*got, wizard.EN) {
		t.Fatalf("tcp summary %q", tcp.summary.Text)
	}
	if !tcp.details.Visible() || len(tcp.details.Objects) == 0 {
		t.Fatal("the failed tcp row is not expanded to its details")
	}
	test.Tap(tcp.more)
	if tcp.details.Visible() {
		t.Fatal("the tcp row did not collapse")
	}
	if top := h.s.State().Report.Findings[0]; !strings.Contains(test.RenderToMarkup(h.w.win.Canvas()), top.Title(wizard.EN)) {
		t.Fatalf("the page does not lead with the top finding %q", top.Title(wizard.EN))
	}
	test.Tap(h.w.result.setting)
	if h.w.built.step != wizard.StepAccount || h.w.account.host.Text != "127.0.0.1" {
		t.Fatal("Change settings did not return to the filled account page")
	}
}

func TestCancelLeavesChecksWithinASecond(t *testing.T) {
	h := newHarness(t)
	peer, err := faultpeer.Listen(func(c net.Conn) { faultpeer.Silence(c, nil) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	h.account(checks.SMTP, "127.0.0.1", "")
	h.w.account.port.SetText("")
	test.Type(h.w.account.port, strconv.Itoa(peer.Port()))
	// Watch with a long interval: the run is either in its silent
	// conversation (10 s timeout) or waiting for the next run.
	h.w.account.watch.interval.SetSelectedIndex(len(watchIntervals) - 1)
	test.Tap(h.w.account.watch.check)
	test.Tap(h.w.account.run)
	h.until("checks under way", 5*time.Second, func(st wizard.State) bool {
		if st.Step != wizard.StepChecks {
			return false
		}
		for _, c := range st.Checks {
			if c.ID == checks.CheckTCP && c.Result.Status == checks.StatusPass {
				return true
			}
		}
		return false
	})
	time.Sleep(100 * time.Millisecond)
	if h.w.checks.cancel.Text != "Stop (Esc)" {
		t.Fatalf("watch mode: cancel button says %q", h.w.checks.cancel.Text)
	}
	h.w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	took := h.until("leaving the checks page", 3*time.Second, func(st wizard.State) bool { return st.Step != wizard.StepChecks })
	if took > time.Second {
		t.Fatalf("cancel took %s", took)
	}
	if h.w.built.step != wizard.StepResult {
		t.Fatalf("after cancel the window shows step %d", h.w.built.step)
	}
}

func TestSaveAndCopyReport(t *testing.T) {
	h := newHarness(t)
	h.refusedRun()
	dir := t.TempDir()
	for i, f := range wizard.Formats {
		h.w.result.format.SetSelectedIndex(i)
		path := filepath.Join(dir, "report"+f.Ext())
		h.w.saveTo(path)
		data, err := os.ReadFile(path)
		if err != nil || len(data) == 0 {
			t.Fatalf("%s: %v (%d bytes)", f, err, len(data))
		}
		if f == wizard.FormatJSON && !json.Valid(data) {
			t.Fatal("the JSON report is not JSON")
		}
		if m := h.w.result.message; !m.Visible() || !strings.Contains(m.Text, path) {
			t.Fatalf("%s: no saved notice (%q)", f, m.Text)
		}
	}
	h.w.saveTo(filepath.Join(dir, "missing", "r.md"))
	if m := h.w.result.message; !strings.Contains(m.Text, "Could not save") || m.Importance != widget.DangerImportance {
		t.Fatalf("a failed save shows %q", m.Text)
	}
	// Copy puts the selected format on the clipboard and says which.
	for i, f := range wizard.Formats {
		h.w.result.format.SetSelectedIndex(i)
		test.Tap(h.w.result.copy)
		want, _ := h.s.Render(f)
		if got := h.w.app.Clipboard().Content(); got != string(want) || got == "" {
			t.Fatalf("%s selected: clipboard holds %d bytes, want the %d-byte %s report", f, len(got), len(want), f)
		}
		if name := wizard.EN.T("ui.format." + string(f)); !strings.Contains(h.w.result.message.Text, name) {
			t.Errorf("copy notice %q does not name %s", h.w.result.message.Text, name)
		}
	}
}

func TestPasteNothingRecognised(t *testing.T) {
	h := newHarness(t)
	p := h.w.start
	test.Type(p.paste, "hello world")
	p.paste.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl})
	if !p.message.Visible() || p.message.Text != wizard.EN.T("form.paste.nothing") {
		t.Fatalf("Ctrl+Enter on an unknown text: message %q", p.message.Text)
	}
	h.w.lang.SetSelected("Русский")
	if h.w.start.paste.Text != "hello world" {
		t.Fatal("the pasted text was lost by the language switch")
	}
	test.Tap(h.w.start.recognise)
	if h.w.start.message.Text != wizard.RU.T("form.paste.nothing") {
		t.Fatalf("Russian message %q", h.w.start.message.Text)
	}
}

// TestPasteRussianOutlookMessageLeadsToHostMissing pastes the real
// message whose server field is empty: the account page is prefilled
// (SMTP, port 25, no SSL, empty server) and the result names host-missing.
func TestPasteRussianOutlookMessageLeadsToHostMissing(t *testing.T) {
	h := newHarness(t)
	h.w.lang.SetSelected("Русский")
	const msg = "Ошибка при соединении с сервером. Учетная запись: ‘КартинаM’, Сервер: ‘’, Протокол: SMTP, Порт: 25, Защита (SSL): Нет, Ошибка сокета: 10054, Код ошибки: 0x800CCC0E"
	h.w.start.paste.SetText(msg)
	test.Tap(h.w.start.recognise)
	h.until("account page", time.Second, func(st wizard.State) bool { return st.Step == wizard.StepAccount })
	a := h.w.account
	if a.host.Text != "" || a.port.Text != "25" || h.s.State().Form.Service != checks.SMTP || h.s.State().Form.Security != checks.SecurityNone {
		t.Fatalf("prefill: host %q port %q form %+v", a.host.Text, a.port.Text, h.s.State().Form)
	}
	if !strings.Contains(test.RenderToMarkup(h.w.win.Canvas()), "0x800CCC0E") {
		t.Error("the account page does not show what was recognised")
	}
	test.Tap(a.run)
	h.s.Wait()
	h.until("result page", 5*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult })
	top := h.s.State().Report.Findings[0]
	if top.Cause != wizard.HostMissing {
		t.Fatalf("top finding %s, want host-missing", top.Cause)
	}
	if !strings.Contains(shownText(test.RenderObjectToMarkup(h.w.result.findings[0])), top.Title(wizard.RU)) {
		t.Fatalf("the result page does not lead with %q", top.Title(wizard.RU))
	}
}

// TestPracticeScenarioShowsItsCause picks the reset scenario on the start
// page: the practice servers start, the real checks run against them and
// the result names connection-reset.
func TestPracticeScenarioShowsItsCause(t *testing.T) {
	h := newHarness(t)
	p := h.w.start
	p.scenario.SetSelected(wizard.EN.T("practice." + string(practice.SMTPReset) + ".title"))
	test.Tap(p.practice)
	h.until("result page", 15*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult && !st.Running })
	st := h.s.State()
	if st.Practice != practice.SMTPReset || st.Report.Findings[0].Cause != wizard.ConnectionReset {
		t.Fatalf("practice %q, findings %+v", st.Practice, st.Report.Findings)
	}
	if !strings.Contains(shownText(test.RenderObjectToMarkup(h.w.result.findings[0])), st.Report.Findings[0].Title(wizard.EN)) {
		t.Fatal("the result page does not show the finding")
	}
	// Choosing a service on the start page ends the practice.
	h.s.Back()
	h.s.Back()
	h.until("start page", time.Second, func(st wizard.State) bool { return st.Step == wizard.StepStart })
	test.Tap(h.w.start.choose[checks.IMAP])
	if h.s.State().Practice != "" {
		t.Fatal("the practice servers still run")
	}
}
