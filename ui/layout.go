package ui

import (
	"unicode/utf8"

	"fyne.io/fyne/v2"
)

// maxContentWidth keeps lines and buttons readable on a wide screen.
const maxContentWidth = 1100

// defaultSize fits a 1366×768 screen with a task bar and a title bar.
var defaultSize = fyne.NewSize(960, 660)

// capWidth centres its objects at most width wide (never less than they need).
type capWidth float32

// MinSize is the objects' own.
func (c capWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// Layout gives the objects the full height and at most the width cap,
// centred.
func (c capWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := max(min(size.Width, float32(c)), o.MinSize().Width)
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// maxShown is how many characters of a typed value a heading quotes.
const maxShown = 60

// shorten cuts a long value (a 5,000-character host) to maxShown
// characters with an ellipsis, so that a heading stays one line.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return s
	}
	r := []rune(s)
	return string(r[:maxShown-1]) + "…"
}
