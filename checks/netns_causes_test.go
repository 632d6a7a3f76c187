//go:build linux

package checks_test

import (
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/wizard"
)

// The causes only a filtered or throttled network produces, diagnosed from
// real checks inside a namespace of the test's own (the other causes have
// loopback scenarios in package wizard).

func init() {
	netnsScenarios["ftp-throttled"] = netnsFTPThrottled
}

// netnsTopCause diagnoses results the child returned and asserts the top
// finding, rendered in both languages, and returns it.
func netnsTopCause(t *testing.T, res []checks.Result, want wizard.Cause) wizard.Finding {
	t.Helper()
	in := netResult(t, res, checks.CheckInput).Input
	svc := checks.SMTP
	if checks.Find(res, checks.CheckFTP) != nil {
		svc = checks.FTP
	}
	target := checks.Target{Service: svc, Host: in.Host, Port: in.Port}
	findings := wizard.Diagnose(target, res)
	if len(findings) == 0 || findings[0].Cause != want {
		t.Fatalf("findings %+v, want %s first", findings, want)
	}
	for _, l := range wizard.Langs {
		if findings[0].Title(l) == "" || len(findings[0].Remediation(l)) == 0 {
			t.Errorf("%s: no text for %s", l, want)
		}
	}
	return findings[0]
}

// TestNetnsCausePortBlocked: the configured port drops SYNs while the host
// answers ping and another port of the service greets.
func TestNetnsCausePortBlocked(t *testing.T) {
	res, _ := netnsTwoPortsRun(t, "iptables -A INPUT -p tcp --dport $BLOCKED -j DROP")
	netnsTopCause(t, res, wizard.PortBlocked)
}

// TestNetnsCauseNetworkUnreachable: nothing answers at all, neither ping
// nor any port.
func TestNetnsCauseNetworkUnreachable(t *testing.T) {
	res, _ := netnsTwoPortsRun(t, "iptables -A INPUT -p icmp -j DROP",
		"iptables -A INPUT -p tcp --dport $BLOCKED -j DROP", "iptables -A INPUT -p tcp --dport $OPEN -j DROP")
	netnsTopCause(t, res, wizard.NetworkUnreachable)
}

// netnsFTPThrottled runs an FTP check with an upload through a loopback
// limited to 1 Mbit/s.
func netnsFTPThrottled(t *testing.T, setup func(map[string]string)) any {
	p, err := faultpeer.FTP(faultpeer.FTPOptions{Discard: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	setup(nil)
	return netRun(t, checks.Target{Service: checks.FTP, Host: "127.0.0.1", Port: p.Port(), FTPMode: checks.FTPPassive,
		User: faultpeer.FTPUser, Secret: checks.NewSecret(faultpeer.FTPPassword), TransferSize: 512 << 10, Timeout: 5 * time.Second},
		checks.Options{Ports: []checks.StandardPort{}})
}

// TestNetnsCauseTransferSlow: the upload completes, but far below the
// speed a 25 MB attachment needs to beat a client's timeout.
func TestNetnsCauseTransferSlow(t *testing.T) {
	var res []checks.Result
	runInNetns(t, "ftp-throttled", []string{"tc qdisc add dev lo root tbf rate 1mbit burst 256kb latency 50ms"}, &res)
	tr := netResult(t, res, checks.CheckTransfer)
	if tr.Transfer == nil || tr.Transfer.Sent != 512<<10 || tr.Transfer.BytesPerSecond > 400<<10 {
		t.Fatalf("transfer %s %+v", tr.Status, tr.Transfer)
	}
	netnsTopCause(t, res, wizard.TransferSlow)
}
