package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"assistant/accounts"
	"assistant/wizard"
)

// accountsBox is the start page's "Accounts on this computer": one
// button per account the programs here have (program, account, server);
// picking one fills the account page with its settings.
type accountsBox struct {
	content fyne.CanvasObject // nil when there is nothing to show
	picks   []*widget.Button
	// problems lists the settings files that could not be read.
	problems *widget.Label
}

// newAccountsBox lists the session's accounts; with none found and
// nothing unreadable it shows nothing.
func (w *Window) newAccountsBox(st wizard.State) *accountsBox {
	l := st.Lang
	b := &accountsBox{}
	list := st.Accounts
	if len(list.Accounts) == 0 && len(list.Problems) == 0 {
		return b
	}
	rows := container.NewVBox()
	for _, a := range list.Accounts {
		icon := theme.MailComposeIcon()
		if a.Service == accounts.FTP || a.Service == accounts.SFTP {
			icon = theme.StorageIcon()
		}
		btn := widget.NewButtonWithIcon(accountLine(a), icon, func() { w.onPickAccount(a) })
		btn.Alignment = widget.ButtonAlignLeading
		b.picks = append(b.picks, btn)
		rows.Add(btn)
	}
	var parts []string
	for _, p := range list.Problems {
		parts = append(parts, wizard.ProblemText(p, l))
	}
	b.problems = widget.NewLabel(l.T("accounts.ui.problems", "list", strings.Join(parts, " ")))
	b.problems.Wrapping = fyne.TextWrapWord
	b.problems.Importance = widget.WarningImportance
	if len(parts) == 0 {
		b.problems.Hide()
	}
	scroll := container.NewVScroll(rows)
	// About four rows are visible; more scroll.
	scroll.SetMinSize(fyne.NewSize(0, 4*theme.Size(theme.SizeNameText)*2.6))
	title := widget.NewLabelWithStyle(l.T("accounts.ui.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel(l.T("accounts.ui.hint"))
	hint.Importance = widget.LowImportance
	b.content = container.NewVBox(container.NewHBox(title, hint), scroll, b.problems, widget.NewSeparator())
	return b
}

// above puts the box above obj (the paste box's title); with nothing to
// show it leaves obj alone.
func (b *accountsBox) above(obj fyne.CanvasObject) fyne.CanvasObject {
	if b.content == nil {
		return obj
	}
	return container.NewVBox(b.content, obj)
}

// accountLine is one account as the list shows it: program, account name,
// service and server, the host's stray spaces visible.
func accountLine(a accounts.Account) string {
	host := a.Host
	if strings.TrimSpace(host) != host || host == "" {
		host = strconv.Quote(host)
	}
	server := strings.ToUpper(string(a.Service)) + " " + host
	if a.Port != 0 {
		server += ":" + strconv.Itoa(a.Port)
	}
	return a.ProgramName + " — " + a.Name + " — " + server
}

// onPickAccount fills the account page from the picked account.
func (w *Window) onPickAccount(a accounts.Account) {
	w.s.PickAccount(a)
	w.refresh()
}

// originCard tells on the account page where the values came from, and
// what of them no check can use; nil when the user typed them.
func originCard(st wizard.State) fyne.CanvasObject {
	o := st.Account
	if o == nil {
		return nil
	}
	l := st.Lang
	from := widget.NewLabel(l.T("accounts.ui.from", "program", o.ProgramName, "name", o.Name, "source", o.Source))
	from.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(from)
	if st.Error != "" {
		msg := widget.NewLabel(st.Error)
		msg.Wrapping = fyne.TextWrapWord
		msg.Importance = widget.WarningImportance
		box.Add(msg)
	}
	return widget.NewCard("", l.T("accounts.ui.from.title"), box)
}
