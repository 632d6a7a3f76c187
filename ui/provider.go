package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/wizard"
)

// emailField is the account page's "E-mail address" field (mail services):
// typing an address shows its problem, or offers the provider's documented
// settings with what they would change ("Use Yandex Mail's settings").
type emailField struct {
	entry   *escEntry
	msg     *widget.Label
	changes *widget.Label
	use     *widget.Button
	offer   wizard.Offer
}

// addEmailField puts the field first on the account page's form, for mail
// services; it returns nil for FTP.
func (w *Window) addEmailField(p *accountPage, form *fyne.Container, st wizard.State) *emailField {
	l, f := st.Lang, st.Form
	if f.Service == checks.FTP {
		return nil
	}
	e := &emailField{entry: w.newEntry(false), msg: messageLabel(), changes: messageLabel()}
	e.entry.SetText(f.Email)
	e.entry.SetPlaceHolder(l.T("ui.account.email.placeholder"))
	e.entry.OnChanged = func(v string) {
		if !w.setting {
			w.edit(func(f *wizard.Form) { f.Email = v })
		}
	}
	e.entry.OnSubmitted = func(string) { w.onRun() }
	e.use = widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() { w.useOffer(p, e) })
	e.use.Hide()
	box := container.NewVBox(e.entry, e.msg, e.changes, container.NewHBox(e.use), hintLabel(l.T("ui.account.email.hint")))
	form.Objects = append([]fyne.CanvasObject{fieldLabel(l.T("ui.account.email")), box}, form.Objects...)
	form.Refresh()
	return e
}

// update shows the address's problem and the current offer.
func (e *emailField) update(st wizard.State) {
	if e == nil {
		return
	}
	l := st.Lang
	showMessage(e.msg, wizard.EmailHint(st.Form.Email, l), widget.DangerImportance)
	offer, ok := wizard.ProviderOffer(st.Form)
	if !ok {
		e.use.Hide()
		showMessage(e.changes, "", widget.LowImportance)
		return
	}
	e.offer = offer
	e.use.SetText(offer.Button(l))
	e.use.Show()
	showMessage(e.changes, offer.Changes(st.Form, l), widget.MediumImportance)
}

// useOffer applies the offered settings to the form and the page's fields.
func (w *Window) useOffer(p *accountPage, e *emailField) {
	f := e.offer.Apply(w.s.State().Form)
	w.s.SetForm(f)
	w.setting = true
	p.host.SetText(f.Host)
	p.port.SetText(f.Port)
	p.user.SetText(f.User)
	p.security.SetSelected(w.s.State().Lang.T("ui.security." + string(f.Security)))
	w.setting = false
	w.refresh()
}

// comparisonCard is the result page's "your settings / documented
// settings" table, differing values in bold; nil without documented settings.
func comparisonCard(rep *wizard.Report, l wizard.Lang) fyne.CanvasObject {
	if rep == nil {
		return nil
	}
	c, ok := rep.Compare(l)
	if !ok {
		return nil
	}
	grid := container.NewGridWithColumns(3)
	for i, row := range c.Rows {
		for j, cell := range row {
			style := fyne.TextStyle{Bold: i == 0 || j == 0 || (j > 0 && c.Differs[i])}
			grid.Add(widget.NewLabelWithStyle(cell, fyne.TextAlignLeading, style))
		}
	}
	return widget.NewCard("", c.Title, grid)
}
