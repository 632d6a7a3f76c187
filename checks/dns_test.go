package checks_test

import (
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// netDNS starts faultpeer's DNS server for the .test zone and returns its "host:port".
func netDNS(t testing.TB) string {
	t.Helper()
	d, err := faultpeer.DNS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d.Addr
}

// netSilentDNS is a UDP socket that reads queries and never answers.
func netSilentDNS(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 512)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { pc.Close(); <-done })
	return pc.LocalAddr().String()
}

func TestDNSOutcomes(t *testing.T) {
	server := netDNS(t)
	refused := netRefusedPort(t)
	cases := []struct {
		host    string
		outcome string
		addrs   []string
		kind    checks.FaultKind
		winsock int
	}{
		{"a.test.", checks.DNSOk, []string{"127.0.0.1"}, "", 0},
		{"dual.test", checks.DNSOk, []string{"127.0.0.2", "::1"}, "", 0},
		{"v6.test.", checks.DNSOk, []string{"::1"}, "", 0},
		{"missing.test.", checks.DNSNotFound, nil, checks.FaultNotFound, checks.WSAHOST_NOT_FOUND},
		{"empty.test.", checks.DNSNoAddress, nil, checks.FaultNotFound, checks.WSANO_DATA},
		{"fail.test.", checks.DNSFailure, nil, checks.FaultDNS, checks.WSATRY_AGAIN},
	}
	for _, c := range cases {
		res := netRun(t, checks.Target{Service: checks.SMTP, Host: c.host, Port: refused, Resolver: server},
			checks.Options{Ports: []checks.StandardPort{}})
		r := netResult(t, res, checks.CheckDNS)
		if r.DNS == nil || r.DNS.Outcome != c.outcome || !slices.Equal(r.DNS.Addresses, c.addrs) ||
			r.DNS.Resolver != server || r.DNS.Literal {
			t.Errorf("%s: dns facts %+v, want outcome %s addresses %v", c.host, r.DNS, c.outcome, c.addrs)
			continue
		}
		if c.kind == "" {
			if r.Status != checks.StatusPass || r.Fault != nil {
				t.Errorf("%s: %s %v, want pass", c.host, r.Status, r.Fault)
			}
			// tcp tried the first address (IPv4 first).
			if tcp := netResult(t, res, checks.CheckTCP); tcp.TCP == nil || tcp.TCP.Tried[0] != net.JoinHostPort(c.addrs[0], strconv.Itoa(refused)) {
				t.Errorf("%s: tcp tried %+v", c.host, tcp.TCP)
			}
			continue
		}
		if r.Status != checks.StatusFail || r.Fault == nil || r.Fault.Kind != c.kind || r.Fault.WinSock != c.winsock ||
			r.Fault.Stage != checks.StageResolve {
			t.Errorf("%s: %s fault %+v, want %s %d at resolve", c.host, r.Status, r.Fault, c.kind, c.winsock)
		}
		if tcp := netResult(t, res, checks.CheckTCP); tcp.Status != checks.StatusSkip {
			t.Errorf("%s: tcp %s after a failed lookup, want skip", c.host, tcp.Status)
		}
	}
}

func TestDNSSilentResolverTimesOut(t *testing.T) {
	server := netSilentDNS(t)
	start := time.Now()
	res := netRun(t, checks.Target{Service: checks.IMAP, Host: "mail.test.", Resolver: server, Timeout: time.Second},
		checks.Options{Ports: []checks.StandardPort{}})
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Errorf("lookup took %v, want about the 1 s timeout", took)
	}
	r := netResult(t, res, checks.CheckDNS)
	if r.DNS == nil || r.DNS.Outcome != checks.DNSTimeout {
		t.Fatalf("dns facts %+v, want outcome timeout", r.DNS)
	}
	if r.Fault == nil || r.Fault.Kind != checks.FaultDNS || r.Fault.WinSock != checks.WSATRY_AGAIN || r.Fault.Stage != checks.StageResolve {
		t.Fatalf("fault %+v, want dns-failure 11002 at resolve", r.Fault)
	}
}

func TestDNSLiteral(t *testing.T) {
	res := netRun(t, checks.Target{Service: checks.FTP, Host: "[::1]", Port: netRefusedPort(t), Resolver: netSilentDNS(t)},
		checks.Options{Ports: []checks.StandardPort{}})
	r := netResult(t, res, checks.CheckDNS)
	if r.Status != checks.StatusPass || r.DNS == nil || !r.DNS.Literal || !slices.Equal(r.DNS.Addresses, []string{"::1"}) || r.DNS.Outcome != checks.DNSOk {
		t.Fatalf("dns %+v facts %+v", r, r.DNS)
	}
}
