package checks_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// ftpCase is one run against a scripted FTP peer.
type ftpCase struct {
	opts   faultpeer.FTPOptions
	target func(*checks.Target)
	ropt   checks.Options
	ctx    context.Context
}

// runFTP starts the peer, runs every check against it with a 1 s timeout
// and a 1 MiB transfer, and asserts the password appears nowhere.
func runFTP(t *testing.T, c ftpCase) ([]checks.Result, *faultpeer.FTPState) {
	t.Helper()
	if c.opts.State == nil {
		c.opts.State = faultpeer.NewFTPState()
	}
	p, err := faultpeer.FTP(c.opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	tg := checks.Target{
		Service: checks.FTP, Host: "127.0.0.1", Port: p.Port(),
		User: faultpeer.FTPUser, Secret: checks.NewSecret(faultpeer.FTPPassword),
		Timeout: time.Second, TransferSize: 1 << 20,
	}
	if c.target != nil {
		c.target(&tg)
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := checks.Run(ctx, tg, c.ropt)
	if err != nil {
		t.Fatal(err)
	}
	wantNoSecret(t, res, faultpeer.FTPUser, faultpeer.FTPPassword)
	return res, c.opts.State
}

func TestFTPHealthy(t *testing.T) {
	res, st := runFTP(t, ftpCase{})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckFTP: checks.StatusPass, checks.CheckAuth: checks.StatusPass,
		checks.CheckFTPPassive: checks.StatusPass, checks.CheckFTPActive: checks.StatusPass,
		checks.CheckTransfer: checks.StatusPass,
	})
	srv := result(t, res, checks.CheckFTP).Server
	if srv == nil || !strings.Contains(srv.Greeting, "faultpeer") || srv.System != "UNIX Type: L8" ||
		!slices.Contains(srv.Capabilities, "EPSV") || srv.StartTLS {
		t.Errorf("server facts %+v", srv)
	}
	auth := result(t, res, checks.CheckAuth)
	if a := auth.Auth; a == nil || !a.Accepted || a.Code != 230 || a.User != faultpeer.FTPUser || a.Anonymous {
		t.Errorf("auth facts %+v", auth.Auth)
	}
	if !slices.Contains(auth.Transcript, "C: "+checks.Hidden) || !slices.Contains(auth.Transcript, "C: USER "+faultpeer.FTPUser) {
		t.Errorf("auth transcript %q", auth.Transcript)
	}
	pd := result(t, res, checks.CheckFTPPassive).Data
	if pd == nil || pd.Mode != "passive" || pd.Command != "PASV" || pd.Code != 227 || pd.Foreign ||
		!pd.Connected || pd.Entries != 1 || pd.Used != pd.Announced || pd.Server != "127.0.0.1" ||
		!strings.HasPrefix(pd.Reply, "227 Entering Passive Mode (127,0,0,1,") {
		t.Errorf("passive facts %+v", pd)
	}
	ad := result(t, res, checks.CheckFTPActive).Data
	if ad == nil || ad.Mode != "active" || ad.Command != "PORT" || ad.Code != 200 || !ad.Connected ||
		ad.Entries != 1 || !strings.HasPrefix(ad.Used, "127.0.0.1:") {
		t.Errorf("active facts %+v", ad)
	}
	tr := result(t, res, checks.CheckTransfer).Transfer
	if tr == nil || tr.Mode != "passive" || tr.Size != 1<<20 || tr.Sent != tr.Size || tr.ReadBack != tr.Size ||
		!tr.Verified || !tr.Deleted || tr.BytesPerSecond <= 0 || tr.Duration <= 0 ||
		!strings.HasPrefix(tr.RemoteName, ".assistant-test-") {
		t.Errorf("transfer facts %+v", tr)
	}
	if f := st.Files(); len(f) != 0 {
		t.Errorf("files left on the server: %v", f)
	}
}

func TestFTPForeignPASV(t *testing.T) {
	for _, ip := range []string{"127.0.0.2", "192.0.2.1"} {
		t.Run(ip, func(t *testing.T) {
			res, st := runFTP(t, ftpCase{
				opts:   faultpeer.FTPOptions{ForeignPASV: ip},
				target: func(tg *checks.Target) { tg.FTPMode = checks.FTPPassive },
			})
			wantStatuses(t, res, map[checks.CheckID]checks.Status{
				checks.CheckFTPPassive: checks.StatusWarn, checks.CheckTransfer: checks.StatusPass,
			})
			r := result(t, res, checks.CheckFTPPassive)
			d := r.Data
			if !slices.Contains(r.Warnings, "pasv-foreign-address") || d == nil || !d.Foreign || !d.Connected ||
				!strings.HasPrefix(d.Announced, ip+":") || !strings.HasPrefix(d.Used, "127.0.0.1:") ||
				strings.TrimPrefix(d.Used, "127.0.0.1") != strings.TrimPrefix(d.Announced, ip) {
				t.Errorf("passive %+v warnings %v", d, r.Warnings)
			}
			if n := st.ForeignAttempts(); n != 0 {
				t.Errorf("%d connection attempts to the foreign address", n)
			}
			if f := st.Files(); len(f) != 0 {
				t.Errorf("files left: %v", f)
			}
		})
	}
}

func TestFTPPassiveBlocked(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		res, st := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{Passive: faultpeer.PassiveRefuse}})
		wantStatuses(t, res, map[checks.CheckID]checks.Status{
			checks.CheckFTPPassive: checks.StatusFail, checks.CheckFTPActive: checks.StatusPass,
			checks.CheckTransfer: checks.StatusSkip,
		})
		r := result(t, res, checks.CheckFTPPassive)
		wantFaultCode(t, r, checks.FaultRefused, checks.StageDataConnect, checks.WSAECONNREFUSED, 0)
		if r.Data == nil || r.Data.Connected || r.Data.Code != 227 {
			t.Errorf("passive facts %+v", r.Data)
		}
		// The upload goes through jlaffaye/ftp, which has no active mode.
		wantPassiveSkip(t, res, "passive-mode check failed")
		if f := st.Files(); len(f) != 0 {
			t.Errorf("files left: %v", f)
		}
	})
	t.Run("silent", func(t *testing.T) {
		res, _ := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{Passive: faultpeer.PassiveSilent}})
		wantStatuses(t, res, map[checks.CheckID]checks.Status{
			checks.CheckFTPPassive: checks.StatusFail, checks.CheckFTPActive: checks.StatusPass,
		})
		wantFaultCode(t, result(t, res, checks.CheckFTPPassive), checks.FaultTimeout, checks.StageDataConnect, checks.WSAETIMEDOUT, 0)
	})
}

func TestFTPActiveBlocked(t *testing.T) {
	res, _ := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{ActiveFail: true}})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckFTPPassive: checks.StatusPass, checks.CheckFTPActive: checks.StatusFail,
		checks.CheckTransfer: checks.StatusPass,
	})
	r := result(t, res, checks.CheckFTPActive)
	f := wantFaultCode(t, r, checks.FaultProtocol, checks.StageDataConnect, 0, 425)
	if !strings.HasPrefix(f.Reply, "425 ") || r.Data == nil || r.Data.Connected {
		t.Errorf("fault %+v, facts %+v", f, r.Data)
	}
}

func TestFTPModesRefused(t *testing.T) {
	res, _ := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{PassiveRefused: true, PortRefused: true}})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckAuth: checks.StatusPass, checks.CheckFTPPassive: checks.StatusFail,
		checks.CheckFTPActive: checks.StatusFail, checks.CheckTransfer: checks.StatusSkip,
	})
	p := result(t, res, checks.CheckFTPPassive)
	wantFaultCode(t, p, checks.FaultProtocol, checks.StageCommand, 0, 502)
	if p.Data.Command != "EPSV" || p.Data.Code != 502 {
		t.Errorf("passive facts %+v", p.Data)
	}
	a := result(t, res, checks.CheckFTPActive)
	wantFaultCode(t, a, checks.FaultProtocol, checks.StageCommand, 0, 500)
	if a.Data.Command != "PORT" || a.Data.Code != 500 {
		t.Errorf("active facts %+v", a.Data)
	}
	if tr := result(t, res, checks.CheckTransfer); tr.Skipped != checks.SkipDependency {
		t.Errorf("transfer skipped %q", tr.Skipped)
	}
}

func TestFTPGreetingFaults(t *testing.T) {
	cases := []struct {
		name    string
		opts    faultpeer.FTPOptions
		kind    checks.FaultKind
		winsock int
		code    int
	}{
		{"busy", faultpeer.FTPOptions{Busy: true}, checks.FaultBusy, 0, 421},
		{"silent", faultpeer.FTPOptions{Silent: true}, checks.FaultTimeout, checks.WSAETIMEDOUT, 0},
		{"garbage", faultpeer.FTPOptions{Greeting: "SSH-2.0-OpenSSH_9.2\r\n"}, checks.FaultProtocol, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, _ := runFTP(t, ftpCase{opts: c.opts})
			wantStatuses(t, res, map[checks.CheckID]checks.Status{
				checks.CheckFTP: checks.StatusFail, checks.CheckAuth: checks.StatusSkip,
				checks.CheckFTPPassive: checks.StatusSkip, checks.CheckTransfer: checks.StatusSkip,
			})
			f := wantFaultCode(t, result(t, res, checks.CheckFTP), c.kind, checks.StageGreeting, c.winsock, c.code)
			if c.name == "garbage" && !errors.Is(f, checks.ErrNotGreeting) {
				t.Errorf("garbage fault %v is not ErrNotGreeting", f)
			}
		})
	}
}

func TestFTPWrongPassword(t *testing.T) {
	res, _ := runFTP(t, ftpCase{target: func(tg *checks.Target) { tg.Secret = checks.NewSecret("wrong-" + faultpeer.FTPPassword) }})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckFTP: checks.StatusPass, checks.CheckAuth: checks.StatusFail,
		checks.CheckFTPPassive: checks.StatusSkip, checks.CheckTransfer: checks.StatusSkip,
	})
	r := result(t, res, checks.CheckAuth)
	wantFaultCode(t, r, checks.FaultAuth, checks.StageAuth, 0, 530)
	if r.Auth == nil || r.Auth.Accepted || r.Auth.Code != 530 {
		t.Errorf("auth facts %+v", r.Auth)
	}
	for _, l := range r.Transcript {
		if strings.Contains(l, "wrong-") {
			t.Errorf("password in transcript: %q", l)
		}
	}
}

func TestFTPControlReset(t *testing.T) {
	res, _ := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{ResetAt: "PASS"}})
	wantFaultCode(t, result(t, res, checks.CheckAuth), checks.FaultReset, checks.StageAuth, checks.WSAECONNRESET, 0)
}

func TestFTPAnonymous(t *testing.T) {
	noUser := func(tg *checks.Target) { tg.User, tg.Secret = "", checks.Secret{} }
	t.Run("accepted", func(t *testing.T) {
		res, _ := runFTP(t, ftpCase{opts: faultpeer.FTPOptions{Anonymous: true}, target: noUser})
		wantStatuses(t, res, map[checks.CheckID]checks.Status{
			checks.CheckAuth: checks.StatusSkip, checks.CheckFTPPassive: checks.StatusPass,
			checks.CheckFTPActive: checks.StatusPass, checks.CheckTransfer: checks.StatusSkip,
		})
		a := result(t, res, checks.CheckAuth)
		if a.Skipped != checks.SkipNoCredentials || a.Auth == nil || !a.Auth.Anonymous || !a.Auth.Accepted {
			t.Errorf("auth %+v facts %+v", a.Skipped, a.Auth)
		}
		if tr := result(t, res, checks.CheckTransfer); tr.Skipped != checks.SkipNoCredentials {
			t.Errorf("transfer skipped %q", tr.Skipped)
		}
	})
	t.Run("refused", func(t *testing.T) {
		res, _ := runFTP(t, ftpCase{target: noUser})
		for _, id := range []checks.CheckID{checks.CheckAuth, checks.CheckFTPPassive, checks.CheckFTPActive, checks.CheckTransfer} {
			if r := result(t, res, id); r.Status != checks.StatusSkip || r.Skipped != checks.SkipNoCredentials {
				t.Errorf("%s: %s %q", id, r.Status, r.Skipped)
			}
		}
		if a := result(t, res, checks.CheckAuth).Auth; a == nil || a.Accepted || a.Code != 530 {
			t.Errorf("auth facts %+v", a)
		}
	})
}

// ftpTLS returns a peer TLS config and the pool that trusts it.
func ftpTLS(t *testing.T) (*faultpeer.CA, faultpeer.FTPOptions) {
	t.Helper()
	leaf, ca, err := faultpeer.NewServerCert("Test FTP CA", faultpeer.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ca, faultpeer.FTPOptions{TLS: faultpeer.ServerConfig(leaf), RequireReuse: true}
}

func TestFTPSecure(t *testing.T) {
	for _, sec := range []checks.Security{checks.SecurityStartTLS, checks.SecurityTLS} {
		t.Run(string(sec), func(t *testing.T) {
			ca, opts := ftpTLS(t)
			opts.Implicit = sec == checks.SecurityTLS
			res, st := runFTP(t, ftpCase{
				opts: opts,
				// A pass-path test: a roomier step timeout keeps TLS under
				// -race on a loaded machine from failing spuriously.
				target: func(tg *checks.Target) { tg.Security, tg.Timeout = sec, 3*time.Second },
				ropt:   checks.Options{RootCAs: ca.Pool},
			})
			wantStatuses(t, res, map[checks.CheckID]checks.Status{
				checks.CheckTLS: checks.StatusPass, checks.CheckFTP: checks.StatusPass, checks.CheckAuth: checks.StatusPass,
				checks.CheckFTPPassive: checks.StatusPass, checks.CheckFTPActive: checks.StatusPass,
				checks.CheckTransfer: checks.StatusPass,
			})
			tf := result(t, res, checks.CheckTLS).TLS
			mode := checks.TLSModeImplicit
			if sec == checks.SecurityStartTLS {
				mode = checks.TLSModeExplicit
			}
			if tf == nil || tf.Mode != mode || !tf.Offered || !tf.Trusted || !tf.NameMatch {
				t.Errorf("tls facts %+v", tf)
			}
			want := []string{"C: PBSZ 0", "C: PROT P"}
			if sec == checks.SecurityStartTLS {
				want = append(want, "C: AUTH TLS", "S: 234 ")
			}
			wantTransferTranscript(t, result(t, res, checks.CheckTransfer), want...)
			if f := st.Files(); len(f) != 0 {
				t.Errorf("files left: %v", f)
			}
			conns, resumed := st.TLSData()
			if conns != 3 || resumed != conns {
				t.Errorf("TLS data connections %d, resumed %d; want 3, all resumed", conns, resumed)
			}
			if tr := result(t, res, checks.CheckTransfer).Transfer; tr == nil || !tr.Verified || !tr.Deleted {
				t.Errorf("transfer %+v", tr)
			}
		})
	}
}

func TestFTPStartTLSRefused(t *testing.T) {
	res, _ := runFTP(t, ftpCase{target: func(tg *checks.Target) { tg.Security = checks.SecurityStartTLS }})
	wantStatuses(t, res, map[checks.CheckID]checks.Status{
		checks.CheckFTP: checks.StatusPass, checks.CheckTLS: checks.StatusFail,
		checks.CheckAuth: checks.StatusSkip, checks.CheckTransfer: checks.StatusSkip,
	})
	r := result(t, res, checks.CheckTLS)
	wantFaultCode(t, r, checks.FaultProtocol, checks.StageStartTLS, 0, 502)
	if r.TLS == nil || r.TLS.Offered {
		t.Errorf("tls facts %+v", r.TLS)
	}
	for _, x := range res {
		for _, l := range x.Transcript {
			if strings.HasPrefix(l, "C: USER") || strings.HasPrefix(l, "C: PASS") || l == "C: "+checks.Hidden {
				t.Errorf("%s: login sent in plain text: %q", x.ID, l)
			}
		}
	}
}
