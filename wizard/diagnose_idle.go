package wizard

// Rules of the idle test: idle-timeout (a network that forgets idle
// connections, or the server's own idle timeout), and the connection
// limit the idle test found, added to server-busy.

import (
	"strconv"
	"time"

	"assistant/checks"
)

// secs shows a duration in whole seconds.
func secs(d time.Duration) string { return strconv.Itoa(int(d.Round(time.Second).Seconds())) }

// idle: idle-timeout from the idle check. A connection dropped after
// idling (reset, silence, close) while a fresh one worked is a network
// that forgets idle connections (or a server restarted under it); the
// server's own goodbye is its idle policy, reported as such.
func (d *diag) idle() {
	r := d.facts(checks.CheckIdle)
	if r == nil || r.Idle == nil {
		return
	}
	fi := r.Idle
	if fi.TimeoutAfter > 0 {
		f := d.finding(IdleTimeout, High, checks.CheckIdle)
		var outcome string
		for _, p := range fi.Probes {
			if p.Idle == fi.TimeoutAfter {
				outcome = p.Outcome
			}
		}
		f.Variant = outcome
		f.Facts["timeout"] = secs(fi.TimeoutAfter)
		var first []string
		if fi.SurvivedUpTo > 0 {
			f.Facts["survived"] = secs(fi.SurvivedUpTo)
			first = append(first, "cause.idle-timeout.bounds")
		}
		first = append(first, d.keepAlive(&f, fi)...)
		f.Steps = steps(IdleTimeout, first...)
		d.add(f, d.fault(checks.CheckIdle))
		return
	}
	if fi.ServerTimeout > 0 {
		f := d.finding(IdleTimeout, Medium, checks.CheckIdle)
		f.Variant, f.Missing = "server", []string{"missing.idle-server"}
		f.Facts["server_timeout"] = secs(fi.ServerTimeout)
		f.Facts["timeout"] = f.Facts["server_timeout"]
		for _, p := range fi.Probes {
			if p.Outcome == checks.IdleServerClosed && p.After == fi.ServerTimeout {
				f.Facts["reply"] = p.Reply
			}
		}
		f.Steps = append(d.keepAlive(&f, fi), "cause.idle-timeout.reconnect")
		d.add(f)
	}
}

// keepAlive says whether the connection that sent a command every
// KeepAliveEvery stayed alive, and how to turn keep-alive on.
func (d *diag) keepAlive(f *Finding, fi *checks.IdleFacts) []string {
	k := fi.KeepAlive
	if k == nil {
		return nil
	}
	f.Facts["every"] = secs(fi.KeepAliveEvery)
	f.Facts["duration"] = secs(k.Idle)
	var out []string
	switch k.Outcome {
	case checks.IdleAlive:
		out = append(out, "cause.idle-timeout.keepalive-works")
	case checks.IdleReset, checks.IdleSilent, checks.IdleClosed, checks.IdleServerClosed:
		f.Facts["keepalive_after"] = secs(k.After)
		out = append(out, "cause.idle-timeout.keepalive-fails")
	}
	if d.t.Service == checks.FTP {
		return append(out, "cause.idle-timeout.filezilla")
	}
	return append(out, "cause.idle-timeout.mail")
}

// connLimit adds the connection limit the idle test measured to
// server-busy, or names server-busy from it when no other check was
// refused: "this server allows N connections from your address". Without
// the idle test an FTP server-busy says how to measure the limit.
func (d *diag) connLimit() {
	i := -1
	for j, f := range d.out {
		if f.Cause == ServerBusy {
			i = j
		}
	}
	r := d.facts(checks.CheckIdle)
	if r == nil || r.Idle == nil || r.Idle.Limit == nil {
		if i >= 0 && r == nil && d.t.Service == checks.FTP {
			// Not measured: say how to measure it.
			d.out[i].Steps = append(d.out[i].Steps, "cause.server-busy.measure")
		}
		return
	}
	lim := r.Idle.Limit
	if i < 0 {
		f := d.finding(ServerBusy, High, checks.CheckIdle)
		f.Variant, f.Facts["reply"] = "limit", lim.Reply
		d.add(f)
		i = len(d.out) - 1
	}
	f := &d.out[i]
	f.Evidence = appendID(f.Evidence, checks.CheckIdle)
	f.Facts["limit"], f.Facts["limit_reply"] = strconv.Itoa(lim.Accepted), lim.Reply
	f.Facts["limit_transfers"] = strconv.Itoa(max(lim.Accepted-1, 1))
	key := "cause.server-busy.limit-mail"
	switch {
	case d.t.Service == checks.FTP && lim.Accepted > 1:
		key = "cause.server-busy.limit"
	case d.t.Service == checks.FTP:
		key = "cause.server-busy.limit-one"
	}
	f.Steps = append([]string{key}, steps(ServerBusy)...)
}
