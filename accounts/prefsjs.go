package accounts

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// prefs.js is the preference file Mozilla programs write in each profile:
// one `user_pref("name", value);` call per line, the value a JavaScript
// string, integer or boolean, with // and /* */ comments (format:
// https://firefox-source-docs.mozilla.org/modules/libpref/index.html and
// modules/libpref/parser in mozilla-central). parsePrefs reads it without
// executing anything; a value whose name speaks of a password is skipped
// and never stored.

// prefs maps a preference name to its value: a string, or an integer or
// boolean as its decimal / true / false text.
type prefs map[string]string

var errNoPrefs = errors.New("no user_pref lines")

// parsePrefs reads the user_pref calls of a prefs.js. A malformed line is
// skipped; a file with none at all is invalid unless it is empty.
func parsePrefs(data []byte) (prefs, error) {
	p := prefs{}
	s := string(data)
	bad := 0
	for {
		i := strings.Index(s, "user_pref(")
		if i < 0 {
			break
		}
		s = s[i+len("user_pref("):]
		name, rest, ok := jsString(skipSpace(s))
		if !ok {
			bad++
			s = rest // past the broken string: each byte is scanned once
			continue
		}
		rest = skipSpace(rest)
		if !strings.HasPrefix(rest, ",") {
			bad++
			s = rest
			continue
		}
		rest = skipSpace(rest[1:])
		secret := strings.Contains(strings.ToLower(name), "password")
		var val string
		switch {
		case strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, "'"):
			if secret {
				_, rest, ok = skipJSString(rest)
			} else {
				val, rest, ok = jsString(rest)
			}
		default:
			j := strings.IndexAny(rest, ");\n")
			if j < 0 {
				j = len(rest)
			}
			val, rest = strings.TrimSpace(rest[:j]), rest[j:]
			ok = val != ""
		}
		s = rest
		if !ok {
			bad++
			continue
		}
		if !secret {
			p[name] = val
		}
	}
	if len(p) == 0 && bad > 0 || len(p) == 0 && strings.TrimSpace(stripComments(string(data))) != "" {
		return p, invalidError{errNoPrefs}
	}
	return p, nil
}

func skipSpace(s string) string { return strings.TrimLeft(s, " \t\r\n") }

// stripComments removes the comment lines a fresh prefs.js starts with.
func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/*") || strings.HasPrefix(t, "*") {
			continue
		}
		b.WriteString(t)
	}
	return b.String()
}

// skipJSString passes over a quoted string without keeping it.
func skipJSString(s string) (string, string, bool) {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return "", s[i+1:], true
		case '\n':
			return "", s[i:], false
		}
	}
	return "", "", false
}

// jsString decodes a JavaScript string literal at the start of s (the
// escapes prefs.js uses: \" \\ \n \t \r \xHH \uHHHH), returning the rest.
func jsString(s string) (string, string, bool) {
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return "", s, false
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return b.String(), s[i+1:], true
		case c == '\n':
			return "", s[i:], false
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			break
		}
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u':
			n := 2
			if e == 'u' {
				n = 4
			}
			if i+n >= len(s) {
				return "", s[i:], false
			}
			r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil {
				return "", s[i:], false
			}
			b.WriteRune(rune(r))
			i += n
		default:
			b.WriteByte(e)
		}
	}
	return "", "", false
}

// str is a preference's string value.
func (p prefs) str(name string) string { return p[name] }

// num is a preference's integer value; ok is false when it is absent or
// not a number.
func (p prefs) num(name string) (int, bool) {
	v, found := p[name]
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// list splits a comma-separated preference ("account1,account2").
func (p prefs) list(name string) []string {
	var out []string
	for _, s := range strings.Split(p[name], ",") {
		if s = strings.TrimSpace(s); s != "" && utf8.ValidString(s) {
			out = append(out, s)
		}
	}
	return out
}
