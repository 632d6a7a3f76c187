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
