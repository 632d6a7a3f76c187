package faultpeer

import (
	"net"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// DNSServer is a DNS server on 127.0.0.1 (UDP) for the zone .test:
//
//	a.test      A 127.0.0.1
//	dual.test   AAAA ::1 and A 127.0.0.2
//	v6.test     AAAA ::1 only
//	empty.test  exists without records (NOERROR, no data)
//	fail.test   SERVFAIL
//	mx.test     MX 10 mx1.mail.test (a mail domain with MX, no provider records)
//
// and NXDOMAIN for every other name. Add puts more records (SRV, MX, A...)
// into one server's zone. Pass Addr as checks.Target.Resolver.
type DNSServer struct {
	Addr string
	srv  *dns.Server
	done chan struct{}

	mu    sync.Mutex
	zone  map[string][]dns.RR
	empty map[string]bool // names that exist without records
}

var dnsRecords = map[string][]string{
	"a.test.":     {"a.test. 60 IN A 127.0.0.1"},
	"dual.test.":  {"dual.test. 60 IN AAAA ::1", "dual.test. 60 IN A 127.0.0.2"},
	"v6.test.":    {"v6.test. 60 IN AAAA ::1"},
	"empty.test.": {},
	"mx.test.":    {"mx.test. 60 IN MX 10 mx1.mail.test."},
}

// DNS starts the test zone's server.
func DNS() (*DNSServer, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d := &DNSServer{Addr: pc.LocalAddr().String(), done: make(chan struct{}), zone: map[string][]dns.RR{}, empty: map[string]bool{}}
	for name, rrs := range dnsRecords {
		d.empty[name] = true
		if err := d.Add(rrs...); err != nil {
			return nil, err
		}
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		m.Authoritative = true
		name := strings.ToLower(q.Question[0].Name)
		d.mu.Lock()
		rrs, ok := d.zone[name]
		ok = ok || d.empty[name]
		d.mu.Unlock()
		switch {
		case name == "fail.test.":
			m.Rcode = dns.RcodeServerFailure
		case !ok:
			m.Rcode = dns.RcodeNameError
		}
		for _, rr := range rrs {
			if rr.Header().Rrtype == q.Question[0].Qtype {
				m.Answer = append(m.Answer, rr)
			}
		}
		_ = w.WriteMsg(m)
	})
	started := make(chan struct{})
	d.srv = &dns.Server{PacketConn: pc, Handler: h, NotifyStartedFunc: func() { close(started) }}
	go func() { defer close(d.done); _ = d.srv.ActivateAndServe() }()
	<-started
	return d, nil
}

// Add puts records in zone-file syntax into this server's zone, e.g.
// "_submissions._tcp.mail.test. 60 IN SRV 0 1 4650 smtp.mail.test." or
// "smtp.mail.test. 60 IN A 127.0.0.1". A name that has records exists for
// every query type (NOERROR without data for the other types).
func (d *DNSServer) Add(records ...string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			return err
		}
		name := strings.ToLower(rr.Header().Name)
		d.zone[name] = append(d.zone[name], rr)
	}
	return nil
}

// Close stops the server and waits for it.
func (d *DNSServer) Close() error {
	err := d.srv.Shutdown()
	<-d.done
	return err
}
