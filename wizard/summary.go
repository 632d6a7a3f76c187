package wizard

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"assistant/checks"
)

// CheckTitle is a check's name in l ("DNS lookup").
func CheckTitle(id checks.CheckID, l Lang) string { return l.T("check." + string(id) + ".title") }

// StatusText is a status word in l ("passed").
func StatusText(s checks.Status, l Lang) string { return l.T("status." + string(s)) }

// FaultText describes a fault in one sentence in l: what happened, where,
// and the WinSock code and server reply when known.
func FaultText(f *checks.Fault, l Lang) string {
	if f == nil {
		return ""
	}
	key := "fault." + string(f.Kind)
	if f.Kind == checks.FaultTLS && f.TLS != "" {
		key = "fault.tls." + f.TLS
	}
	s := l.T(key, "stage", l.T("stage."+string(f.Stage)))
	if f.WinSock != 0 {
		s += " " + l.T("fault.winsock", "code", f.WinSock)
	}
	if f.Reply != "" {
		s += " " + l.T("fault.reply", "reply", replyLine(f))
	}
	return s
}

// CheckSummary is the one-line result of a check in l, from its facts.
// A test file the transfer check could not delete is named, with the
// server's reply, whatever the check's status.
func CheckSummary(r checks.Result, l Lang) string {
	s := checkSummary(r, l)
	if tf := r.Transfer; tf != nil && tf.Left {
		s = strings.TrimSpace(s + " " + l.T("summary.transfer.left", "file", tf.RemoteName, "reply", tf.DeleteReply))
	}
	return s
}

func checkSummary(r checks.Result, l Lang) string {
	switch r.Status {
	case checks.StatusSkip:
		return l.T("skip." + string(r.Skipped))
	case checks.StatusFail:
		if r.Input != nil && r.Input.Problem != "" {
			return l.T("summary.input." + r.Input.Problem)
		}
		if r.Fault != nil {
			return FaultText(r.Fault, l)
		}
	case checks.StatusPending, checks.StatusRunning:
		return l.T("status." + string(r.Status))
	}
	s := passSummary(r, l)
	for _, w := range r.Warnings {
		if l.Has("warning." + w) {
			s += " " + l.T("warning."+w)
		}
	}
	if r.Status == checks.StatusFail && r.Fault == nil {
		return strings.TrimSpace(l.T("summary.failed") + " " + s)
	}
	return s
}

// passSummary describes what a check that did not fail found.
func passSummary(r checks.Result, l Lang) string {
	switch {
	case r.Input != nil:
		if r.Input.Problem != "" {
			return l.T("summary.input." + r.Input.Problem)
		}
		if len(r.Input.Changes) > 0 {
			return l.T("summary.input.cleaned", "raw", r.Input.RawHost, "host", r.Input.Host, "port", r.Input.Port)
		}
		return l.T("summary.input.ok", "host", r.Input.Host, "port", r.Input.Port)
	case r.DNS != nil:
		if r.DNS.Literal {
			return l.T("summary.dns.literal")
		}
		return l.T("summary.dns.ok", "addrs", strings.Join(r.DNS.Addresses, ", "), "time", localMS(r.Duration, l))
	case r.Ping != nil:
		if r.Ping.Received > 0 {
			return l.T("summary.ping.icmp", "rtt", localMS(r.Ping.RTT, l), "received", r.Ping.Received, "sent", r.Ping.Sent)
		}
		if !r.Ping.ICMPAllowed {
			return l.T("summary.ping.tcp", "rtt", localMS(r.Ping.RTT, l))
		}
		return l.T("summary.ping.noreply", "rtt", localMS(r.Ping.RTT, l))
	case r.TCP != nil:
		return l.T("summary.tcp.ok", "addr", r.TCP.Address, "time", localMS(r.TCP.ConnectTime, l))
	case r.Ports != nil:
		return portsSummary(r.Ports, l)
	case r.Addresses != nil:
		return addressesSummary(r, l)
	case r.Idle != nil:
		return idleSummary(r.Idle, l)
	case r.TLS != nil:
		return l.T("summary.tls.ok", "version", r.TLS.Version, "subject", r.TLS.Subject, "issuer", r.TLS.Issuer,
			"until", r.TLS.NotAfter.Format("2006-01-02"))
	case r.Auth != nil:
		return l.T("summary.auth.ok", "user", r.Auth.User, "mech", r.Auth.Mechanism)
	case r.Data != nil:
		if r.Data.Foreign {
			return l.T("summary.data.foreign", "command", r.Data.Command, "announced", r.Data.Announced, "used", r.Data.Used, "entries", r.Data.Entries)
		}
		return l.T("summary.data.ok", "command", r.Data.Command, "used", r.Data.Used, "entries", r.Data.Entries)
	case r.Transfer != nil:
		s := l.T("summary.transfer.ok", "size", Bytes(r.Transfer.Size), "time", localMS(r.Transfer.Duration, l),
			"rate", Bytes(int64(r.Transfer.BytesPerSecond)))
		if r.Transfer.Deleted {
			s += " " + l.T("summary.transfer.deleted")
		}
		return s
	case r.Server != nil:
		return serverSummary(r.Server, l)
	case r.Provider != nil:
		return providerSummary(r.Provider, l)
	}
	return l.T("status." + string(r.Status))
}

func serverSummary(s *checks.ServerFacts, l Lang) string {
	out := l.T("summary.server.greeting", "greeting", s.Greeting)
	if s.Relay != "" {
		out += " " + l.T("summary.server.relay."+s.Relay)
	}
	return out
}

func portsSummary(ports []checks.PortFacts, l Lang) string {
	if len(ports) == 0 {
		return l.T("summary.ports.none")
	}
	var open, closed []string
	for _, p := range ports {
		label := strconv.Itoa(p.Port)
		if p.Answered() || p.Answer == checks.AnswerSSH {
			open = append(open, label+" ("+l.T("answer."+p.Answer)+")")
		} else {
			closed = append(closed, label+" ("+l.T("answer."+p.Answer)+")")
		}
	}
	parts := []string{}
	if len(open) > 0 {
		parts = append(parts, l.T("summary.ports.open", "ports", strings.Join(open, ", ")))
	}
	if len(closed) > 0 {
		parts = append(parts, l.T("summary.ports.closed", "ports", strings.Join(closed, ", ")))
	}
	return strings.Join(parts, "; ")
}

// ms formats a duration for people: "12 ms", "1.5 s".
func ms(d time.Duration) string {
	switch {
	case d <= 0:
		return "0 ms"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// localMS is ms in l's units ("12 мс", "1,5 с" in Russian).
func localMS(d time.Duration, l Lang) string {
	if l != RU {
		return ms(d)
	}
	return strings.NewReplacer(" ms", " мс", " s", " с", ".", ",").Replace(ms(d))
}

// Bytes formats a byte count with binary units: "2.0 MiB".
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
