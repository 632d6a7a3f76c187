package cli

import (
	"encoding/json"
	"strings"

	"assistant/wizard"
)

// explain decodes a pasted message: `explain [--lang en|ru] [--format
// text|json] [--] [TEXT | -]`. The flags are read only before the text
// (and "--" ends them), so a message that starts with "-ERR" stays text;
// an unknown "--flag" before the text is unusable input.
func explain(args []string, env Env, lang wizard.Lang) int {
	format, rest, msg := explainFlags(withoutLang(args), lang)
	if msg != "" {
		return usage(env, lang, msg)
	}
	text := strings.Join(rest, " ")
	if len(rest) == 0 || text == "-" {
		data, err := readInput("-", env.Stdin, 0)
		if err != nil {
			printErr(env, lang.T("cli.failed", "error", osText(err, lang)))
			return ExitInternal
		}
		text = data
	}
	if strings.TrimSpace(text) == "" {
		return usage(env, lang, lang.T("cli.explain_empty"))
	}
	d := wizard.Decode(text)
	if format == "text" {
		return printOut(env, lang, wizard.Explain(d, lang))
	}
	data, err := json.MarshalIndent(d.Explain(lang), "", "  ")
	if err != nil {
		printErr(env, lang.T("cli.failed", "error", err))
		return ExitInternal
	}
	return writeOut(env, lang, append(wizard.JSONTermSafe(data), '\n'))
}

// explainFlags reads --format (the --lang flag is already gone) from the
// front of args and returns the format, the text arguments and a message
// when a flag is unusable.
func explainFlags(args []string, lang wizard.Lang) (format string, rest []string, msg string) {
	format = "text"
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--":
			return format, args[1:], ""
		case a == "--format" || a == "-format":
			if len(args) < 2 {
				return format, nil, lang.T("cli2.flag_needs_value", "flag", a)
			}
			format, args = args[1], args[2:]
		case strings.HasPrefix(a, "--format=") || strings.HasPrefix(a, "-format="):
			_, format, _ = strings.Cut(a, "=")
			args = args[1:]
		case strings.HasPrefix(a, "--") && len(a) > 2:
			return format, nil, lang.T("cli2.unknown_flag", "flag", a)
		default:
			return checkFormat(format, args, lang)
		}
	}
	return checkFormat(format, nil, lang)
}

// checkFormat accepts the explain formats, text and json.
func checkFormat(format string, rest []string, lang wizard.Lang) (string, []string, string) {
	format = strings.ToLower(format)
	if format != "text" && format != "json" {
		return format, nil, lang.T("cli.bad_value", "flag", "--format", "value", format)
	}
	return format, rest, ""
}
