// Package practice starts ready-made broken servers on loopback so that a
// user or a trainer without a broken server of their own can see the
// assistant at work: port 25 blocked, the wrong SSL setting, a reset, 421
// too many connections, passive FTP blocked, an upload reset midway, ...
// Each scenario starts faultpeer's peers (the very peers the tests use)
// and gives the account to check. It is a package of its own because the
// window (practice mode), the command line (`assistant lab`, `check
// --practice`) and the documentation examples all use it, and because it
// runs servers, which neither wizard (words) nor checks (probes) should.
package practice

import (
	"crypto/tls"
	"errors"
	"io"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// ID names a scenario; its title and description are the texts
// practice.<id>.title and practice.<id>.about of package wizard.
type ID string

// The scenarios.
const (
	SMTPPortBlocked    ID = "smtp-port-blocked"
	SMTPWrongSSL       ID = "smtp-wrong-ssl"
	SMTPReset          ID = "smtp-reset"
	SMTPAntivirus      ID = "smtp-antivirus"
	SMTPServiceDown    ID = "smtp-service-down"
	POP3WrongPassword  ID = "pop3-wrong-password"
	IMAPHealthy        ID = "imap-healthy"
	FTPBusy            ID = "ftp-busy"
	FTPPassiveBlocked  ID = "ftp-passive-blocked"
	FTPUploadReset     ID = "ftp-upload-reset"
	FTPForeignPassive  ID = "ftp-foreign-pasv"
	SMTPStartTLSAbsent ID = "smtp-no-starttls"
	SMTPProviderServer ID = "smtp-provider-settings"
	FTPServerRestarted ID = "ftp-server-restarted"
)

// timeout is the per-step limit of practice checks: short, so a timeout
// scenario ends quickly, and long enough for a loaded machine.
const timeout = 3 * time.Second

// Lab is a started scenario: the account to check and the run options
// that point the checks at the lab's own peers (its trusted test CA, its
// stand-ins for the service's other standard ports).
type Lab struct {
	ID      ID
	Target  checks.Target
	Options checks.Options
	closers []io.Closer
}

// Close stops the scenario's servers.
func (l *Lab) Close() error {
	var errs []error
	for i := len(l.closers) - 1; i >= 0; i-- {
		errs = append(errs, l.closers[i].Close())
	}
	return errors.Join(errs...)
}

// IDs lists the scenarios this system can run, in display order.
func IDs() []ID {
	var ids []ID
	for _, s := range catalog {
		if s.start != nil {
			ids = append(ids, s.id)
		}
	}
	return ids
}

// All lists every scenario, in display order, also those this system
// cannot run: the window shows them with the reason (Available).
func All() []ID {
	ids := make([]ID, len(catalog))
	for i, s := range catalog {
		ids[i] = s.id
	}
	return ids
}

// Available reports whether this system can run the scenario. A scenario
// that is not available has the text practice.<id>.unavailable saying why.
func Available(id ID) bool {
	for _, s := range catalog {
		if s.id == id {
			return s.start != nil
		}
	}
	return false
}

// Service is the kind of server a scenario runs.
func Service(id ID) checks.Service {
	for _, s := range catalog {
		if s.id == id {
			return s.service
		}
	}
	return ""
}

// ErrUnknown is returned by Start for an ID that is not a scenario.
var ErrUnknown = errors.New("practice: no such scenario")

// ErrUnavailable is returned by Start for a scenario this system cannot run.
var ErrUnavailable = errors.New("practice: the scenario cannot run on this system")

// Start starts a scenario's servers on 127.0.0.1.
func Start(id ID) (*Lab, error) {
	for _, s := range catalog {
		if s.id == id && s.start != nil {
			l := &Lab{ID: id}
			if err := s.start(l); err != nil {
				l.Close()
				return nil, err
			}
			l.Target.Timeout = timeout
			return l, nil
		}
		if s.id == id {
			return nil, ErrUnavailable
		}
	}
	return nil, ErrUnknown
}

type scenario struct {
	id      ID
	service checks.Service
	start   func(l *Lab) error
}

// catalog holds every scenario; a nil start means this system cannot run
// it (see blackhole_*.go).
var catalog = []scenario{
	{SMTPPortBlocked, checks.SMTP, startPortBlocked},
	{SMTPWrongSSL, checks.SMTP, func(l *Lab) error {
		p, err := l.keep(faultpeer.SMTP(faultpeer.SMTPOptions{}))
		if err != nil {
			return err
		}
		l.Target = checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: p.Port(), Security: checks.SecurityTLS}
		return l.otherPorts()
	}},
	{SMTPReset, checks.SMTP, func(l *Lab) error { return l.smtp(faultpeer.SMTPResetAtHello) }},
	{SMTPAntivirus, checks.SMTP, func(l *Lab) error {
		cfg, err := l.tls("Kaspersky Lab ZAO")
		if err != nil {
			return err
		}
		p, err := l.keep(faultpeer.SMTP(faultpeer.SMTPOptions{TLS: cfg, Implicit: true}))
		if err != nil {
			return err
		}
		l.Target = checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: p.Port(), Security: checks.SecurityTLS}
		return l.otherPorts()
	}},
	{SMTPStartTLSAbsent, checks.SMTP, func(l *Lab) error {
		cfg, err := l.tls("Practice CA")
		if err != nil {
			return err
		}
		p, err := l.keep(faultpeer.SMTP(faultpeer.SMTPOptions{Fault: faultpeer.SMTPNoStartTLS, TLS: cfg}))
		if err != nil {
			return err
		}
		l.Target = checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: p.Port(), Security: checks.SecurityStartTLS,
			User: faultpeer.SMTPUser, Secret: checks.NewSecret(faultpeer.SMTPPassword)}
		return l.otherPorts()
	}},
	{SMTPServiceDown, checks.SMTP, func(l *Lab) error {
		port, err := faultpeer.RefusingPort()
		if err != nil {
			return err
		}
		l.Target = checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: port}
		return l.otherPorts()
	}},
	{POP3WrongPassword, checks.POP3, func(l *Lab) error {
		p, err := l.keep(faultpeer.POP3(faultpeer.MailOptions{Fault: faultpeer.MailBadPassword}))
		if err != nil {
			return err
		}
		l.Target = checks.Target{Service: checks.POP3, Host: "127.0.0.1", Port: p.Port(), User: faultpeer.MailUser,
			Secret: checks.NewSecret("not-the-password")}
		return l.otherPorts()
	}},
	{IMAPHealthy, checks.IMAP, func(l *Lab) error {
		p, err := l.keep(faultpeer.IMAP(faultpeer.MailOptions{}))
		if err != nil {
			return err
		}
		l.Target = checks.Target{Service: checks.IMAP, Host: "127.0.0.1", Port: p.Port(), User: faultpeer.MailUser,
			Secret: checks.NewSecret(faultpeer.MailPassword)}
		return l.otherPorts()
	}},
	{SMTPProviderServer, checks.SMTP, startProviderSettings},
	{FTPBusy, checks.FTP, func(l *Lab) error { return l.ftp(faultpeer.FTPOptions{Busy: true}, 0) }},
	{FTPPassiveBlocked, checks.FTP, func(l *Lab) error {
		return l.ftp(faultpeer.FTPOptions{Passive: faultpeer.PassiveRefuse}, 0)
	}},
	{FTPUploadReset, checks.FTP, func(l *Lab) error { return l.ftp(faultpeer.FTPOptions{ResetAfter: 512 << 10}, 4<<20) }},
	{FTPForeignPassive, checks.FTP, func(l *Lab) error {
		return l.ftp(faultpeer.FTPOptions{ForeignPASV: "192.0.2.1"}, 0)
	}},
	{FTPServerRestarted, checks.FTP, startRestarted},
}

// keep registers a started peer for Close.
func (l *Lab) keep(p *faultpeer.Peer, err error) (*faultpeer.Peer, error) {
	if err == nil {
		l.closers = append(l.closers, p)
	}
	return p, err
}

// tls makes a server configuration whose certificate comes from a CA named
// org, trusted by the lab's checks.
func (l *Lab) tls(org string) (*tls.Config, error) {
	cert, ca, err := faultpeer.NewServerCert(org, faultpeer.LeafOptions{})
	if err != nil {
		return nil, err
	}
	l.Options.RootCAs = ca.Pool
	return faultpeer.ServerConfig(cert), nil
}

func (l *Lab) smtp(f faultpeer.SMTPFault) error {
	p, err := l.keep(faultpeer.SMTP(faultpeer.SMTPOptions{Fault: f}))
	if err != nil {
		return err
	}
	l.Target = checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: p.Port()}
	return l.otherPorts()
}

func (l *Lab) ftp(o faultpeer.FTPOptions, size int64) error {
	p, err := l.keep(faultpeer.FTP(o))
	if err != nil {
		return err
	}
	l.Target = checks.Target{Service: checks.FTP, Host: "127.0.0.1", Port: p.Port(), User: faultpeer.FTPUser,
		Secret: checks.NewSecret(faultpeer.FTPPassword), TransferSize: size}
	return l.otherPorts()
}

// otherPorts stands in for the service's other standard ports (and, for
// FTP, the SSH port), which a lab on 127.0.0.1 cannot bind: closed ports,
// so that only the lab's own servers answer.
func (l *Lab) otherPorts() error {
	if l.Options.Ports != nil {
		return nil
	}
	if l.Target.Service == checks.FTP {
		port, err := faultpeer.RefusingPort()
		if err != nil {
			return err
		}
		l.Options.SSHPort = port
	}
	l.Options.Ports = []checks.StandardPort{}
	for _, sp := range checks.StandardPorts(l.Target.Service) {
		if sp.Security == l.Target.Security {
			continue
		}
		port, err := faultpeer.RefusingPort()
		if err != nil {
			return err
		}
		l.Options.Ports = append(l.Options.Ports, checks.StandardPort{Port: port, Security: sp.Security})
	}
	return nil
}
