//go:build linux

package checks_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/internal/realpeer"
)

// Integration tests of checks.Run against Debian's real daemons, started
// by internal/realpeer (skipped when not root or a daemon is missing).

const realTimeout = 2 * time.Second

// realTarget is a target on 127.0.0.1:port with the test account.
func realTarget(svc checks.Service, port int, sec checks.Security, creds bool) checks.Target {
	t := checks.Target{Service: svc, Host: "127.0.0.1", Port: port, Security: sec, Timeout: realTimeout}
	if creds {
		t.User, t.Secret = realpeer.User, checks.NewSecret(realpeer.Password)
	}
	return t
}

// runReal runs the checks against a real server, trusting its CA, and
// asserts that the password appears nowhere in the results.
func runReal(t *testing.T, target checks.Target, srv *realpeer.Server) []checks.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opt := checks.Options{}
	if srv.CA != nil {
		opt.RootCAs = srv.CA.Pool
	}
	results, err := checks.Run(ctx, target, opt)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(results, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), realpeer.Password) {
		t.Errorf("the password appears in the results")
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("results:\n%s", js)
		}
	})
	return results
}

// realResult returns the check's result or stops the test.
func realResult(t *testing.T, results []checks.Result, id checks.CheckID) *checks.Result {
	t.Helper()
	r := checks.Find(results, id)
	if r == nil {
		t.Fatalf("no %s result", id)
	}
	return r
}

// realStatus asserts a check's status is one of want.
func realStatus(t *testing.T, results []checks.Result, id checks.CheckID, want ...checks.Status) *checks.Result {
	t.Helper()
	r := realResult(t, results, id)
	if !slices.Contains(want, r.Status) {
		t.Errorf("%s: status %s (fault %v, skipped %q), want %v", id, r.Status, r.Fault, r.Skipped, want)
	}
	return r
}

// realFault asserts a check failed with the kind, stage and reply code.
func realFault(t *testing.T, results []checks.Result, id checks.CheckID, kind checks.FaultKind, stage checks.Stage, code int) *checks.Result {
	t.Helper()
	r := realStatus(t, results, id, checks.StatusFail)
	f := r.Fault
	if f == nil {
		t.Errorf("%s: no fault", id)
		return r
	}
	if f.Kind != kind || f.Stage != stage || f.Code != code {
		t.Errorf("%s: fault %s at %s code %d (%s), want %s at %s code %d", id, f.Kind, f.Stage, f.Code, f.Detail, kind, stage, code)
	}
	return r
}

// realPassed asserts every listed check passed (pass or warn).
func realPassed(t *testing.T, results []checks.Result, ids ...checks.CheckID) {
	t.Helper()
	for _, id := range ids {
		realStatus(t, results, id, checks.StatusPass, checks.StatusWarn)
	}
}

// wantRealTLS asserts the tls check passed in mode with a trusted certificate
// naming the host.
func wantRealTLS(t *testing.T, results []checks.Result, mode string) {
	t.Helper()
	r := realStatus(t, results, checks.CheckTLS, checks.StatusPass)
	if f := r.TLS; f == nil || f.Mode != mode || !f.Trusted || !f.NameMatch || f.Version == "" || f.Problem != "" {
		t.Errorf("tls facts %+v, want mode %s, trusted, name match", f, mode)
	}
}

// realLogin asserts the auth check passed with an accepted login.
func realLogin(t *testing.T, results []checks.Result) {
	t.Helper()
	r := realStatus(t, results, checks.CheckAuth, checks.StatusPass)
	if r.Auth == nil || !r.Auth.Accepted || r.Auth.User != realpeer.User {
		t.Errorf("auth facts %+v, want accepted for %s", r.Auth, realpeer.User)
	}
}

// realEmptyDir asserts the FTP root holds no file: the upload was deleted.
func realEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("the FTP root still holds %d entries (%s ...)", len(entries), entries[0].Name())
	}
}

// realTransfer asserts the upload test passed in mode, verified and deleted.
func realTransfer(t *testing.T, results []checks.Result, mode string, size int64, dir string) {
	t.Helper()
	r := realStatus(t, results, checks.CheckTransfer, checks.StatusPass)
	if f := r.Transfer; f == nil || f.Mode != mode || f.Size != size || f.Sent != size || !f.Verified || !f.Deleted {
		t.Errorf("transfer facts %+v, want %s, %d bytes sent, verified, deleted", f, mode, size)
	}
	realEmptyDir(t, dir)
}

const realTransferSize = 256 << 10

func realFTPTarget(srv *realpeer.Server, sec checks.Security, mode checks.FTPMode) checks.Target {
	target := realTarget(checks.FTP, srv.Port, sec, true)
	target.FTPMode, target.TransferSize = mode, realTransferSize
	return target
}

func TestRealFTPPassiveOnly(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{PassiveOnly: true})
	results := runReal(t, realFTPTarget(srv, checks.SecurityNone, checks.FTPBoth), srv)
	realPassed(t, results, checks.CheckTCP, checks.CheckFTP)
	realLogin(t, results)
	if g := realResult(t, results, checks.CheckFTP).Server; g == nil || !strings.Contains(g.Greeting, "vsFTPd") {
		t.Errorf("ftp server facts %+v, want the vsFTPd greeting", g)
	}
	p := realStatus(t, results, checks.CheckFTPPassive, checks.StatusPass)
	if d := p.Data; d == nil || d.Mode != "passive" || !d.Connected || d.Foreign {
		t.Errorf("passive facts %+v, want connected, not foreign", d)
	}
	// port_enable=NO: vsftpd answers PORT with "550 Permission denied."
	a := realFault(t, results, checks.CheckFTPActive, checks.FaultProtocol, checks.StageCommand, 550)
	if d := a.Data; d == nil || d.Command != "PORT" || d.Code != 550 || d.Connected {
		t.Errorf("active facts %+v, want PORT refused with 550, not connected", d)
	}
	realTransfer(t, results, "passive", realTransferSize, srv.Dir)
}

func TestRealFTPActiveOnly(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{ActiveOnly: true})
	results := runReal(t, realFTPTarget(srv, checks.SecurityNone, checks.FTPBoth), srv)
	realPassed(t, results, checks.CheckFTP)
	realLogin(t, results)
	// pasv_enable=NO: vsftpd answers both PASV and EPSV with 550.
	p := realFault(t, results, checks.CheckFTPPassive, checks.FaultProtocol, checks.StageCommand, 550)
	if d := p.Data; d == nil || d.Code != 550 || d.Connected {
		t.Errorf("passive facts %+v, want refused with 550, not connected", d)
	}
	a := realStatus(t, results, checks.CheckFTPActive, checks.StatusPass)
	if d := a.Data; d == nil || d.Mode != "active" || d.Command != "PORT" || !d.Connected {
		t.Errorf("active facts %+v, want PORT, connected", d)
	}
	// The upload runs through jlaffaye/ftp, which has no active mode.
	if r := realStatus(t, results, checks.CheckTransfer, checks.StatusSkip); r.Skipped != checks.SkipDependency {
		t.Errorf("transfer skipped %q, want %q", r.Skipped, checks.SkipDependency)
	}
	realEmptyDir(t, srv.Dir)
}

func TestRealFTPBusy(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{MaxClients: 1})
	held, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	held.SetReadDeadline(time.Now().Add(realTimeout))
	if line, err := bufio.NewReader(held).ReadString('\n'); err != nil || !strings.HasPrefix(line, "220") {
		t.Fatalf("held connection: %q, %v", line, err)
	}
	results := runReal(t, realFTPTarget(srv, checks.SecurityNone, checks.FTPBoth), srv)
	realPassed(t, results, checks.CheckTCP)
	realFault(t, results, checks.CheckFTP, checks.FaultBusy, checks.StageGreeting, 421)
	for _, id := range []checks.CheckID{checks.CheckAuth, checks.CheckFTPPassive, checks.CheckFTPActive, checks.CheckTransfer} {
		realStatus(t, results, id, checks.StatusSkip)
	}
}

func TestRealFTPForeignPasvAddress(t *testing.T) {
	t.Parallel()
	const foreign = "192.0.2.10" // TEST-NET-1: must never be contacted
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{PasvAddress: foreign})
	target := realFTPTarget(srv, checks.SecurityNone, checks.FTPPassive)
	target.TransferSize = 0
	results := runReal(t, target, srv)
	p := realResult(t, results, checks.CheckFTPPassive)
	if !slices.Contains(p.Warnings, "pasv-foreign-address") {
		t.Errorf("ftp-passive warnings %v, want pasv-foreign-address", p.Warnings)
	}
	d := p.Data
	if d == nil {
		t.Fatal("no passive facts")
	}
	host, _, _ := net.SplitHostPort(d.Announced)
	usedHost, _, _ := net.SplitHostPort(d.Used)
	if d.Command != "PASV" || host != foreign || !d.Foreign || usedHost == foreign {
		t.Errorf("passive facts %+v, want PASV announcing %s, foreign, and %s never used", d, foreign, foreign)
	}
}

// TestRealFTPS logs in and uploads over explicit (AUTH TLS) and implicit
// FTPS to a real vsftpd.
func TestRealFTPS(t *testing.T) {
	for _, c := range []struct {
		opts realpeer.VsftpdOptions
		sec  checks.Security
		mode string
	}{
		{realpeer.VsftpdOptions{ExplicitTLS: true}, checks.SecurityStartTLS, checks.TLSModeExplicit},
		{realpeer.VsftpdOptions{ImplicitTLS: true}, checks.SecurityTLS, checks.TLSModeImplicit},
	} {
		t.Run(c.mode, func(t *testing.T) {
			t.Parallel()
			srv := realpeer.Vsftpd(t, c.opts)
			results := runReal(t, realFTPTarget(srv, c.sec, checks.FTPPassive), srv)
			wantRealTLS(t, results, c.mode)
			realPassed(t, results, checks.CheckFTP, checks.CheckFTPPassive)
			realLogin(t, results)
			realTransfer(t, results, "passive", realTransferSize, srv.Dir)
		})
	}
}

// realRelay asserts the SMTP envelope test's outcome and reply code.
func realRelay(t *testing.T, results []checks.Result, relay string, code int) *checks.Result {
	t.Helper()
	r := realStatus(t, results, checks.CheckSMTP, checks.StatusPass, checks.StatusWarn)
	if f := r.Server; f == nil || f.Relay != relay || f.RelayCode != code {
		t.Errorf("smtp facts %+v, want relay %s with %d", f, relay, code)
	}
	return r
}

func TestRealSMTP(t *testing.T) {
	t.Parallel()
	exim := realpeer.Exim(t, realpeer.EximOptions{})
	srv := &exim.Server

	t.Run("plain", func(t *testing.T) {
		t.Parallel()
		results := runReal(t, realTarget(checks.SMTP, exim.Port, checks.SecurityNone, false), srv)
		r := realRelay(t, results, checks.RelayDenied, 550)
		f := r.Server
		if f == nil {
			return
		}
		if !strings.Contains(f.Greeting, "mail.realpeer.test") || !strings.Contains(f.Greeting, "Exim") {
			t.Errorf("greeting %q, want exim's", f.Greeting)
		}
		for _, c := range []string{"SIZE", "PIPELINING", "STARTTLS"} {
			if !slices.Contains(f.Capabilities, c) {
				t.Errorf("capabilities %v lack %s", f.Capabilities, c)
			}
		}
		if !f.StartTLS || f.SizeLimit != 52428800 || len(f.AuthMechs) != 0 {
			t.Errorf("facts %+v, want STARTTLS, SIZE 52428800, no AUTH before TLS", f)
		}
		if !slices.Contains(r.Warnings, "relay-denied") {
			t.Errorf("smtp warnings %v, want relay-denied", r.Warnings)
		}
		a := realStatus(t, results, checks.CheckAuth, checks.StatusSkip)
		if a.Skipped != checks.SkipNoCredentials {
			t.Errorf("auth skipped %q, want %q", a.Skipped, checks.SkipNoCredentials)
		}
	})

	t.Run("submission-without-auth", func(t *testing.T) {
		t.Parallel()
		results := runReal(t, realTarget(checks.SMTP, exim.Submission, checks.SecurityStartTLS, false), srv)
		wantRealTLS(t, results, checks.TLSModeExplicit)
		r := realRelay(t, results, checks.RelayAuthRequired, 530)
		if f := r.Server; f != nil && (!slices.Contains(f.AuthMechs, "PLAIN") || !slices.Contains(f.AuthMechs, "LOGIN")) {
			t.Errorf("auth mechanisms after STARTTLS %v, want PLAIN and LOGIN", f.AuthMechs)
		}
	})

	t.Run("submission-auth", func(t *testing.T) {
		t.Parallel()
		results := runReal(t, realTarget(checks.SMTP, exim.Submission, checks.SecurityStartTLS, true), srv)
		wantRealTLS(t, results, checks.TLSModeExplicit)
		realLogin(t, results)
		if a := realResult(t, results, checks.CheckAuth).Auth; a != nil && (a.Code != 235 || a.Mechanism == "") {
			t.Errorf("auth facts %+v, want 235 with a mechanism", a)
		}
		realRelay(t, results, checks.RelayAccepted, 250)
	})

	t.Run("submission-wrong-password", func(t *testing.T) {
		t.Parallel()
		target := realTarget(checks.SMTP, exim.Submission, checks.SecurityStartTLS, true)
		target.Secret = checks.NewSecret("wrong-" + realpeer.Password)
		results := runReal(t, target, srv)
		wantRealTLS(t, results, checks.TLSModeExplicit)
		r := realFault(t, results, checks.CheckAuth, checks.FaultAuth, checks.StageAuth, 535)
		if a := r.Auth; a == nil || a.Accepted || !a.Offered || a.Code != 535 {
			t.Errorf("auth facts %+v, want offered, refused with 535", a)
		}
	})

	t.Run("implicit", func(t *testing.T) {
		t.Parallel()
		results := runReal(t, realTarget(checks.SMTP, exim.SMTPS, checks.SecurityTLS, true), srv)
		wantRealTLS(t, results, checks.TLSModeImplicit)
		realLogin(t, results)
		realRelay(t, results, checks.RelayAccepted, 250)
	})
}

// realMailCases runs the IMAP or POP3 cases against dovecot: plain, explicit
// and implicit TLS logins on one instance, and a wrong password on each
// port kind on instances of their own (dovecot delays every login from an
// address after a failed one).
func realMailCases(t *testing.T, svc checks.Service, greeting string, plain, implicit func(*realpeer.DovecotServer) int) {
	dove := realpeer.Dovecot(t, realpeer.DovecotOptions{})
	cases := []struct {
		name string
		sec  checks.Security
		port func(*realpeer.DovecotServer) int
	}{
		{"plain", checks.SecurityNone, plain},
		{"starttls", checks.SecurityStartTLS, plain},
		{"implicit", checks.SecurityTLS, implicit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			results := runReal(t, realTarget(svc, c.port(dove), c.sec, true), &dove.Server)
			r := realStatus(t, results, checks.CheckID(svc), checks.StatusPass, checks.StatusWarn)
			if f := r.Server; f == nil || !strings.Contains(f.Greeting, greeting) || len(f.Capabilities) == 0 {
				t.Errorf("%s facts %+v, want greeting %q and capabilities", svc, f, greeting)
			} else if c.sec != checks.SecurityTLS && !f.StartTLS {
				t.Errorf("%s facts %+v: STARTTLS/STLS not seen", svc, f)
			}
			switch c.sec {
			case checks.SecurityStartTLS:
				wantRealTLS(t, results, checks.TLSModeExplicit)
			case checks.SecurityTLS:
				wantRealTLS(t, results, checks.TLSModeImplicit)
			}
			realLogin(t, results)
		})
	}
	for _, c := range cases[1:] {
		t.Run(c.name+"-wrong-password", func(t *testing.T) {
			t.Parallel()
			own := realpeer.Dovecot(t, realpeer.DovecotOptions{})
			target := realTarget(svc, c.port(own), c.sec, true)
			target.Secret = checks.NewSecret("wrong-" + realpeer.Password)
			results := runReal(t, target, &own.Server)
			r := realFault(t, results, checks.CheckAuth, checks.FaultAuth, checks.StageAuth, 0)
			if a := r.Auth; a == nil || a.Accepted || !a.Offered || a.Reply == "" {
				t.Errorf("auth facts %+v, want offered, refused with the server's reply", a)
			}
		})
	}
}

func TestRealIMAP(t *testing.T) {
	t.Parallel()
	realMailCases(t, checks.IMAP, "Dovecot",
		func(d *realpeer.DovecotServer) int { return d.IMAP },
		func(d *realpeer.DovecotServer) int { return d.IMAPS })
}

func TestRealPOP3(t *testing.T) {
	t.Parallel()
	realMailCases(t, checks.POP3, "Dovecot",
		func(d *realpeer.DovecotServer) int { return d.POP3 },
		func(d *realpeer.DovecotServer) int { return d.POP3S })
}

// TestRealFTPDeleteDenied: vsftpd with cmds_denied=DELE keeps the test
// file; the transfer check must say so (warning, the file's name, vsftpd's
// own reply), never that it was deleted.
func TestRealFTPDeleteDenied(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{DenyDelete: true})
	results := runReal(t, realFTPTarget(srv, checks.SecurityNone, checks.FTPPassive), srv)
	r := realStatus(t, results, checks.CheckTransfer, checks.StatusWarn)
	tr := r.Transfer
	if tr == nil || !tr.Left || tr.Deleted || !strings.HasPrefix(tr.DeleteReply, "550 Permission denied") ||
		!slices.Contains(r.Warnings, checks.WarnFileLeft) {
		t.Fatalf("transfer facts %+v, warnings %v", tr, r.Warnings)
	}
	if _, err := os.Stat(filepath.Join(srv.Dir, tr.RemoteName)); err != nil {
		t.Errorf("the file the facts name is not on the server: %v", err)
	}
}
