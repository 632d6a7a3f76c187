package ui

import (
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/practice"
	"assistant/wizard"
)

const russianOutlook = "Ошибка при соединении с сервером. Учетная запись: ‘КартинаM’, Сервер: ‘’, Протокол: SMTP, Порт: 25, Защита (SSL): Нет, Ошибка сокета: 10054, Код ошибки: 0x800CCC0E"

// fits fails when the shown page needs more than the default window: the
// window would grow past a 1366×768 screen.
func (h *harness) fits(what string) {
	h.t.Helper()
	top, body := h.w.top.MinSize(), h.w.body.MinSize()
	pad := float32(2 * 8)
	if w, ht := max(top.Width, body.Width)+pad, top.Height+body.Height+pad; w > defaultSize.Width || ht > defaultSize.Height {
		h.t.Errorf("%s: the page needs %.0f×%.0f, more than the %.0f×%.0f window", what, w, ht, defaultSize.Width, defaultSize.Height)
	}
}

// TestWindowFitsWhateverIsShown: in both languages, after a paste, with a
// 5,000-character host and on the result page, no page needs more than
// the default window (which fits 1366×768); long content scrolls inside.
func TestWindowFitsWhateverIsShown(t *testing.T) {
	if defaultSize.Width > 1366 || defaultSize.Height > 768-70 {
		t.Fatalf("default size %v does not fit 1366×768 with a task bar and title bar", defaultSize)
	}
	long := strings.Repeat("a", 5000) + ".example.com"
	for _, l := range wizard.Langs {
		h := newHarness(t)
		h.s.SetLang(l)
		h.w.refresh()
		h.fits(string(l) + " start")
		h.w.start.paste.SetText(russianOutlook)
		test.Tap(h.w.start.recognise)
		h.fits(string(l) + " account after a paste")
		h.w.account.host.SetText(long)
		h.fits(string(l) + " account with a long host")
		st := demoState(h, wizard.StepChecks)
		st.Form.Host = long
		h.w.render(st)
		h.fits(string(l) + " checks with a long host")
		st = demoState(h, wizard.StepResult)
		st.Form.Host = long
		h.w.render(st)
		h.fits(string(l) + " result")
	}
}

// TestPastedPanelIsOneLineAfterTheForm: after a paste the form comes
// first, the message is one summary line and a folded Details, and no
// command line or cause ID reaches the window.
func TestPastedPanelIsOneLineAfterTheForm(t *testing.T) {
	h := newHarness(t)
	h.w.start.paste.SetText(russianOutlook)
	test.Tap(h.w.start.recognise)
	markup := test.RenderToMarkup(h.w.win.Canvas())
	shown := shownText(markup)
	for _, bad := range []string{"assistant check", "--host", "--from-error", "host-missing", "connection-reset"} {
		if strings.Contains(shown, bad) {
			t.Errorf("the account page shows %q", bad)
		}
	}
	summary := wizard.PastedSummary(*h.s.State().Pasted, wizard.EN)
	if !strings.Contains(shown, "0x800CCC0E") || !strings.Contains(shown, "10054") {
		t.Errorf("the summary %q lacks the codes", summary)
	}
	if strings.Index(shown, wizard.EN.T("ui.account.host")) > strings.Index(shown, "0x800CCC0E") {
		t.Error("the recognition comes before the form")
	}
	if strings.Contains(shown, wizard.EN.T("decode.heading.codes")) {
		t.Error("the details are not folded away")
	}
	if h.w.account.host.Size().Height < 30 {
		t.Errorf("the server field is squeezed to %.0f px", h.w.account.host.Size().Height)
	}
}

// focusOrder tabs through the window and lists what got the focus.
func focusOrder(c fyne.Canvas, n int) []fyne.Focusable {
	c.Unfocus()
	var out []fyne.Focusable
	for range n {
		c.FocusNext()
		out = append(out, c.Focused())
	}
	return out
}

func indexOfFocus(order []fyne.Focusable, o fyne.Focusable) int {
	for i, x := range order {
		if x == o {
			return i
		}
	}
	return -1
}

// TestStartPageTabOrder: Tab leaves the paste box, and goes service
// cards → paste box → Recognise → practice.
func TestStartPageTabOrder(t *testing.T) {
	h := newHarness(t)
	p := h.w.start
	if p.paste.AcceptsTab() {
		t.Fatal("the paste box keeps Tab: a keyboard trap")
	}
	order := focusOrder(h.w.win.Canvas(), 10)
	at := func(o fyne.Focusable) int { return indexOfFocus(order, o) }
	last := -1
	for _, o := range []fyne.Focusable{p.choose[checks.SMTP], p.choose[checks.POP3], p.choose[checks.IMAP], p.choose[checks.FTP],
		p.paste, p.recognise, p.scenario} {
		i := at(o)
		if i <= last {
			t.Fatalf("focus order %v: %T at %d, after %d", order, o, i, last)
		}
		last = i
	}
}

// TestFocusIsVisibleOnBlueButtons: the focus colour is not the primary
// blue the default theme blends onto a primary button.
func TestFocusIsVisibleOnBlueButtons(t *testing.T) {
	h := newHarness(t)
	th := h.w.app.Settings().Theme()
	for _, v := range []fyne.ThemeVariant{0, 1} {
		r1, g1, b1, _ := th.Color("focus", v).RGBA()
		r2, g2, b2, _ := th.Color("primary", v).RGBA()
		if d := absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2); d < 0x8000 {
			t.Errorf("variant %d: focus colour too close to primary", v)
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestEscapeWhateverHasFocus: Esc goes back from the account page and
// stops a watch, with an entry or the Watch check box focused; the
// account page focuses its first empty field, and tabbing into Port
// selects its text.
func TestEscapeWhateverHasFocus(t *testing.T) {
	h := newHarness(t)
	esc := &fyne.KeyEvent{Name: fyne.KeyEscape}
	c := h.w.win.Canvas()
	test.Tap(h.w.start.choose[checks.SMTP])
	if c.Focused() != h.w.account.host {
		t.Fatalf("the account page focuses %T, not the empty server field", c.Focused())
	}
	c.Focused().TypedKey(esc)
	if h.s.State().Step != wizard.StepStart {
		t.Fatal("Esc in the server field did not go back")
	}

	test.Tap(h.w.start.choose[checks.SMTP])
	a := h.w.account
	c.Focus(a.port)
	test.Type(a.port, "587")
	if a.port.Text != "587" {
		t.Fatalf("typing 587 into the focused port gives %q", a.port.Text)
	}

	peer, err := faultpeer.Listen(func(c net.Conn) { faultpeer.Silence(c, nil) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	host, port, _ := net.SplitHostPort(peer.Addr())
	a.host.SetText(host)
	a.port.SetText(port)
	a.watch.interval.SetSelectedIndex(len(watchIntervals) - 1)
	test.Tap(a.watch.check)
	test.Tap(a.run)
	h.until("checks page", 5*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepChecks })
	c.Focus(h.w.checks.watch.check)
	c.Focused().TypedKey(esc)
	h.s.Wait()
	h.until("result page", 5*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult })
}

// TestHostErrorsBlockRun: a space inside a name is an error with a
// suggestion, never a silent join; a 5,000-character name says it is too
// long; both look like port errors and block Run.
func TestHostErrorsBlockRun(t *testing.T) {
	for _, l := range wizard.Langs {
		h := newHarness(t)
		h.s.SetLang(l)
		h.w.refresh()
		h.account(checks.SMTP, "mail example.com", "")
		a := h.w.account
		want := l.T("window.host.space.suggest", "host", "mail.example.com")
		if a.hostMsg.Text != want || a.hostMsg.Importance != widget.DangerImportance || !a.run.Disabled() {
			t.Errorf("%s: %q (importance %d, run disabled %v), want %q", l, a.hostMsg.Text, a.hostMsg.Importance, a.run.Disabled(), want)
		}
		a.host.SetText(strings.Repeat("x", 5000))
		if want := l.T("window.host.too_long", "n", 5000, "max", 253); a.hostMsg.Text != want || !a.run.Disabled() {
			t.Errorf("%s: 5,000 characters: %q, want %q", l, a.hostMsg.Text, want)
		}
		a.host.SetText("почта.рф")
		if strings.Contains(a.hostMsg.Text, "removed") || strings.Contains(a.hostMsg.Text, "убраны") || a.run.Disabled() {
			t.Errorf("%s: an international name: %q", l, a.hostMsg.Text)
		}
	}
}

// TestNewRunOpensOnlyItsFailures: rows the user opened in one run are
// closed in the next; its failures open.
func TestNewRunOpensOnlyItsFailures(t *testing.T) {
	h := newHarness(t)
	h.refusedRun()
	for _, r := range h.w.result.rows {
		if r.id == checks.CheckInput {
			test.Tap(r.more)
		}
	}
	if !h.w.open[checks.CheckInput] {
		t.Fatal("tapping the input row did not open it")
	}
	test.Tap(h.w.result.again)
	h.s.Wait()
	h.until("result page", 5*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult && !st.Running })
	for _, r := range h.w.result.rows {
		if open := r.details.Visible(); open != (r.res.Status == checks.StatusFail) {
			t.Errorf("%s (%s): open %v", r.id, r.res.Status, open)
		}
	}
}

// TestStartOverFromTheResult: "New check" goes to the start page with an
// empty paste box; the step bar goes back to the account page.
func TestStartOverFromTheResult(t *testing.T) {
	h := newHarness(t)
	h.refusedRun()
	if len(h.w.steps) != 2 {
		t.Fatalf("the step bar offers %d steps to go back to, want 2", len(h.w.steps))
	}
	test.Tap(h.w.steps[1])
	if h.s.State().Step != wizard.StepAccount {
		t.Fatal("the step bar did not go back to the account page")
	}
	test.Tap(h.w.account.run)
	h.s.Wait()
	h.until("result page", 5*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult && !st.Running })
	test.Tap(h.w.result.newCheck)
	if st := h.s.State(); st.Step != wizard.StepStart || st.Report != nil || h.w.start.paste.Text != "" {
		t.Fatalf("New check: step %d, report %v", st.Step, st.Report != nil)
	}
}

// TestPracticeSpeaksOfSimulatedPorts: the port-blocked practice names
// port 25 and the submission port 587, not the random ports of its
// stand-ins, and its page and every report format carry the banner.
func TestPracticeSpeaksOfSimulatedPorts(t *testing.T) {
	h := newHarness(t)
	p := h.w.start
	p.scenario.SetSelected(wizard.EN.T("practice." + string(practice.SMTPPortBlocked) + ".title"))
	if !p.about.Visible() || p.about.Text != wizard.EN.T("practice."+string(practice.SMTPPortBlocked)+".about") {
		t.Fatalf("picking a scenario shows %q", p.about.Text)
	}
	test.Tap(p.practice)
	h.until("result page", 20*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult && !st.Running })
	st := h.s.State()
	sim := st.Simulated
	if sim == nil || sim.Ports[0].Port != 25 {
		t.Fatalf("simulated ports %+v", sim)
	}
	shown := shownText(test.RenderToMarkup(h.w.win.Canvas()))
	if !strings.Contains(shown, "port 25 (simulated on "+sim.Ports[0].Address+")") {
		t.Errorf("the result page lacks the practice banner: %s", shown)
	}
	top := shownText(test.RenderObjectToMarkup(h.w.result.findings[0]))
	for _, sp := range sim.Ports {
		_, real, _ := strings.Cut(sp.Address, ":")
		if strings.Contains(top, real) {
			t.Errorf("the finding speaks of the stand-in port %s: %s", real, top)
		}
	}
	if !strings.Contains(top, "587") {
		t.Errorf("the finding does not point to port 587: %s", top)
	}
	for _, f := range wizard.Formats {
		data, _ := h.s.Render(f)
		if !strings.Contains(string(data), "PRACTICE RUN") && !strings.Contains(string(data), `"practice"`) {
			t.Errorf("the %s report carries no practice banner", f)
		}
	}
	h.s.Back()
	h.s.Back()
	h.until("start page", time.Second, func(st wizard.State) bool { return st.Step == wizard.StepStart })
	if h.w.start.scenario.SelectedIndex() < 0 {
		t.Error("the start page forgot the scenario picked")
	}
}

// TestWatchShowsTimelineLiveAtTheTop: while watch mode runs, the timeline
// comes before the checks, with a legend in words and the next run's time.
func TestWatchShowsTimelineLiveAtTheTop(t *testing.T) {
	h := newHarness(t)
	st := demoState(h, wizard.StepChecks)
	st.NextRun = time.Date(2026, 3, 2, 10, 3, 30, 0, time.Local)
	h.w.render(st)
	shown := shownText(test.RenderToMarkup(h.w.win.Canvas()))
	heading, first := strings.Index(shown, wizard.EN.T("ui.timeline.heading")), strings.Index(shown, wizard.CheckTitle(checks.CheckInput, wizard.EN))
	if heading < 0 || heading > first {
		t.Fatalf("the timeline is not above the checks (at %d, checks at %d)", heading, first)
	}
	for _, want := range []string{"10:03:30", wizard.EN.T("window.timeline.legend"), wizard.StatusText(checks.StatusFail, wizard.EN)} {
		if !strings.Contains(shown, want) {
			t.Errorf("the checks page lacks %q", want)
		}
	}
}

// TestContrastOfQuietParts: unselected radio circles (the input border)
// stand out from the dark background, and "Most likely cause" is not in
// the faint disabled colour.
func TestContrastOfQuietParts(t *testing.T) {
	h := newHarness(t)
	th := h.w.app.Settings().Theme()
	luma := func(c interface{ RGBA() (r, g, b, a uint32) }) float64 {
		r, g, b, _ := c.RGBA()
		return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
	}
	if d := luma(th.Color("inputBorder", 0)) - luma(th.Color("background", 0)); d < 0.3 {
		t.Errorf("dark theme: radio circles differ from the background by %.2f in luminance", d)
	}
	h.w.render(demoState(h, wizard.StepResult))
	markup := test.RenderObjectToMarkup(h.w.result.findings[0])
	i := strings.Index(markup, wizard.EN.T("ui.result.likely"))
	if i < 0 || strings.Contains(markup[max(0, i-200):i], "disabled") {
		t.Errorf("“Most likely cause” is drawn faint: %s", markup[max(0, i-200):max(i, 0)])
	}
}

// TestTimelineCellSaysItsRunInWords: pointing at (or tapping) a cell
// says the time, the check, its status and its fault in words.
func TestTimelineCellSaysItsRunInWords(t *testing.T) {
	h := newHarness(t)
	st := demoState(h, wizard.StepChecks)
	reset := &checks.Fault{Kind: checks.FaultReset, Stage: checks.StageConnect}
	st.Timeline[2].Faults = map[checks.CheckID]*checks.Fault{checks.CheckTCP: reset}
	h.w.render(st)
	var cell *timelineCell
	for _, o := range test.LaidOutObjects(h.w.checks.timeline) {
		if c, ok := o.(*timelineCell); ok && strings.Contains(c.text, "10:01:00") && strings.Contains(c.text, wizard.CheckTitle(checks.CheckTCP, wizard.EN)) {
			cell = c
		}
	}
	if cell == nil {
		t.Fatal("no cell for the third run of the connection check")
	}
	test.Tap(cell)
	for _, want := range []string{"10:01:00", wizard.StatusText(checks.StatusFail, wizard.EN), wizard.FaultText(reset, wizard.EN)} {
		if !strings.Contains(cell.hover.Text, want) {
			t.Errorf("the cell says %q, without %q", cell.hover.Text, want)
		}
	}
}
