package provider

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// files is the ISPDB snapshot: Mozilla's provider database (thunderbird/
// autoconfig, folder ispdb/, MPL-2.0; see ispdb/LICENSE and ispdb/SOURCE.md).
//
//go:embed ispdb/*.xml
var files embed.FS

// db is the parsed database: every provider once, and an index from each
// of its domains to it.
type db struct {
	providers []*Config
	byDomain  map[string]*Config
	errs      []error
}

var (
	dbOnce sync.Once
	dbData *db
)

// load parses the embedded files once, on first use.
func load() *db {
	dbOnce.Do(func() { dbData = build(files) })
	return dbData
}

// build parses every file of fsys's ispdb folder into an index. A domain
// listed by two files keeps the first file's entry (files in name order).
func build(fsys fs.FS) *db {
	d := &db{byDomain: map[string]*Config{}}
	names, _ := fs.Glob(fsys, "ispdb/*.xml")
	sort.Strings(names)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err == nil {
			var c *Config
			if c, err = ParseBytes(b); err == nil {
				d.providers = append(d.providers, c)
				for _, dom := range c.Domains {
					dom = Normalize(dom)
					if _, dup := d.byDomain[dom]; !dup {
						d.byDomain[dom] = c
					}
				}
				continue
			}
		}
		d.errs = append(d.errs, fmt.Errorf("%s: %w", name, err))
	}
	return d
}

// Lookup returns the database's entry (shared: do not modify it) for a mail domain (Unicode or
// punycode, any case, with or without a trailing dot).
func Lookup(domain string) (*Config, bool) {
	c, ok := load().byDomain[Normalize(domain)]
	return c, ok
}

// LookupMX returns the database's entry for a domain whose MX host is
// mxHost, as Thunderbird does, by the MX host's parent domains from the
// most specific down to its base (registrable) domain: a Microsoft 365
// MX (x.mail.protection.outlook.com) finds the entry listing
// mail.protection.outlook.com before outlook.com's; aspmx.l.google.com
// finds google.com. The domain that matched is returned with the entry.
func LookupMX(mxHost string) (*Config, string, bool) {
	host := Normalize(mxHost)
	base, err := publicsuffix.EffectiveTLDPlusOne(host)
	if host == "" || err != nil {
		return nil, "", false
	}
	for dom := host; ; {
		_, parent, ok := strings.Cut(dom, ".")
		if !ok || len(parent) < len(base) {
			return nil, "", false
		}
		if c, ok := load().byDomain[parent]; ok {
			return c, parent, true
		}
		dom = parent
	}
}

// Normalize lowers a domain, removes a trailing dot and converts Unicode
// labels to punycode (IDNA 2008 lookup rules); "" when it cannot be used.
func Normalize(domain string) string {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	a, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return ""
	}
	return strings.ToLower(a)
}

// Counts returns how many providers and domains the embedded database holds.
func Counts() (providers, domains int) {
	d := load()
	return len(d.providers), len(d.byDomain)
}

// Providers returns every provider of the embedded database, in file order.
func Providers() []*Config { return append([]*Config(nil), load().providers...) }
