package ui

import (
	"strconv"
	"strings"
	"time"

	"assistant/checks"
	"assistant/wizard"
)

// durationText is how long something took, in l's units: "<1 ms",
// "12 ms", "1.4 s" ("1,4 с" in Russian); "" for nothing measured.
func durationText(l wizard.Lang, d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Millisecond:
		return "<" + l.T("window.unit.ms", "n", 1)
	case d < time.Second:
		return l.T("window.unit.ms", "n", d.Milliseconds())
	}
	s := strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
	if l == wizard.RU {
		s = strings.Replace(s, ".", ",", 1)
	}
	return l.T("window.unit.s", "n", s)
}

// stepName is a step's name in l: the checks name their steps in English
// words ("connect 192.0.2.10:587", "greeting") or by protocol command
// ("EHLO", "PASV"); a word the catalog has is translated, the address or
// command after it kept.
func stepName(name string, l wizard.Lang) string {
	if k := stepKey(name); l.Has(k) {
		return l.T(k)
	}
	if word, rest, ok := strings.Cut(name, " "); ok {
		if k := stepKey(word); l.Has(k) {
			return l.T(k) + " " + rest
		}
	}
	return name
}

// stepKey is the catalog key of a step name: "tcp connect (tcp check)"
// becomes "window.step.tcp_connect_tcp_check".
func stepKey(name string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			under = false
		} else {
			under = true
		}
	}
	return "window.step." + b.String()
}

// stepDetail is what a step found, in l where it can be: a failed step
// shows its check's fault in words (the Go error text is in the report's
// evidence), a measured time in l's units; server replies, addresses and
// names stay as they were.
func stepDetail(s checks.Step, res checks.Result, l wizard.Lang) string {
	if s.Status == checks.StatusFail && res.Fault != nil {
		return wizard.FaultText(res.Fault, l)
	}
	if d, err := time.ParseDuration(s.Detail); err == nil {
		return durationText(l, d)
	}
	return s.Detail
}
