// Package assets holds the files the window ships with: the application
// icon, embedded so that the binary needs nothing beside it.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon (512×512 PNG): a mail envelope with a green
// check mark.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
