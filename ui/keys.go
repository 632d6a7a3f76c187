package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Fyne hands a key to the focused widget only and has no window-level
// shortcut without a modifier, so Esc would do nothing while a keyboard
// user has focus somewhere (always). The window's focusable widgets are
// these wrappers: each passes Esc to the window's onEscape and every
// other key on.

// escEntry is an entry that passes Esc to the window. With selectAll set
// (the port) it selects its text when focus arrives, so that typing
// replaces it.
type escEntry struct {
	widget.Entry
	esc       func()
	selectAll bool
}

func (w *Window) newEntry(password bool) *escEntry {
	e := &escEntry{esc: w.onEscape}
	e.Password = password // the entry adds its reveal button itself
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey passes Esc to the window.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.esc()
		return
	}
	e.Entry.TypedKey(k)
}

// FocusGained selects the text of a selectAll entry.
func (e *escEntry) FocusGained() {
	e.Entry.FocusGained()
	if e.selectAll {
		e.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
}

// escButton is a button that passes Esc to the window.
type escButton struct {
	widget.Button
	esc func()
}

func (w *Window) newButton(label string, icon fyne.Resource, tapped func()) *escButton {
	b := &escButton{esc: w.onEscape}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey passes Esc to the window and presses the button on Enter (as
// Space does), as buttons do on Windows.
func (b *escButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		b.esc()
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Button.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	default:
		b.Button.TypedKey(k)
	}
}

// escCheck is a check box that passes Esc to the window.
type escCheck struct {
	widget.Check
	esc func()
}

func (w *Window) newCheck(label string) *escCheck {
	c := &escCheck{esc: w.onEscape}
	c.Text = label
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey passes Esc to the window.
func (c *escCheck) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		c.esc()
		return
	}
	c.Check.TypedKey(k)
}

// escSelect is a drop-down that passes Esc to the window.
type escSelect struct {
	widget.Select
	esc func()
}

func (w *Window) newSelect(options []string) *escSelect {
	s := &escSelect{esc: w.onEscape}
	s.Options = options
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey passes Esc to the window.
func (s *escSelect) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		s.esc()
		return
	}
	s.Select.TypedKey(k)
}
