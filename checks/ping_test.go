//go:build linux

package checks_test

import (
	"os"
	"strings"
	"testing"

	"assistant/checks"
)

// TestPingLoopback sends real echoes to loopback: as root the raw socket
// works even where unprivileged ICMP is not permitted (ping_group_range).
func TestPingLoopback(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("raw ICMP needs root")
	}
	for _, host := range []string{"127.0.0.1", "::1"} {
		if host == "::1" && !netHasIPv6Loopback() {
			continue
		}
		res := netRun(t, checks.Target{Service: checks.POP3, Host: host, Port: netRefusedPort(t)}, checks.Options{Ports: []checks.StandardPort{}})
		r := netResult(t, res, checks.CheckPing)
		p := r.Ping
		if r.Status != checks.StatusPass || p == nil {
			t.Fatalf("%s: ping %s %+v", host, r.Status, r)
		}
		if (p.Method != checks.PingICMP && p.Method != checks.PingICMPDgram) || !p.ICMPAllowed ||
			p.Sent != 3 || p.Received != 3 || p.RTT <= 0 || p.Address != host {
			t.Errorf("%s: ping facts %+v", host, p)
		}
	}
}

// netHasIPv6Loopback reports whether ::1 can be bound here.
func netHasIPv6Loopback() bool {
	data, err := os.ReadFile("/proc/net/if_inet6")
	if err != nil {
		return false
	}
	return strings.Contains(string(data), "00000000000000000000000000000001")
}
