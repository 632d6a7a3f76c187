// Package clocale gives the program a language when the system names none:
// under the "C" or "POSIX" locale (the default of containers and many
// servers) Fyne's locale detection logs an error at start-up, before main
// runs, on every `assistant check` too. Imported by cmd/assistant, it is
// initialised before Fyne (packages without mutual dependencies initialise
// in import-path order, and "assistant/..." sorts before "fyne.io/...") and
// replaces such a value with its English equivalent. It is a package of its
// own only because an init order is needed.
package clocale

import "os"

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch os.Getenv(v) {
		case "C", "POSIX", "C.UTF-8", "C.utf8":
			os.Setenv(v, "en_US.UTF-8")
		}
	}
}
