package wizard

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecode: no panic, bounded time, a capped valid text, an explanation
// in both languages and a JSON form that reads back the same, on any input.
// The seed corpus is the testdata/pasted messages.
func FuzzDecode(f *testing.F) {
	for _, text := range readPasted(f) {
		f.Add(text)
	}
	f.Add("Server: '")
	f.Add("\xff\xfe Порт: 99999999999999999999")
	f.Fuzz(func(t *testing.T, in string) {
		start := time.Now()
		d := Decode(in)
		if len(d.Text) > MaxDecodeInput || !utf8.ValidString(d.Text) {
			t.Fatalf("text of %d bytes, valid %v", len(d.Text), utf8.ValidString(d.Text))
		}
		for _, l := range Langs {
			if out := Explain(d, l); !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 in explanation")
			}
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back Decoded
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, d) {
			t.Fatalf("JSON round trip: %v\n%+v\n%+v", err, back, d)
		}
		if d.Port < 0 || d.Port > 65535 {
			t.Fatalf("port %d", d.Port)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("took %v", el)
		}
	})
}
