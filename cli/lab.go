package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"assistant/practice"
	"assistant/wizard"
)

// practiceIDs lists the practice scenarios for messages.
func practiceIDs() string {
	var ids []string
	for _, id := range practice.IDs() {
		ids = append(ids, string(id))
	}
	return strings.Join(ids, ", ")
}

// practiceFailed says why a practice scenario did not start: an unknown
// ID or one this system cannot run is unusable input (exit 2); a server
// that could not start is the tool's failure (exit 3).
func practiceFailed(env Env, lang wizard.Lang, id practice.ID, err error) int {
	switch {
	case errors.Is(err, practice.ErrUnavailable):
		return usage(env, lang, lang.T("practice."+string(id)+".title")+": "+lang.T("practice."+string(id)+".unavailable"))
	case errors.Is(err, practice.ErrUnknown):
		return usage(env, lang, lang.T("cli.practice_unknown", "id", string(id), "ids", practiceIDs()))
	}
	printErr(env, lang.T("cli.failed", "error", osText(err, lang)))
	return ExitInternal
}

// lab starts practice scenarios (all, or those named), prints what each
// imitates, where it listens and the command that checks it, and keeps
// them running until interrupted.
func lab(ctx context.Context, args []string, env Env, lang wizard.Lang) int {
	var ids []practice.ID
	for _, a := range withoutLang(args) {
		ids = append(ids, practice.ID(a))
	}
	if len(ids) == 0 {
		ids = practice.IDs()
	}
	var labs []*practice.Lab
	defer func() {
		for _, l := range labs {
			l.Close()
		}
	}()
	for _, id := range ids {
		l, err := practice.Start(id)
		if err != nil {
			return practiceFailed(env, lang, id, err)
		}
		labs = append(labs, l)
		fmt.Fprintf(env.Stdout, "%s\n  %s\n  %s %s:%d\n  assistant check --practice %s\n\n",
			lang.T("practice."+string(id)+".title"), lang.T("practice."+string(id)+".about"),
			strings.ToUpper(string(l.Target.Service)), l.Target.Host, l.Target.Port, id)
	}
	fmt.Fprintln(env.Stdout, lang.T("cli.lab_running"))
	<-ctx.Done()
	return ExitOK
}
