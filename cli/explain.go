package cli

import (
	"fmt"
	"strings"

	"assistant/wizard"
)

func explain(args []string, env Env, lang wizard.Lang) int {
	rest := withoutLang(args)
	text := strings.Join(rest, " ")
	if len(rest) == 0 || text == "-" {
		data, err := readInput("-", env.Stdin)
		if err != nil {
			fmt.Fprintln(env.Stderr, lang.T("cli.failed", "error", err))
			return ExitInternal
		}
		text = data
	}
	if strings.TrimSpace(text) == "" {
		return usage(env, lang, lang.T("cli.explain_empty"))
	}
	fmt.Fprint(env.Stdout, wizard.Explain(wizard.Decode(text), lang))
	return ExitOK
}
