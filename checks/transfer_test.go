package checks_test

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// bigTransfer is larger than the loopback socket buffers, so that a fault
// after a few KiB interrupts the upload while it is being written.
const bigTransfer = 48 << 20

func TestFTPTransferReset(t *testing.T) {
	res, st := runFTP(t, ftpCase{
		opts:   faultpeer.FTPOptions{ResetAfter: 64 << 10},
		target: func(tg *checks.Target) { tg.TransferSize = bigTransfer },
	})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckFTPPassive: checks.StatusPass, checks.CheckTransfer: checks.StatusFail,
	})
	r := result(t, res, checks.CheckTransfer)
	f := wantFaultCode(t, r, checks.FaultReset, checks.StageDataTransfer, checks.WSAECONNRESET, 0)
	tr := r.Transfer
	if f.Offset <= 0 || f.Offset >= bigTransfer || tr.Sent != f.Offset || !tr.Deleted || tr.Verified {
		t.Errorf("offset %d, facts %+v", f.Offset, tr)
	}
	if files := st.Files(); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
}

func TestFTPTransferStall(t *testing.T) {
	start := time.Now()
	res, st := runFTP(t, ftpCase{
		opts:   faultpeer.FTPOptions{StallAfter: 64 << 10},
		target: func(tg *checks.Target) { tg.TransferSize = bigTransfer },
	})
	r := result(t, res, checks.CheckTransfer)
	f := wantFaultCode(t, r, checks.FaultTimeout, checks.StageDataTransfer, checks.WSAETIMEDOUT, 0)
	if f.Offset <= 0 || f.Offset >= bigTransfer || !r.Transfer.Deleted {
		t.Errorf("offset %d, facts %+v", f.Offset, r.Transfer)
	}
	if files := st.Files(); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
	// One timeout of no progress, not a deadline scaled to 48 MiB.
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("stall detected after %v", d)
	}
}

// cancelUpload runs a big upload to a peer that stalls it and cancels the
// run 200 ms after the transfer check starts.
func cancelUpload(t *testing.T, opts faultpeer.FTPOptions) ([]checks.Result, *faultpeer.FTPState) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	obs := func(r checks.Result) {
		if r.ID == checks.CheckTransfer && r.Status == checks.StatusRunning {
			time.AfterFunc(200*time.Millisecond, cancel)
		}
	}
	opts.StallAfter = 64 << 10
	return runFTP(t, ftpCase{
		opts: opts,
		target: func(tg *checks.Target) {
			tg.TransferSize = bigTransfer
			tg.Timeout = 10 * time.Second
		},
		ropt: checks.Options{Observer: obs},
		ctx:  ctx,
	})
}

func TestFTPTransferCancel(t *testing.T) {
	res, st := cancelUpload(t, faultpeer.FTPOptions{})
	r := result(t, res, checks.CheckTransfer)
	f := wantFaultCode(t, r, checks.FaultCanceled, checks.StageDataTransfer, 0, 0)
	if f.Offset <= 0 || !r.Transfer.Deleted {
		t.Errorf("offset %d, facts %+v", f.Offset, r.Transfer)
	}
	if r.Duration > 1200*time.Millisecond {
		t.Errorf("transfer check took %v after a cancel at 200ms", r.Duration)
	}
	if files := st.Files(); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
}

// wantPassiveSkip asserts the transfer was skipped because the upload
// needs passive mode, and that its step says why.
func wantPassiveSkip(t *testing.T, res []checks.Result, why string) {
	t.Helper()
	r := result(t, res, checks.CheckTransfer)
	if r.Status != checks.StatusSkip || r.Skipped != checks.SkipDependency || r.Transfer != nil {
		t.Errorf("transfer %s skipped %q facts %+v, want skipped (dependency)", r.Status, r.Skipped, r.Transfer)
	}
	if len(r.Steps) != 1 || !strings.Contains(r.Steps[0].Detail, why) || !strings.Contains(r.Steps[0].Detail, "passive mode") {
		t.Errorf("transfer steps %+v, want one saying %q", r.Steps, why)
	}
}

func TestFTPTransferActiveOnly(t *testing.T) {
	res, st := runFTP(t, ftpCase{target: func(tg *checks.Target) { tg.FTPMode = checks.FTPActive }})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{checks.CheckFTPActive: checks.StatusPass})
	wantPassiveSkip(t, res, "active only")
	if f := st.Files(); len(f) != 0 {
		t.Errorf("files left: %v", f)
	}
}

// wantTransferTranscript asserts the transfer's transcript (the library's
// debug output) is the readable conversation: the login with the password
// hidden, the upload, the delete, and nothing but "C: "/"S: " lines of
// printable text (never TLS records).
func wantTransferTranscript(t *testing.T, r *checks.Result, want ...string) {
	t.Helper()
	lines := r.Transcript
	for _, p := range append([]string{"C: USER " + faultpeer.FTPUser, "S: 331 ", "C: " + checks.Hidden, "S: 230 ",
		"C: SIZE .assistant-test-", "S: 550 ", "C: STOR .assistant-test-", "S: 150 ", "S: 226 ", "C: DELE .assistant-test-", "S: 250 "}, want...) {
		if !hasLine(lines, p) {
			t.Errorf("transfer transcript lacks %q: %q", p, lines)
		}
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "C: ") && !strings.HasPrefix(l, "S: ") || strings.Contains(l, "PASS") ||
			strings.ContainsFunc(l, func(c rune) bool { return c < 0x20 || c > 0x7e }) {
			t.Errorf("transfer transcript line %q", l)
		}
	}
}

func TestFTPTransferTranscript(t *testing.T) {
	res, _ := runFTP(t, ftpCase{})
	wantTransferTranscript(t, result(t, res, checks.CheckTransfer), "C: EPSV", "S: 229 ")
	// The transcripts of uploads over TLS are asserted in TestFTPSecure.
}

// TestFTPTransferForeignPASV makes the library fall back to PASV, whose
// reply announces a foreign address: the upload must go to the server's
// own address and never to the announced one.
func TestFTPTransferForeignPASV(t *testing.T) {
	res, st := runFTP(t, ftpCase{
		opts:   faultpeer.FTPOptions{ForeignPASV: "127.0.0.2", EPSVRefused: true},
		target: func(tg *checks.Target) { tg.FTPMode = checks.FTPPassive },
	})
	r := result(t, res, checks.CheckTransfer)
	wantStatus(t, r, checks.StatusPass)
	if tr := r.Transfer; tr == nil || !tr.Verified || !tr.Deleted {
		t.Errorf("transfer facts %+v", tr)
	}
	wantTransferTranscript(t, r, "C: EPSV", "S: 502 ", "C: PASV", "S: 227 Entering Passive Mode (127,0,0,2,")
	if n := st.ForeignAttempts(); n != 0 {
		t.Errorf("%d connection attempts to the foreign address", n)
	}
}

// benchSize is the upload of each benchmark iteration.
const benchSize = 64 << 20

// BenchmarkTransfer measures a whole run whose transfer check uploads
// benchSize bytes to the FTP peer on loopback.
func BenchmarkTransfer(b *testing.B) {
	p, err := faultpeer.FTP(faultpeer.FTPOptions{Discard: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	tg := checks.Target{
		Service: checks.FTP, Host: "127.0.0.1", Port: p.Port(), FTPMode: checks.FTPPassive,
		User: faultpeer.FTPUser, Secret: checks.NewSecret(faultpeer.FTPPassword),
		Timeout: 5 * time.Second, TransferSize: benchSize,
	}
	b.SetBytes(benchSize)
	var rate float64
	for b.Loop() {
		res, err := checks.Run(context.Background(), tg, checks.Options{})
		if err != nil {
			b.Fatal(err)
		}
		r := checks.Find(res, checks.CheckTransfer)
		if r.Status != checks.StatusPass {
			b.Fatalf("transfer %s: %v", r.Status, r.Fault)
		}
		rate += r.Transfer.BytesPerSecond
	}
	b.ReportMetric(rate/float64(b.N)/1e6, "upload-MB/s")
}

// BenchmarkRawCopy copies the same bytes over a plain loopback TCP
// connection to a reader that discards them.
func BenchmarkRawCopy(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	buf := make([]byte, 256<<10)
	b.SetBytes(benchSize)
	for b.Loop() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			c, err := ln.Accept()
			if err != nil {
				return
			}
			// Read as the FTP peer does: 256 KiB at a time.
			rbuf := make([]byte, 256<<10)
			for {
				if _, err := c.Read(rbuf); err != nil {
					break
				}
			}
			c.Close()
		}()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		for sent := 0; sent < benchSize; sent += len(buf) {
			if _, err := c.Write(buf); err != nil {
				b.Fatal(err)
			}
		}
		c.Close()
		<-done
	}
}

// TestFTPTransferDeleteRefused: a DELE answered 550 leaves the test file on
// the server; the transfer check must say so (warning, Left, the reply),
// never that it was deleted.
func TestFTPTransferDeleteRefused(t *testing.T) {
	res, st := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{DeleteRefused: true}})
	r := result(t, res, checks.CheckTransfer)
	wantStatus(t, r, checks.StatusWarn)
	tr := r.Transfer
	if tr == nil || tr.Deleted || !tr.Left || !strings.HasPrefix(tr.DeleteReply, "550 Delete operation failed") ||
		!slices.Contains(r.Warnings, checks.WarnFileLeft) {
		t.Fatalf("facts %+v, warnings %v", tr, r.Warnings)
	}
	if files := st.Files(); len(files) != 1 || files[0] != tr.RemoteName {
		t.Errorf("files on the server %v, facts name %q", files, tr.RemoteName)
	}
}

// TestFTPTransferRefusedStorNotLeft: a STOR refused before any file was
// created, then DELE 550: SIZE says the file is absent, so nothing is left.
func TestFTPTransferRefusedStorNotLeft(t *testing.T) {
	res, st := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{StoreRefused: true}})
	r := result(t, res, checks.CheckTransfer)
	wantStatus(t, r, checks.StatusFail)
	if tr := r.Transfer; tr == nil || !tr.Deleted || tr.Left || slices.Contains(r.Warnings, checks.WarnFileLeft) {
		t.Fatalf("facts %+v, warnings %v", tr, r.Warnings)
	}
	if files := st.Files(); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
}

// TestFTPTransferCancelDeleteRefused: a run cancelled during the upload
// still tries to delete the file on a fresh connection; when the server
// refuses, the facts say the file was left, with the reply.
func TestFTPTransferCancelDeleteRefused(t *testing.T) {
	res, st := cancelUpload(t, faultpeer.FTPOptions{DeleteRefused: true})
	r := result(t, res, checks.CheckTransfer)
	wantFaultCode(t, r, checks.FaultCanceled, checks.StageDataTransfer, 0, 0)
	tr := r.Transfer
	if files := st.Files(); len(files) != 1 || tr == nil || !tr.Left || tr.RemoteName != files[0] ||
		!strings.HasPrefix(tr.DeleteReply, "550 ") || !slices.Contains(r.Warnings, checks.WarnFileLeft) {
		t.Fatalf("files %v, facts %+v, warnings %v", files, tr, r.Warnings)
	}
	if !hasLine(stepNames(r), "DELE (new connection)") {
		t.Errorf("no delete on a fresh connection: %+v", r.Steps)
	}
}

// stepNames lists the names of a result's steps.
func stepNames(r *checks.Result) []string {
	var names []string
	for _, s := range r.Steps {
		names = append(names, s.Name)
	}
	return names
}
