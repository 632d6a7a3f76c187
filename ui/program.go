package ui

import (
	"fyne.io/fyne/v2"

	"assistant/wizard"
)

// addProgramField adds "My program" to the Account page's form: the
// programs of the service, and "not named" for the common programs' steps.
// The result page then gives the chosen program's steps first.
func (w *Window) addProgramField(form *fyne.Container, st wizard.State) *escSelect {
	l, f := st.Lang, st.Form
	programs := []wizard.Program{wizard.ProgramUnknown}
	for _, p := range wizard.Programs {
		if p.ForService(f.Service) {
			programs = append(programs, p)
		}
	}
	names := make([]string, len(programs))
	for i, p := range programs {
		names[i] = p.Name(l)
		if p == wizard.ProgramUnknown {
			names[i] = l.T("ui.account.program.unknown")
		}
	}
	sel := w.newSelect(names)
	sel.SetSelectedIndex(max(0, indexOf(asStrings(programs), string(f.Program))))
	sel.OnChanged = func(string) {
		if i := sel.SelectedIndex(); i >= 0 && !w.setting {
			w.edit(func(f *wizard.Form) { f.Program = programs[i] })
		}
	}
	form.Add(fieldLabel(l.T("ui.account.program")))
	form.Add(sel)
	return sel
}
