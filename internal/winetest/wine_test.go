//go:build wine

package winetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"assistant/faultpeer"
)

// report is the part of the contract JSON (spec/cli-and-report.md) the
// tests assert.
type report struct {
	Tool   struct{ Version string }
	Checks []struct {
		ID     string
		Status string
		Fault  *struct {
			Kind    string
			Winsock int
			Stage   string
		}
	}
}

// wineExe returns the Windows build to test: $ASSISTANT_EXE or
// dist/assistant.exe. It skips the test when wine, the exe or the
// ProcessPrng stub in the prefix (which Go programs need on Wine 8) is
// missing: scripts/wine-test provides all three.
func wineExe(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("wine"); err != nil {
		t.Skip("wine is not installed: run scripts/wine-test")
	}
	exe := os.Getenv("ASSISTANT_EXE")
	if exe == "" {
		exe = filepath.Join("..", "..", "dist", "assistant.exe")
	}
	exe, err := filepath.Abs(exe)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(exe); err != nil {
		t.Skipf("no Windows build at %s (set ASSISTANT_EXE): run scripts/wine-test", exe)
	}
	prefix := os.Getenv("WINEPREFIX")
	if prefix == "" {
		t.Skip("WINEPREFIX is not set: run scripts/wine-test, which prepares a prefix")
	}
	if _, err := os.Stat(filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")); err != nil {
		t.Skipf("the prefix %s lacks the ProcessPrng stub (tools/processprng): run scripts/wine-test", prefix)
	}
	// Wine's background processes (services.exe ...) inherit the standard
	// streams of the wine command that starts them and outlive it: start
	// them here with /dev/null, so no later command's pipes are held open.
	// (wineserver -p fails when the prefix's server already runs: fine.)
	_ = exec.Command("wineserver", "-p", "60").Run()
	if err := exec.Command("wineboot").Run(); err != nil {
		t.Fatalf("wineboot: %v", err)
	}
	t.Cleanup(func() { _ = exec.Command("wineserver", "-k").Run() })
	return exe
}

// runWine runs `assistant.exe args...` under wine (after the command
// prefix wrap, if any) and decodes its JSON report from stdout (wine's own
// messages go to stderr).
func runWine(t *testing.T, wrap []string, exe string, args ...string) report {
	t.Helper()
	var r report
	wineJSON(t, wrap, exe, &r, args...)
	return r
}

// wineJSON runs `assistant.exe args...` under wine and decodes the JSON
// it prints into v.
func wineJSON(t *testing.T, wrap []string, exe string, v any, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	argv := append(append(wrap, "wine", exe), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 10 * time.Second // should a wine process still hold the pipes
	err := cmd.Run()
	if jerr := json.Unmarshal(stdout.Bytes(), v); jerr != nil {
		t.Fatalf("wine %v: %v (exit: %v)\nstdout: %s\nstderr: %s", args, jerr, err, stdout.String(), stderr.String())
	}
}

// hostsFilesOnly returns a command prefix that runs a command in its own
// mount namespace where /etc/nsswitch.conf says `hosts: files`: a name
// missing from /etc/hosts is then "not found" (EAI_NONAME, WinSock 11001)
// without a query leaving the machine. It skips the test when mount
// namespaces are not available (not root).
//
// The missing host cannot use --resolver with faultpeer.DNS() here: Go
// (>= 1.23) sets SIO_UDP_NETRESET on every UDP socket on Windows, Wine 8
// answers WSAEOPNOTSUPP (10045), so Go's own resolver fails before it sends
// a query (dns-failure 11002). Lookups through the system (GetAddrInfoW)
// do work, and those honour nsswitch.conf.
func hostsFilesOnly(t *testing.T) []string {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "nsswitch.conf")
	if err := os.WriteFile(conf, []byte("passwd: files\ngroup: files\nhosts: files\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrap := []string{"unshare", "--mount", "sh", "-c", `mount --bind "$0" /etc/nsswitch.conf && exec "$@"`, conf}
	if out, err := exec.Command(wrap[0], append(wrap[1:], "true")...).CombinedOutput(); err != nil {
		t.Skipf("no mount namespace for a local-only name lookup (needs root): %v %s", err, out)
	}
	return wrap
}

// TestFaultsUnderWine runs `assistant.exe check --format json` against a
// reset in the greeting, a refused connect, a server that never greets and a name
// that does not exist (resolved on this machine only), and
// asserts each fault's kind, stage and WinSock code in the check it
// belongs to.
func TestFaultsUnderWine(t *testing.T) {
	exe := wineExe(t)

	// The reset comes halfway through the greeting: Wine 8 reports an RST
	// that reaches a recv still waiting for its first byte as a graceful
	// close (EOF) in about half the runs (SMTPResetAtHello, ...AtConnect),
	// one that follows received data always as WSAECONNRESET.
	reset, err := faultpeer.SMTP(faultpeer.SMTPOptions{Fault: faultpeer.SMTPResetAtGreeting})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reset.Close() })
	refusing, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	_, refusedPort, err := faultpeer.HostPort(refusing)
	if err != nil {
		t.Fatal(err)
	}
	silent, err := faultpeer.Listen(func(c net.Conn) { faultpeer.Silence(c, nil) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	cases := []struct {
		name    string
		host    string
		port    int
		local   bool // the name lookup must stay on this machine: hostsFilesOnly
		check   string
		kind    string
		stage   string
		winsock int
	}{
		{"reset", "127.0.0.1", reset.Port(), false, "smtp", "reset", "greeting", 10054},
		{"refused", "127.0.0.1", refusedPort, false, "tcp", "refused", "connect", 10061},
		{"silent", "127.0.0.1", silent.Port(), false, "smtp", "timeout", "greeting", 10060},
		{"missing-host", "nosuch.invalid", 25, true, "dns", "not-found", "resolve", 11001},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var wrap []string
			if c.local {
				wrap = hostsFilesOnly(t)
			}
			r := runWine(t, wrap, exe, "check", "--service", "smtp", "--host", c.host,
				"--port", strconv.Itoa(c.port), "--timeout", "3s", "--format", "json")
			for _, ch := range r.Checks {
				if ch.ID != c.check {
					continue
				}
				if ch.Fault == nil {
					t.Fatalf("check %s (%s) has no fault; report: %+v", ch.ID, ch.Status, r.Checks)
				}
				f := ch.Fault
				if f.Kind != c.kind || f.Stage != c.stage || f.Winsock != c.winsock {
					t.Errorf("check %s fault = %s/%s/%d, want %s/%s/%d", ch.ID, f.Kind, f.Stage, f.Winsock, c.kind, c.stage, c.winsock)
				}
				return
			}
			t.Fatalf("no %s check in the report: %+v", c.check, r.Checks)
		})
	}
}

// TestVersionUnderWine checks that the exe starts under wine and prints
// its stamped version to a redirected stdout.
func TestVersionUnderWine(t *testing.T) {
	exe := wineExe(t)
	cmd := exec.Command("wine", exe, "version")
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.Output()
	if err != nil || !bytes.Contains(out, []byte("Connection Assistant")) {
		t.Fatalf("wine assistant.exe version: %q, %v", out, err)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}

// TestPracticePortBlockedSaysWhyUnderWine checks that the Windows build
// names the one practice scenario it cannot run and says why (in both
// languages), instead of leaving it out without a word.
func TestPracticePortBlockedSaysWhyUnderWine(t *testing.T) {
	exe := wineExe(t)
	for lang, want := range map[string]string{"en": "Not available on this system", "ru": "Недоступно в этой системе"} {
		cmd := exec.Command("wine", exe, "check", "--practice", "smtp-port-blocked", "--lang", lang)
		cmd.WaitDelay = 10 * time.Second
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 || !bytes.Contains(stderr.Bytes(), []byte(want)) {
			t.Fatalf("%s: %v, stderr %q", lang, err, stderr.String())
		}
	}
}
