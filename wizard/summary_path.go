package wizard

import (
	"strconv"
	"strings"

	"assistant/checks"
)

// addressesSummary lists the addresses that answered and those that did
// not, with the fault of each.
func addressesSummary(r checks.Result, l Lang) string {
	var ok, failed []string
	port := ""
	for _, a := range r.Addresses {
		port = strconv.Itoa(a.Port)
		if a.Connected {
			ok = append(ok, a.Address)
			continue
		}
		kind := ""
		if a.Fault != nil {
			kind = l.T("fact.kind." + string(a.Fault.Kind))
		}
		failed = append(failed, a.Address+" ("+kind+")")
	}
	if len(failed) == 0 {
		return l.T("summary.addresses.ok", "port", port, "addrs", strings.Join(ok, ", "))
	}
	return l.T("summary.addresses.failed", "port", port, "ok", strings.Join(ok, ", "), "failed", strings.Join(failed, "; "))
}

// idleSummary says how long idle connections survived.
func idleSummary(f *checks.IdleFacts, l Lang) string {
	n := len(f.Probes)
	if f.KeepAlive != nil {
		n++
	}
	if f.SurvivedUpTo == 0 {
		return l.T("summary.idle.none", "count", n)
	}
	return l.T("summary.idle.ok", "survived", secs(f.SurvivedUpTo), "count", n)
}
