package checks

import (
	"strings"
	"unicode"
)

// Limits of a DNS name (RFC 1035 §2.3.4): the whole name in its ASCII form
// and each label between dots.
const (
	MaxHostLength  = 253
	MaxLabelLength = 63
)

// Why HostTrouble says a host is invalid.
const (
	HostSpace        = "space"          // a space between two letters of the name
	HostTooLong      = "too-long"       // more than MaxHostLength characters
	HostLabelTooLong = "label-too-long" // a label longer than MaxLabelLength
	HostCharacters   = "characters"     // characters a host name cannot have
)

// isZeroWidth reports the invisible characters a copy from a web page or a
// document leaves in a name.
func isZeroWidth(r rune) bool { return r == '\u200b' || r == '\ufeff' || r == '\u2060' }

// removeSpaces drops zero-width characters and white space from raw. joined
// is false when white space stood between two characters of a name (not
// next to a dot or at either end): joining them would make another name.
func removeSpaces(raw string) (h string, joined bool) {
	parts := strings.FieldsFunc(strings.Map(func(r rune) rune {
		if isZeroWidth(r) {
			return -1
		}
		return r
	}, raw), unicode.IsSpace)
	joined = true
	for i := 1; i < len(parts); i++ {
		if !strings.HasSuffix(parts[i-1], ".") && !strings.HasPrefix(parts[i], ".") {
			joined = false
		}
	}
	return strings.Join(parts, ""), joined
}

// HostTrouble says why CleanHost calls raw invalid, as one of the Host*
// reasons, and gives a suggestion where one is obvious: for a space inside
// a name, the name with dots for the spaces ("mail example.com": did you
// mean "mail.example.com"?). n is the length that is too long (of the
// name, or of its longest label). reason is "" for a host CleanHost accepts
// or finds empty.
func HostTrouble(raw string) (reason, suggestion string, n int) {
	host, _, _, problem := CleanHost(raw)
	if problem != InputInvalid {
		return "", "", 0
	}
	if _, joined := removeSpaces(raw); !joined {
		dotted := strings.Join(strings.FieldsFunc(raw, unicode.IsSpace), ".")
		if h, _, _, p := CleanHost(dotted); p == "" {
			suggestion = h
		}
		return HostSpace, suggestion, 0
	}
	if len(host) > MaxHostLength {
		return HostTooLong, "", len(host)
	}
	for _, label := range strings.Split(host, ".") {
		n = max(n, len(label))
	}
	if n > MaxLabelLength {
		return HostLabelTooLong, "", n
	}
	return HostCharacters, "", 0
}
