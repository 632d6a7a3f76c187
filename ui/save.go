package ui

import (
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Fyne's file dialog speaks the operating system's language, not the
// window's, and some of its words ("Home", "Computer", "Overwrite?") are
// not translatable at all: the report is saved through this dialog in the
// window's language instead. It offers a full path in the user's
// Documents folder (the home folder without one), named after the host
// and date, and asks before replacing a file.

// saveDialog is the open save dialog, for tests.
type saveDialog struct {
	path    *escEntry
	confirm func(bool)
}

// onSave asks where to save the report in the chosen format.
func (w *Window) onSave() {
	l := w.s.State().Lang
	d := &saveDialog{path: w.newEntry(false)}
	d.path.SetText(filepath.Join(reportFolder(), reportFileName(w.s.State(), w.format, time.Now())))
	d.confirm = func(ok bool) {
		if ok {
			w.confirmSave(d.path.Text)
		}
	}
	content := container.NewVBox(widget.NewLabel(l.T("window.save.where", "format", l.T("ui.format."+string(w.format)))), d.path)
	dlg := dialog.NewCustomConfirm(l.T("ui.result.save"), l.T("window.save.button"), l.T("window.save.cancel"), content, d.confirm, w.win)
	d.path.esc = dlg.Hide // Esc closes the dialog, not the page
	d.path.OnSubmitted = func(string) {
		dlg.Hide()
		d.confirm(true)
	}
	dlg.Resize(fyne.NewSize(min(w.win.Canvas().Size().Width-40, 720), 0))
	dlg.Show()
	w.win.Canvas().Focus(d.path)
	w.save = d
}

// confirmSave saves to path, after asking when a file is there already.
func (w *Window) confirmSave(path string) {
	if _, err := os.Stat(path); err != nil {
		w.saveTo(path)
		return
	}
	l := w.s.State().Lang
	dialog.NewCustomConfirm(l.T("window.save.replace.title"), l.T("window.save.replace"), l.T("window.save.cancel"),
		widget.NewLabel(l.T("window.save.replace.question", "path", path)), func(ok bool) {
			if ok {
				w.saveTo(path)
			}
		}, w.win).Show()
}

// reportFolder is where a report is offered to be saved: Documents, else
// the home folder, else the working folder.
func reportFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	if docs := filepath.Join(home, "Documents"); isDir(docs) {
		return docs
	}
	return home
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
