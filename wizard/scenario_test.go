package wizard_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/wizard"
)

// The scenarios below run the real checks against peers on loopback and
// assert the top finding: one scenario for every cause of causes.md that
// loopback can produce. The three that need a filtered or throttled
// network (port-blocked, network-unreachable, transfer-slow) are in
// package checks' namespace tests.

const scenarioTimeout = 1500 * time.Millisecond

// scenario is a target against started peers, and what the diagnosis must say.
type scenario struct {
	name    string
	want    wizard.Cause
	target  func(t *testing.T) (checks.Target, checks.Options)
	repeat  int
	service checks.Service
}

// peer takes a started faultpeer, failing the test on error, and closes
// it when the test ends: peer(t)(faultpeer.SMTP(...)).
func peer(t *testing.T) func(*faultpeer.Peer, error) *faultpeer.Peer {
	return func(p *faultpeer.Peer, err error) *faultpeer.Peer {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		return p
	}
}

// refused returns a loopback port where nothing listens.
func refused(t *testing.T) int {
	t.Helper()
	port, err := faultpeer.RefusingPort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// tlsPeerConfig is a server TLS config from a CA named org, with leaf options.
func tlsPeerConfig(t *testing.T, org string, o faultpeer.LeafOptions) (*tls.Config, *checks.Options) {
	t.Helper()
	cert, ca, err := faultpeer.NewServerCert(org, o)
	if err != nil {
		t.Fatal(err)
	}
	return faultpeer.ServerConfig(cert), &checks.Options{RootCAs: ca.Pool}
}

// only probes the given standard ports instead of the real ones.
func only(ports ...checks.StandardPort) checks.Options { return checks.Options{Ports: ports} }

func smtpAt(p *faultpeer.Peer, sec checks.Security, user string) checks.Target {
	t := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: p.Port(), Security: sec, Timeout: scenarioTimeout}
	if user != "" {
		t.User, t.Secret = user, checks.NewSecret(faultpeer.SMTPPassword)
	}
	return t
}

func smtpFault(f faultpeer.SMTPFault) func(t *testing.T) (checks.Target, checks.Options) {
	return func(t *testing.T) (checks.Target, checks.Options) {
		p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{Fault: f}))
		return smtpAt(p, checks.SecurityNone, ""), only(checks.StandardPort{Port: refused(t)})
	}
}

func ftpWith(o faultpeer.FTPOptions, mode checks.FTPMode, size int64) func(t *testing.T) (checks.Target, checks.Options) {
	return func(t *testing.T) (checks.Target, checks.Options) {
		p := peer(t)(faultpeer.FTP(o))
		return checks.Target{Service: checks.FTP, Host: "127.0.0.1", Port: p.Port(), FTPMode: mode, User: faultpeer.FTPUser,
			Secret: checks.NewSecret(faultpeer.FTPPassword), TransferSize: size, Timeout: scenarioTimeout}, only(checks.StandardPort{Port: refused(t)})
	}
}

// alternating serves even connections from a healthy SMTP peer and resets
// odd ones: a server that crashes and restarts between runs.
func alternating(t *testing.T) (checks.Target, checks.Options) {
	healthy := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{}))
	var n atomic.Int64
	var wg sync.WaitGroup
	front := peer(t)(faultpeer.Listen(func(c net.Conn) {
		if n.Add(1)%2 == 0 {
			faultpeer.Reset(c)
			return
		}
		back, err := net.Dial("tcp", healthy.Addr())
		if err != nil {
			return
		}
		defer back.Close()
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = io.Copy(back, c); back.(*net.TCPConn).CloseWrite() }()
		_, _ = io.Copy(c, back)
		wg.Wait()
	}))
	return smtpAt(front, checks.SecurityNone, ""), only(checks.StandardPort{Port: refused(t)})
}

func scenarios() []scenario {
	return []scenario{
		{name: "empty host", want: wizard.HostMissing, target: func(t *testing.T) (checks.Target, checks.Options) {
			return checks.Target{Service: checks.SMTP, Host: "  ", Timeout: scenarioTimeout}, checks.Options{}
		}},
		{name: "host with scheme and path", want: wizard.HostMalformed, target: func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{}))
			tg := smtpAt(p, checks.SecurityNone, "")
			tg.Host = " smtp://127.0.0.1/mail "
			return tg, only(checks.StandardPort{Port: refused(t)})
		}},
		{name: "no such name", want: wizard.DNSNotFound, target: func(t *testing.T) (checks.Target, checks.Options) {
			d, err := faultpeer.DNS()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			return checks.Target{Service: checks.IMAP, Host: "nosuch.test.", Resolver: d.Addr, Timeout: scenarioTimeout}, checks.Options{}
		}},
		{name: "resolver fails", want: wizard.DNSFailure, target: func(t *testing.T) (checks.Target, checks.Options) {
			d, err := faultpeer.DNS()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			return checks.Target{Service: checks.IMAP, Host: "fail.test.", Resolver: d.Addr, Timeout: scenarioTimeout}, checks.Options{}
		}},
		{name: "every port refuses", want: wizard.ServiceDown, target: func(t *testing.T) (checks.Target, checks.Options) {
			return checks.Target{Service: checks.POP3, Host: "127.0.0.1", Port: refused(t), Timeout: scenarioTimeout},
				only(checks.StandardPort{Port: refused(t), Security: checks.SecurityTLS})
		}},
		{name: "another standard port answers", want: wizard.WrongPort, target: func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{}))
			return checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: refused(t), Timeout: scenarioTimeout},
				only(checks.StandardPort{Port: p.Port(), Security: checks.SecurityNone})
		}},
		{name: "TLS to a plain port", want: wizard.SecurityMismatch, target: func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{}))
			return smtpAt(p, checks.SecurityTLS, ""), only(checks.StandardPort{Port: refused(t)})
		}},
		{name: "STARTTLS not offered", want: wizard.StartTLSUnavailable, target: func(t *testing.T) (checks.Target, checks.Options) {
			cfg, opt := tlsPeerConfig(t, "Test CA", faultpeer.LeafOptions{})
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{Fault: faultpeer.SMTPNoStartTLS, TLS: cfg}))
			opt.Ports = []checks.StandardPort{{Port: refused(t)}}
			return smtpAt(p, checks.SecurityStartTLS, faultpeer.SMTPUser), *opt
		}},
		{name: "expired certificate", want: wizard.TLSCertificate, target: func(t *testing.T) (checks.Target, checks.Options) {
			cfg, opt := tlsPeerConfig(t, "Test CA", faultpeer.LeafOptions{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{TLS: cfg, Implicit: true}))
			opt.Ports = []checks.StandardPort{{Port: refused(t)}}
			return smtpAt(p, checks.SecurityTLS, ""), *opt
		}},
		{name: "antivirus interception", want: wizard.TLSIntercepted, target: func(t *testing.T) (checks.Target, checks.Options) {
			cfg, opt := tlsPeerConfig(t, "Kaspersky Lab ZAO", faultpeer.LeafOptions{})
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{TLS: cfg, Implicit: true}))
			opt.Ports = []checks.StandardPort{{Port: refused(t)}}
			return smtpAt(p, checks.SecurityTLS, ""), *opt
		}},
		{name: "no common TLS version", want: wizard.TLSHandshake, target: func(t *testing.T) (checks.Target, checks.Options) {
			cfg, opt := tlsPeerConfig(t, "Test CA", faultpeer.LeafOptions{})
			cfg.MaxVersion = tls.VersionTLS11
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{TLS: cfg, Implicit: true}))
			opt.Ports = []checks.StandardPort{{Port: refused(t)}}
			return smtpAt(p, checks.SecurityTLS, ""), *opt
		}},
		{name: "silent server", want: wizard.GreetingTimeout, target: smtpFault(faultpeer.SMTPSilent)},
		{name: "reset after EHLO", want: wizard.ConnectionReset, target: smtpFault(faultpeer.SMTPResetAtHello)},
		{name: "close after greeting", want: wizard.ConnectionAborted, target: smtpFault(faultpeer.SMTPCloseAfterGreeting)},
		{name: "421 greeting", want: wizard.ServerBusy, target: smtpFault(faultpeer.SMTPBusy)},
		{name: "wrong password", want: wizard.AuthFailed, target: func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.POP3(faultpeer.MailOptions{Fault: faultpeer.MailBadPassword}))
			return checks.Target{Service: checks.POP3, Host: "127.0.0.1", Port: p.Port(), User: faultpeer.MailUser,
				Secret: checks.NewSecret("wrong"), Timeout: scenarioTimeout}, only(checks.StandardPort{Port: refused(t)})
		}},
		{name: "relay needs login", want: wizard.AuthRequired, target: func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{Relay: faultpeer.RelayAuth}))
			return smtpAt(p, checks.SecurityNone, ""), only(checks.StandardPort{Port: refused(t)})
		}},
		{name: "no login offered", want: wizard.AuthUnavailable, target: func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{Fault: faultpeer.SMTPNoAuth}))
			return smtpAt(p, checks.SecurityNone, faultpeer.SMTPUser), only(checks.StandardPort{Port: refused(t)})
		}},
		{name: "passive port refused", want: wizard.FTPPassiveBlocked,
			target: ftpWith(faultpeer.FTPOptions{Passive: faultpeer.PassiveRefuse}, checks.FTPBoth, 0)},
		{name: "server cannot connect back", want: wizard.FTPActiveBlocked,
			target: ftpWith(faultpeer.FTPOptions{ActiveFail: true}, checks.FTPBoth, 0)},
		{name: "PASV names a foreign address", want: wizard.FTPPasvAddress,
			target: ftpWith(faultpeer.FTPOptions{ForeignPASV: "192.0.2.1"}, checks.FTPPassive, 0)},
		{name: "PASV refused by policy", want: wizard.FTPModeRefused,
			target: ftpWith(faultpeer.FTPOptions{PassiveRefused: true}, checks.FTPPassive, 0)},
		{name: "upload reset midway", want: wizard.TransferInterrupted,
			target: ftpWith(faultpeer.FTPOptions{ResetAfter: 256 << 10}, checks.FTPPassive, 2<<20)},
		{name: "resets every other run", want: wizard.Intermittent, repeat: 3, target: alternating},
		{name: "healthy server", want: wizard.NoProblemFound, target: func(t *testing.T) (checks.Target, checks.Options) {
			p := peer(t)(faultpeer.SMTP(faultpeer.SMTPOptions{}))
			return smtpAt(p, checks.SecurityNone, ""), only(checks.StandardPort{Port: refused(t)})
		}},
	}
}

func TestScenarioTopFinding(t *testing.T) {
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			tg, opt := sc.target(t)
			rep, err := wizard.Check(context.Background(), wizard.RunSpec{Target: tg, Options: opt, Repeat: sc.repeat, Interval: 10 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) == 0 {
				t.Fatal("no findings")
			}
			top := rep.Findings[0]
			if top.Cause != sc.want {
				var got []string
				for _, f := range rep.Findings {
					got = append(got, string(f.Cause)+"/"+string(f.Confidence))
				}
				var checksSeen []string
				for _, r := range rep.Results {
					checksSeen = append(checksSeen, string(r.ID)+":"+string(r.Status)+" "+faultString(r.Fault))
				}
				t.Fatalf("top finding %s, want %s; findings %v; checks %v", top.Cause, sc.want, got, checksSeen)
			}
			for _, l := range wizard.Langs {
				texts := append([]string{top.Title(l), top.Explanation(l)}, top.Remediation(l)...)
				if len(texts) < 3 {
					t.Errorf("%s: %s has no remediation steps", l, top.Cause)
				}
				for _, s := range texts {
					if s == "" || strings.Contains(s, "{") || strings.HasPrefix(s, "cause.") {
						t.Errorf("%s: unfinished text %q", l, s)
					}
				}
				if _, err := rep.Render(l, wizard.FormatJSON); err != nil {
					t.Errorf("%s: render: %v", l, err)
				}
			}
		})
	}
}

func faultString(f *checks.Fault) string {
	if f == nil {
		return ""
	}
	return string(f.Kind) + "@" + string(f.Stage)
}
