//go:build !linux

package practice

// startPortBlocked is unavailable here: imitating a filtered port without
// a firewall relies on Linux dropping SYNs to a full accept queue. Windows
// refuses (RST, WSAECONNREFUSED) a connection to a full queue instead, as
// listen's documentation says, and a loopback port that times out needs a
// Windows Firewall rule, which only an administrator may add; a relay that
// accepts and never forwards would be a silent greeting, another fault.
// The text practice.smtp-port-blocked.unavailable says so in the window.
var startPortBlocked func(l *Lab) error
