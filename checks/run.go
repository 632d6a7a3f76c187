package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Probe is the signature every check implements: it does its network work
// under ctx and records into the session's recorders (its own, and for a
// protocol conversation also tls, auth and the FTP data checks).
type Probe func(ctx context.Context, s *Session)

// Options tune a run without being part of what the user checks.
type Options struct {
	// Observer receives live progress; may be nil.
	Observer Observer
	// RootCAs replaces the system's trusted roots (tests, practice mode).
	RootCAs *x509.CertPool
	// Ports replaces the service's standard ports in the ports check
	// (tests, practice mode); nil keeps StandardPorts.
	Ports []StandardPort
	// Clock is this computer's clock as certificates are judged by it
	// (tests inject a wrong one); nil is the system clock.
	Clock func() time.Time
	// HTTPSPort replaces port 443 for the provider check's autoconfig
	// fetches (tests, practice mode); 0 keeps 443.
	HTTPSPort int
	// SSHPort replaces SFTPPort, the port probed for an SSH banner beside
	// an FTP server's (tests, practice mode); 0 keeps SFTPPort.
	SSHPort int
}

// Session is the state one run shares between its checks: the cleaned
// target, the addresses found, the control connection and the recorders.
type Session struct {
	// Target is the cleaned target (after the input check) with defaults.
	Target Target
	// Addrs are the addresses the dns check found, in the order to try.
	Addrs []netip.Addr
	// Control is the connection the tcp check opened, handed on to the
	// protocol check; nil when the connect failed.
	Control *Conn

	opt Options
	// tlsCache is shared by every TLS connection of the run, so that FTP
	// data connections resume the control connection's session.
	tlsCache tls.ClientSessionCache
	plan     []CheckID
	recs     map[CheckID]*Recorder
	red      *redactor
	// tcpDone is closed when the tcp check has ended or will not run.
	tcpDone chan struct{}
	tcpOnce sync.Once
}

// Plan lists the checks that apply to a target, in the order they run.
func Plan(t Target) []CheckID {
	t = t.WithDefaults()
	ids := []CheckID{CheckInput, CheckDNS, CheckPing, CheckTCP, CheckPorts}
	if _, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(t.Host), "[]")); err != nil {
		ids = append(ids, CheckAddresses) // a name may have several addresses; an IP is one
	}
	if t.Security != SecurityNone {
		ids = append(ids, CheckTLS)
	}
	ids = append(ids, CheckID(t.Service), CheckAuth)
	if t.Service == FTP {
		if t.FTPMode != FTPActive {
			ids = append(ids, CheckFTPPassive)
		}
		if t.FTPMode != FTPPassive {
			ids = append(ids, CheckFTPActive)
		}
		ids = append(ids, CheckTransfer)
	}
	if t.Email != "" && t.Service != FTP {
		ids = append(ids, CheckProvider)
	}
	if t.IdleTest > 0 {
		ids = append(ids, CheckIdle)
	}
	return ids
}

// protocolProbes maps each service to the probe that holds its conversation.
var protocolProbes = map[Service]Probe{
	SMTP: probeSMTP,
	POP3: probePOP3,
	IMAP: probeIMAP,
	FTP:  probeFTP,
}

// Run checks the target: input, dns, ping, tcp and the protocol
// conversation in sequence, the standard ports side by side. It returns one
// Result per planned check, in plan order, once every goroutine it started
// has ended. The error is an *InputError for unusable input.
func Run(ctx context.Context, t Target, opt Options) ([]Result, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	t = t.WithDefaults()
	s := newSession(t, opt, Plan(t), opt.Observer)
	defer s.closeControl()

	// ping, ports and addresses run beside the main sequence: none may
	// delay the conversation, and none competes with it for the configured
	// port's first address (ping and addresses read the tcp check's outcome
	// there).
	// The provider check runs beside it from the start (its lookups do not
	// need the account's host).
	var side sync.WaitGroup
	if s.Planned(CheckProvider) {
		side.Go(func() { s.run(ctx, CheckProvider, probeProvider(t)) })
	}
	s.sequence(ctx, []Probe{probeInput, probeDNS, func(ctx context.Context, s *Session) {
		side.Go(func() { s.run(ctx, CheckPorts, probePorts) })
		side.Go(func() { s.run(ctx, CheckPing, probePing) })
		side.Go(func() { s.run(ctx, CheckAddresses, probeAddresses) })
	}, probeTCP, func(ctx context.Context, s *Session) {
		if s.Planned(CheckIdle) {
			// The idle test opens its connections now, beside the tcp
			// check's, and holds them beside the conversation.
			s.Begin(CheckIdle)
			if rest := probeIdle(ctx, s); rest != nil {
				side.Go(func() { rest(); s.End(CheckIdle) })
			}
		}
	}, protocolProbes[t.Service]}, []CheckID{CheckInput, CheckDNS, "", CheckTCP, "", ""})
	side.Wait()
	return s.results(ctx), nil
}

// newSession prepares a run of plan on t (with defaults); obs may be nil.
func newSession(t Target, opt Options, plan []CheckID, obs Observer) *Session {
	s := &Session{Target: t, opt: opt, plan: plan, recs: map[CheckID]*Recorder{}, tcpDone: make(chan struct{}),
		tlsCache: tls.NewLRUClientSessionCache(8)}
	s.red = newRedactor(t.User, t.Secret)
	for _, id := range s.plan {
		s.recs[id] = newRecorder(id, s.red, obs)
	}
	return s
}

// closeControl closes the control connection, if one is open.
func (s *Session) closeControl() {
	if s.Control != nil {
		s.Control.Close()
	}
}

// sequence plays steps in order until one fails or ctx ends; ids[i] is the
// check steps[i] runs as ("" for a step that begins its checks itself).
func (s *Session) sequence(ctx context.Context, steps []Probe, ids []CheckID) {
	for i, p := range steps {
		if ctx.Err() != nil {
			break
		}
		if ids[i] == "" {
			p(ctx, s)
			continue
		}
		ok := s.run(ctx, ids[i], p)
		if ids[i] == CheckTCP {
			s.endTCP()
		}
		if !ok {
			break
		}
	}
	s.endTCP() // the sequence stopped before the tcp check: ping must not wait for it
}

// endTCP announces that the tcp check has ended or will not run.
func (s *Session) endTCP() { s.tcpOnce.Do(func() { close(s.tcpDone) }) }

// tcpOutcome waits for the tcp check and returns its connect time and its
// fault (nil when it connected); ran is false when it never ran.
func (s *Session) tcpOutcome(ctx context.Context) (rtt time.Duration, f *Fault, ran bool) {
	select {
	case <-s.tcpDone:
	case <-ctx.Done():
		return 0, nil, false
	}
	res := s.Rec(CheckTCP).snapshot()
	if res.Status == StatusPending || res.Status == StatusSkip {
		return 0, nil, false
	}
	if res.TCP != nil {
		rtt = res.TCP.ConnectTime
	}
	if res.Fault != nil && len(res.Steps) > 0 {
		rtt = res.Steps[len(res.Steps)-1].Duration
	}
	return rtt, res.Fault, true
}

// run plays one check's probe and reports whether it did not fail.
func (s *Session) run(ctx context.Context, id CheckID, p Probe) bool {
	s.Begin(id)
	p(ctx, s)
	return s.End(id).Status != StatusFail
}

// results finishes every recorder in plan order: checks never reached are
// skipped (dependency failed, or canceled).
func (s *Session) results(ctx context.Context) []Result {
	out := make([]Result, 0, len(s.plan))
	for _, id := range s.plan {
		rec := s.recs[id]
		if ctx.Err() != nil {
			rec.mu.Lock()
			if rec.res.Status == StatusPending {
				rec.res.Status, rec.res.Skipped = StatusSkip, SkipCanceled
			}
			rec.mu.Unlock()
		}
		out = append(out, rec.finish())
	}
	return out
}

// Planned reports whether a check is part of this run.
func (s *Session) Planned(id CheckID) bool { return s.recs[id] != nil }

// Begin marks a check as running and returns its recorder. A check that is
// not planned gets a recorder whose results are discarded.
func (s *Session) Begin(id CheckID) *Recorder {
	rec := s.recs[id]
	if rec == nil {
		return newRecorder(id, s.red, nil)
	}
	rec.mu.Lock()
	started := rec.res.Status != StatusPending
	rec.mu.Unlock()
	if !started {
		rec.begin()
	}
	return rec
}

// Rec returns a check's recorder without starting it.
func (s *Session) Rec(id CheckID) *Recorder {
	if rec := s.recs[id]; rec != nil {
		return rec
	}
	return newRecorder(id, s.red, nil)
}

// End finishes a check and tells the observer; it returns the final result.
func (s *Session) End(id CheckID) Result { return s.Rec(id).finish() }

// Skip ends a check that will not run, with the reason.
func (s *Session) Skip(id CheckID, why SkipReason) {
	rec := s.Rec(id)
	rec.Skip(why)
	rec.finish()
}

// Now is this computer's clock: Options.Clock, else the system's.
func (s *Session) Now() time.Time {
	if s.opt.Clock != nil {
		return s.opt.Clock()
	}
	return timeNow()
}

// TLSRoots is the pool of trusted roots (nil: the system's).
func (s *Session) TLSRoots() *x509.CertPool { return s.opt.RootCAs }

// Addr is the address to connect to for a port: the first resolved address.
func (s *Session) Addr(port int) string {
	host := s.Target.Host
	if len(s.Addrs) > 0 {
		host = s.Addrs[0].String()
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// Dial opens a TCP connection to addr under the step timeout and ctx and
// wraps it for rec's transcript (nil: no transcript).
func (s *Session) Dial(ctx context.Context, addr string, rec *Recorder) (*Conn, error) {
	d := net.Dialer{Timeout: s.Target.Timeout}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return wrapConn(ctx, raw, s.Target.Timeout, rec), nil
}
