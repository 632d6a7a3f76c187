package cli

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"assistant/checks"
	"assistant/wizard"
)

// Bounds of check's flags: beyond them a value is a typo or an attack on
// the test server, not a diagnosis (--transfer-size 1024GiB sent 16.9 GB in
// 3 s; --repeat 1000000 --interval 0 ran 400 times a second).
const (
	MaxTransferSize = 1 << 30          // --transfer-size: 1 GiB
	MaxTimeout      = 10 * time.Minute // --timeout, per network step
	MaxRepeat       = 1000             // --repeat
	MinInterval     = time.Second      // --interval between runs
	MaxIdleTest     = 30 * time.Minute // --idle-test: routers forget idle connections within minutes
)

// maxPasswordLine bounds the line --password-stdin reads (with its CR LF),
// so that a stream without a newline (/dev/zero) cannot grow the process.
const maxPasswordLine = 4 << 10

// limitMessage says which bound a value crosses, or "" when none.
func limitMessage(t checks.Target, repeat int, interval time.Duration, lang wizard.Lang) string {
	switch {
	case t.TransferSize > MaxTransferSize:
		return lang.T("cli2.too_large", "flag", "--transfer-size", "max", "1GiB")
	case t.Timeout > MaxTimeout:
		return lang.T("cli2.too_large", "flag", "--timeout", "max", MaxTimeout.String())
	case t.IdleTest > MaxIdleTest:
		return lang.T("cli2.too_large", "flag", "--idle-test", "max", MaxIdleTest.String())
	case repeat > MaxRepeat:
		return lang.T("cli2.too_large", "flag", "--repeat", "max", strconv.Itoa(MaxRepeat))
	case repeat > 1 && interval < MinInterval:
		return lang.T("cli2.too_small", "flag", "--interval", "min", MinInterval.String())
	}
	return ""
}

// validResolver reports whether s is a usable DNS server address: an IP
// address or host name and a port in 1-65535 ("192.0.2.53:53", "[::1]:53").
func validResolver(s string) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return false
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	if strings.Trim(host, "0123456789.") == "" {
		return false // looks like an IPv4 address but is not one (300.1.1.1)
	}
	clean, _, changes, problem := checks.CleanHost(host)
	return problem == "" && len(changes) == 0 && clean == host
}

// langError is the message for a --lang value that is no known language,
// or "" when --lang is absent or known.
func langError(args []string, lang wizard.Lang) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "lang=")
		ok = ok && strings.HasPrefix(a, "-")
		if !ok && (a == "--lang" || a == "-lang") && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if _, known := wizard.ParseLang(v); ok && !known {
			return lang.T("cli2.bad_lang", "value", v)
		}
	}
	return ""
}
