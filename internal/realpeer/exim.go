//go:build linux

package realpeer

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EximOptions shape an exim4 instance.
type EximOptions struct {
	// Cert is the certificate presented with TLS; empty: one from a new CA.
	Cert tls.Certificate
}

// EximServer is a running exim4 with three listeners. Server.Port is the
// 25-style port: STARTTLS offered, AUTH only after TLS, relaying denied
// (550 5.7.1) without authentication.
type EximServer struct {
	Server
	// Submission is the 587-style port: like Port, but a recipient without
	// authentication gets 530 5.7.0 (authentication required).
	Submission int
	// SMTPS is the 465-style port: TLS on connect, AUTH offered at once.
	SMTPS int
}

// eximUser is the unprivileged user Debian's exim4 switches to.
const eximUser = "Debian-exim"

// Exim starts exim4 (exim -bdf -C FILE) on three free loopback ports.
// Authenticators PLAIN and LOGIN accept User/Password once TLS is up; an
// authenticated recipient is accepted. It never delivers mail: every
// message is refused before DATA (550) and the configuration has no
// routers or transports, so nothing could leave even if one were accepted.
func Exim(t testing.TB, o EximOptions) *EximServer {
	t.Helper()
	needRoot(t)
	lookBinary(t, "exim4", "exim4-daemon-light")
	dir := tempDir(t, "exim")
	uid, gid := systemUser(t, eximUser, "install exim4-daemon-light")
	certFile, keyFile, ca := writeCertificate(t, dir, o.Cert)
	for _, sub := range []string{"spool", "log"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	// exim reads the key and writes spool and log as its own user.
	for _, p := range []string{keyFile, filepath.Join(dir, "spool"), filepath.Join(dir, "log")} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "exim.conf")
	d := daemon{pkg: "exim4-daemon-light", bin: "exim4", dir: dir, log: filepath.Join(dir, "log", "mainlog"),
		args: func(ports []int) ([]string, error) {
			text := fmt.Sprintf(eximConfig, ports[0], ports[1], ports[2], certFile, keyFile, dir, eximUser, User, Password)
			return []string{"-C", conf, "-bdf"}, os.WriteFile(conf, []byte(text), 0o644)
		}}
	ports, pid := start(t, d, 3)
	return &EximServer{
		Server: Server{Addr: addr(ports[0]), Port: ports[0], User: User, Password: Password,
			Dir: dir, CA: ca, PID: pid},
		Submission: ports[1],
		SMTPS:      ports[2],
	}
}

// eximConfig is the whole exim configuration; its verbs are, in order:
// plain, submission and smtps ports, certificate, key, directory, exim
// user, test user, test password.
const eximConfig = `primary_hostname = mail.realpeer.test
daemon_smtp_ports = %[1]d : %[2]d : %[3]d
local_interfaces = 127.0.0.1
tls_on_connect_ports = %[3]d
tls_certificate = %[4]s
tls_privatekey = %[5]s
tls_advertise_hosts = *
spool_directory = %[6]s/spool
log_file_path = %[6]s/log/%%slog
pid_file_path = %[6]s/exim.pid
exim_user = %[7]s
exim_group = %[7]s
never_users = root
keep_environment =
host_lookup =
rfc1413_hosts =
queue_only = true
acl_smtp_rcpt = acl_rcpt
acl_smtp_predata = acl_nomail
acl_smtp_data = acl_nomail

begin acl

acl_rcpt:
  accept authenticated = *
  deny condition = ${if eq{$received_port}{%[2]d}}
       message = 530 5.7.0 Authentication required
  deny message = 5.7.1 Relaying denied

acl_nomail:
  deny message = 5.7.1 This test server accepts no mail

begin routers

begin transports

begin authenticators

PLAIN:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if and{{eq{$auth2}{%[8]s}}{eq{$auth3}{%[9]s}}}}
  server_set_id = $auth2
  server_advertise_condition = ${if def:tls_in_cipher}

LOGIN:
  driver = plaintext
  public_name = LOGIN
  server_prompts = <| Username: | Password:
  server_condition = ${if and{{eq{$auth1}{%[8]s}}{eq{$auth2}{%[9]s}}}}
  server_set_id = $auth1
  server_advertise_condition = ${if def:tls_in_cipher}
`
