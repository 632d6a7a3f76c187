// Package fynecache shortens how long Fyne keeps the renderers and
// textures of objects no longer drawn: Fyne's default is a minute, so
// every page the window rebuilt in the last minute stays in memory (the
// soak of scripts/soak grew 1.5× over 50 practice checks; with 5 s it
// stays within 1.15×). Drawn objects are touched every frame and keep
// theirs. It sets FYNE_CACHE, which Fyne reads in an init, unless the user
// set it; imported by cmd/assistant, it is initialised before Fyne
// ("assistant/..." sorts before "fyne.io/...", see internal/clocale). It is
// a package of its own only because an init order is needed.
package fynecache

import "os"

// Duration is how long an object not drawn keeps its renderer and textures.
const Duration = "5s"

func init() {
	if os.Getenv("FYNE_CACHE") == "" {
		os.Setenv("FYNE_CACHE", Duration)
	}
}
