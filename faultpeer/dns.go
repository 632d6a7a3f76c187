package faultpeer

import (
	"net"
	"strings"

	"github.com/miekg/dns"
)

// DNSServer is a DNS server on 127.0.0.1 (UDP) for the zone .test:
//
//	a.test      A 127.0.0.1
//	dual.test   AAAA ::1 and A 127.0.0.2
//	v6.test     AAAA ::1 only
//	empty.test  exists without records (NOERROR, no data)
//	fail.test   SERVFAIL
//
// and NXDOMAIN for every other name. Pass Addr as checks.Target.Resolver.
type DNSServer struct {
	Addr string
	srv  *dns.Server
	done chan struct{}
}

var dnsRecords = map[string][]string{
	"a.test.":     {"a.test. 60 IN A 127.0.0.1"},
	"dual.test.":  {"dual.test. 60 IN AAAA ::1", "dual.test. 60 IN A 127.0.0.2"},
	"v6.test.":    {"v6.test. 60 IN AAAA ::1"},
	"empty.test.": {},
}

// DNS starts the test zone's server.
func DNS() (*DNSServer, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		m.Authoritative = true
		name := strings.ToLower(q.Question[0].Name)
		rrs, ok := dnsRecords[name]
		switch {
		case name == "fail.test.":
			m.Rcode = dns.RcodeServerFailure
		case !ok:
			m.Rcode = dns.RcodeNameError
		}
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err == nil && rr.Header().Rrtype == q.Question[0].Qtype {
				m.Answer = append(m.Answer, rr)
			}
		}
		_ = w.WriteMsg(m)
	})
	started := make(chan struct{})
	d := &DNSServer{Addr: pc.LocalAddr().String(), done: make(chan struct{})}
	d.srv = &dns.Server{PacketConn: pc, Handler: h, NotifyStartedFunc: func() { close(started) }}
	go func() { defer close(d.done); _ = d.srv.ActivateAndServe() }()
	<-started
	return d, nil
}

// Close stops the server and waits for it.
func (d *DNSServer) Close() error {
	err := d.srv.Shutdown()
	<-d.done
	return err
}
