package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/wizard"
)

// securities and ftpModes are the choices of the account page, in display order.
var (
	securities = []checks.Security{checks.SecurityNone, checks.SecurityStartTLS, checks.SecurityTLS}
	ftpModes   = []checks.FTPMode{checks.FTPBoth, checks.FTPPassive, checks.FTPActive}
)

// accountPage takes the server settings; it validates as the user types.
type accountPage struct {
	content                      fyne.CanvasObject
	host, port, user, pass, size *escEntry
	security, mode               *widget.RadioGroup
	securityHint                 *widget.Label
	hostMsg, portMsg, sizeMsg    *widget.Label
	run, back                    *escButton
	watch                        *watchControl
	email                        *emailField
	program                      *escSelect
}

func (w *Window) newAccountPage(st wizard.State) *accountPage {
	l, f := st.Lang, st.Form
	p := &accountPage{}
	entry := func(e *escEntry, text, hint string, set func(f *wizard.Form, v string)) *escEntry {
		e.SetText(text)
		e.SetPlaceHolder(hint)
		e.OnChanged = func(v string) {
			if !w.setting {
				w.edit(func(f *wizard.Form) { set(f, v) })
			}
		}
		e.OnSubmitted = func(string) { w.onRun() }
		return e
	}
	hostHint := l.T("ui.account.host.placeholder")
	if f.Service == checks.FTP {
		hostHint = l.T("window.account.host.placeholder.ftp")
	}
	p.host = entry(w.newEntry(false), f.Host, hostHint, func(f *wizard.Form, v string) { f.Host = v })
	p.port = entry(w.newEntry(false), f.Port, "", func(f *wizard.Form, v string) { f.Port, f.PortSet = v, true })
	p.port.selectAll = true
	p.user = entry(w.newEntry(false), f.User, l.T("ui.account.user.placeholder"), func(f *wizard.Form, v string) { f.User = v })
	p.pass = entry(w.newEntry(true), f.Password, l.T("ui.account.password.placeholder"), func(f *wizard.Form, v string) { f.Password = v })
	p.size = entry(w.newEntry(false), f.TransferSize, "2MiB", func(f *wizard.Form, v string) { f.TransferSize = v })
	p.hostMsg, p.portMsg, p.sizeMsg = messageLabel(), messageLabel(), messageLabel()

	p.security = widget.NewRadioGroup(optionTexts(l, "ui.security.", securities), nil)
	p.security.Required = true
	p.security.SetSelected(l.T("ui.security." + string(f.Security)))
	p.security.OnChanged = func(v string) {
		if i := indexOf(optionTexts(l, "ui.security.", securities), v); i >= 0 && !w.setting {
			w.edit(func(f *wizard.Form) { f.Security = securities[i] })
		}
	}
	p.securityHint = widget.NewLabel("")
	p.securityHint.Wrapping = fyne.TextWrapWord
	p.securityHint.TextStyle.Italic = true

	p.back = w.newButton(l.T("ui.back"), theme.NavigateBackIcon(), w.onBack)
	p.run = w.newButton(l.T("ui.account.run"), theme.MediaPlayIcon(), w.onRun)
	p.run.Importance = widget.HighImportance
	p.watch = w.newWatchControl(st)

	form := container.New(layout.NewFormLayout(),
		fieldLabel(l.T("ui.account.host")), container.NewVBox(p.host, p.hostMsg),
		fieldLabel(l.T("ui.account.port")), container.NewVBox(container.NewGridWithColumns(3, p.port), p.portMsg),
		fieldLabel(l.T("ui.account.security")), container.NewVBox(p.security, p.securityHint))
	if f.Service == checks.FTP {
		p.mode = widget.NewRadioGroup(optionTexts(l, "ui.ftpmode.", ftpModes), nil)
		p.mode.Horizontal, p.mode.Required = true, true
		p.mode.SetSelected(l.T("ui.ftpmode." + string(f.FTPMode)))
		p.mode.OnChanged = func(v string) {
			if i := indexOf(optionTexts(l, "ui.ftpmode.", ftpModes), v); i >= 0 && !w.setting {
				w.edit(func(f *wizard.Form) { f.FTPMode = ftpModes[i] })
			}
		}
		form.Add(fieldLabel(l.T("ui.account.ftpmode")))
		form.Add(p.mode)
	}
	form.Add(fieldLabel(l.T("ui.account.user")))
	form.Add(p.user)
	form.Add(fieldLabel(l.T("ui.account.password")))
	form.Add(container.NewVBox(p.pass, hintLabel(l.T("ui.account.password.hint"))))
	if f.Service == checks.FTP {
		form.Add(fieldLabel(l.T("ui.account.size")))
		form.Add(container.NewVBox(container.NewGridWithColumns(3, p.size), p.sizeMsg, hintLabel(l.T("ui.account.size.hint"))))
	}

	p.email = w.addEmailField(p, form, st)
	p.program = w.addProgramField(form, st)

	top := container.NewVBox(headingLabel(l.T("ui.account.heading", "service", serviceName(l, f.Service))))
	// The form first; what a pasted message said is one line under it,
	// its details folded away.
	body := container.NewVBox(form)
	if st.Pasted != nil {
		body.Add(widget.NewSeparator())
		body.Add(pastedPanel(*st.Pasted, l))
	}
	if c := originCard(st); c != nil {
		top.Add(c)
	}
	buttons := container.NewBorder(nil, nil, p.back, p.run, container.NewCenter(p.watch.content))
	p.content = container.NewBorder(top, container.NewVBox(widget.NewSeparator(), buttons), nil, nil, container.NewVScroll(body))
	return p
}

// pastedPanel is the summary line of a pasted message and a folded
// Details with what it says.
func pastedPanel(d wizard.Decoded, l wizard.Lang) fyne.CanvasObject {
	summary := widget.NewLabel(wizard.PastedSummary(d, l))
	summary.Wrapping = fyne.TextWrapWord
	details := widget.NewLabel(strings.Join(wizard.PastedDetails(d, l), "\n"))
	details.Wrapping = fyne.TextWrapWord
	return container.NewVBox(summary, widget.NewAccordion(widget.NewAccordionItem(l.T("window.pasted.details"), details)))
}

// focusFirst puts the focus on the first empty field (the server name,
// else the user name, else the password), else on Run.
func (p *accountPage) focusFirst(c fyne.Canvas) {
	for _, e := range []*escEntry{p.host, p.user, p.pass} {
		if e.Text == "" {
			c.Focus(e)
			return
		}
	}
	c.Focus(p.run)
}

func (p *accountPage) update(st wizard.State) {
	l, f := st.Lang, st.Form
	if p.port.Text != f.Port {
		p.port.SetText(f.Port)
	}
	_, problems, ok := f.Validate(l)
	hostImportance := widget.MediumImportance
	if f.HostError() {
		hostImportance = widget.DangerImportance
	}
	showMessage(p.hostMsg, problems[wizard.FieldHost], hostImportance)
	showMessage(p.portMsg, problems[wizard.FieldPort], widget.DangerImportance)
	showMessage(p.sizeMsg, problems[wizard.FieldSize], widget.DangerImportance)
	kind := "mail"
	if f.Service == checks.FTP {
		kind = "ftp"
	}
	p.securityHint.SetText(l.T("ui.security.hint." + kind + "." + string(f.Security)))
	if ok && !st.Running {
		p.run.Enable()
	} else {
		p.run.Disable()
	}
	p.watch.update(st)
	p.email.update(st)
}

// edit changes one field of the form the session holds.
func (w *Window) edit(change func(f *wizard.Form)) {
	f := w.s.State().Form
	change(&f)
	w.s.SetForm(f)
	w.refresh()
}

// serviceName is how the user calls a service ("Mail sending (SMTP)").
func serviceName(l wizard.Lang, s checks.Service) string { return l.T("ui.service." + string(s)) }

func optionTexts[T ~string](l wizard.Lang, prefix string, values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = l.T(prefix + string(v))
	}
	return out
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

func fieldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}

func hintLabel(text string) *widget.Label {
	h := widget.NewLabel(text)
	h.Wrapping = fyne.TextWrapWord
	h.TextStyle.Italic = true
	return h
}

func messageLabel() *widget.Label {
	m := widget.NewLabel("")
	m.Wrapping = fyne.TextWrapWord
	m.Hide()
	return m
}

// showMessage shows a validation message under a field, or hides it.
func showMessage(m *widget.Label, text string, imp widget.Importance) {
	if text == "" {
		m.Hide()
		return
	}
	m.Importance = imp
	m.SetText(text)
	m.Show()
}

// watchIntervals are the choices of the watch interval.
var watchIntervals = []time.Duration{10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute}

// watchControl is the "repeat every N" toggle of watch mode.
type watchControl struct {
	content  fyne.CanvasObject
	check    *escCheck
	interval *escSelect
}

func (w *Window) newWatchControl(st wizard.State) *watchControl {
	l := st.Lang
	c := &watchControl{}
	names := make([]string, len(watchIntervals))
	sel := 0
	for i, d := range watchIntervals {
		names[i] = l.T("ui.watch.every", "interval", intervalText(l, d))
		if d == st.Interval {
			sel = i
		}
	}
	c.check = w.newCheck(l.T("ui.watch"))
	c.check.SetChecked(st.Watch)
	c.interval = w.newSelect(names)
	c.interval.SetSelectedIndex(sel)
	apply := func() {
		if !w.setting {
			w.s.SetWatch(c.check.Checked, watchIntervals[max(c.interval.SelectedIndex(), 0)])
			w.refresh()
		}
	}
	c.check.OnChanged = func(bool) { apply() }
	c.interval.OnChanged = func(string) { apply() }
	c.content = container.NewHBox(c.check, c.interval)
	return c
}

func (c *watchControl) update(st wizard.State) {
	if c.check.Checked != st.Watch {
		c.check.SetChecked(st.Watch)
	}
}

// intervalText writes a watch interval ("30 s", "5 min") in l.
func intervalText(l wizard.Lang, d time.Duration) string {
	if d < time.Minute {
		return l.T("ui.unit.seconds", "n", int(d.Seconds()))
	}
	return l.T("ui.unit.minutes", "n", int(d.Minutes()))
}
