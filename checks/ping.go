package checks

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// Ping methods recorded in PingFacts.Method.
const (
	PingICMP      = "icmp"
	PingICMPDgram = "icmp-dgram"
	PingTCP       = "tcp"
)

// Warnings of the ping check.
const (
	WarnICMPNoReply = "icmp-no-reply" // echoes sent, none answered; a TCP connect answered
)

// pingCount is how many echoes are sent; pingGap is the pause between them.
const (
	pingCount = 3
	pingGap   = time.Millisecond
)

// probePing sends a few ICMP echoes to the first address within the step
// timeout: through an unprivileged ICMP socket where the system allows one,
// else through a raw socket (administrator/root). Where ICMP cannot be sent
// (not permitted) or nothing answers, it times a TCP connect to the
// configured port instead; a refused connect counts as an answer (the host
// sent RST). ICMP silence alone only warns ("icmp-no-reply"); the check fails
// when nothing answers at all: no echo reply and the connect times out or
// finds no route.
func probePing(ctx context.Context, s *Session) {
	rec := s.Rec(CheckPing)
	addr, ok := s.firstAddr()
	if !ok {
		rec.Skip(SkipDependency)
		return
	}
	facts := &PingFacts{Address: addr.String()}
	defer rec.Facts(func(r *Result) { r.Ping = facts })

	err := s.echo(ctx, addr, facts)
	rec.Step("icmp echo", strconv.Itoa(facts.Received)+"/"+strconv.Itoa(facts.Sent)+" via "+facts.Method, err)
	if facts.Received > 0 {
		return
	}
	if ctx.Err() != nil {
		rec.Fail(StagePing, errors.Join(context.Canceled, ctx.Err()))
		return
	}
	// No echo came back: judge by the tcp check's connect to the configured
	// port (a refusal is an answer too) instead of connecting again.
	silent := facts.ICMPAllowed
	facts.Method = PingTCP
	rtt, f, ran := s.tcpOutcome(ctx)
	switch {
	case !ran:
		if ctx.Err() != nil {
			rec.Fail(StagePing, errors.Join(context.Canceled, ctx.Err()))
		}
		return
	case f == nil || f.Kind == FaultRefused:
		facts.RTT = rtt
		rec.Step("tcp connect (tcp check)", rtt.String(), nil)
		if silent {
			rec.Warn(WarnICMPNoReply)
		}
		return
	}
	rec.Fail(StagePing, &Fault{Kind: f.Kind, WinSock: f.WinSock, Stage: StagePing, Detail: f.Detail, Err: f.Err})
}

// firstAddr is the address to probe: the first resolved, or the host itself
// when it is an address.
func (s *Session) firstAddr() (netip.Addr, bool) {
	if len(s.Addrs) > 0 {
		return s.Addrs[0], true
	}
	a, err := netip.ParseAddr(s.Target.Host)
	return a, err == nil
}

// echo sends pingCount echo requests and counts the replies until all came
// back or the step deadline. It sets Method, ICMPAllowed, Sent, Received
// and RTT; the error is the last socket error (nil when nothing failed).
func (s *Session) echo(ctx context.Context, addr netip.Addr, facts *PingFacts) error {
	conn, dgram, err := listenICMP(addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	facts.ICMPAllowed = true
	facts.Method = PingICMP
	if dgram {
		facts.Method = PingICMPDgram
	}
	deadline := timeNow().Add(s.Target.Timeout)
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	var dst net.Addr = &net.IPAddr{IP: addr.AsSlice()}
	if dgram {
		dst = &net.UDPAddr{IP: addr.AsSlice()}
	}
	var typ icmp.Type = ipv4.ICMPTypeEcho
	proto := 1
	if addr.Is6() {
		typ, proto = ipv6.ICMPTypeEchoRequest, 58
	}
	id := rand.IntN(0xffff)
	var mu sync.Mutex // guards sent: written by the sender, read by the reader
	sent := make([]time.Time, pingCount)

	var werr error
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() {
		for seq := range pingCount {
			msg := icmp.Message{Type: typ, Body: &icmp.Echo{ID: id, Seq: seq, Data: []byte("assistant-ping")}}
			b, _ := msg.Marshal(nil)
			mu.Lock()
			sent[seq] = timeNow()
			mu.Unlock()
			if _, err := conn.WriteTo(b, dst); err != nil {
				werr = err
				return
			}
			select {
			case <-time.After(pingGap):
			case <-done:
				return
			}
		}
	})

	got := map[int]bool{}
	buf := make([]byte, 1500)
	for len(got) < pingCount {
		n, from, rerr := conn.ReadFrom(buf)
		if rerr != nil {
			break
		}
		m, perr := icmp.ParseMessage(proto, buf[:n])
		if perr != nil || (m.Type != ipv4.ICMPTypeEchoReply && m.Type != ipv6.ICMPTypeEchoReply) {
			continue
		}
		e, isEcho := m.Body.(*icmp.Echo)
		if !isEcho || (!dgram && e.ID != id) || e.Seq < 0 || e.Seq >= pingCount || got[e.Seq] || !sameHost(from, addr) {
			continue
		}
		got[e.Seq] = true
		mu.Lock()
		rtt := timeNow().Sub(sent[e.Seq])
		mu.Unlock()
		if facts.RTT == 0 || rtt < facts.RTT {
			facts.RTT = rtt
		}
	}
	close(done)
	wg.Wait()
	facts.Received = len(got)
	facts.Sent = pingCount
	return werr
}

// listenICMP opens an unprivileged ICMP socket, or a raw one where that is
// not permitted. dgram reports which.
func listenICMP(addr netip.Addr) (c *icmp.PacketConn, dgram bool, err error) {
	dgNet, rawNet, wildcard := "udp4", "ip4:icmp", "0.0.0.0"
	if addr.Is6() {
		dgNet, rawNet, wildcard = "udp6", "ip6:ipv6-icmp", "::"
	}
	if c, err = icmp.ListenPacket(dgNet, wildcard); err == nil {
		return c, true, nil
	}
	if !errors.Is(err, syscall.EACCES) && !errors.Is(err, syscall.EPERM) && !errors.Is(err, syscall.EPROTONOSUPPORT) {
		return nil, false, err
	}
	c, err = icmp.ListenPacket(rawNet, wildcard)
	return c, false, err
}

// sameHost reports whether a reply came from addr.
func sameHost(from net.Addr, addr netip.Addr) bool {
	var ip net.IP
	switch a := from.(type) {
	case *net.IPAddr:
		ip = a.IP
	case *net.UDPAddr:
		ip = a.IP
	}
	got, ok := netip.AddrFromSlice(ip)
	return ok && got.Unmap() == addr.Unmap()
}
