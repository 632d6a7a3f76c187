package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"assistant/wizard"
)

// printErr prints a message line on standard error, escaped for the
// terminal (it may quote what the user typed or a server sent).
func printErr(env Env, msg string) {
	fmt.Fprintln(env.Stderr, wizard.TermSafe(msg))
}

// printOut prints a command's text output on standard output, escaped for
// the terminal; see writeOut for a failed write.
func printOut(env Env, lang wizard.Lang, text string) int {
	return writeOut(env, lang, []byte(wizard.TermSafe(text)))
}

// writeOut writes a command's output to standard output. A failed write
// (a full disk, /dev/full, a closed pipe) is the tool's failure: exit 3
// with a message, never a silent success.
func writeOut(env Env, lang wizard.Lang, data []byte) int {
	if _, err := env.Stdout.Write(data); err != nil {
		printErr(env, lang.T("cli2.stdout_failed", "error", osText(err, lang)))
		return ExitInternal
	}
	return ExitOK
}

// runLine prints each run's outcome of a repeated check on w as it ends:
// a thousand runs are watched live instead of only in the final report.
func runLine(w io.Writer, total int, lang wizard.Lang) func(int, wizard.RunRecord) {
	return func(i int, rec wizard.RunRecord) {
		faults := strings.Join(rec.Faults, ", ")
		fmt.Fprintln(w, wizard.TermSafe(lang.T("cli2.run_line", "n", i+1, "total", total,
			"time", rec.Started.Format(time.TimeOnly), "status", wizard.StatusText(rec.Status, lang), "faults", faults)))
	}
}
