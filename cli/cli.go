// Package cli implements the headless commands (check, explain, version):
// flags to a checks.Target, the run, the report and the exit status of the
// command-line contract. It is a package of its own, apart from
// cmd/assistant, so that it is tested without linking the GUI.
package cli

import (
	"context"
	"io"
	"os"
	"strings"

	"assistant/accounts"
	"assistant/checks"
	"assistant/wizard"
)

// Exit statuses of the command-line contract.
const (
	ExitOK       = 0 // nothing wrong was found
	ExitProblem  = 1 // at least one problem was found
	ExitUsage    = 2 // the input was unusable
	ExitInternal = 3 // the tool itself failed
)

// Name and Version identify the tool in reports; Version is stamped at
// build time with -ldflags "-X assistant/cli.Version=...".
var (
	Name    = "Mail & FTP Connection Assistant"
	Version = "0.1.0-dev"
)

// Env is what a command may use of the outside world, so that tests can
// give it their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Options are passed to checks.Run (tests: trusted roots).
	Options checks.Options
	// Accounts is where `accounts` and `check --account` look for the
	// programs' accounts; nil: the user's own.
	Accounts *accounts.Env
}

// Main runs a command line (without the program name) and returns the exit status.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	lang := langFromArgs(args)
	if len(args) == 0 {
		printErr(env, lang.T("cli.usage"))
		return ExitUsage
	}
	if msg := langError(args, lang); msg != "" {
		return usage(env, lang, msg)
	}
	switch args[0] {
	case "check":
		return check(ctx, args[1:], env, lang)
	case "explain":
		return explain(args[1:], env, lang)
	case "accounts":
		return accountsCmd(args[1:], env, lang)
	case "lab":
		return lab(ctx, args[1:], env, lang)
	case "version", "--version", "-v":
		return printOut(env, lang, Name+" "+Version+"\n")
	case "help", "--help", "-h":
		return printOut(env, lang, lang.T("cli.usage")+"\n"+lang.T("accounts.usage")+"\n")
	}
	printErr(env, lang.T("cli.unknown_command", "command", args[0]))
	printErr(env, lang.T("cli.usage"))
	return ExitUsage
}

// langFromArgs finds --lang before the flags are parsed, so that even a
// message about a bad flag is in the user's language.
func langFromArgs(args []string) wizard.Lang {
	for i, a := range args {
		v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "lang=")
		if !ok && (a == "--lang" || a == "-lang") && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if ok {
			if l, ok := wizard.ParseLang(v); ok {
				return l
			}
		}
	}
	return wizard.EnvLang()
}

// withoutLang is the arguments of a command without its --lang flag (the
// language is read before any command runs, by langFromArgs).
func withoutLang(args []string) []string {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--lang" || a == "-lang":
			i++
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
		default:
			rest = append(rest, a)
		}
	}
	return rest
}
