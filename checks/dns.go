package checks

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// DNS outcomes recorded in DNSFacts.Outcome.
const (
	DNSOk        = "ok"
	DNSNotFound  = "not-found"
	DNSNoAddress = "no-address"
	DNSFailure   = "failure"
	DNSTimeout   = "timeout"
)

// resolvConf is where a Unix system names its DNS servers; the dns check
// asks the first one whether a name that has no address exists at all.
var resolvConf = "/etc/resolv.conf"

// probeDNS resolves the host to its IPv4 then IPv6 addresses under the step
// deadline, with the system's resolver or Target.Resolver. An IP address is
// used as it is. It tells apart a name that does not exist (not-found,
// 11001), a name without addresses (not-found, 11004, outcome no-address),
// a resolver failure (SERVFAIL, refused: dns-failure 11002) and a resolver
// that does not answer (dns-failure 11002, outcome timeout).
func probeDNS(ctx context.Context, s *Session) {
	rec := s.Rec(CheckDNS)
	host := s.Target.Host
	facts := &DNSFacts{Resolver: "system"}
	if s.Target.Resolver != "" {
		facts.Resolver = s.Target.Resolver
	}
	defer rec.Facts(func(r *Result) { r.DNS = facts })
	if a, err := netip.ParseAddr(host); err == nil {
		facts.Literal, facts.Outcome = true, DNSOk
		facts.Addresses = []string{a.String()}
		s.Addrs = []netip.Addr{a}
		rec.Step("literal", a.String(), nil)
		return
	}
	lctx, cancel := context.WithTimeout(ctx, s.Target.Timeout)
	defer cancel()
	addrs, err := s.resolver().LookupNetIP(lctx, "ip", host)
	if err == nil && len(addrs) == 0 {
		err = &net.DNSError{Err: "no address", Name: host, IsNotFound: true}
	}
	if err != nil {
		s.dnsFault(ctx, rec, facts, err)
		return
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	slices.SortStableFunc(addrs, func(a, b netip.Addr) int {
		switch {
		case a.Is4() == b.Is4():
			return 0
		case a.Is4():
			return -1
		}
		return 1
	})
	addrs = slices.Compact(addrs)
	s.Addrs = addrs
	for _, a := range addrs {
		facts.Addresses = append(facts.Addresses, a.String())
	}
	facts.Outcome = DNSOk
	rec.Step("lookup "+host, strings.Join(facts.Addresses, ", "), nil)
}

// resolver is the system's resolver, or one that sends every query to
// Target.Resolver.
func (s *Session) resolver() *net.Resolver {
	if s.Target.Resolver == "" {
		return net.DefaultResolver
	}
	server := s.Target.Resolver
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, server)
	}}
}

// dnsFault records a failed lookup with its outcome.
func (s *Session) dnsFault(ctx context.Context, rec *Recorder, facts *DNSFacts, err error) {
	if ctx.Err() != nil {
		rec.Fail(StageResolve, errors.Join(ctx.Err(), err))
		facts.Outcome = DNSTimeout
		return
	}
	f := Classify(err, StageResolve)
	var de *net.DNSError
	switch {
	case f.Kind == FaultNotFound:
		facts.Outcome = DNSNotFound
		if s.nameExists(ctx) {
			facts.Outcome = DNSNoAddress
			f.WinSock = WSANO_DATA
		}
	case errors.As(err, &de) && de.IsTimeout, f.Kind == FaultTimeout:
		facts.Outcome = DNSTimeout
		f.Kind, f.WinSock = FaultDNS, WSATRY_AGAIN
	default:
		facts.Outcome = DNSFailure
	}
	rec.Fail(StageResolve, f)
}

// nameExists asks the resolver directly whether the host exists although it
// has no address: true for a NOERROR answer (NODATA), false for NXDOMAIN or
// when no server can be asked (Go's lookup reports both as "no such host").
func (s *Session) nameExists(ctx context.Context) bool {
	server := s.Target.Resolver
	if server == "" {
		cfg, err := dns.ClientConfigFromFile(resolvConf)
		if err != nil || len(cfg.Servers) == 0 {
			return false
		}
		server = net.JoinHostPort(cfg.Servers[0], cfg.Port)
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(s.Target.Host), dns.TypeA)
	c := dns.Client{Timeout: s.Target.Timeout}
	r, _, err := c.ExchangeContext(ctx, m, server)
	return err == nil && r.Rcode == dns.RcodeSuccess
}
