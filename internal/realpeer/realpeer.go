//go:build linux

// Package realpeer starts Debian's real servers — vsftpd, exim4 and dovecot —
// on loopback for the tests, so that the checks meet the replies, quirks and
// TLS stacks of the daemons users actually run.
//
// Each constructor writes a configuration into a fresh temporary directory,
// picks free high ports on 127.0.0.1, runs the daemon in the foreground
// (vsftpd background=NO, exim4 -bdf, dovecot -F) in its own process group,
// waits until every port listens, and stops the group by PID in t.Cleanup
// (SIGTERM, then SIGKILL). When a test fails, the daemon's log is written to
// the test log. Nothing is installed and no system service is touched.
//
// The daemons need root (they switch users); a constructor calls t.Skip when
// the process is not root or when the daemon's binary is missing, naming the
// Debian package to install (see .ci/apt-packages.txt).
//
// TLS: every daemon presents a certificate for "localhost" and 127.0.0.1
// issued by a throw-away faultpeer.CA; pass Server.CA.Pool as
// checks.Options.RootCAs to trust it, or set the options' Cert to present
// another certificate (Server.CA is then nil).
//
// Accounts: exim4 and dovecot check the fixed test account User/Password
// themselves (exim plaintext authenticators, a dovecot passwd-file). vsftpd
// logs in local system users through PAM, so the first vsftpd start creates
// the system user "realpeer" (see ensureFTPUser) and sets its password.
package realpeer

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"assistant/faultpeer"
)

// The fixed test account every daemon accepts.
const (
	User     = "realpeer"
	Password = "Rp-test-pw-7"
)

// Server describes a running daemon.
type Server struct {
	// Addr is "127.0.0.1:Port", the daemon's main (plain or only) listener.
	Addr string
	Port int
	// User and Password are the test account (the package's User, Password).
	User, Password string
	// Dir is the daemon's temporary directory (vsftpd: the FTP root the
	// test user lands in).
	Dir string
	// CA issued the daemon's certificate; nil when Cert was given or the
	// daemon has no TLS.
	CA *faultpeer.CA
	// PID is the daemon's master process.
	PID int
}

// startTimeout bounds how long a daemon may take to listen.
const startTimeout = 10 * time.Second

// daemon is one foreground process to start.
type daemon struct {
	pkg  string // the Debian package that installs bin
	bin  string // binary name, looked up in PATH and /usr/sbin
	dir  string // the temporary directory
	log  string // file the daemon logs to besides stdout/stderr (optional)
	args func(ports []int) ([]string, error)
}

// needRoot skips the test unless the process runs as root.
func needRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("realpeer: the real daemons need root (they switch users); run the tests as root")
	}
}

// lookBinary returns the path of a daemon binary or skips the test.
func lookBinary(t testing.TB, bin, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(bin); err == nil {
		return p
	}
	for _, d := range []string{"/usr/sbin", "/sbin"} {
		p := filepath.Join(d, bin)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	t.Skipf("realpeer: %s not found; install the Debian package %s (see .ci/apt-packages.txt)", bin, pkg)
	return ""
}

// tempDir makes a short directory under /tmp (dovecot's unix sockets need
// short paths) that the daemons' unprivileged users may traverse, removed in
// t.Cleanup after the daemon stopped.
func tempDir(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "realpeer-"+name+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o711); err != nil {
		t.Fatal(err)
	}
	return dir
}

// certificate returns cert, or a new CA and a leaf for localhost and
// 127.0.0.1 when cert is empty.
func certificate(t testing.TB, cert tls.Certificate) (tls.Certificate, *faultpeer.CA) {
	t.Helper()
	if len(cert.Certificate) > 0 {
		return cert, nil
	}
	cert, ca, err := faultpeer.NewServerCert("realpeer", faultpeer.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cert, ca
}

// writeFile writes a file with the given mode or fails the test.
func writeFile(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// freePorts returns n distinct free TCP ports on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// start runs d with n free ports and returns the ports and the master PID
// once every port listens. A daemon that exits before (another process took
// a port in between) is retried with new ports.
func start(t testing.TB, d daemon, n int) ([]int, int) {
	t.Helper()
	path := lookBinary(t, d.bin, d.pkg)
	out := filepath.Join(d.dir, d.bin+".out")
	t.Cleanup(func() {
		if t.Failed() {
			for _, f := range []string{out, d.log} {
				if b, err := os.ReadFile(f); err == nil && f != "" {
					t.Logf("realpeer: %s:\n%s", f, b)
				}
			}
		}
	})
	var lastErr error
	for range 3 {
		ports, err := freePorts(n)
		if err != nil {
			t.Fatal(err)
		}
		args, err := d.args(ports)
		if err != nil {
			t.Fatal(err)
		}
		pid, err := spawn(t, path, args, out, ports)
		if err == nil {
			return ports, pid
		}
		lastErr = err
	}
	t.Fatalf("realpeer: %s did not start: %v", d.bin, lastErr)
	return nil, 0
}

// spawn starts one process in its own group, registers its stop, and waits
// until the ports listen.
func spawn(t testing.TB, path string, args []string, out string, ports []int) (int, error) {
	logf, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	defer logf.Close()
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	pid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop := func() {
		syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-pid, syscall.SIGKILL)
			<-done
		}
		// Children the master did not take down with it.
		syscall.Kill(-pid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case err := <-done:
			done <- err
			stop()
			return 0, fmt.Errorf("exited before listening: %v (log: %s)", err, out)
		default:
		}
		if listening(ports) {
			t.Cleanup(stop)
			return pid, nil
		}
		if time.Now().After(deadline) {
			stop()
			return 0, fmt.Errorf("ports %v not listening after %v (log: %s)", ports, startTimeout, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// listening reports whether every port has a listening socket on
// 127.0.0.1, read from /proc/net/tcp so that no test connection is used up
// (vsftpd's max_clients counts every connection).
func listening(ports []int) bool {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return false
	}
	defer f.Close()
	found := map[int]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || fields[3] != "0A" { // 0A: TCP_LISTEN
			continue
		}
		ip, port, ok := strings.Cut(fields[1], ":")
		if !ok || (ip != "0100007F" && ip != "00000000") {
			continue
		}
		if p, err := strconv.ParseUint(port, 16, 16); err == nil {
			found[int(p)] = true
		}
	}
	for _, p := range ports {
		if !found[p] {
			return false
		}
	}
	return true
}

// addr is "127.0.0.1:port".
func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// systemUser returns a system user's uid and gid; the test is skipped
// when the user does not exist (hint says which package creates it).
func systemUser(t testing.TB, name, hint string) (uid, gid int) {
	t.Helper()
	u, err := user.Lookup(name)
	if err != nil {
		t.Skipf("realpeer: no user %s %s: %v", name, hint, err)
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid
}

// writeCertificate writes the server's certificate and key (cert, or a
// fresh one from a CA of its own) as PEM files into dir.
func writeCertificate(t testing.TB, dir string, cert tls.Certificate) (certFile, keyFile string, ca *faultpeer.CA) {
	t.Helper()
	cert, ca = certificate(t, cert)
	certFile, keyFile, err := faultpeer.WritePEM(dir, cert)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, ca
}
