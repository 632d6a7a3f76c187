package cli

import (
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"

	"assistant/wizard"
)

// readInput reads a pasted text from a file, or from standard input for
// "-": at most wizard.MaxDecodeInput bytes from any source (the decoder
// ignores the rest), so /dev/zero or a huge log cannot grow the process.
// A FIFO, device or socket must deliver within wait: a named pipe nobody
// writes to ends in os.ErrDeadlineExceeded instead of blocking forever.
func readInput(path string, stdin io.Reader, wait time.Duration) (string, error) {
	if path == "-" {
		data, err := io.ReadAll(io.LimitReader(stdin, wizard.MaxDecodeInput))
		return string(data), err
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return "", &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	}
	if st.Mode().IsRegular() {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, wizard.MaxDecodeInput))
		return string(data), err
	}
	deadline := time.Now().Add(wait)
	f, err := openWithin(path, wait)
	if err != nil {
		return "", err
	}
	defer f.Close()
	// Pollable files (pipes, terminals) honour the deadline; others (such
	// as /dev/zero) never block for long and refuse it, which is fine.
	_ = f.SetReadDeadline(deadline)
	data, err := io.ReadAll(io.LimitReader(f, wizard.MaxDecodeInput))
	return string(data), err
}

// openWithin opens a non-regular file for reading, giving up after wait:
// opening a FIFO blocks until a writer opens it too. On giving up it opens
// the FIFO for writing itself, which releases the blocked open, so no
// goroutine is left behind.
func openWithin(path string, wait time.Duration) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		done <- opened{f, err}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.f, o.err
	case <-timer.C:
	}
	if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close()
		if o := <-done; o.f != nil {
			o.f.Close()
		}
	}
	return nil, &fs.PathError{Op: "open", Path: path, Err: os.ErrDeadlineExceeded}
}
