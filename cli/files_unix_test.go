//go:build !windows

package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"assistant/wizard"
)

// emptyHost is a check that needs no network: the report names host-missing.
var emptyHost = []string{"check", "--service", "smtp", "--host", "", "--format", "json"}

// TestOutputKeepsModeAndFollowsLinks: an existing 0600 report stays 0600,
// a symbolic link stays a link and its target gets the report.
func TestOutputKeepsModeAndFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	private := filepath.Join(dir, "private.json")
	if err := os.WriteFile(private, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, "", nil, append(emptyHost, "--output", private)...); code != ExitProblem {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st, _ := os.Stat(private)
	if data, _ := os.ReadFile(private); st.Mode().Perm() != 0o600 || !bytes.Contains(data, []byte("assistant-report")) {
		t.Fatalf("existing file: mode %v, %q", st.Mode(), data)
	}

	if os.Geteuid() == 0 {
		// An administrator's run keeps a user's report the user's.
		os.Chown(private, 65534, 65534)
		run(t, "", nil, append(emptyHost, "--output", private)...)
		if st, _ := os.Stat(private); st.Sys().(*syscall.Stat_t).Uid != 65534 || st.Mode().Perm() != 0o600 {
			t.Fatalf("owner or mode changed: %v %+v", st.Mode(), st.Sys())
		}
	}

	target := filepath.Join(dir, "target.json")
	link := filepath.Join(dir, "link.json")
	os.WriteFile(target, nil, 0o640)
	os.Symlink("target.json", link)
	dangling := filepath.Join(dir, "dangling.json")
	os.Symlink("later.json", dangling)
	for _, l := range []string{link, dangling} {
		if code, _, errs := run(t, "", nil, append(emptyHost, "--output", l)...); code != ExitProblem {
			t.Fatalf("%s: exit %d: %s", l, code, errs)
		}
		if lst, err := os.Lstat(l); err != nil || lst.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s was replaced: %v %v", l, lst.Mode(), err)
		}
	}
	for _, f := range []string{target, filepath.Join(dir, "later.json")} {
		if data, _ := os.ReadFile(f); !bytes.Contains(data, []byte("assistant-report")) {
			t.Fatalf("link target %s: %q", f, data)
		}
	}
	if st, _ := os.Stat(target); st.Mode().Perm() != 0o640 {
		t.Fatalf("link target mode %v", st.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Fatalf("left-over files: %v", entries)
	}
}

// TestOutputWritesThroughFIFOAndDevice: a named pipe gets the report and
// stays a pipe; /dev/full is reported (exit 3, in Russian) and stays a
// device; "-" is standard output.
func TestOutputWritesThroughFIFOAndDevice(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		data, _ := io.ReadAll(f)
		f.Close()
		got <- data
	}()
	if code, _, errs := run(t, "", nil, append(emptyHost, "--output", fifo)...); code != ExitProblem {
		t.Fatalf("fifo: exit %d: %s", code, errs)
	}
	if data := <-got; !bytes.Contains(data, []byte("assistant-report")) {
		t.Fatalf("fifo reader got %q", data)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("fifo replaced: %v %v", st.Mode(), err)
	}

	if _, err := os.Stat("/dev/full"); err == nil {
		code, out, errs := run(t, "", nil, append(emptyHost, "--output", "/dev/full", "--lang", "ru")...)
		if code != ExitInternal || out != "" || !strings.Contains(errs, "на диске нет места") || englishOS.MatchString(errs) {
			t.Fatalf("/dev/full: exit %d, %q", code, errs)
		}
		if st, _ := os.Lstat("/dev/full"); st.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("/dev/full is no longer a device: %v", st.Mode())
		}
	}
	code, out, _ := run(t, "", nil, append(emptyHost, "--output", "-")...)
	if code != ExitProblem || !strings.Contains(out, "assistant-report") {
		t.Fatalf("--output -: exit %d, %q", code, out)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Fatal("a file named - was created")
	}
}

// TestStdoutWriteErrorsExit3: explain, version and check report a failed
// standard output (here the real /dev/full) instead of exiting 0.
func TestStdoutWriteErrorsExit3(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	for _, args := range [][]string{
		{"version", "--lang", "ru"},
		{"explain", "--lang", "ru", "Socket Error: 10061"},
		append(emptyHost, "--lang", "ru"),
	} {
		var errb bytes.Buffer
		code := Main(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: full, Stderr: &errb})
		if code != ExitInternal || !strings.Contains(errb.String(), "на диске нет места") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestFromErrorFileBounded: /dev/zero yields at most the decoder's limit;
// a FIFO nobody writes to ends within the timeout with a message; a FIFO
// with a writer is read.
func TestFromErrorFileBounded(t *testing.T) {
	text, err := readInput("/dev/zero", nil, time.Second)
	if err != nil || len(text) != wizard.MaxDecodeInput {
		t.Fatalf("/dev/zero: %d bytes, %v", len(text), err)
	}
	fifo := filepath.Join(t.TempDir(), "paste")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, _, errs := run(t, "", nil, "check", "--from-error-file", fifo, "--timeout", "300ms", "--lang", "ru")
	if took := time.Since(start); code != ExitUsage || took > 3*time.Second || !strings.Contains(errs, "ничего не пришло") {
		t.Fatalf("silent fifo: exit %d after %v: %q", code, took, errs)
	}
	go func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.WriteString(seedMessage)
			w.Close()
		}
	}()
	code, out, errs := run(t, "", nil, "check", "--from-error-file", fifo, "--format", "json")
	if code != ExitProblem || decode(t, out).Target.Service != "smtp" {
		t.Fatalf("fifo with a writer: exit %d: %s", code, errs)
	}
}

// BenchmarkFromErrorFileDevZero measures reading /dev/zero as a pasted
// error: the bytes allocated per read stay near the decoder's limit.
func BenchmarkFromErrorFileDevZero(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if text, err := readInput("/dev/zero", nil, time.Second); err != nil || len(text) != wizard.MaxDecodeInput {
			b.Fatal(len(text), err)
		}
	}
}

// TestPasswordStdinBounded: --password-stdin from a stream without a
// newline (/dev/zero) ends with a message instead of growing the process.
func TestPasswordStdinBounded(t *testing.T) {
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	defer zero.Close()
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"check", "--service", "imap", "--host", "", "--user", "ann", "--password-stdin", "--lang", "ru"},
		Env{Stdin: zero, Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	if code != ExitUsage || !strings.Contains(errb.String(), "длиннее 4094") {
		t.Fatalf("exit %d: %q", code, errb.String())
	}
}

// tinyMount mounts a 64 KiB tmpfs (read-only when ro) on a temporary
// folder for the test: root only. The mount is removed before the folder.
func tinyMount(t *testing.T, ro bool) string {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small file system needs root")
	}
	dir := t.TempDir()
	flags := uintptr(0)
	if ro {
		flags = syscall.MS_RDONLY
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, "size=64k"); err != nil {
		t.Skip("cannot mount tmpfs:", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// TestOutputDiskFullAndReadOnlyInRussian: a full disk and a read-only one
// are named in the user's language, without the temporary file's name,
// and nothing is left behind.
func TestOutputDiskFullAndReadOnlyInRussian(t *testing.T) {
	ro := tinyMount(t, true)
	code, _, errs := run(t, "", nil, append(emptyHost, "--output", filepath.Join(ro, "r.json"), "--lang", "ru")...)
	if code != ExitUsage || !strings.Contains(errs, "только для чтения") || englishOS.MatchString(errs) {
		t.Fatalf("read-only: exit %d, %q", code, errs)
	}
	full := tinyMount(t, false)
	os.WriteFile(filepath.Join(full, "filler"), bytes.Repeat([]byte("x"), 60<<10), 0o644)
	code, _, errs = run(t, "", nil, append(emptyHost, "--output", filepath.Join(full, "r.json"), "--lang", "ru")...)
	if code != ExitInternal || !strings.Contains(errs, "на диске нет места") || englishOS.MatchString(errs) {
		t.Fatalf("full: exit %d, %q", code, errs)
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Fatalf("left behind on the full disk: %v", entries)
	}
}
