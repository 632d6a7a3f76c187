package checks

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
)

// Codes of what CleanHost changed, recorded in InputFacts.Changes.
const (
	ChangeSpace       = "space"
	ChangeScheme      = "scheme"
	ChangePath        = "path"
	ChangeUser        = "user"
	ChangePort        = "port"
	ChangeIDN         = "idn"
	ChangeTrailingDot = "trailing-dot"
	ChangeBrackets    = "brackets"
)

// WarnHostCleaned is the input check's warning when the typed host had to
// be cleaned before use.
const WarnHostCleaned = "host-cleaned"

// Errors the input check records as its fault (kind not-found, stage input:
// a client given such a name cannot locate the server).
var (
	ErrHostEmpty   = errors.New("no server name given")
	ErrHostInvalid = errors.New("server name has characters no cleaning can fix")
)

// CleanHost turns a typed or pasted server name into the host to use. It
// removes spaces (leading and trailing ones, tabs, newlines, non-breaking and
// zero-width spaces, and inner ones next to a dot; a space between two
// letters of a name makes it invalid: "mail example.com" is not silently
// "mailexample.com", another domain), a scheme ("smtp://"), a path, a "user@" prefix, IPv6
// brackets, a ":port" (returned in port; 0 when none was typed), trailing
// dots, and converts an international name to punycode. changes lists what
// was done, in that order, as Change* codes. problem is InputEmpty when
// nothing is left and InputInvalid when what is left cannot be a host name
// or address; host then holds the best cleaned form for display.
func CleanHost(raw string) (host string, port int, changes []string, problem string) {
	note := func(c string) { changes = append(changes, c) }
	h, joined := removeSpaces(raw)
	if h != raw {
		note(ChangeSpace)
	}
	if !joined {
		return strings.TrimFunc(raw, unicode.IsSpace), 0, changes, InputInvalid
	}
	if i := strings.Index(h, "://"); i >= 0 && isScheme(h[:i]) {
		h = h[i+3:]
		note(ChangeScheme)
	}
	if i := strings.IndexAny(h, "/?#\\"); i >= 0 {
		h = h[:i]
		note(ChangePath)
	}
	if i := strings.LastIndexByte(h, '@'); i >= 0 {
		h = h[i+1:]
		note(ChangeUser)
	}
	h, port, ok := splitPort(h, note)
	if !ok {
		return h, 0, changes, InputInvalid
	}
	if t := strings.TrimRight(h, "."); t != h {
		h = t
		note(ChangeTrailingDot)
	}
	if h == "" {
		return "", port, changes, InputEmpty
	}
	if a, err := netip.ParseAddr(h); err == nil {
		// An IPv6 zone ("fe80::1%eth0") names the interface of a
		// link-local address; it is kept as typed.
		return a.String(), port, changes, ""
	}
	if !isASCII(h) {
		a, err := idna.Lookup.ToASCII(h)
		if err != nil {
			return h, port, changes, InputInvalid
		}
		h = a
		note(ChangeIDN)
	}
	if !isHostName(h) {
		return h, port, changes, InputInvalid
	}
	return h, port, changes, ""
}

// splitPort removes IPv6 brackets and a ":port"; ok is false for a port that
// is not a number in 1-65535 or unbalanced brackets.
func splitPort(h string, note func(string)) (string, int, bool) {
	rest := ""
	switch {
	case strings.HasPrefix(h, "["):
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return h, 0, false
		}
		h, rest = h[1:end], h[end+1:]
		note(ChangeBrackets)
		if rest != "" && !strings.HasPrefix(rest, ":") {
			return h, 0, false
		}
	case strings.Count(h, ":") == 1:
		h, rest, _ = strings.Cut(h, ":")
		rest = ":" + rest
	}
	if rest == "" {
		return h, 0, true
	}
	p, err := strconv.Atoi(rest[1:])
	if err != nil || p < 1 || p > 65535 {
		return h, 0, false
	}
	note(ChangePort)
	return h, p, true
}

// isScheme reports whether s looks like a URL scheme (smtp, ftps, imap...).
func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// isHostName checks an ASCII name: labels of letters, digits, '-' and '_'
// (some internal names use it), 1-63 characters, 253 in all.
func isHostName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// probeInput cleans the typed host with CleanHost. A usable host that had to
// be cleaned passes with the warning "host-cleaned" and the run goes on with
// the cleaned host (and the typed ":port", if any). An empty host or one
// with characters cleaning cannot fix fails the check with a fault of kind
// not-found at stage input (InputFacts.Problem says which); nothing after it
// runs.
func probeInput(ctx context.Context, s *Session) {
	rec := s.Rec(CheckInput)
	host, port, changes, problem := CleanHost(s.Target.Host)
	facts := &InputFacts{RawHost: s.Target.Host, Host: host, Port: s.Target.Port, Changes: changes, Problem: problem}
	if port != 0 {
		facts.Port = port
	}
	defer rec.Facts(func(r *Result) { r.Input = facts })
	switch problem {
	case InputEmpty:
		rec.Fail(StageInput, &Fault{Kind: FaultNotFound, Stage: StageInput, Detail: ErrHostEmpty.Error(), Err: ErrHostEmpty})
		return
	case InputInvalid:
		rec.Fail(StageInput, &Fault{Kind: FaultNotFound, Stage: StageInput, Detail: ErrHostInvalid.Error() + ": " + host, Err: ErrHostInvalid})
		return
	}
	s.Target.Host, s.Target.Port = host, facts.Port
	rec.Step("clean", host+":"+strconv.Itoa(facts.Port), nil)
	if len(changes) > 0 {
		rec.Warn(WarnHostCleaned)
	}
}
