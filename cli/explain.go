package cli

import (
	"strings"

	"assistant/wizard"
)

func explain(args []string, env Env, lang wizard.Lang) int {
	rest := withoutLang(args)
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
	return printOut(env, lang, wizard.Explain(wizard.Decode(text), lang))
}
