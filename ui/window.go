// Package ui is the wizard window. It shows the state a wizard.Session
// holds and forwards the user's clicks and typing to it; it holds no
// network or diagnosis logic. The session runs the checks in the
// background and tells its listeners of each change from any goroutine:
// the window then redraws from a fresh snapshot on the UI goroutine.
//
// Every label comes from the wizard's text catalog (texts/ui.<lang>.json),
// so a language switch rebuilds the page from the same state and keeps
// what was typed.
package ui

import (
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"assistant/assets"
	"assistant/checks"
	"assistant/practice"
	"assistant/wizard"
)

// Window is the wizard window: a top bar (title, steps, language) above
// the page of the current step.
type Window struct {
	app fyne.App
	win fyne.Window
	s   *wizard.Session
	// do runs a function on the UI goroutine (fyne.Do; tests queue it).
	do      func(func())
	pending atomic.Bool

	built pageKey
	top   *fyne.Container
	body  *fyne.Container
	lang  *escSelect   // the language switch of the top bar
	steps []*escButton // the step bar: a visited step is a button back to it
	// icon is the top bar's icon, made once: a new one per page would decode
	// the 512×512 PNG again and keep each copy in Fyne's cache (1 MiB each).
	icon    *widget.Icon
	setting bool // the window itself is setting widgets: their OnChanged is not the user's

	// UI-only state that survives a rebuild.
	draft    string                  // the text in the paste box
	format   wizard.Format           // the report format chosen on the result page
	open     map[checks.CheckID]bool // check rows expanded to their details
	notice   string                  // "report saved" / "copied", until the page changes
	practice practice.ID             // the practice scenario last picked
	save     *saveDialog             // the save dialog last opened

	start   *startPage
	account *accountPage
	checks  *checksPage
	result  *resultPage
}

// pageKey is what a page was built for; the page is rebuilt when it
// changes and updated in place otherwise.
type pageKey struct {
	step    wizard.Step
	lang    wizard.Lang
	service checks.Service
	pasted  *wizard.Decoded
	plan    string
	report  *wizard.Report
}

func keyOf(st wizard.State) pageKey {
	k := pageKey{step: st.Step, lang: st.Lang}
	switch st.Step {
	case wizard.StepAccount:
		k.service, k.pasted = st.Form.Service, st.Pasted
	case wizard.StepChecks:
		ids := make([]string, len(st.Checks))
		for i, c := range st.Checks {
			ids[i] = string(c.ID)
		}
		k.plan = strings.Join(ids, ",")
	case wizard.StepResult:
		k.report = st.Report
	}
	return k
}

// Run opens the wizard window for the session and blocks until it is closed.
// The window collects garbage at half the default heap growth (unless
// GOGC says otherwise): each page rebuild leaves short-lived widgets, and
// a desktop window is better small than a few microseconds faster.
func Run(a fyne.App, s *wizard.Session) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	New(a, s).win.ShowAndRun()
	s.Close()
}

// New builds the wizard window of app a for the session, without showing it.
func New(a fyne.App, s *wizard.Session) *Window {
	return newWindow(a, a.NewWindow(""), s, fyne.Do)
}

// Window returns the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

func newWindow(a fyne.App, win fyne.Window, s *wizard.Session, do func(func())) *Window {
	w := &Window{app: a, win: win, s: s, do: do, format: wizard.FormatMarkdown, open: map[checks.CheckID]bool{},
		top: container.NewStack(), body: container.NewStack(), icon: widget.NewIcon(assets.Icon)}
	useWindowTheme(a)
	a.SetIcon(assets.Icon)
	win.SetIcon(assets.Icon)
	// The page scrolls inside the window, never widens or lengthens it, and
	// keeps a readable width on a wide screen. The top bar comes last in
	// the tree so that Tab starts on the page.
	page := container.NewScroll(container.New(capWidth(maxContentWidth), container.NewPadded(w.body)))
	win.SetContent(container.New(layout.NewBorderLayout(w.top, nil, nil, nil), page, w.top))
	win.Resize(defaultSize)
	win.Canvas().SetOnTypedKey(w.onKey)
	s.OnChange(w.changed)
	w.refresh()
	return w
}

// changed is the session's listener: it may run on any goroutine, so it
// hands the redraw to the UI goroutine; changes that arrive before the
// redraw ran are drawn by it too.
func (w *Window) changed() {
	if w.pending.Swap(true) {
		return
	}
	w.do(func() {
		w.pending.Store(false)
		w.refresh()
	})
}

// refresh draws the session's current state (UI goroutine only).
func (w *Window) refresh() { w.render(w.s.State()) }

// render shows a state: it rebuilds the page when the step, language or
// plan changed, and updates the live parts in place otherwise.
func (w *Window) render(st wizard.State) {
	if k := keyOf(st); k != w.built {
		if k.step != w.built.step {
			w.notice = ""
		}
		w.built = k
		w.build(st)
	}
	w.setting = true
	defer func() { w.setting = false }()
	switch st.Step {
	case wizard.StepStart:
		w.start.update(st)
	case wizard.StepAccount:
		w.account.update(st)
	case wizard.StepChecks:
		w.checks.update(st)
	case wizard.StepResult:
		w.result.update(st, w.notice)
	}
}

func (w *Window) build(st wizard.State) {
	w.setting = true
	defer func() { w.setting = false }()
	l := st.Lang
	w.win.SetTitle(l.T("ui.title"))
	w.top.Objects = []fyne.CanvasObject{w.topBar(st)}
	w.top.Refresh()
	if w.checks != nil {
		w.checks.stop()
	}
	var page fyne.CanvasObject
	switch st.Step {
	case wizard.StepStart:
		w.start = w.newStartPage(st)
		page = w.start.content
	case wizard.StepAccount:
		w.account = w.newAccountPage(st)
		page = w.account.content
		defer w.account.focusFirst(w.win.Canvas())
	case wizard.StepChecks:
		clear(w.open) // a new run opens only its own failures
		w.checks = w.newChecksPage(st)
		page = w.checks.content
	default:
		w.result = w.newResultPage(st)
		page = w.result.content
	}
	w.body.Objects = []fyne.CanvasObject{page}
	w.body.Refresh()
}

// langNames are the choices of the language switch, in wizard.Langs order.
var langNames = []string{"English", "Русский"}

// topBar shows the icon, where the user is in the wizard, and the
// language switch (the window's title bar has the name: a second title
// would not fit beside the Russian steps).
func (w *Window) topBar(st wizard.State) fyne.CanvasObject {
	l := st.Lang
	steps := container.NewHBox()
	w.steps = nil
	for i, key := range []string{"ui.step.start", "ui.step.account", "ui.step.checks", "ui.step.result"} {
		if i > 0 {
			steps.Add(widget.NewLabelWithStyle("›", fyne.TextAlignCenter, fyne.TextStyle{}))
		}
		step := wizard.Step(i)
		if step < st.Step && step != wizard.StepChecks {
			b := w.newButton(l.T(key), nil, func() { w.onStep(step) })
			b.Importance = widget.LowImportance
			w.steps = append(w.steps, b)
			steps.Add(b)
			continue
		}
		lab := widget.NewLabel(l.T(key))
		if step == st.Step {
			lab.TextStyle.Bold = true
			lab.Importance = widget.HighImportance
		} else {
			lab.Importance = widget.LowImportance
		}
		steps.Add(lab)
	}
	w.lang = w.newSelect(langNames)
	for i, x := range wizard.Langs {
		if x == l {
			w.lang.SetSelected(langNames[i])
		}
	}
	w.lang.OnChanged = w.onLang
	bar := container.NewBorder(nil, nil, w.icon, w.lang, container.NewCenter(steps))
	return container.NewVBox(container.NewPadded(bar), widget.NewSeparator())
}

// onLang switches the language of the whole window.
func (w *Window) onLang(name string) {
	for i, n := range langNames {
		if n == name {
			w.s.SetLang(wizard.Langs[i])
		}
	}
	w.refresh()
}

// onKey handles keys typed while no widget has the focus: Enter moves on,
// Escape cancels (or goes back).
func (w *Window) onKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if w.s.State().Step == wizard.StepAccount {
			w.onRun()
		}
	case fyne.KeyEscape:
		w.onEscape()
	}
}

// onEscape is Esc wherever the focus is: it cancels (or stops) a run and
// goes back from the account page.
func (w *Window) onEscape() {
	switch w.s.State().Step {
	case wizard.StepChecks:
		w.onCancel()
	case wizard.StepAccount:
		w.onBack()
	}
}

// onStep goes back to a step already visited (the step bar).
func (w *Window) onStep(step wizard.Step) {
	w.s.GoTo(step)
	w.refresh()
}

// onNew starts over on the start page, with an empty paste box.
func (w *Window) onNew() {
	w.draft = ""
	w.s.GoTo(wizard.StepStart)
	w.refresh()
}

// onBack returns to the previous page (cancelling a run).
func (w *Window) onBack() {
	w.s.Back()
	w.refresh()
}

// onCancel stops the run; the session moves to the result page.
func (w *Window) onCancel() {
	w.s.Cancel()
	w.refresh()
}

// onRun starts the checks; the session refuses an unusable form, whose
// problems the account page already shows.
func (w *Window) onRun() {
	w.s.Start()
	w.refresh()
}
