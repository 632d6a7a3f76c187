package checks

import (
	"context"
	"net"
	"strconv"
)

// probeTCP connects to the configured port, trying each resolved address in
// turn, and keeps the first connection that succeeds as the session's
// control connection for the protocol check. A failure is classified
// (refused 10061, timeout 10060, unreachable 10051/10065, ...).
func probeTCP(ctx context.Context, s *Session) {
	rec := s.Rec(CheckTCP)
	facts := &TCPFacts{}
	defer rec.Facts(func(r *Result) { r.TCP = facts })
	hosts := make([]string, 0, len(s.Addrs))
	for _, a := range s.Addrs {
		hosts = append(hosts, a.String())
	}
	if len(hosts) == 0 {
		hosts = append(hosts, s.Target.Host)
	}
	var firstErr error
	for _, h := range hosts {
		addr := net.JoinHostPort(h, strconv.Itoa(s.Target.Port))
		facts.Tried = append(facts.Tried, addr)
		facts.Address = addr
		start := timeNow()
		c, err := s.Dial(ctx, addr, nil)
		if err != nil {
			rec.Step("connect "+addr, "", err)
			facts.Faults = append(facts.Faults, Classify(err, StageConnect))
			if firstErr == nil {
				firstErr = err
			}
			if ctx.Err() != nil {
				break
			}
			continue
		}
		facts.Faults = append(facts.Faults, nil)
		facts.ConnectTime = timeNow().Sub(start)
		rec.Step("connect "+addr, facts.ConnectTime.String(), nil)
		s.Control = c
		return
	}
	rec.Fail(StageConnect, firstErr)
}
