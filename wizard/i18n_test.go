package wizard

import (
	"regexp"
	"sort"
	"testing"
)

// TestCatalogComplete fails when a key exists in one language and not the
// other, or when the two translations use different placeholders.
func TestCatalogComplete(t *testing.T) {
	ph := regexp.MustCompile(`\{[a-z_0-9]+\}`)
	for _, a := range Langs {
		for _, b := range Langs {
			if a == b {
				continue
			}
			for _, k := range a.Keys() {
				if !b.Has(k) {
					t.Errorf("key %q is in %s but missing in %s", k, a, b)
					continue
				}
				pa, pb := ph.FindAllString(a.T(k), -1), ph.FindAllString(b.T(k), -1)
				sort.Strings(pa)
				sort.Strings(pb)
				if a == EN && !equalSets(pa, pb) {
					t.Errorf("key %q: placeholders %v in %s but %v in %s", k, pa, a, pb, b)
				}
			}
		}
	}
}

func equalSets(a, b []string) bool {
	set := map[string]bool{}
	for _, x := range a {
		set[x] = true
	}
	other := map[string]bool{}
	for _, x := range b {
		other[x] = true
	}
	if len(set) != len(other) {
		return false
	}
	for x := range set {
		if !other[x] {
			return false
		}
	}
	return true
}

func TestTFillsPlaceholders(t *testing.T) {
	catalog[EN]["test.hello"] = "Port {port} on {host}"
	defer delete(catalog[EN], "test.hello")
	if got := EN.T("test.hello", "port", 25, "host", "mail.example.com"); got != "Port 25 on mail.example.com" {
		t.Fatalf("got %q", got)
	}
	if got := RU.T("test.hello", "port", 25, "host", "x"); got != "Port 25 on x" {
		t.Fatalf("fallback to English: got %q", got)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"ru": RU, "ru_RU.UTF-8": RU, "en-US": EN, "EN": EN} {
		if got, ok := ParseLang(in); !ok || got != want {
			t.Errorf("ParseLang(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseLang("C.UTF-8"); ok {
		t.Error("C.UTF-8 is no language")
	}
}

func TestEnvLang(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "ru_RU.UTF-8")
	t.Setenv("LANG", "en_US.UTF-8")
	if got := EnvLang(); got != RU {
		t.Fatalf("LC_MESSAGES wins over LANG: got %s", got)
	}
	t.Setenv("LANGUAGE", "de:ru")
	if got := EnvLang(); got != RU {
		t.Fatalf("LANGUAGE list: got %s", got)
	}
}
