package checks

import (
	"encoding/base64"
	"reflect"
	"strings"
)

// redactor removes a password, and the forms login commands carry it in,
// from any text before it leaves a check: the transcript line by line as
// it is recorded, and every string of a Result (steps, fault, warnings and
// all facts, including replies a server echoed the credentials into) when
// the check ends.
type redactor struct{ needles []string }

func newRedactor(user string, s Secret) *redactor {
	if !s.Given() {
		return &redactor{}
	}
	p := s.Reveal()
	var needles []string
	for _, clear := range []string{
		"\x00" + user + "\x00" + p,        // SASL PLAIN, no authorization identity
		user + "\x00" + user + "\x00" + p, // SASL PLAIN naming it
		p,                                 // SASL LOGIN's password line
	} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
			needles = append(needles, enc.EncodeToString([]byte(clear)))
		}
	}
	// The IMAP quoted string LOGIN sends (backslash before " and \), then
	// the password as typed.
	needles = append(needles, strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p), p)
	return &redactor{needles: needles}
}

func (r *redactor) line(s string) string {
	if r == nil {
		return s
	}
	for _, n := range r.needles {
		if n != "" {
			s = strings.ReplaceAll(s, n, Hidden)
		}
	}
	return s
}

// result redacts every string reachable from a Result, in place: fields,
// slices and the structs pointers lead to. It is the one place that makes
// a whole Result safe to leave package checks.
func (r *redactor) result(res *Result) {
	if r == nil || len(r.needles) == 0 {
		return
	}
	r.value(reflect.ValueOf(res).Elem())
}

func (r *redactor) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := r.line(v.String()); s != v.String() {
				v.SetString(s)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			r.value(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				r.value(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			r.value(v.Index(i))
		}
	}
}
