//go:build !windows

package cli

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"assistant/faultpeer"
)

// TestStopSignalsCancelAndCleanUp sends SIGTERM and SIGHUP to the test
// process in the middle of an upload that the server stopped reading: the
// run is cancelled as by Ctrl+C, the test file is deleted from the server,
// the partial report is printed and the exit status is 3. (Before SIGTERM
// and SIGHUP were handled, the signal killed the process.)
func TestStopSignalsCancelAndCleanUp(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			state := faultpeer.NewFTPState()
			p, err := faultpeer.FTP(faultpeer.FTPOptions{StallAfter: 64 << 10, State: state})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			ctx, stop := SignalContext(context.Background())
			defer stop()
			var out, errb bytes.Buffer
			done := make(chan int, 1)
			go func() {
				done <- Main(ctx, []string{"check", "--service", "ftp", "--host", "127.0.0.1", "--port", strconv.Itoa(p.Port()),
					"--user", faultpeer.FTPUser, "--ftp-mode", "passive", "--transfer-size", "4MiB", "--timeout", "20s", "--format", "json"},
					Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
						Getenv: func(k string) string {
							if k == "ASSISTANT_PASSWORD" {
								return faultpeer.FTPPassword
							}
							return ""
						}})
			}()
			deadline := time.Now().Add(15 * time.Second)
			for len(state.Files()) == 0 {
				if time.Now().After(deadline) {
					t.Fatal("the upload never started")
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond) // into the stalled upload
			start := time.Now()
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			var code int
			select {
			case code = <-done:
			case <-time.After(15 * time.Second):
				t.Fatal("the run did not end after the signal")
			}
			if code != ExitInternal {
				t.Fatalf("exit %d, want 3: %s", code, errb.String())
			}
			r := decode(t, out.String())
			if len(r.Checks) == 0 || !strings.Contains(errb.String(), "Cancelled") {
				t.Fatalf("no partial report or no cancel message: %s / %s", out.String(), errb.String())
			}
			if files := state.Files(); len(files) != 0 {
				t.Fatalf("test file left on the server: %v", files)
			}
			t.Logf("%v: ended %v after the signal", sig, time.Since(start).Round(time.Millisecond))
		})
	}
}
