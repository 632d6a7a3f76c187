//go:build linux

package checks_test

import (
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/internal/realpeer"
	"assistant/wizard"
)

// TestRealFTPConnectionLimit: vsftpd with max_per_ip=2 and a 5 s idle
// test. The tcp check holds one connection, the idle test's 5 s one the
// second; its keep-alive connection is greeted 421: the server allows two
// connections from this address. The upload's own connection is refused
// too while they are held, and server-busy says to set FileZilla's
// simultaneous transfers to 1.
func TestRealFTPConnectionLimit(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{MaxPerIP: 2})
	target := realFTPTarget(srv, checks.SecurityNone, checks.FTPPassive)
	target.IdleTest = 5 * time.Second
	results := runReal(t, target, srv)
	realPassed(t, results, checks.CheckTCP, checks.CheckFTP, checks.CheckAuth, checks.CheckFTPPassive)
	idle := realResult(t, results, checks.CheckIdle)
	lim := idle.Idle.Limit
	if lim == nil || lim.Accepted != 2 || lim.Reply != "421 There are too many connections from your internet address." {
		t.Fatalf("idle %s limit %+v, want 2 accepted and vsftpd's 421", idle.Status, lim)
	}
	if p, k := idle.Idle.Probes, idle.Idle.KeepAlive; len(p) != 1 || p[0].Outcome != checks.IdleAlive || k == nil || k.Outcome != checks.IdleBusy {
		t.Errorf("probes %+v, keep-alive %+v, want the 5 s one alive and the keep-alive one refused", p, k)
	}
	findings := wizard.Diagnose(target, results)
	if findings[0].Cause != wizard.ServerBusy || findings[0].Facts["limit"] != "2" {
		t.Fatalf("findings %+v, want server-busy with the limit 2", findings)
	}
	for l, want := range map[wizard.Lang]string{
		wizard.EN: "This server allows 2 connections from your address at once",
		wizard.RU: "Этот сервер разрешает с вашего адреса не больше 2 одновременных соединений",
	} {
		steps := strings.Join(findings[0].Remediation(l), "\n")
		if !strings.Contains(steps, want) || !strings.Contains(steps, ": 1.") {
			t.Errorf("%s steps lack %q and the setting 1:\n%s", l, want, steps)
		}
	}
	realEmptyDir(t, srv.Dir)
}

// TestRealFTPServerIdleTimeout: vsftpd with idle_session_timeout=2 says
// "421 Timeout." to the idle test's 3 s connection after about 2 s; the
// keep-alive one (a NOOP every second) survives. That is the server's own
// policy: idle-timeout, variant server, not a network fault.
func TestRealFTPServerIdleTimeout(t *testing.T) {
	t.Parallel()
	srv := realpeer.Vsftpd(t, realpeer.VsftpdOptions{IdleTimeout: 2})
	target := realFTPTarget(srv, checks.SecurityNone, checks.FTPPassive)
	target.IdleTest, target.TransferSize = 3*time.Second, 0
	results := runReal(t, target, srv)
	idle := realStatus(t, results, checks.CheckIdle, checks.StatusWarn)
	f := idle.Idle
	if len(f.Probes) != 1 || f.Probes[0].Outcome != checks.IdleServerClosed || f.Probes[0].Reply != "421 Timeout." {
		t.Fatalf("probes %+v, want vsftpd's 421 Timeout.", f.Probes)
	}
	if f.ServerTimeout < 1500*time.Millisecond || f.ServerTimeout > 2900*time.Millisecond || f.TimeoutAfter != 0 {
		t.Errorf("server timeout %v, network timeout %v: want about 2 s and none", f.ServerTimeout, f.TimeoutAfter)
	}
	if f.KeepAlive == nil || f.KeepAlive.Outcome != checks.IdleAlive || f.Fresh.Outcome != checks.IdleAlive {
		t.Errorf("keep-alive %+v fresh %+v", f.KeepAlive, f.Fresh)
	}
	top := wizard.Diagnose(target, results)[0]
	if top.Cause != wizard.IdleTimeout || top.Variant != "server" {
		t.Fatalf("top %s/%s, want idle-timeout (server)", top.Cause, top.Variant)
	}
	for l, want := range map[wizard.Lang]string{wizard.EN: "That is the server's own idle timeout", wizard.RU: "собственный тайм-аут простоя сервера"} {
		if got := top.Explanation(l); !strings.Contains(got, want) || !strings.Contains(got, "421 Timeout.") {
			t.Errorf("%s: %q", l, got)
		}
	}
}
