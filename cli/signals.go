package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// StopSignals are the signals that end a run the way Ctrl+C does: the
// checks are cancelled and clean up (the transfer check deletes its test
// file), the partial report is printed and the exit status is 3. SIGTERM
// is what `kill`, systemd and container runtimes send, SIGHUP what a
// closed terminal sends; Go maps a Windows console's close and Ctrl+Break
// to them too.
var StopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// SignalContext is a context cancelled by the first of StopSignals. From
// then on the signals have their default effect again: a second Ctrl+C
// during the cleanup ends the program at once, as users expect.
func SignalContext(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	ctx, stop = signal.NotifyContext(parent, StopSignals...)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
