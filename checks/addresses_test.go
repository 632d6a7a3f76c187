package checks_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// dualSMTP starts a scripted SMTP server on 127.0.0.2 and [::1] at the same
// port, the two addresses of dual.test in the test zone (faultpeer.DNS),
// and returns the port.
func dualSMTP(t testing.TB) int {
	t.Helper()
	serve := func(c net.Conn) {
		if _, err := c.Write([]byte("220 dual.test ESMTP\r\n")); err != nil {
			return
		}
		faultpeer.Lines(c, func(cmd string) (string, bool) {
			switch faultpeer.Verb(cmd) {
			case "EHLO":
				return "250-dual.test\r\n250 8BITMIME\r\n", true
			case "RCPT":
				return "550 5.7.1 Relaying denied\r\n", true
			case "QUIT":
				return "221 2.0.0 Bye\r\n", false
			}
			return "250 2.0.0 OK\r\n", true
		})
	}
	v4, err := faultpeer.ListenAt("127.0.0.2:0", serve)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v4.Close() })
	v6, err := faultpeer.ListenAt(net.JoinHostPort("::1", strconv.Itoa(v4.Port())), serve)
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	t.Cleanup(func() { v6.Close() })
	return v4.Port()
}

// dualTarget is an SMTP target on dual.test through the test zone.
func dualTarget(resolver string, port int) checks.Target {
	return checks.Target{Service: checks.SMTP, Host: "dual.test", Port: port, Resolver: resolver, Timeout: time.Second}
}

// TestAddressesBothFamilies: both addresses of dual.test answer; the first
// (IPv4, tried first by the tcp check) is taken from the tcp check.
func TestAddressesBothFamilies(t *testing.T) {
	port := dualSMTP(t)
	res := netRun(t, dualTarget(netDNS(t), port), checks.Options{Ports: []checks.StandardPort{}})
	r := netResult(t, res, checks.CheckAddresses)
	wantStatus(t, r, checks.StatusPass)
	if len(r.Addresses) != 2 {
		t.Fatalf("addresses %+v, want 2", r.Addresses)
	}
	v4, v6 := r.Addresses[0], r.Addresses[1]
	if v4.Address != "127.0.0.2" || v4.Family != checks.FamilyIPv4 || !v4.Connected || !v4.FromTCP || !v4.Used || v4.Port != port {
		t.Errorf("IPv4 %+v, want connected by the tcp check", v4)
	}
	if v6.Address != "::1" || v6.Family != checks.FamilyIPv6 || !v6.Connected || (v6.FromTCP || v6.Used) || v6.Duration <= 0 {
		t.Errorf("IPv6 %+v, want connected by the addresses check", v6)
	}
	if r := netResult(t, res, checks.CheckSMTP); r.Failed() {
		t.Errorf("smtp failed: %v", r.Fault)
	}
}

// TestAddressesFirstRefused: nothing listens on the IPv4 address, so the
// tcp check moves on to IPv6; the IPv4 outcome comes from the tcp check
// (refused), not from a second connect.
func TestAddressesFirstRefused(t *testing.T) {
	v6 := netPeerAt(t, "[::1]:0", "220 dual.test ESMTP\r\n")
	res := netRun(t, dualTarget(netDNS(t), v6), checks.Options{Ports: []checks.StandardPort{}})
	if tcp := netResult(t, res, checks.CheckTCP); tcp.Status != checks.StatusPass || tcp.TCP.Address != net.JoinHostPort("::1", strconv.Itoa(v6)) {
		t.Fatalf("tcp %s %+v, want connected over IPv6", tcp.Status, tcp.TCP)
	}
	r := netResult(t, res, checks.CheckAddresses)
	if r.Status != checks.StatusWarn || len(r.Addresses) != 2 {
		t.Fatalf("addresses %s %+v", r.Status, r.Addresses)
	}
	if a := r.Addresses[0]; a.Connected || !a.FromTCP || a.Fault == nil || a.Fault.Kind != checks.FaultRefused {
		t.Errorf("IPv4 %+v, want refused as the tcp check saw it", a)
	}
	if a := r.Addresses[1]; !a.Connected || a.FromTCP || !a.Used {
		t.Errorf("IPv6 %+v, want connected by the addresses check", a)
	}
}

// TestAddressesOneAddress: an IP address has no other address to try (the
// check is not planned), a name with one address leaves nothing to compare.
func TestAddressesOneAddress(t *testing.T) {
	port := netPeer(t, "220 x ESMTP\r\n")
	res := netRun(t, checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: port}, checks.Options{Ports: []checks.StandardPort{}})
	if r := checks.Find(res, checks.CheckAddresses); r != nil {
		t.Errorf("addresses planned for an IP address: %+v", r)
	}
	res = netRun(t, checks.Target{Service: checks.SMTP, Host: "a.test", Port: port, Resolver: netDNS(t)}, checks.Options{Ports: []checks.StandardPort{}})
	if r := netResult(t, res, checks.CheckAddresses); r.Status != checks.StatusSkip || r.Skipped != checks.SkipNotApplicable {
		t.Errorf("addresses %s %q, want skip not-applicable", r.Status, r.Skipped)
	}
}

// BenchmarkHealthyDualStack is a whole Run against a healthy SMTP server
// on both addresses of dual.test: the cost of the addresses check beside
// the main sequence (compare with the same benchmark before it existed).
func BenchmarkHealthyDualStack(b *testing.B) {
	tg := dualTarget(netDNS(b), dualSMTP(b))
	for b.Loop() {
		res, err := checks.Run(context.Background(), tg, checks.Options{Ports: []checks.StandardPort{}})
		if err != nil {
			b.Fatal(err)
		}
		if r := checks.Find(res, checks.CheckSMTP); r.Failed() {
			b.Fatalf("smtp %s: %v", r.Status, r.Fault)
		}
	}
}
