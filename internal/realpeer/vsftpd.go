//go:build linux

package realpeer

import (
	"crypto/tls"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"assistant/faultpeer"
)

// VsftpdOptions shape a vsftpd instance. The zero value is a plain FTP
// server allowing both passive and active data connections.
type VsftpdOptions struct {
	PassiveOnly bool // port_enable=NO: PORT/EPRT refused
	ActiveOnly  bool // pasv_enable=NO: PASV/EPSV answered 550
	// DenyDelete sets cmds_denied=DELE: DELE is answered "550 Permission
	// denied." and the file stays, as on an upload-only account.
	DenyDelete bool
	// MaxClients > 0 sets max_clients: one connection more is greeted 421.
	MaxClients int
	// MaxPerIP > 0 sets max_per_ip: one connection more from the same
	// address is greeted "421 There are too many connections from your
	// internet address."
	MaxPerIP int
	// IdleTimeout > 0 sets idle_session_timeout (seconds): an idle session
	// is told "421 Timeout." and closed.
	IdleTimeout int
	// PasvAddress makes 227 replies name this address (pasv_address).
	PasvAddress string
	ExplicitTLS bool // ssl_enable=YES: AUTH TLS on the plain port
	ImplicitTLS bool // implicit_ssl=YES: TLS from the first byte (990-style)
	// Cert is the certificate presented with TLS; empty: one from a new CA.
	Cert tls.Certificate
}

// ftpUserComment marks the system user this package created, so that a user
// of the same name that belongs to someone else is never changed.
const ftpUserComment = "assistant realpeer test user"

// Vsftpd starts vsftpd on a free loopback port. The test user lands in
// Server.Dir, an empty writable directory; uploads are allowed.
func Vsftpd(t testing.TB, o VsftpdOptions) *Server {
	t.Helper()
	needRoot(t)
	lookBinary(t, "vsftpd", "vsftpd")
	ensureFTPUser(t)
	dir := tempDir(t, "ftp")
	root := filepath.Join(dir, "root")
	u, err := user.Lookup(User)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(root, uid, gid); err != nil {
		t.Fatal(err)
	}
	srv := &Server{User: User, Password: Password, Dir: root}
	conf := filepath.Join(dir, "vsftpd.conf")
	d := daemon{pkg: "vsftpd", bin: "vsftpd", dir: dir, log: filepath.Join(dir, "vsftpd.log"),
		args: func(ports []int) ([]string, error) {
			lines := []string{
				"listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1",
				"listen_port=" + strconv.Itoa(ports[0]), "background=NO",
				"anonymous_enable=NO", "local_enable=YES", "write_enable=YES", "local_umask=022",
				"local_root=" + root,
				// A PAM service without a file falls back to /etc/pam.d/other
				// (pam_unix, no pam_shells), so the user needs no login shell.
				"pam_service_name=realpeer-ftp",
				"seccomp_sandbox=NO", "xferlog_enable=NO", "syslog_enable=NO",
				"dual_log_enable=NO", "vsftpd_log_file=" + filepath.Join(dir, "vsftpd.log"),
				"connect_from_port_20=NO", "port_promiscuous=NO",
			}
			if o.PassiveOnly {
				lines = append(lines, "port_enable=NO")
			}
			if o.ActiveOnly {
				lines = append(lines, "pasv_enable=NO")
			}
			if o.DenyDelete {
				lines = append(lines, "cmds_denied=DELE")
			}
			if o.MaxClients > 0 {
				lines = append(lines, "max_clients="+strconv.Itoa(o.MaxClients))
			}
			if o.IdleTimeout > 0 {
				lines = append(lines, "idle_session_timeout="+strconv.Itoa(o.IdleTimeout))
			}
			if o.MaxPerIP > 0 {
				lines = append(lines, "max_per_ip="+strconv.Itoa(o.MaxPerIP))
			}
			if o.PasvAddress != "" {
				lines = append(lines, "pasv_address="+o.PasvAddress, "pasv_addr_resolve=NO")
			}
			if o.ExplicitTLS || o.ImplicitTLS {
				cert, ca := certificate(t, o.Cert)
				srv.CA = ca
				certFile, keyFile, err := faultpeer.WritePEM(dir, cert)
				if err != nil {
					return nil, err
				}
				lines = append(lines, "ssl_enable=YES", "rsa_cert_file="+certFile,
					"rsa_private_key_file="+keyFile, "ssl_ciphers=HIGH",
					"force_local_logins_ssl=NO", "force_local_data_ssl=NO")
				if o.ImplicitTLS {
					lines = append(lines, "implicit_ssl=YES")
				}
			}
			return []string{conf}, os.WriteFile(conf, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
		}}
	ports, pid := start(t, d, 1)
	srv.Port, srv.Addr, srv.PID = ports[0], addr(ports[0]), pid
	return srv
}

// ensureFTPUser makes sure the system user "realpeer" exists with the test
// password: a system account without home (home "/", which vsftpd enters
// before local_root) and with the shell /usr/sbin/nologin, so the known
// password opens no shell. It is idempotent and serialized across test
// processes by a lock file; a user of that name not created by this package
// (other comment field) is left alone and the test is skipped.
func ensureFTPUser(t testing.TB) {
	t.Helper()
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "realpeer-user.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	u, err := user.Lookup(User)
	switch {
	case err == nil && u.Name != ftpUserComment:
		t.Skipf("realpeer: a system user %q exists that this package did not create; not touching it", User)
	case err != nil:
		if err := command("useradd", "--system", "--no-create-home", "--home-dir", "/",
			"--shell", "/usr/sbin/nologin", "--comment", ftpUserComment, User); err != nil {
			t.Skipf("realpeer: cannot create the FTP test user: %v", err)
		}
	}
	if err := commandInput(User+":"+Password+"\n", "chpasswd"); err != nil {
		t.Fatalf("realpeer: cannot set the FTP test user's password: %v", err)
	}
}

// command runs a system tool; its error includes the tool's output.
func command(name string, args ...string) error { return commandInput("", name, args...) }

// commandInput runs a system tool with stdin; its error includes the tool's output.
func commandInput(stdin, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v: %s", name, err, out)
	}
	return nil
}
