package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/practice"
	"assistant/wizard"
)

// startPage asks what the user is fixing, or takes a pasted error message.
type startPage struct {
	content fyne.CanvasObject
	paste   *pasteEntry
	message *widget.Label
	// choose picks a service; recognise submits the pasted text.
	choose    map[checks.Service]*escButton
	recognise *escButton
	// scenario picks a practice scenario, about describes it, practice starts it.
	scenario *escSelect
	about    *widget.Label
	practice *escButton
	// accounts lists the accounts of the programs on this computer.
	accounts *accountsBox
}

func (w *Window) newStartPage(st wizard.State) *startPage {
	l := st.Lang
	p := &startPage{choose: map[checks.Service]*escButton{}}
	button := func(svc checks.Service, key string) fyne.CanvasObject {
		b := w.newButton(l.T(key), nil, func() { w.onChoose(svc) })
		b.Importance = widget.HighImportance
		p.choose[svc] = b
		return b
	}
	sending := choiceCard(theme.MailSendIcon(), l.T("ui.start.smtp.title"), l.T("ui.start.smtp.hint"),
		button(checks.SMTP, "ui.start.smtp.choose"))
	receiving := choiceCard(theme.MailComposeIcon(), l.T("ui.start.receive.title"), l.T("ui.start.receive.hint"),
		container.NewGridWithColumns(2, button(checks.POP3, "ui.start.receive.pop3"), button(checks.IMAP, "ui.start.receive.imap")))
	ftp := choiceCard(theme.StorageIcon(), l.T("ui.start.ftp.title"), l.T("ui.start.ftp.hint"),
		button(checks.FTP, "ui.start.ftp.choose"))

	p.paste = newPasteEntry(func() { w.onPaste(p.paste.Text) }, w.onEscape)
	p.paste.SetPlaceHolder(l.T("ui.start.paste.placeholder"))
	p.paste.SetText(w.draft)
	p.paste.OnChanged = func(s string) { w.draft = s }
	p.recognise = w.newButton(l.T("ui.start.paste.button"), theme.SearchIcon(), func() { w.onPaste(p.paste.Text) })
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Importance = widget.WarningImportance

	ids := practice.All()
	titles := make([]string, len(ids))
	for i, id := range ids {
		titles[i] = l.T("practice." + string(id) + ".title")
	}
	p.scenario = w.newSelect(titles)
	p.scenario.PlaceHolder = l.T("ui.start.practice.pick")
	p.about = widget.NewLabel("")
	p.about.Wrapping = fyne.TextWrapWord
	p.about.TextStyle.Italic = true
	p.practice = w.newButton(l.T("ui.start.practice.run"), theme.MediaPlayIcon(), func() {
		if i := p.scenario.SelectedIndex(); i >= 0 {
			w.practice = ids[i]
			w.onPractice(ids[i])
		}
	})
	p.scenario.OnChanged = func(string) {
		if i := p.scenario.SelectedIndex(); i >= 0 {
			w.practice = ids[i]
			about := l.T("practice." + string(ids[i]) + ".about")
			// A scenario this system cannot run stays listed and says why.
			ok := practice.Available(ids[i])
			if !ok {
				about += "\n" + l.T("practice."+string(ids[i])+".unavailable")
			}
			p.about.SetText(about)
			p.about.Show()
			if ok {
				p.practice.Enable()
			} else {
				p.practice.Disable()
			}
		}
	}
	p.practice.Disable()
	p.about.Hide()
	if i := indexOf(asStrings(ids), string(w.practice)); i >= 0 {
		p.scenario.SetSelectedIndex(i)
	}
	practiceTitle := widget.NewLabelWithStyle(l.T("ui.start.practice.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	practiceBox := container.NewVBox(practiceTitle, container.NewBorder(nil, nil, nil, p.practice, p.scenario), p.about)

	heading := headingLabel(l.T("ui.start.heading"))
	pasteTitle := widget.NewLabelWithStyle(l.T("ui.start.paste.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.accounts = w.newAccountsBox(st)
	// One column in tab order: the service cards, the paste box, Recognise,
	// the practice; the paste box keeps its height on a tall screen.
	p.content = container.NewVScroll(container.NewVBox(heading, container.NewGridWithColumns(3, sending, receiving, ftp), widget.NewSeparator(),
		p.accounts.above(pasteTitle), p.paste, container.NewHBox(p.recognise, widget.NewLabel(l.T("ui.start.paste.shortcut"))), p.message,
		widget.NewSeparator(), practiceBox))
	return p
}

// asStrings turns IDs (scenarios, programs) into strings, for indexOf.
func asStrings[T ~string](ids []T) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

func (p *startPage) update(st wizard.State) {
	p.message.SetText(st.Error)
	if st.Error == "" {
		p.message.Hide()
	} else {
		p.message.Show()
	}
}

// choiceCard is one large choice of the start page: icon, title, a line
// on when to pick it, and its button(s).
func choiceCard(icon fyne.Resource, title, hint string, action fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.SizeName = theme.SizeNameSubHeadingText
	t.Wrapping = fyne.TextWrapWord
	h := widget.NewLabel(hint)
	h.Wrapping = fyne.TextWrapWord
	top := container.NewBorder(nil, nil, widget.NewIcon(icon), nil, t)
	return widget.NewCard("", "", container.NewBorder(top, action, nil, nil, h))
}

// headingLabel is a page's title.
func headingLabel(text string) *widget.Label {
	h := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.SizeName = theme.SizeNameHeadingText
	h.Wrapping = fyne.TextWrapWord
	return h
}

// onChoose picks a service and moves to the account page.
func (w *Window) onChoose(svc checks.Service) {
	w.s.Choose(svc)
	w.refresh()
}

// onPaste hands the pasted message to the decoder; the session moves on
// when it recognised something and shows a message otherwise.
func (w *Window) onPaste(text string) {
	w.s.Paste(text)
	w.refresh()
}

// onPractice starts a practice scenario: its servers on 127.0.0.1 and
// the checks against them.
func (w *Window) onPractice(id practice.ID) {
	w.s.Practice(id)
	w.refresh()
}

// pasteEntry is the multi-line paste box; Ctrl+Enter submits it, Esc goes
// to the window, and Tab leaves it (a pasted message has no tabs to type).
type pasteEntry struct {
	widget.Entry
	submit, esc func()
}

func newPasteEntry(submit, esc func()) *pasteEntry {
	e := &pasteEntry{submit: submit, esc: esc}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	e.SetMinRowsVisible(5)
	return e
}

// TypedShortcut submits on Ctrl+Enter and passes every other shortcut on.
func (e *pasteEntry) TypedShortcut(s fyne.Shortcut) {
	if c, ok := s.(*desktop.CustomShortcut); ok && c.Modifier == fyne.KeyModifierControl &&
		(c.KeyName == fyne.KeyReturn || c.KeyName == fyne.KeyEnter) {
		e.submit()
		return
	}
	e.Entry.TypedShortcut(s)
}

// AcceptsTab is false: Tab and Shift+Tab move the focus on, never trap it.
func (e *pasteEntry) AcceptsTab() bool { return false }

// TypedKey passes Esc to the window.
func (e *pasteEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.esc()
		return
	}
	e.Entry.TypedKey(k)
}
