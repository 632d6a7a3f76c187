//go:build linux

package checks_test

import (
	"context"
	"io"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"assistant/checks"
)

func init() {
	netnsScenarios["two-ports"] = netnsTwoPorts
	netnsScenarios["throughput"] = netnsThroughput
}

// netnsTwoPorts runs every check on an SMTP target inside the namespace:
// $OPEN and $BLOCKED both listen and greet; the configured port is
// $BLOCKED, the ports check probes both. The setup rules decide what the
// network does to them.
func netnsTwoPorts(t *testing.T, setup func(map[string]string)) any {
	open := netPeer(t, "220 open.test ESMTP\r\n")
	blocked := netPeer(t, "220 blocked.test ESMTP\r\n")
	setup(map[string]string{"OPEN": strconv.Itoa(open), "BLOCKED": strconv.Itoa(blocked)})
	return netRun(t, checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: blocked, Timeout: time.Second},
		checks.Options{Ports: []checks.StandardPort{{Port: open, Security: checks.SecurityStartTLS}, {Port: blocked, Security: checks.SecurityNone}}})
}

// netnsTwoPortsRun runs the two-ports scenario with setup and returns the
// results and the ports facts of the open port (the configured one is the
// tcp check's, not the ports check's).
func netnsTwoPortsRun(t *testing.T, setup ...string) (res []checks.Result, open checks.PortFacts) {
	t.Helper()
	runInNetns(t, "two-ports", setup, &res)
	ports := netResult(t, res, checks.CheckPorts).Ports
	if len(ports) != 1 {
		t.Fatalf("ports %+v: want only the open one", ports)
	}
	return res, ports[0]
}

// netnsAssertFault checks a result's status and fault.
func netnsAssertFault(t *testing.T, r *checks.Result, kind checks.FaultKind, winsock int, stage checks.Stage) {
	t.Helper()
	if r.Status != checks.StatusFail || r.Fault == nil || r.Fault.Kind != kind || r.Fault.WinSock != winsock || r.Fault.Stage != stage {
		t.Errorf("%s: %s fault %+v, want %s %d at %s", r.ID, r.Status, r.Fault, kind, winsock, stage)
	}
}

func TestNetnsFilteredPort(t *testing.T) {
	res, open := netnsTwoPortsRun(t, "iptables -A INPUT -p tcp --dport $BLOCKED -j DROP")
	netnsAssertFault(t, netResult(t, res, checks.CheckTCP), checks.FaultTimeout, checks.WSAETIMEDOUT, checks.StageConnect)
	if open.Answer != checks.AnswerGreeting || open.Greeting != "220 open.test ESMTP" {
		t.Errorf("open port on the same host: %+v, want its greeting", open)
	}
	if p := netResult(t, res, checks.CheckPing); p.Status != checks.StatusPass || p.Ping.Received == 0 {
		t.Errorf("ping %s %+v: the host answers ICMP", p.Status, p.Ping)
	}
}

func TestNetnsRejectedPort(t *testing.T) {
	res, open := netnsTwoPortsRun(t, "iptables -A INPUT -p tcp --dport $BLOCKED -j REJECT --reject-with tcp-reset")
	netnsAssertFault(t, netResult(t, res, checks.CheckTCP), checks.FaultRefused, checks.WSAECONNREFUSED, checks.StageConnect)
	if !open.Answered() {
		t.Errorf("ports: open %+v", open)
	}
}

// TestNetnsICMPDropped: echoes vanish but the port answers a connect: the
// ping check warns and says it timed TCP instead.
func TestNetnsICMPDropped(t *testing.T) {
	res, _ := netnsTwoPortsRun(t, "iptables -A INPUT -p icmp -j DROP")
	p := netResult(t, res, checks.CheckPing)
	if p.Status != checks.StatusWarn || !slices.Equal(p.Warnings, []string{checks.WarnICMPNoReply}) {
		t.Fatalf("ping %s %v, want warn icmp-no-reply", p.Status, p.Warnings)
	}
	if f := p.Ping; f.Method != checks.PingTCP || !f.ICMPAllowed || f.Sent != 3 || f.Received != 0 || f.RTT <= 0 {
		t.Errorf("ping facts %+v", f)
	}
	if tcp := netResult(t, res, checks.CheckTCP); tcp.Status != checks.StatusPass {
		t.Errorf("tcp %s", tcp.Status)
	}
}

// TestNetnsNothingAnswers: no echo reply and the configured port filtered:
// the ping check fails with the connect's timeout.
func TestNetnsNothingAnswers(t *testing.T) {
	res, _ := netnsTwoPortsRun(t, "iptables -A INPUT -p icmp -j DROP", "iptables -A INPUT -p tcp --dport $BLOCKED -j DROP")
	p := netResult(t, res, checks.CheckPing)
	netnsAssertFault(t, p, checks.FaultTimeout, checks.WSAETIMEDOUT, checks.StagePing)
	if p.Ping == nil || p.Ping.Method != checks.PingTCP || p.Ping.Received != 0 {
		t.Errorf("ping facts %+v", p.Ping)
	}
}

// TestNetnsPingDatagram: where the system lets every group use ICMP
// sockets, the ping check uses them (no raw socket needed).
func TestNetnsPingDatagram(t *testing.T) {
	res, _ := netnsTwoPortsRun(t, "sysctl -q -w net.ipv4.ping_group_range='0 2147483647'")
	p := netResult(t, res, checks.CheckPing)
	if p.Status != checks.StatusPass || p.Ping.Method != checks.PingICMPDgram || !p.Ping.ICMPAllowed || p.Ping.Received != 3 {
		t.Fatalf("ping %s %+v, want icmp-dgram with 3 replies", p.Status, p.Ping)
	}
}

// netnsThroughputResult is what the throughput scenario measures.
type netnsThroughputResult struct {
	Unlimited time.Duration
	Limited   time.Duration
}

// netnsTransferSize is the size written through the sink.
const netnsTransferSize = 2 << 20

// netnsThroughput times a 2 MiB write to a plain TCP sink on the
// namespace's loopback, before and after setup (a tc rate limit).
func netnsThroughput(t *testing.T, setup func(map[string]string)) any {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan int64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n, _ := io.Copy(io.Discard, c)
			c.Close()
			got <- n
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	send := func() time.Duration {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		start := time.Now()
		if _, err := c.Write(make([]byte, netnsTransferSize)); err != nil {
			t.Fatal(err)
		}
		c.Close()
		if n := <-got; n != netnsTransferSize {
			t.Fatalf("sink got %d bytes", n)
		}
		return time.Since(start)
	}
	var r netnsThroughputResult
	r.Unlimited = send()
	setup(nil)
	r.Limited = send()
	return r
}

// TestNetnsRateLimit: a tbf rate limit on the namespace's loopback slows a
// 2 MiB transfer at least tenfold (16 Mbit/s: about one second). The burst
// must exceed lo's largest frame (MTU 65536 plus the link header): with
// burst 65536 a full-size segment never fits and the transfer stalls.
func TestNetnsRateLimit(t *testing.T) {
	var r netnsThroughputResult
	runInNetns(t, "throughput", []string{"tc qdisc add dev lo root tbf rate 16mbit burst 256kb latency 50ms"}, &r)
	if r.Limited < 10*r.Unlimited || r.Limited < 500*time.Millisecond {
		t.Fatalf("limited %v, unlimited %v: want at least 10x slower and about 1 s", r.Limited, r.Unlimited)
	}
	t.Logf("2 MiB: unlimited %v, limited %v", r.Unlimited, r.Limited)
}
