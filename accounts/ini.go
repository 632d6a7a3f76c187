package accounts

import (
	"bytes"
	"strings"
)

// iniSection is one [section] of an INI file: its keys in file order.
type iniSection struct {
	name   string
	keys   []string
	values map[string]string
}

func (s *iniSection) get(key string) string { return s.values[strings.ToLower(key)] }

func (s *iniSection) has(key string) bool {
	_, ok := s.values[strings.ToLower(key)]
	return ok
}

// parseINI reads the INI files profiles.ini and WinSCP.ini: [sections],
// key=value lines, ; and # comments; a UTF-8 BOM is dropped. Keys are
// case-insensitive. A value that a key names a password for is never
// kept (the caller lists such keys in secret).
func parseINI(data []byte, secret func(key string) bool) []*iniSection {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var out []*iniSection
	var cur *iniSection
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		switch {
		case line == "" || line[0] == ';' || line[0] == '#':
			continue
		case line[0] == '[' && strings.HasSuffix(line, "]"):
			cur = &iniSection{name: line[1 : len(line)-1], values: map[string]string{}}
			out = append(out, cur)
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || cur == nil {
			continue
		}
		k = strings.TrimSpace(k)
		lk := strings.ToLower(k)
		if secret != nil && secret(lk) {
			v = ""
		}
		if _, dup := cur.values[lk]; !dup {
			cur.keys = append(cur.keys, k)
		}
		cur.values[lk] = v
	}
	return out
}
