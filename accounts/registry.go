package accounts

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Key is a registry key, as small as the readers need: the Windows
// registry behind it on Windows (registry_windows.go), fake keys in tests.
type Key interface {
	// Open opens a subkey by its path (backslash-separated).
	Open(path string) (Key, error)
	// SubKeys lists the names of the subkeys.
	SubKeys() ([]string, error)
	// ValueNames lists the names of the values, without reading them: a
	// password value is only ever seen by its name.
	ValueNames() ([]string, error)
	// Value reads one value.
	Value(name string) (Value, bool)
	// Close releases the key.
	Close()
	// Path is the key's full name, for Account.Source.
	Path() string
}

// ValueKind is the type of a registry value.
type ValueKind int

// Registry value types the readers use.
const (
	KindString ValueKind = iota + 1 // REG_SZ, REG_EXPAND_SZ
	KindDWord                       // REG_DWORD, REG_QWORD
	KindBinary                      // REG_BINARY
)

// Value is a registry value.
type Value struct {
	Kind   ValueKind
	String string
	Int    uint64
	Binary []byte
}

// maxValueSize bounds a binary value the readers decode.
const maxValueSize = 64 << 10

// regString reads a string value that may be stored as REG_SZ or, as
// Outlook stores several, as REG_BINARY holding NUL-terminated UTF-16LE.
func regString(k Key, name string) (string, bool) {
	v, ok := k.Value(name)
	if !ok {
		return "", false
	}
	switch v.Kind {
	case KindString:
		return v.String, true
	case KindDWord:
		return strconv.FormatUint(v.Int, 10), true
	case KindBinary:
		return utf16String(v.Binary), true
	}
	return "", false
}

// regInt reads a number stored as a DWORD, a decimal string, or a 4-byte
// little-endian binary.
func regInt(k Key, name string) (int, bool) {
	v, ok := k.Value(name)
	if !ok {
		return 0, false
	}
	switch v.Kind {
	case KindDWord:
		return int(int32(uint32(v.Int))), true
	case KindString:
		n, err := strconv.Atoi(strings.TrimSpace(v.String))
		return n, err == nil
	case KindBinary:
		if len(v.Binary) == 4 {
			return int(int32(binary.LittleEndian.Uint32(v.Binary))), true
		}
	}
	return 0, false
}

// hasValue reports whether a value of that name exists, without reading it.
func hasValue(k Key, names ...string) bool {
	all, err := k.ValueNames()
	if err != nil {
		return false
	}
	for _, n := range all {
		for _, want := range names {
			if strings.EqualFold(n, want) {
				return true
			}
		}
	}
	return false
}

// utf16String decodes NUL-terminated UTF-16LE bytes (an odd last byte is
// dropped).
func utf16String(b []byte) string {
	if len(b) > maxValueSize {
		b = b[:maxValueSize]
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// openPath opens a key below root, nil when it does not exist.
func openPath(root Key, path string) Key {
	if root == nil {
		return nil
	}
	k, err := root.Open(path)
	if err != nil {
		return nil
	}
	return k
}

// eachSubKey opens the key at path below root and calls f with each of its
// subkeys (at most maxAccounts), reporting a key whose subkeys cannot be
// listed as p (with its Source and Detail filled in). A missing key is no
// problem: the program is not installed.
func eachSubKey(c *collector, root Key, path string, p Problem, f func(name string, sk Key)) {
	k := openPath(root, path)
	if k == nil {
		return
	}
	defer k.Close()
	names, err := k.SubKeys()
	if err != nil {
		p.Source, p.Kind, p.Detail = k.Path(), Unreadable, err.Error()
		c.problem(p)
	}
	for i, n := range names {
		if i >= maxAccounts {
			break
		}
		if sk, err := k.Open(n); err == nil {
			f(n, sk)
			sk.Close()
		}
	}
}
