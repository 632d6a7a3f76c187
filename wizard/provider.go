package wizard

// The provider's documented settings in the report: the JSON "provider"
// object, the provider check's summary, the target rows beside the
// account's settings, and the messages about a typed e-mail address.

import (
	"slices"
	"strconv"
	"strings"

	"assistant/checks"
	"assistant/provider"
)

// jsonProvider is the report's "provider" object (cli-and-report.md).
type jsonProvider struct {
	Name          string                `json:"name,omitempty"`
	Email         string                `json:"email"`
	Domain        string                `json:"domain,omitempty"`
	ASCIIDomain   string                `json:"ascii_domain,omitempty"`
	Problem       string                `json:"problem,omitempty"`
	Source        string                `json:"source,omitempty"`
	Sources       []string              `json:"sources"`
	Documented    []jsonDocumented      `json:"documented"`
	EnableURL     string                `json:"enable_url,omitempty"`
	Differs       []string              `json:"differs"`
	NotOffered    bool                  `json:"not_offered,omitempty"`
	Disagreements []checks.Disagreement `json:"disagreements,omitempty"`
	// Works is "pass" or "fail" for the documented settings checked from
	// this computer; empty when they were not checked separately.
	Works checks.Status `json:"works,omitempty"`
}

type jsonDocumented struct {
	Service  string   `json:"service"`
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security string   `json:"security"`
	Auth     []string `json:"auth"`
	User     string   `json:"user,omitempty"`
	// Flags mark an entry the database probably has wrong (provider.Flag*).
	Flags []string `json:"flags,omitempty"`
}

// providerFacts returns the provider check's facts, or nil.
func providerFacts(results []checks.Result) *checks.ProviderFacts {
	if r := checks.Find(results, checks.CheckProvider); r != nil {
		return r.Provider
	}
	return nil
}

// providerJSON builds the "provider" object; nil without an e-mail address.
func providerJSON(results []checks.Result) *jsonProvider {
	f := providerFacts(results)
	if f == nil {
		return nil
	}
	p := &jsonProvider{Name: f.Name, Email: f.Email, Domain: f.Domain, Problem: f.Problem, Source: f.Source,
		Sources: []string{}, Documented: []jsonDocumented{}, EnableURL: f.EnableURL, Differs: f.Differs,
		NotOffered: f.NotOffered, Disagreements: f.Disagreements}
	if f.ASCIIDomain != f.Domain {
		p.ASCIIDomain = f.ASCIIDomain
	}
	if p.Differs == nil {
		p.Differs = []string{}
	}
	for _, s := range f.Sources {
		if s.Outcome == checks.LookupFound || s.Outcome == checks.LookupNotOffered {
			p.Sources = append(p.Sources, s.Source)
		}
	}
	if f.Documented != nil {
		p.Documented = append(p.Documented, documented(*f.Documented, f.User))
		for _, s := range f.DocumentedAll {
			if s.Service != f.Documented.Service {
				p.Documented = append(p.Documented, documented(s, ""))
			}
		}
	}
	if f.Probe != nil {
		p.Works = f.Probe.Status
	}
	return p
}

func documented(s provider.Server, user string) jsonDocumented {
	d := jsonDocumented{Service: s.Service, Host: s.Host, Port: s.Port, Security: s.Security, Auth: s.Auth, User: user, Flags: s.Flags}
	if d.Auth == nil {
		d.Auth = []string{}
	}
	return d
}

// providerSummary is the provider check's one-line result.
func providerSummary(f *checks.ProviderFacts, l Lang) string {
	switch {
	case f.Problem != "" && f.Problem != checks.EmailNoRecords:
		return EmailProblem(l, f.Email, f.Problem)
	case f.NotOffered:
		return l.T("provider.summary.not_offered", "domain", domainLabel(f), "source", l.T("provider.source."+f.Source))
	case f.Documented == nil:
		return EmailProblem(l, f.Email, checks.EmailNoRecords) + idnNote(f, l)
	}
	args := []any{"provider", providerName(f, l), "doc", serverLabel(*f.Documented, l), "source", l.T("provider.source." + f.Source)}
	var s string
	switch {
	case f.SameAsAccount:
		s = l.T("provider.summary.same", args...)
	case f.Probe != nil && f.Probe.Status == checks.StatusPass:
		s = l.T("provider.summary.works", args...)
	case f.Probe != nil:
		s = l.T("provider.summary.fails", append(args, "fault", FaultText(f.Probe.Fault, l))...)
	}
	for _, d := range f.Disagreements {
		s += " " + l.T("provider.summary.disagree", "source", l.T("provider.source."+d.Source), "doc", serverLabel(d.Server, l))
	}
	return s + idnNote(f, l)
}

// idnNote shows an IDN domain's punycode form.
func idnNote(f *checks.ProviderFacts, l Lang) string {
	if f.ASCIIDomain == "" || f.ASCIIDomain == f.Domain {
		return ""
	}
	return " " + l.T("provider.idn", "domain", f.Domain, "ascii", f.ASCIIDomain)
}

func domainLabel(f *checks.ProviderFacts) string {
	if f.ASCIIDomain != "" && f.ASCIIDomain != f.Domain {
		return f.Domain + " (" + f.ASCIIDomain + ")"
	}
	return f.Domain
}

// providerName is the provider's name, or its domain.
func providerName(f *checks.ProviderFacts, l Lang) string {
	if f.Name != "" {
		return f.Name
	}
	return l.T("provider.unnamed", "domain", domainLabel(f))
}

// serverLabel is "host:port, SSL/TLS".
func serverLabel(s provider.Server, l Lang) string {
	return s.Host + ":" + strconv.Itoa(s.Port) + ", " + l.T("fact.security."+s.Security)
}

// EmailProblem says in l what is wrong with a typed e-mail address (a
// problem code of checks.ParseEmail, or checks.EmailNoRecords), and that the
// check runs on the typed settings.
func EmailProblem(l Lang, email, problem string) string {
	return l.T("provider.email."+problem, "email", email)
}

// providerRows are the report's target rows for the address and the
// documented settings, beside the account's own.
func providerRows(results []checks.Result, l Lang) []row {
	f := providerFacts(results)
	if f == nil {
		return nil
	}
	email := f.Email
	if f.ASCIIDomain != "" && f.ASCIIDomain != f.Domain {
		email += " (" + f.ASCIIDomain + ")"
	}
	rows := []row{{l.T("provider.row.email"), email}}
	if f.Documented != nil {
		v := serverLabel(*f.Documented, l)
		if f.User != "" {
			v += ", " + l.T("provider.row.user", "user", f.User)
		}
		if len(f.Differs) > 0 {
			var fields []string
			for _, d := range f.Differs {
				fields = append(fields, l.T("provider.field."+d))
			}
			v += " — " + l.T("provider.row.differs", "fields", strings.Join(fields, ", "))
		}
		rows = append(rows, row{l.T("provider.row.documented", "provider", providerName(f, l), "source", l.T("provider.source."+f.Source)), v})
	}
	return rows
}

// Comparison is the result page's "your settings / documented settings"
// table: a title naming the provider and source, and rows of field name,
// the account's value and the documented value.
type Comparison struct {
	Title string
	Rows  [][3]string
	// Differs marks the rows whose values differ.
	Differs []bool
}

// Compare builds the comparison of the account's settings with the
// documented ones; false when the report has none.
func (r *Report) Compare(l Lang) (Comparison, bool) {
	f := providerFacts(r.Results)
	if f == nil || f.Documented == nil {
		return Comparison{}, false
	}
	t := r.Target.WithDefaults()
	host, port := t.Host, t.Port
	if in := checks.Find(r.Results, checks.CheckInput); in != nil && in.Input != nil && in.Input.Host != "" {
		host, port = in.Input.Host, in.Input.Port
	}
	d := f.Documented
	c := Comparison{Title: l.T("provider.compare.title", "provider", providerName(f, l), "source", l.T("provider.source."+f.Source))}
	c.Rows = append(c.Rows, [3]string{"", l.T("provider.compare.account"), l.T("provider.compare.documented")})
	c.Differs = append(c.Differs, false)
	add := func(field, acc, doc string) {
		c.Rows = append(c.Rows, [3]string{l.T("provider.field." + field), acc, doc})
		c.Differs = append(c.Differs, slices.Contains(f.Differs, field))
	}
	add("host", orNone(host, l), d.Host)
	add("port", strconv.Itoa(port), strconv.Itoa(d.Port))
	add("security", l.T("fact.security."+string(t.Security)), l.T("fact.security."+d.Security))
	if f.User != "" {
		add("user", orNone(t.User, l), f.User)
	}
	return c, true
}
