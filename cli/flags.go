package cli

import (
	"flag"
	"strings"

	"assistant/wizard"
)

// parseFlags parses a command's flags and, when they are unusable, returns
// the message in the user's language. The flag package's own errors are
// English sentences without a type, so the arguments are first read here
// (an unknown flag, a flag without its value, bad syntax) and every flag's
// Set is watched for the value it refused. help is true for -h/--help.
func parseFlags(fs *flag.FlagSet, args []string, lang wizard.Lang) (msg string, help bool) {
	if msg, help := scanFlags(fs, args, lang); msg != "" || help {
		return msg, help
	}
	var bad *watched
	fs.VisitAll(func(f *flag.Flag) { f.Value = &watched{Value: f.Value, name: f.Name, bad: &bad} })
	if err := fs.Parse(args); err != nil {
		if bad != nil {
			return lang.T("cli.bad_value", "flag", "--"+bad.name, "value", bad.value), false
		}
		return lang.T("cli2.flag_syntax"), false
	}
	return "", false
}

// scanFlags walks the arguments as flag.Parse does and finds what it would
// refuse before a value is set.
func scanFlags(fs *flag.FlagSet, args []string, lang wizard.Lang) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			return "", false // the flags end here
		}
		name := strings.TrimPrefix(a[1:], "-")
		name, _, hasValue := strings.Cut(name, "=")
		if name == "" || name[0] == '-' || name[0] == '=' {
			return lang.T("cli2.flag_syntax_at", "arg", a), false
		}
		f := fs.Lookup(name)
		if f == nil {
			if name == "h" || name == "help" {
				return "", true
			}
			return lang.T("cli2.unknown_flag", "flag", a), false
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); (ok && b.IsBoolFlag()) || hasValue {
			continue
		}
		if i+1 == len(args) {
			return lang.T("cli2.flag_needs_value", "flag", "--"+name), false
		}
		i++
	}
	return "", false
}

// watched records the first value a flag refused.
type watched struct {
	flag.Value
	name, value string
	bad         **watched
}

func (w *watched) Set(s string) error {
	err := w.Value.Set(s)
	if err != nil && *w.bad == nil {
		w.value, *w.bad = s, w
	}
	return err
}

// IsBoolFlag keeps a boolean flag boolean (no value needed) when watched.
func (w *watched) IsBoolFlag() bool {
	b, ok := w.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
