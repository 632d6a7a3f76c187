package checks

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The idle test (Target.IdleTest, --idle-test DURATION) finds how long a
// connection may stay idle before something drops it: a NAT router or a
// firewall that forgets idle connections, or a server restarted under a
// client that kept its connection. It holds several connections at once,
// each idle for a different time (5 s, 15 s, 30 s, 60 s … up to DURATION),
// so the test costs about DURATION rather than their sum; then it sends a
// harmless command on each (NOOP, POP3 CAPA, IMAP NOOP) and reads the
// reply. Beside them one connection sends that command every half of the
// shortest idle time, in whole seconds (does keep-alive prevent it?), and at the end a fresh
// connection shows whether the server still answers new connections. The
// connections never log in.
//
// The connections are opened one after another before the protocol
// conversation, while the tcp check's connection is held: a greeting that
// refuses with a busy reply (FTP and SMTP 421, POP3 -ERR, IMAP BYE) tells
// how many simultaneous connections the server accepts from this address.

// idleLadder is the idle times tried, each on its own connection, up to
// the test's duration.
var idleLadder = []time.Duration{5 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute,
	2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}

// IdleIntervals lists the idle times of a test of duration d: the steps of
// the ladder shorter than d, and d itself.
func IdleIntervals(d time.Duration) []time.Duration {
	var out []time.Duration
	for _, s := range idleLadder {
		if s < d {
			out = append(out, s)
		}
	}
	return append(out, d)
}

// Idle outcomes recorded in IdleProbe.Outcome.
const (
	IdleAlive        = "alive"         // the command was answered
	IdleReset        = "reset"         // the connection was reset (RST)
	IdleSilent       = "silent"        // no answer within the step timeout
	IdleClosed       = "closed"        // closed (FIN) without the server saying why
	IdleServerClosed = "server-closed" // the server said goodbye itself (421 Timeout, * BYE, -ERR)
	IdleBusy         = "busy"          // the greeting refused the connection (connection limit)
	IdleFailed       = "failed"        // connect, TLS or greeting failed otherwise
)

// Warnings of the idle check.
const (
	WarnIdleServerClosed = "idle-server-closed" // the server's own idle timeout closed a connection
	WarnConnectionLimit  = "connection-limit"   // a greeting refused a connection for the limit
	WarnIdleFreshFailed  = "idle-fresh-failed"  // a new connection failed at the end: no verdict
)

// probeIdle opens the idle test's connections (run in the main sequence,
// right after the tcp check) and returns the rest of the test, which holds
// them for their idle times and judges them; nil when it does not run.
func probeIdle(ctx context.Context, s *Session) func() {
	rec := s.Rec(CheckIdle)
	if s.Control == nil {
		rec.Skip(SkipDependency)
		return nil
	}
	addr := s.Control.RemoteAddr().String()
	intervals := IdleIntervals(s.Target.IdleTest)
	// Every half of the shortest idle time, in whole seconds when it is
	// that long, so that reports can say exactly how often.
	every := (intervals[0] / 2).Truncate(time.Second)
	if every == 0 {
		every = intervals[0] / 2
	}
	facts := &IdleFacts{Duration: s.Target.IdleTest, KeepAliveEvery: every, Address: addr}
	longest := intervals[len(intervals)-1]
	// One connection per interval, then the keep-alive one.
	var probes []*IdleProbe
	for _, d := range intervals {
		probes = append(probes, &IdleProbe{Idle: d})
	}
	probes = append(probes, &IdleProbe{Idle: longest, KeepAlive: true})
	var conns []*idleConn
	for i, p := range probes {
		ic := s.openIdle(ctx, addr, p)
		if ic != nil {
			conns = append(conns, ic)
			continue
		}
		if p.Outcome == IdleBusy {
			// The tcp check's connection is held too; the rest are not tried.
			facts.Limit = &ConnLimit{Accepted: len(conns) + 1, Reply: p.Reply}
			probes = probes[:i+1]
			break
		}
	}
	rec.Step("open", strconv.Itoa(len(conns))+" connections to "+addr, nil)
	return func() {
		defer rec.Facts(func(r *Result) { r.Idle = facts })
		s.holdIdle(ctx, rec, conns, probes, facts, longest, every)
	}
}

// holdIdle holds the connections for their idle times side by side, opens
// the fresh connection when the longest has passed, and judges.
func (s *Session) holdIdle(ctx context.Context, rec *Recorder, conns []*idleConn, probes []*IdleProbe, facts *IdleFacts,
	longest, every time.Duration) {
	var wg sync.WaitGroup
	for _, ic := range conns {
		wg.Go(func() {
			defer ic.c.Close()
			step := ic.p.Idle
			if ic.p.KeepAlive {
				step = every
			}
			ic.hold(step)
		})
	}
	fresh := &IdleProbe{}
	wg.Go(func() {
		t := time.NewTimer(longest)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			fresh.Outcome = IdleFailed
			return
		}
		if ic := s.openIdle(ctx, facts.Address, fresh); ic != nil {
			defer ic.c.Close()
			ic.hold(0)
		}
	})
	wg.Wait()
	for _, p := range probes {
		if p.KeepAlive {
			facts.KeepAlive = p
		} else {
			facts.Probes = append(facts.Probes, *p)
		}
	}
	facts.Fresh = fresh
	s.judgeIdle(ctx, rec, facts)
}

// judgeIdle records each probe as a step and the verdict: a connection
// that idled and then was reset, stayed silent or was closed without a
// word, while the fresh connection worked, fails the check (the shortest
// such idle time is the timeout); the server's own goodbye, the
// connection limit and a failed fresh connection warn.
func (s *Session) judgeIdle(ctx context.Context, rec *Recorder, facts *IdleFacts) {
	var killed *IdleProbe
	for i := range facts.Probes {
		p := &facts.Probes[i]
		rec.Step("idle "+p.Idle.String(), p.detail(), p.err())
		switch p.Outcome {
		case IdleReset, IdleSilent, IdleClosed:
			if killed == nil || p.Idle < killed.Idle {
				killed = p
			}
		case IdleServerClosed:
			if facts.ServerTimeout == 0 || p.After < facts.ServerTimeout {
				facts.ServerTimeout = p.After
			}
		case IdleAlive:
			facts.SurvivedUpTo = max(facts.SurvivedUpTo, p.Idle)
		}
	}
	if k := facts.KeepAlive; k != nil {
		rec.Step("keep-alive every "+facts.KeepAliveEvery.String(), k.detail(), k.err())
	}
	rec.Step("fresh connection", facts.Fresh.detail(), facts.Fresh.err())
	if facts.Limit != nil {
		rec.Warn(WarnConnectionLimit)
	}
	if facts.ServerTimeout > 0 {
		rec.Warn(WarnIdleServerClosed)
	}
	switch {
	case ctx.Err() != nil:
		rec.Fail(StageIdle, ctx.Err())
	case facts.Fresh.Outcome != IdleAlive:
		rec.Warn(WarnIdleFreshFailed)
	case killed != nil:
		facts.TimeoutAfter = killed.Idle
		rec.Fail(StageIdle, killed.Fault)
	}
}

// err is the probe's fault as an error, nil when it has none.
func (p *IdleProbe) err() error {
	if p.Fault == nil {
		return nil
	}
	return p.Fault
}

// detail is a probe's outcome for its step.
func (p *IdleProbe) detail() string {
	out := p.Outcome
	if p.After > 0 {
		out += " after " + p.After.Round(100*time.Millisecond).String()
	}
	if p.Reply != "" {
		out += ": " + p.Reply
	}
	return out
}

// idleConn is one connection of the idle test.
type idleConn struct {
	s       *Session
	c       *Conn
	r       *bufio.Reader
	greeted time.Time
	p       *IdleProbe
	tag     int
}

// openIdle connects to addr without TCP keep-alive (the programs this
// test stands for rarely use it, and Go's default would hide the idle
// timeout), runs the TLS handshake on an implicit-TLS port and reads the
// greeting. On failure it records the outcome in p and returns nil.
func (s *Session) openIdle(ctx context.Context, addr string, p *IdleProbe) *idleConn {
	d := net.Dialer{Timeout: s.Target.Timeout, KeepAlive: -1}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		p.Outcome, p.Fault = IdleFailed, Classify(err, StageConnect)
		return nil
	}
	ic := &idleConn{s: s, c: wrapConn(ctx, raw, s.Target.Timeout, nil), p: p}
	if s.Target.Security == SecurityTLS {
		cfg := &tls.Config{InsecureSkipVerify: true} // trust is the tls check's business
		if _, err := netip.ParseAddr(s.Target.Host); err != nil {
			cfg.ServerName = s.Target.Host
		}
		if _, err := ic.c.StartTLS(cfg); err != nil {
			ic.c.Close()
			p.Outcome, p.Fault = IdleFailed, Classify(err, StageTLSHandshake)
			return nil
		}
	}
	ic.r = bufio.NewReaderSize(ic.c, maxGreeting)
	ic.c.Arm()
	line, err := ic.reply("")
	switch {
	case err != nil:
		p.Outcome, p.Fault = IdleFailed, Classify(err, StageGreeting)
	case goodbye(s.Target.Service, line):
		p.Outcome, p.Reply = IdleBusy, line
	default:
		ic.greeted = timeNow()
		return ic
	}
	ic.c.Close()
	return nil
}

// hold waits idle in steps of every (0: no wait) up to the probe's idle
// time, sending the harmless command after each step, and records the
// outcome. Whatever the server sends unasked while the connection idles
// (its own timeout's goodbye) or a close ends the wait at once.
func (ic *idleConn) hold(every time.Duration) {
	p := ic.p
	end := ic.greeted.Add(p.Idle)
	if every == 0 {
		end = ic.greeted
		every = time.Nanosecond
	}
	for {
		wait := min(every, end.Sub(timeNow()))
		if wait > 0 {
			ic.c.ArmFor(wait)
			_, err := ic.r.Peek(1)
			if f := Classify(err, StageIdle); err == nil || f.Kind != FaultTimeout {
				p.After = timeNow().Sub(ic.greeted)
				ic.ended(ic.unasked(err))
				return
			}
		}
		ic.c.Arm()
		line, err := ic.command()
		if err != nil || goodbye(ic.s.Target.Service, line) {
			p.After = timeNow().Sub(ic.greeted)
			p.Reply = line
			ic.ended(err)
			return
		}
		if !timeNow().Before(end) {
			p.Outcome, p.Reply = IdleAlive, line
			return
		}
	}
}

// unasked reads what the server sent while the connection idled (its
// goodbye, or anything else it had no reason to say) into the probe's
// reply.
func (ic *idleConn) unasked(err error) error {
	if err != nil {
		return err
	}
	ic.c.Arm()
	line, err := ic.reply("")
	ic.p.Reply = line
	return err
}

// ended records how the connection ended: the server's goodbye, a reset,
// silence, a close, or a reply that made no sense.
func (ic *idleConn) ended(err error) {
	p := ic.p
	switch {
	case err == nil && goodbye(ic.s.Target.Service, p.Reply):
		p.Outcome = IdleServerClosed
		return
	case err == nil:
		p.Outcome, p.Fault = IdleFailed, Classify(&ReplyError{Line: p.Reply}, StageIdle)
		return
	}
	p.Fault = Classify(err, StageIdle)
	switch p.Fault.Kind {
	case FaultReset:
		p.Outcome = IdleReset
	case FaultTimeout:
		p.Outcome = IdleSilent
	case FaultClosed, FaultAborted:
		p.Outcome = IdleClosed
	default:
		p.Outcome = IdleFailed
	}
}

// command sends the service's harmless command and reads its reply.
func (ic *idleConn) command() (string, error) {
	cmd, tag := "NOOP", ""
	switch ic.s.Target.Service {
	case POP3:
		cmd = "CAPA"
	case IMAP:
		ic.tag++
		tag = "i" + strconv.Itoa(ic.tag)
		cmd = tag + " NOOP"
	}
	if _, err := ic.c.Write([]byte(cmd + "\r\n")); err != nil {
		return "", err
	}
	line, err := ic.reply(tag)
	if err == nil && ic.s.Target.Service == POP3 && strings.HasPrefix(line, "+OK") {
		err = ic.skipList()
	}
	return line, err
}

// maxReplyLines bounds the lines of one reply (a multi-line greeting, an
// IMAP NOOP's untagged updates).
const maxReplyLines = 100

// errReplyTooLong is returned for a reply longer than maxReplyLines.
var errReplyTooLong = errors.New("reply too long")

// reply reads one reply and returns its deciding line: an SMTP or FTP
// reply's last line, a POP3 status line, an IMAP untagged BYE or the line
// tagged tag (the greeting: the first line).
func (ic *idleConn) reply(tag string) (string, error) {
	for range maxReplyLines {
		b, err := ic.r.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				err = ErrLineTooLong
			}
			return printable(strings.TrimRight(string(b), "\r\n")), err
		}
		line := printable(strings.TrimRight(string(b), "\r\n"))
		switch ic.s.Target.Service {
		case SMTP, FTP:
			if len(line) < 4 || line[3] != '-' {
				return line, nil
			}
		case IMAP:
			if tag == "" || strings.HasPrefix(line, tag+" ") || strings.HasPrefix(strings.ToUpper(line), "* BYE") {
				return line, nil
			}
		default:
			return line, nil
		}
	}
	return "", errReplyTooLong
}

// skipList reads a POP3 multi-line answer up to its terminating ".".
func (ic *idleConn) skipList() error {
	for range maxReplyLines {
		b, err := ic.r.ReadSlice('\n')
		if err != nil {
			return err
		}
		if strings.TrimRight(string(b), "\r\n") == "." {
			return nil
		}
	}
	return errReplyTooLong
}

// goodbye reports whether a line is the service's way of refusing or
// ending a session: 421 (SMTP, FTP), POP3 -ERR, IMAP * BYE.
func goodbye(svc Service, line string) bool {
	switch svc {
	case SMTP, FTP:
		return strings.HasPrefix(line, "421")
	case POP3:
		return strings.HasPrefix(line, "-ERR")
	case IMAP:
		return strings.HasPrefix(strings.ToUpper(line), "* BYE")
	}
	return false
}
