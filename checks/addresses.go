package checks

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"sync"
)

// WarnAddressFailed is the addresses check's warning when some address of
// the name did not accept a connection to the configured port.
const WarnAddressFailed = "address-failed"

// addressesPerFamily bounds how many addresses of each family are tried.
const addressesPerFamily = 4

// Address families recorded in AddressFacts.Family.
const (
	FamilyIPv4 = "ipv4"
	FamilyIPv6 = "ipv6"
)

// probeAddresses tries every address the name resolved to (up to
// addressesPerFamily of each family) on the configured port, side by side
// and beside the main sequence, with a bare connect that is closed at once.
// The first address is the one the tcp check tries first: its outcome is
// taken from the tcp check, so that this check never competes with the
// main connection for a server's last free slot. The check passes when
// every address connected and warns (address-failed) otherwise; it never
// fails, the tcp check owns the configured port's verdict.
func probeAddresses(ctx context.Context, s *Session) {
	rec := s.Rec(CheckAddresses)
	addrs := pickAddresses(s.Addrs)
	if len(addrs) < 2 {
		rec.Skip(SkipNotApplicable) // one address: the tcp check says it all
		return
	}
	facts := make([]AddressFacts, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		facts[i] = AddressFacts{Address: a.String(), Port: s.Target.Port, Family: family(a)}
		wg.Go(func() {
			if i == 0 && s.firstFromTCP(ctx, &facts[0]) {
				return
			}
			s.connectAddress(ctx, &facts[i])
		})
	}
	wg.Wait()
	if tcp := s.Rec(CheckTCP).snapshot(); tcp.Status == StatusPass && tcp.TCP != nil {
		for i := range facts {
			facts[i].Used = tcp.TCP.Address == net.JoinHostPort(facts[i].Address, strconv.Itoa(facts[i].Port))
		}
	}
	failed := false
	for _, f := range facts {
		var err error
		if f.Fault != nil {
			err, failed = f.Fault, true
		}
		detail := f.Duration.String()
		if f.Used {
			detail += " (used by the tcp check)"
		}
		rec.Step("connect "+net.JoinHostPort(f.Address, strconv.Itoa(f.Port)), detail, err)
	}
	rec.Facts(func(r *Result) { r.Addresses = facts })
	if failed && ctx.Err() == nil {
		rec.Warn(WarnAddressFailed)
	}
}

// pickAddresses keeps the first addressesPerFamily addresses of each
// family, in the order the tcp check tries them.
func pickAddresses(all []netip.Addr) []netip.Addr {
	var out []netip.Addr
	n := map[string]int{}
	for _, a := range all {
		if fam := family(a); n[fam] < addressesPerFamily {
			n[fam]++
			out = append(out, a)
		}
	}
	return out
}

func family(a netip.Addr) string {
	if a.Unmap().Is4() {
		return FamilyIPv4
	}
	return FamilyIPv6
}

// firstFromTCP fills the first address's outcome from the tcp check's
// first connect; false when the tcp check never tried it.
func (s *Session) firstFromTCP(ctx context.Context, f *AddressFacts) bool {
	select {
	case <-s.tcpDone:
	case <-ctx.Done():
		return false
	}
	res := s.Rec(CheckTCP).snapshot()
	if len(res.Steps) == 0 || res.TCP == nil || len(res.TCP.Faults) == 0 {
		return false
	}
	if flt := res.TCP.Faults[0]; flt != nil && flt.Kind == FaultCanceled {
		return false
	}
	f.Duration, f.Fault, f.FromTCP = res.Steps[0].Duration, res.TCP.Faults[0], true
	f.Connected = f.Fault == nil
	return true
}

// connectAddress connects to one address on the configured port and
// closes the connection at once.
func (s *Session) connectAddress(ctx context.Context, f *AddressFacts) {
	start := timeNow()
	d := net.Dialer{Timeout: s.Target.Timeout}
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(f.Address, strconv.Itoa(f.Port)))
	f.Duration = timeNow().Sub(start)
	if err != nil {
		f.Fault = Classify(err, StageConnect)
		return
	}
	f.Connected = true
	_ = c.Close()
}
