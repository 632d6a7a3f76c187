//go:build linux

package realpeer

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// DovecotOptions shape a dovecot instance.
type DovecotOptions struct {
	// Cert is the certificate presented with TLS; empty: one from a new CA.
	Cert tls.Certificate
}

// DovecotServer is a running dovecot with IMAP and POP3 listeners. Server.Port
// equals IMAP.
type DovecotServer struct {
	Server
	IMAP  int // 143-style: STARTTLS offered
	IMAPS int // 993-style: TLS on connect
	POP3  int // 110-style: STLS offered
	POP3S int // 995-style: TLS on connect
}

// mailUser owns the test user's (empty) mailbox.
const mailUser = "nobody"

// Dovecot starts dovecot (dovecot -F -c FILE) on four free loopback ports
// with one passwd-file user, User/Password, and an empty Maildir. Logins
// are delayed by dovecot's auth penalty after a failed one from the same
// address (seconds, growing): give each wrong-password test its own
// instance. auth_failure_delay is 0, so the failure itself is answered at
// once. Dovecot counts 127.0.0.1 as secure, so plaintext logins are
// allowed before TLS, as disable_plaintext_auth=no makes explicit.
func Dovecot(t testing.TB, o DovecotOptions) *DovecotServer {
	t.Helper()
	needRoot(t)
	lookBinary(t, "dovecot", "dovecot-imapd")
	dir := tempDir(t, "dove")
	uid, gid := systemUser(t, mailUser, "")
	certFile, keyFile, ca := writeCertificate(t, dir, o.Cert)
	mail := filepath.Join(dir, "mail")
	if err := os.Mkdir(mail, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(mail, uid, gid); err != nil {
		t.Fatal(err)
	}
	passwd := filepath.Join(dir, "passwd")
	writeFile(t, passwd, fmt.Sprintf("%s:{PLAIN}%s\n", User, Password), 0o644)
	conf := filepath.Join(dir, "dovecot.conf")
	d := daemon{pkg: "dovecot-imapd", bin: "dovecot", dir: dir,
		args: func(ports []int) ([]string, error) {
			text := fmt.Sprintf(dovecotConfig, dir, certFile, keyFile, passwd, mailUser, gid, mail,
				ports[0], ports[1], ports[2], ports[3])
			return []string{"-F", "-c", conf}, os.WriteFile(conf, []byte(text), 0o644)
		}}
	if _, err := os.Stat("/usr/lib/dovecot/pop3"); err != nil {
		t.Skip("realpeer: dovecot's POP3 server is missing; install the Debian package dovecot-pop3d")
	}
	ports, pid := start(t, d, 4)
	return &DovecotServer{
		Server: Server{Addr: addr(ports[0]), Port: ports[0], User: User, Password: Password,
			Dir: dir, CA: ca, PID: pid},
		IMAP: ports[0], IMAPS: ports[1], POP3: ports[2], POP3S: ports[3],
	}
}

// dovecotConfig is the whole dovecot configuration; its verbs are, in
// order: directory, certificate, key, passwd-file, mail uid and gid, mail
// home, imap, imaps, pop3 and pop3s ports.
const dovecotConfig = `base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = /dev/stderr
protocols = imap pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[2]s
ssl_key = <%[3]s
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[4]s
}
userdb {
  driver = static
  args = uid=%[5]s gid=%[6]d home=%[7]s/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[8]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[9]d
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = %[10]d
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = %[11]d
    ssl = yes
  }
}
`
