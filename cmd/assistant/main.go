// Command assistant diagnoses mail (SMTP, POP3, IMAP) and FTP connection
// errors. Without arguments it opens the wizard window; `assistant check`,
// `explain` and `version` run headless (package cli).
package main

import (
	"context"
	"os"
	"os/signal"

	"assistant/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
