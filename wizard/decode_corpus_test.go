package wizard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"assistant/checks"
)

// corpusEntry is one message of testdata/pasted/real: copied verbatim
// from a public post (Source), with the fields a careful human reads in it
// (Want). A field Want leaves out is not compared; "server": null means
// the message names no server.
type corpusEntry struct {
	File, Source, Client, Lang, Note string
	Want                             map[string]json.RawMessage
}

func readCorpus(t testing.TB) []corpusEntry {
	b, err := os.ReadFile("testdata/pasted/real/index.json")
	if err != nil {
		t.Fatal(err)
	}
	var entries []corpusEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestDecodeRealCorpus decodes every real message and compares it field by
// field with what a careful human reads in it.
func TestDecodeRealCorpus(t *testing.T) {
	entries := readCorpus(t)
	if len(entries) < 60 {
		t.Errorf("the corpus holds %d messages, want at least 60", len(entries))
	}
	files, _ := filepath.Glob("testdata/pasted/real/*.txt")
	if len(files) != len(entries) {
		t.Errorf("%d files, %d index entries", len(files), len(entries))
	}
	langs := map[string]int{}
	pass := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Source, "http") || e.Client == "" {
			t.Errorf("%s: no source or client in the index", e.File)
		}
		langs[e.Lang]++
		b, err := os.ReadFile(filepath.Join("testdata/pasted/real", e.File))
		if err != nil {
			t.Error(err)
			continue
		}
		d := Decode(string(b))
		got := map[string]any{}
		gj, _ := json.Marshal(d)
		json.Unmarshal(gj, &got)
		ok := true
		for k, raw := range e.Want {
			var want any
			json.Unmarshal(raw, &want)
			switch k {
			case "codes":
				for _, c := range want.([]any) {
					if !contains(d.Codes, c.(string)) {
						t.Errorf("%s: code %s not among %v", e.File, c, d.Codes)
						ok = false
					}
				}
				continue
			case "security":
				sec, _ := d.Security()
				got[k] = string(sec)
			case "server_placeholder":
				got[k] = d.ServerPlaceholder
			case "ssl":
				if d.SSL == nil {
					got[k] = nil
				}
			}
			g, present := got[k]
			if !present {
				g = nil
			}
			if gs, _ := json.Marshal(g); string(gs) != string(mustJSON(want)) {
				t.Errorf("%s: %s = %s, want %s", e.File, k, gs, raw)
				ok = false
			}
		}
		if ok {
			pass++
		}
	}
	t.Logf("real corpus: %d messages, %d pass (%.0f %%), languages %v", len(entries), pass, 100*float64(pass)/float64(len(entries)), langs)
	if langs["ru"] == 0 || langs["en"] == 0 {
		t.Errorf("the corpus needs English and Russian messages: %v", langs)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// emptyServerRE finds a server field shown empty: "Server: ”", "Сервер: «»".
var emptyServerRE = regexp.MustCompile(`(?i)(?:server|сервер)\s*[:=;]?\s*(?:''|‘’|’’|""|“”|«»|„“|''|` + "``" + `)`)

// TestNoHostMissingWithoutEmptyServer is the property of issue 8: no text
// yields host-missing — neither among the causes nor as an emptied host —
// unless it shows an empty server field. It runs over every test message,
// each cut, wrapped and stripped of its server value in many ways.
func TestNoHostMissingWithoutEmptyServer(t *testing.T) {
	var texts []string
	for _, text := range readPasted(t) {
		texts = append(texts, text)
	}
	for _, e := range readCorpus(t) {
		b, _ := os.ReadFile(filepath.Join("testdata/pasted/real", e.File))
		texts = append(texts, string(b))
	}
	var variants []string
	serverValue := regexp.MustCompile(`(?i)((?:server|сервер)\s*:\s*)(['‘’"“«][^'‘’"”»]*['’"”»])`)
	for _, text := range texts {
		variants = append(variants, text,
			serverValue.ReplaceAllString(text, "$1"),              // the value gone
			serverValue.ReplaceAllString(text, "$1\n  $2"),        // wrapped onto the next line
			serverValue.ReplaceAllString(text, "$1\n\n\n\n   $2"), // far away
			serverValue.ReplaceAllString(text, "$1(Server name)"), // a placeholder
			strings.ReplaceAll(text, ":", ":\n"),                  // every field wrapped
			strings.ReplaceAll(text, "'", ""),                     // no quotes at all
			strings.ReplaceAll(text, ",", "\n> "),                 // a quoted forum reply
		)
		for cut := 1; cut < len(text); cut += max(1, len(text)/40) {
			variants = append(variants, text[:cut], text[cut:])
		}
	}
	for _, v := range variants {
		d := Decode(v)
		shown := emptyServerRE.MatchString(v)
		if contains(d.Causes(), HostMissing) && !shown {
			t.Errorf("host-missing without an empty server field in %q", v)
		}
		if got := d.Target(pastedBase, Explicit{}); got.Host == "" && !shown {
			t.Errorf("the host was emptied without an empty server field in %q", v)
		}
	}
}

// pastedBase is a target whose host a user typed: only a message that shows
// an empty server may empty it.
var pastedBase = checks.Target{Service: checks.SMTP, Host: "typed.example.com"}
