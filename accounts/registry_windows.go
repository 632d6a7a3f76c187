//go:build windows

package accounts

import (
	"golang.org/x/sys/windows/registry"
)

// winKey is a key of the Windows registry, opened read-only.
type winKey struct {
	k    registry.Key
	path string
}

// currentUser is HKEY_CURRENT_USER.
func currentUser() Key { return winKey{k: registry.CURRENT_USER, path: `HKEY_CURRENT_USER`} }

func (w winKey) Open(path string) (Key, error) {
	k, err := registry.OpenKey(w.k, path, registry.READ)
	if err != nil {
		return nil, err
	}
	return winKey{k: k, path: w.path + `\` + path}, nil
}

func (w winKey) SubKeys() ([]string, error) { return w.k.ReadSubKeyNames(-1) }

func (w winKey) ValueNames() ([]string, error) { return w.k.ReadValueNames(-1) }

func (w winKey) Value(name string) (Value, bool) {
	size, typ, err := w.k.GetValue(name, nil)
	if err != nil || size > maxValueSize {
		return Value{}, false
	}
	switch typ {
	case registry.SZ, registry.EXPAND_SZ:
		s, _, err := w.k.GetStringValue(name)
		return Value{Kind: KindString, String: s}, err == nil
	case registry.DWORD, registry.QWORD:
		n, _, err := w.k.GetIntegerValue(name)
		return Value{Kind: KindDWord, Int: n}, err == nil
	case registry.BINARY:
		b, _, err := w.k.GetBinaryValue(name)
		return Value{Kind: KindBinary, Binary: b}, err == nil
	}
	return Value{}, false
}

func (w winKey) Close() {
	if w.k != registry.CURRENT_USER {
		w.k.Close()
	}
}

func (w winKey) Path() string { return w.path }
