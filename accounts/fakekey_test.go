package accounts

import (
	"encoding/binary"
	"errors"
	"sort"
	"strings"
	"unicode/utf16"
)

// fakeKey is a registry key in memory, for the tests of the registry
// readers on any OS. Names match case-insensitively, as in the registry.
type fakeKey struct {
	path   string
	subs   map[string]*fakeKey
	values map[string]Value
	// reads counts Value calls by name, so tests can assert that a
	// password value was never read.
	reads map[string]int
}

func newFakeKey(path string) *fakeKey {
	return &fakeKey{path: path, subs: map[string]*fakeKey{}, values: map[string]Value{}, reads: map[string]int{}}
}

// mkdir creates (or finds) the subkey at path.
func (k *fakeKey) mkdir(path string) *fakeKey {
	cur := k
	for _, part := range strings.Split(path, `\`) {
		next, ok := cur.subs[strings.ToLower(part)]
		if !ok {
			next = newFakeKey(cur.path + `\` + part)
			next.reads = k.reads
			cur.subs[strings.ToLower(part)] = next
		}
		cur = next
	}
	return cur
}

func (k *fakeKey) setString(name, v string) *fakeKey {
	k.values[name] = Value{Kind: KindString, String: v}
	return k
}

func (k *fakeKey) setDWord(name string, v uint32) *fakeKey {
	k.values[name] = Value{Kind: KindDWord, Int: uint64(v)}
	return k
}

// setUTF16 stores a string as Outlook does: REG_BINARY UTF-16LE with a NUL.
func (k *fakeKey) setUTF16(name, v string) *fakeKey {
	u := append(utf16.Encode([]rune(v)), 0)
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	k.values[name] = Value{Kind: KindBinary, Binary: b}
	return k
}

func (k *fakeKey) Open(path string) (Key, error) {
	cur := k
	for _, part := range strings.Split(path, `\`) {
		next, ok := cur.subs[strings.ToLower(part)]
		if !ok {
			return nil, errors.New("not found: " + path)
		}
		cur = next
	}
	return cur, nil
}

func (k *fakeKey) SubKeys() ([]string, error) {
	var out []string
	for _, s := range k.subs {
		out = append(out, s.path[strings.LastIndex(s.path, `\`)+1:])
	}
	sort.Strings(out)
	return out, nil
}

func (k *fakeKey) ValueNames() ([]string, error) {
	var out []string
	for n := range k.values {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

func (k *fakeKey) Value(name string) (Value, bool) {
	for n, v := range k.values {
		if strings.EqualFold(n, name) {
			k.reads[strings.ToLower(n)]++
			return v, true
		}
	}
	return Value{}, false
}

func (k *fakeKey) Close()       {}
func (k *fakeKey) Path() string { return k.path }
