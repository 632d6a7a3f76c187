package wizard

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Lang is a language of the texts.
type Lang string

// The languages every text exists in.
const (
	EN Lang = "en"
	RU Lang = "ru"
)

// Langs lists the supported languages.
var Langs = []Lang{EN, RU}

// ParseLang accepts "en", "ru" and locale names ("ru_RU.UTF-8", "en-US").
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Langs {
		if s == string(l) || strings.HasPrefix(s, string(l)+"_") || strings.HasPrefix(s, string(l)+"-") || strings.HasPrefix(s, string(l)+".") {
			return l, true
		}
	}
	return "", false
}

// EnvLang picks the language from LANGUAGE, LC_ALL, LC_MESSAGES and LANG, in
// that order, as the C library does; English when none names a known one.
func EnvLang() Lang {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		// LANGUAGE may list several, separated by colons.
		for _, part := range strings.Split(val, ":") {
			if l, ok := ParseLang(part); ok {
				return l
			}
		}
		if v != "LANGUAGE" {
			break
		}
	}
	return EN
}

//go:embed texts/*.json
var textFiles embed.FS

// catalog holds every text: catalog[lang][key] = template. Templates name
// their values in braces: "Port {port} on {host} refused the connection."
var catalog = mustLoad(textFiles)

// mustLoad reads texts/<area>.<lang>.json files; a key defined twice in one
// language is a programming error.
func mustLoad(fsys fs.FS) map[Lang]map[string]string {
	cat, err := loadCatalog(fsys)
	if err != nil {
		panic(err)
	}
	return cat
}

func loadCatalog(fsys fs.FS) (map[Lang]map[string]string, error) {
	cat := map[Lang]map[string]string{}
	for _, l := range Langs {
		cat[l] = map[string]string{}
	}
	files, err := fs.Glob(fsys, "texts/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		base := strings.TrimSuffix(path.Base(f), ".json")
		dot := strings.LastIndexByte(base, '.')
		if dot < 0 {
			return nil, fmt.Errorf("%s: name must be <area>.<lang>.json", f)
		}
		l := Lang(base[dot+1:])
		if cat[l] == nil {
			return nil, fmt.Errorf("%s: unknown language %q", f, l)
		}
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for k, v := range m {
			if _, dup := cat[l][k]; dup {
				return nil, fmt.Errorf("%s: key %q defined twice", f, k)
			}
			cat[l][k] = v
		}
	}
	return cat, nil
}

// T returns the text for key in l, with {name} placeholders filled from
// args given as name, value pairs. A missing key shows as the key itself
// (the catalog test makes sure none is missing).
func (l Lang) T(key string, args ...any) string {
	tmpl, ok := catalog[l][key]
	if !ok {
		tmpl, ok = catalog[EN][key]
		if !ok {
			return key
		}
	}
	if len(args) == 0 {
		return tmpl
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// Has reports whether a key exists in the language.
func (l Lang) Has(key string) bool {
	_, ok := catalog[l][key]
	return ok
}

// HasStep reports whether a remediation step exists under key: a text of
// its own, or a program-specific text key.<program> for some program.
func (l Lang) HasStep(key string) bool {
	if l.Has(key) {
		return true
	}
	for _, p := range Programs {
		if l.Has(key + "." + string(p)) {
			return true
		}
	}
	return false
}

// Keys lists every key of a language, sorted.
func (l Lang) Keys() []string {
	keys := make([]string, 0, len(catalog[l]))
	for k := range catalog[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
