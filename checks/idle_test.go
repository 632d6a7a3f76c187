package checks_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// idlePeer starts an SMTP-like peer that answers NOOP with 250 and, when
// timeout > 0, says Postfix's goodbye to a connection idle that long and
// closes it (Postfix smtpd: "421 4.4.2 <host> Error: timeout exceeded").
// With limit > 0 it greets at most limit connections at once and refuses
// the others with 421.
func idlePeer(t testing.TB, timeout time.Duration, limit int) int {
	t.Helper()
	var mu sync.Mutex
	open := 0
	p, err := faultpeer.Listen(func(c net.Conn) {
		mu.Lock()
		open++
		n := open
		mu.Unlock()
		defer func() { mu.Lock(); open--; mu.Unlock() }()
		if limit > 0 && n > limit {
			_, _ = c.Write([]byte("421 4.7.0 idle.test Error: too many connections from 127.0.0.1\r\n"))
			return
		}
		if _, err := c.Write([]byte("220 idle.test ESMTP\r\n")); err != nil {
			return
		}
		buf := make([]byte, 512)
		for {
			if timeout > 0 {
				_ = c.SetReadDeadline(time.Now().Add(timeout))
			}
			n, err := c.Read(buf)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				_, _ = c.Write([]byte("421 4.4.2 idle.test Error: timeout exceeded\r\n"))
				return
			}
			if err != nil {
				return
			}
			if strings.HasPrefix(strings.ToUpper(string(buf[:n])), "QUIT") {
				_, _ = c.Write([]byte("221 2.0.0 Bye\r\n"))
				return
			}
			if _, err := c.Write([]byte("250 2.0.0 Ok\r\n")); err != nil {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p.Port()
}

// idleRun runs an SMTP check with the idle test on a peer.
func idleRun(t testing.TB, port int, d time.Duration) []checks.Result {
	t.Helper()
	res, err := checks.Run(context.Background(), checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: port,
		Timeout: time.Second, IdleTest: d}, checks.Options{Ports: []checks.StandardPort{}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestIdleIntervals(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Second:  "[2s]",
		15 * time.Second: "[5s 15s]",
		45 * time.Second: "[5s 15s 30s 45s]",
		2 * time.Minute:  "[5s 15s 30s 1m0s 2m0s]",
	} {
		if got := fmtDurations(checks.IdleIntervals(d)); got != want {
			t.Errorf("IdleIntervals(%v) = %s, want %s", d, got, want)
		}
	}
}

func fmtDurations(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

// TestIdleHealthy: nothing drops idle connections: every probe, the
// keep-alive connection and the fresh one are answered.
func TestIdleHealthy(t *testing.T) {
	t.Parallel()
	res := idleRun(t, idlePeer(t, 0, 0), 2*time.Second)
	r := netResult(t, res, checks.CheckIdle)
	wantStatus(t, r, checks.StatusPass)
	f := r.Idle
	if f == nil || len(f.Probes) != 1 || f.Probes[0].Outcome != checks.IdleAlive || f.Probes[0].Idle != 2*time.Second ||
		f.Probes[0].Reply != "250 2.0.0 Ok" {
		t.Fatalf("idle facts %+v", f)
	}
	if f.KeepAlive == nil || f.KeepAlive.Outcome != checks.IdleAlive || f.KeepAliveEvery != time.Second {
		t.Errorf("keep-alive %+v every %v", f.KeepAlive, f.KeepAliveEvery)
	}
	if f.Fresh == nil || f.Fresh.Outcome != checks.IdleAlive || f.SurvivedUpTo != 2*time.Second || f.TimeoutAfter != 0 {
		t.Errorf("fresh %+v, survived %v, timeout %v", f.Fresh, f.SurvivedUpTo, f.TimeoutAfter)
	}
	for _, st := range r.Steps {
		if st.Status != checks.StatusPass {
			t.Errorf("step %+v", st)
		}
	}
	if r.Duration < 2*time.Second || r.Duration > 3*time.Second {
		t.Errorf("idle check took %v for a 2 s test", r.Duration)
	}
}

// TestIdleServerTimeout: the server says its own goodbye after 1.2 s of
// idleness: that is its policy (a warning with the time), not a drop.
func TestIdleServerTimeout(t *testing.T) {
	t.Parallel()
	res := idleRun(t, idlePeer(t, 1200*time.Millisecond, 0), 2*time.Second)
	r := netResult(t, res, checks.CheckIdle)
	wantStatus(t, r, checks.StatusWarn)
	f := r.Idle
	p := f.Probes[0]
	if p.Outcome != checks.IdleServerClosed || p.Reply != "421 4.4.2 idle.test Error: timeout exceeded" ||
		p.After < 1100*time.Millisecond || p.After > 1800*time.Millisecond {
		t.Fatalf("probe %+v, want the server's goodbye after about 1.2 s", p)
	}
	if f.ServerTimeout != p.After || f.TimeoutAfter != 0 || r.Warnings[0] != checks.WarnIdleServerClosed {
		t.Errorf("facts %+v warnings %v", f, r.Warnings)
	}
	if f.KeepAlive.Outcome != checks.IdleAlive {
		t.Errorf("keep-alive every 1 s against a 1.2 s server timeout: %+v", f.KeepAlive)
	}
}

// TestIdleConnectionLimit: a server greeting two connections at once
// refuses the idle test's second (the tcp check holds the first): the
// limit is recorded.
func TestIdleConnectionLimit(t *testing.T) {
	t.Parallel()
	res := idleRun(t, idlePeer(t, 0, 2), 2*time.Second)
	r := netResult(t, res, checks.CheckIdle)
	f := r.Idle
	if f == nil || f.Limit == nil || f.Limit.Accepted != 2 || !strings.HasPrefix(f.Limit.Reply, "421 4.7.0") {
		t.Fatalf("idle %s facts %+v, want a limit of 2", r.Status, f)
	}
	if len(r.Warnings) == 0 || r.Warnings[0] != checks.WarnConnectionLimit {
		t.Errorf("warnings %v", r.Warnings)
	}
}

// BenchmarkIdleTest15s is the cost of a 15 s idle test on a healthy
// server: the whole run, all its connections held side by side (run with
// -benchtime 1x; the target is at most 17 s).
func BenchmarkIdleTest15s(b *testing.B) {
	port := idlePeer(b, 0, 0)
	for b.Loop() {
		res := idleRun(b, port, 15*time.Second)
		if r := checks.Find(res, checks.CheckIdle); r.Status != checks.StatusPass {
			b.Fatalf("idle %s %+v", r.Status, r.Idle)
		}
	}
}
