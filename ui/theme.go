package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// windowTheme is the user's theme with a focus colour that shows on every
// widget, the blue buttons too (the default focus colour is the primary
// blue, invisible on a primary button), and input borders (the circles of
// unselected radio buttons) that stand out in the dark variant.
type windowTheme struct{ fyne.Theme }

// Colours of windowTheme: an amber focus, and input borders of enough
// contrast with either variant's background.
var (
	focusColor       = color.NRGBA{R: 0xff, G: 0xb3, B: 0x00, A: 0xb0}
	darkInputBorder  = color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9e, A: 0xff}
	lightInputBorder = color.NRGBA{R: 0x6e, G: 0x6e, B: 0x73, A: 0xff}
)

// Color returns the focus and input-border colours of windowTheme and
// the wrapped theme's for every other name.
func (t windowTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameFocus:
		return focusColor
	case theme.ColorNameInputBorder:
		if v == theme.VariantDark {
			return darkInputBorder
		}
		return lightInputBorder
	}
	return t.Theme.Color(n, v)
}

// useWindowTheme wraps the app's theme once.
func useWindowTheme(a fyne.App) {
	s := a.Settings()
	if _, done := s.Theme().(windowTheme); !done {
		s.SetTheme(windowTheme{s.Theme()})
	}
}
