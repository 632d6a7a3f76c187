// Command assistant diagnoses mail (SMTP, POP3, IMAP) and FTP connection
// errors. Without arguments it opens the wizard window (package ui);
// `assistant check`, `explain` and `version` run headless (package cli).
package main

import (
	"context"
	"os"
	"os/signal"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"assistant/accounts"
	"assistant/checks"
	"assistant/cli"
	_ "assistant/internal/clocale"   // before Fyne: see the package doc
	_ "assistant/internal/fynecache" // before Fyne: see the package doc
	"assistant/ui"
	"assistant/wizard"
)

// appID is the application ID of FyneApp.toml (preferences live under it).
const appID = "io.github.mailftp.assistant"

func main() {
	if len(os.Args) < 2 {
		openWindow()
		return
	}
	useParentConsole()
	ctx, stop := cli.SignalContext(context.Background())
	code := cli.Main(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// openWindow shows the wizard until the window is closed, or until one of
// cli.StopSignals asks the program to end: both quit the app, and ui.Run
// then cancels a running check and waits for its cleanup. With
// ASSISTANT_SCREENSHOT_STEP set (scripts/screenshots) it opens on that
// step with demo settings instead of the remembered ones.
func openWindow() {
	a := app.NewWithID(appID)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, cli.StopSignals...)
	go func() {
		<-sig
		signal.Stop(sig) // a second signal during the cleanup ends the program
		fyne.Do(a.Quit)
	}()
	tool := wizard.Tool{Name: cli.Name, Version: cli.Version}
	if step := os.Getenv("ASSISTANT_SCREENSHOT_STEP"); step != "" {
		s := wizard.NewSession(nil, tool, checks.Options{})
		go demo(s, step)
		ui.Run(a, s)
		return
	}
	s := wizard.NewSession(a.Preferences(), tool, checks.Options{})
	s.LoadAccounts(accounts.DefaultEnv())
	ui.Run(a, s)
}
