package checks

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"assistant/provider"

	"golang.org/x/net/idna"
)

// Sources of documented settings, in the order they win: the provider's
// own autoconfig file, its RFC 6186 SRV records, the bundled database by
// the address's domain, the bundled database by the domain's MX hosts.
const (
	SourceAutoconfig = "autoconfig"
	SourceSRV        = "srv"
	SourceISPDB      = "ispdb"
	SourceMX         = "mx"
)

// Outcomes of one source's lookup (SourceFacts.Outcome).
const (
	LookupFound      = "found"       // it documents a server for the service
	LookupNone       = "none"        // nothing there (404, NXDOMAIN, not in the database)
	LookupNotOffered = "not-offered" // SRV target ".": the provider says the service is not offered
	LookupInvalid    = "invalid"     // not a clientConfig document, or no server for the service
	LookupTooLarge   = "too-large"   // a file above MaxAutoconfig
	LookupInsecure   = "insecure"    // a redirect away from HTTPS, or plain HTTP
	LookupTLS        = "tls"         // the certificate was not accepted
	LookupTimeout    = "timeout"     // no answer within the step timeout
	LookupCanceled   = "canceled"    // the user stopped the run first
	LookupError      = "error"       // any other failure (connect refused, HTTP error...)
)

// Problems with the typed e-mail address (ProviderFacts.Problem).
const (
	EmailNoAt      = "no-at"      // no "@", or nothing before or after it
	EmailSpace     = "space"      // spaces inside the address
	EmailBadDomain = "bad-domain" // the domain cannot be a host name (even as IDN)
	EmailNoRecords = "no-records" // no source documents anything for the domain
)

// WarnProviderUnknown is the provider check's warning when no documented
// settings were found (bad address, or no source knows the domain).
const WarnProviderUnknown = "provider-unknown"

// WarnDocumentedFailed is the provider check's warning when the documented
// settings were found but do not work from this computer either.
const WarnDocumentedFailed = "documented-failed"

// ProviderFacts records the provider check: the address, what each source
// documents, the settings chosen, how they differ from the account's, and
// the probe of the documented settings.
type ProviderFacts struct {
	Email  string `json:"email"`
	Domain string `json:"domain,omitempty"` // as typed, lower case (Unicode for an IDN)
	// ASCIIDomain is the domain in punycode (differs from Domain for an IDN).
	ASCIIDomain string `json:"ascii_domain,omitempty"`
	// Problem names what is wrong with the address (EmailNoAt...), or
	// EmailNoRecords when it is fine but nothing documents its domain.
	Problem string `json:"problem,omitempty"`
	// Name is the provider's name (from the winning file or database entry).
	Name    string        `json:"name,omitempty"`
	Sources []SourceFacts `json:"sources"`
	// Source is the source the documented settings come from.
	Source string `json:"source,omitempty"`
	// Documented is the server chosen for the account's service; nil when
	// no source documents one (or SRV says the service is not offered).
	Documented *provider.Server `json:"documented,omitempty"`
	// DocumentedAll lists the winning source's servers for every service.
	DocumentedAll []provider.Server `json:"documented_all,omitempty"`
	// NotOffered: the provider's SRV records say the service is not offered.
	NotOffered bool `json:"not_offered,omitempty"`
	// Disagreements are other sources documenting another server.
	Disagreements []Disagreement `json:"disagreements,omitempty"`
	// Differs lists the account's fields that differ from the documented
	// server: "host", "port", "security", "user".
	Differs []string `json:"differs,omitempty"`
	// User is the documented user name for this address (expanded form).
	User string `json:"user,omitempty"`
	// EnableURL, EnableText and OAuthOnly come from the database entry or
	// autoconfig file: "enable access first" instructions, and a service
	// that takes only OAuth2 logins.
	EnableURL  string   `json:"enable_url,omitempty"`
	EnableText []string `json:"enable_text,omitempty"`
	OAuthOnly  bool     `json:"oauth_only,omitempty"`
	Docs       []string `json:"docs,omitempty"`
	// Probe is the check of the documented settings from this computer;
	// nil when there was nothing to check, or they are the account's own.
	Probe *DocumentedProbe `json:"probe,omitempty"`
	// SameAsAccount: the documented settings are the account's own, so the
	// main sequence already checked them.
	SameAsAccount bool `json:"same_as_account,omitempty"`
	// LoginWithheld: the documented server is plain text (the user never
	// chose that server) or takes only OAuth2, so the password was not sent.
	LoginWithheld bool `json:"login_withheld,omitempty"`
}

// SourceFacts is what one source said.
type SourceFacts struct {
	Source  string `json:"source"`
	Where   string `json:"where"` // URL, SRV name, database domain or MX host
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`
	// Servers are what it documents for the account's service, best first.
	Servers []provider.Server `json:"servers,omitempty"`

	config *provider.Config
}

// Disagreement is another source's server for the service, where it differs
// from the chosen one.
type Disagreement struct {
	Source string          `json:"source"`
	Server provider.Server `json:"server"`
	Fields []string        `json:"fields"` // "host", "port", "security"
}

// DocumentedProbe is the check of the documented server: the greeting, TLS
// and, with credentials, the login.
type DocumentedProbe struct {
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	User     string   `json:"user,omitempty"`
	// Status is pass when every check of the documented settings passed.
	Status Status `json:"status"`
	// FailedCheck and Fault are the first check that failed and its fault.
	FailedCheck CheckID `json:"failed_check,omitempty"`
	Fault       *Fault  `json:"fault,omitempty"`
	Greeting    string  `json:"greeting,omitempty"`
	TLS         bool    `json:"tls"` // a TLS handshake completed
	// Login: "accepted", "refused", or "" when not tried.
	Login     string `json:"login,omitempty"`
	AuthCode  int    `json:"auth_code,omitempty"`
	AuthReply string `json:"auth_reply,omitempty"`
}

// Answered reports whether the documented server spoke the service.
func (p *DocumentedProbe) Answered() bool {
	return p != nil && (p.Greeting != "" || p.Status == StatusPass)
}

// ParseEmail splits an address into its local part, its domain (lower
// case, as typed) and the domain in punycode; problem names what is wrong
// (EmailNoAt, EmailSpace, EmailBadDomain), "" for a usable address.
func ParseEmail(addr string) (local, domain, ascii, problem string) {
	a := strings.TrimSpace(addr)
	a = strings.TrimPrefix(a, "mailto:")
	if strings.HasPrefix(a, "<") && strings.HasSuffix(a, ">") {
		a = a[1 : len(a)-1]
	}
	if strings.ContainsAny(a, " \t\r\n") {
		return "", "", "", EmailSpace
	}
	i := strings.LastIndexByte(a, '@')
	if i <= 0 || i == len(a)-1 {
		return "", "", "", EmailNoAt
	}
	local, domain = a[:i], strings.ToLower(strings.TrimSuffix(a[i+1:], "."))
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil || !strings.Contains(ascii, ".") || !isHostName(ascii) {
		return local, domain, "", EmailBadDomain
	}
	return local, domain, ascii, ""
}

// probeProvider returns the provider check for the target as typed (the
// main sequence cleans its own copy at the same time): discovery from the
// e-mail address, the choice of the documented server, the comparison with
// the account's settings, and the probe of the documented server.
func probeProvider(typed Target) Probe {
	return func(ctx context.Context, s *Session) {
		rec := s.Rec(CheckProvider)
		facts := &ProviderFacts{Email: typed.Email, Sources: []SourceFacts{}}
		defer rec.Facts(func(r *Result) { r.Provider = facts })
		local, domain, ascii, problem := ParseEmail(typed.Email)
		facts.Domain, facts.ASCIIDomain, facts.Problem = domain, ascii, problem
		if problem != "" {
			rec.Step("address", problem, nil)
			rec.Warn(WarnProviderUnknown)
			return
		}
		email := local + "@" + ascii
		facts.Sources = s.discover(ctx, typed, ascii)
		for _, src := range facts.Sources {
			rec.Step(src.Source+" "+src.Where, src.Outcome+detailSuffix(src.Detail), nil)
		}
		choose(facts, typed.Service, email)
		if facts.Documented == nil {
			if !facts.NotOffered {
				facts.Problem = EmailNoRecords
			}
			rec.Warn(WarnProviderUnknown)
			return
		}
		d := facts.Documented
		rec.Step("documented", d.Host+":"+strconv.Itoa(d.Port)+" "+d.Security+" ("+facts.Source+")", nil)
		doc := documentedTarget(typed, *d, facts.User)
		facts.Differs = differs(typed, doc)
		if len(facts.Differs) == 0 {
			facts.SameAsAccount = true
			return
		}
		oauthOnly := len(d.Auth) > 0 && !slices.Contains(d.Auth, provider.AuthPassword)
		if (doc.Security == SecurityNone || oauthOnly) && doc.Secret.Given() {
			// A password goes to a server the user did not type only under
			// TLS with a verified certificate (a failed tls check skips the
			// login), never in plain text, and not where the provider takes
			// no passwords at all (OAuth2 only).
			doc.Secret, facts.LoginWithheld = Secret{}, true
		}
		facts.Probe = s.probeDocumented(ctx, rec, doc)
		if facts.Probe.Status != StatusPass {
			rec.Warn(WarnDocumentedFailed)
		}
	}
}

func detailSuffix(d string) string {
	if d == "" {
		return ""
	}
	return ": " + d
}

// choose picks the documented server: the first source in winning order
// that documents one for the service (SRV "not offered" ends the search),
// and records the other sources' differing servers.
func choose(f *ProviderFacts, service Service, email string) {
	var win *SourceFacts
	for i := range f.Sources {
		src := &f.Sources[i]
		if src.Outcome == LookupNotOffered && win == nil {
			f.NotOffered, f.Source = true, src.Source
			break
		}
		if src.Outcome == LookupFound && win == nil {
			win = src
		}
	}
	if win == nil {
		return
	}
	f.Source = win.Source
	best := win.Servers[0]
	f.Documented = &best
	if c := win.config; c != nil {
		f.Name, f.DocumentedAll = c.Name, c.Servers
		f.EnableURL, f.EnableText, f.Docs = c.EnableURL, c.EnableText, c.Docs
		f.OAuthOnly = c.OAuthOnly(string(service))
	}
	// A database entry fills in what SRV records cannot say (the name, the
	// user-name form, enable instructions), without overriding the server.
	for _, src := range f.Sources {
		c := src.config
		if c == nil || src.Outcome != LookupFound {
			continue
		}
		if f.Name == "" {
			f.Name = c.Name
		}
		if f.EnableURL == "" && len(f.EnableText) == 0 {
			f.EnableURL, f.EnableText = c.EnableURL, c.EnableText
		}
		if f.Documented.UserName == "" && sameServer(src.Servers[0], best) {
			f.Documented.UserName = src.Servers[0].UserName
		}
	}
	if f.Documented.UserName != "" {
		f.User = provider.Expand(f.Documented.UserName, email)
	}
	for _, src := range f.Sources {
		if src.Outcome != LookupFound || src.Source == win.Source && src.Where == win.Where {
			continue
		}
		if fields := serverDiff(src.Servers[0], best); len(fields) > 0 {
			f.Disagreements = append(f.Disagreements, Disagreement{Source: src.Source, Server: src.Servers[0], Fields: fields})
		}
	}
}

// serverDiff names the fields in which two documented servers differ.
func serverDiff(a, b provider.Server) []string {
	var out []string
	if !strings.EqualFold(a.Host, b.Host) {
		out = append(out, "host")
	}
	if a.Port != b.Port {
		out = append(out, "port")
	}
	if a.Security != b.Security {
		out = append(out, "security")
	}
	return out
}

func sameServer(a, b provider.Server) bool { return len(serverDiff(a, b)) == 0 }

// documentedTarget is the account's target with the documented server,
// port, security and user name (the documented form, else the account's
// user, else the address).
func documentedTarget(typed Target, d provider.Server, user string) Target {
	t := typed
	t.Host, t.Port, t.Security = d.Host, d.Port, Security(d.Security)
	switch {
	case user != "":
		t.User = user
	case t.User == "":
		t.User = t.Email
	}
	return t.WithDefaults()
}

// differs names the account's fields that differ from the documented
// target; the account's host is compared as the input check cleans it.
func differs(typed, doc Target) []string {
	acc := typed.WithDefaults()
	host, port, _, _ := CleanHost(acc.Host)
	if port != 0 {
		acc.Port = port
	}
	var out []string
	if !strings.EqualFold(strings.TrimSuffix(host, "."), strings.TrimSuffix(doc.Host, ".")) {
		out = append(out, "host")
	}
	if acc.Port != doc.Port {
		out = append(out, "port")
	}
	if acc.Security != doc.Security {
		out = append(out, "security")
	}
	if acc.User != "" && !strings.EqualFold(acc.User, doc.User) {
		out = append(out, "user")
	}
	return out
}

// probeDocumented checks the documented target as the main sequence checks
// the account (input, dns, tcp, tls, the conversation, the login when
// credentials are given), without ping and ports, and records each check as
// a step of rec and the conversation into rec's transcript.
func (s *Session) probeDocumented(ctx context.Context, rec *Recorder, t Target) *DocumentedProbe {
	var plan []CheckID
	for _, id := range Plan(t) {
		if id != CheckPing && id != CheckPorts && id != CheckProvider {
			plan = append(plan, id)
		}
	}
	sub := newSession(t, s.opt, plan, nil)
	defer sub.closeControl()
	sub.sequence(ctx, []Probe{probeInput, probeDNS, probeTCP, protocolProbes[t.Service]},
		[]CheckID{CheckInput, CheckDNS, CheckTCP, ""})
	p := &DocumentedProbe{Host: t.Host, Port: t.Port, Security: t.Security, User: t.User, Status: StatusPass}
	for _, r := range sub.results(ctx) {
		var err error
		if r.Fault != nil {
			err = r.Fault
		}
		detail := string(r.Status) + " " + r.Duration.Round(time.Microsecond).String()
		if r.Skipped != "" {
			detail += " (" + string(r.Skipped) + ")"
		}
		rec.Step("documented "+string(r.ID), detail, err)
		if len(r.Transcript) > 0 {
			rec.Line("[" + string(r.ID) + " " + t.Host + ":" + strconv.Itoa(t.Port) + "]")
		}
		for _, l := range r.Transcript {
			rec.Line(l)
		}
		if r.Failed() && p.FailedCheck == "" {
			p.Status, p.FailedCheck, p.Fault = StatusFail, r.ID, r.Fault
		}
		if r.Server != nil && r.Server.Greeting != "" {
			p.Greeting = firstLine(r.Server.Greeting)
		}
		if r.TLS != nil && r.TLS.Version != "" {
			p.TLS = true
		}
		if r.Auth != nil && r.Status != StatusSkip {
			p.Login, p.AuthCode, p.AuthReply = "refused", r.Auth.Code, r.Auth.Reply
			if r.Auth.Accepted {
				p.Login = "accepted"
			}
		}
	}
	if ctx.Err() != nil && p.Status == StatusPass {
		p.Status = StatusFail
	}
	return p
}
