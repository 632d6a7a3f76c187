// Package provider knows mail providers' documented settings: it parses
// the clientConfig 1.1 format (Thunderbird's autoconfig files, shared by the
// provider's own autoconfig file and the bundled database) and carries a
// snapshot of Mozilla's ISPDB inside the binary, looked up by domain and by
// the base domain of a domain's MX hosts. It is a package of its own because
// it is data, not a probe: no network, no Fyne; package checks fetches the
// provider's own files and SRV records and uses this package to read them.
package provider

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Services this package knows documented servers for (the values of
// checks.Service).
const (
	SMTP = "smtp"
	IMAP = "imap"
	POP3 = "pop3"
)

// Security modes, as checks.Security spells them.
const (
	SecurityNone     = "none"
	SecurityStartTLS = "starttls"
	SecurityTLS      = "tls"
)

// Authentication kinds a server documents, normalised: "password" (cleartext
// or encrypted password), "oauth2", "none".
const (
	AuthPassword = "password"
	AuthOAuth2   = "oauth2"
	AuthNone     = "none"
)

// User-name forms a server documents.
const (
	UserAddress   = "%EMAILADDRESS%"
	UserLocalPart = "%EMAILLOCALPART%"
)

// Flags on a documented server that is probably wrong (the snapshot's
// README lists known errors: pdx.edu IMAP on 587, rediffmail SMTP on 586
// with SSL).
const (
	// FlagOtherServicePort: the port is a standard port of another mail
	// service (IMAP on 587).
	FlagOtherServicePort = "port-of-other-service"
	// FlagUnusualPort: the port is none of the service's standard ports and
	// implicit TLS is documented on it (SMTP on 586 with SSL).
	FlagUnusualPort = "unusual-port"
	// FlagBadUserName: the user-name template is malformed ("%EMAILADDRESS").
	FlagBadUserName = "bad-user-name"
)

// Server is one documented server.
type Server struct {
	Service  string   `json:"service"`  // smtp, imap, pop3
	Host     string   `json:"host"`     // as documented (may hold %EMAILDOMAIN%)
	Port     int      `json:"port"`     // 1-65535
	Security string   `json:"security"` // none, starttls, tls
	UserName string   `json:"username,omitempty"`
	Auth     []string `json:"auth,omitempty"`
	// Flags mark a server that is probably wrong; such a server is offered
	// only when the provider documents no other for the service.
	Flags []string `json:"flags,omitempty"`
}

// Config is one provider's documented settings.
type Config struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	ShortName string   `json:"short_name,omitempty"`
	Domains   []string `json:"domains"`
	// Servers in the order the provider prefers them, for every service.
	Servers []Server `json:"servers"`
	// EnableURL and EnableText are the provider's "enable access first"
	// instruction (<enable visiturl>), e.g. Gmail's IMAP switch.
	EnableURL  string   `json:"enable_url,omitempty"`
	EnableText []string `json:"enable_text,omitempty"`
	// Docs are the provider's documentation pages.
	Docs []string `json:"docs,omitempty"`
}

// For returns the servers documented for a service, best first: unflagged
// servers before flagged ones, in the provider's order.
func (c *Config) For(service string) []Server {
	var good, flagged []Server
	for _, s := range c.Servers {
		if s.Service != service {
			continue
		}
		if len(s.Flags) > 0 {
			flagged = append(flagged, s)
		} else {
			good = append(good, s)
		}
	}
	return append(good, flagged...)
}

// OAuthOnly reports whether every documented server of a service accepts
// only OAuth2 (no password login).
func (c *Config) OAuthOnly(service string) bool {
	list := c.For(service)
	for _, s := range list {
		if !(len(s.Auth) == 1 && s.Auth[0] == AuthOAuth2) {
			return false
		}
	}
	return len(list) > 0
}

// Expand fills a documented host or user-name template for an address:
// %EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%.
func Expand(template, email string) string {
	local, domain, _ := strings.Cut(email, "@")
	r := strings.NewReplacer("%EMAILADDRESS%", email, "%EMAILLOCALPART%", local, "%EMAILDOMAIN%", domain)
	return r.Replace(template)
}

// ErrFormat marks a file that is not a usable clientConfig 1.1 document.
var ErrFormat = errors.New("not a clientConfig document")

// xmlConfig is the clientConfig 1.1 document as encoding/xml reads it.
type xmlConfig struct {
	XMLName  xml.Name    `xml:"clientConfig"`
	Provider xmlProvider `xml:"emailProvider"`
	Enable   []xmlEnable `xml:"enable"` // some files put <enable> beside emailProvider
}

type xmlProvider struct {
	ID        string      `xml:"id,attr"`
	Domains   []string    `xml:"domain"`
	Name      string      `xml:"displayName"`
	ShortName string      `xml:"displayShortName"`
	Incoming  []xmlServer `xml:"incomingServer"`
	Outgoing  []xmlServer `xml:"outgoingServer"`
	Enable    []xmlEnable `xml:"enable"`
	Docs      []struct {
		URL string `xml:"url,attr"`
	} `xml:"documentation"`
}

type xmlServer struct {
	Type     string   `xml:"type,attr"`
	Hostname string   `xml:"hostname"`
	Port     string   `xml:"port"`
	Socket   string   `xml:"socketType"`
	UserName string   `xml:"username"`
	Auth     []string `xml:"authentication"`
}

type xmlEnable struct {
	URL          string   `xml:"visiturl,attr"`
	Instructions []string `xml:"instruction"`
}

// Parse reads a clientConfig 1.1 document (at most what r yields; the
// caller bounds a download). Servers of types other than smtp, imap and pop3
// (exchange, ews...) and servers without a host or with an unusable port or
// socket type are left out; a document with no usable server is ErrFormat.
func Parse(r io.Reader) (*Config, error) {
	var x xmlConfig
	dec := xml.NewDecoder(r)
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "us-ascii") {
			return in, nil
		}
		return nil, fmt.Errorf("%w: charset %q", ErrFormat, label)
	}
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	p := x.Provider
	c := &Config{ID: strings.TrimSpace(p.ID), Name: strings.TrimSpace(p.Name), ShortName: strings.TrimSpace(p.ShortName)}
	for _, d := range p.Domains {
		if d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), ".")); d != "" {
			c.Domains = append(c.Domains, d)
		}
	}
	for _, xs := range append(p.Incoming, p.Outgoing...) {
		if s, ok := server(xs); ok {
			c.Servers = append(c.Servers, s)
		}
	}
	for _, e := range append(p.Enable, x.Enable...) {
		if c.EnableURL == "" {
			c.EnableURL = strings.TrimSpace(e.URL)
		}
		for _, in := range e.Instructions {
			if in = strings.Join(strings.Fields(in), " "); in != "" {
				c.EnableText = append(c.EnableText, in)
			}
		}
	}
	for _, d := range p.Docs {
		if u := strings.TrimSpace(d.URL); u != "" {
			c.Docs = append(c.Docs, u)
		}
	}
	if len(c.Servers) == 0 {
		return nil, fmt.Errorf("%w: no smtp, imap or pop3 server", ErrFormat)
	}
	if c.Name == "" {
		c.Name = c.ShortName
	}
	if c.Name == "" && len(c.Domains) > 0 {
		c.Name = c.Domains[0]
	}
	return c, nil
}

// ParseBytes is Parse on a byte slice.
func ParseBytes(b []byte) (*Config, error) { return Parse(bytes.NewReader(b)) }

// server converts one documented server; ok is false for one that cannot
// be used.
func server(x xmlServer) (Server, bool) {
	s := Server{Service: strings.ToLower(strings.TrimSpace(x.Type)), Host: strings.TrimSpace(x.Hostname),
		UserName: strings.TrimSpace(x.UserName)}
	switch s.Service {
	case SMTP, IMAP, POP3:
	default:
		return s, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(x.Port))
	if err != nil || port < 1 || port > 65535 || s.Host == "" || strings.ContainsAny(s.Host, " /:") {
		return s, false
	}
	s.Port = port
	switch strings.ToUpper(strings.TrimSpace(x.Socket)) {
	case "SSL", "TLS":
		s.Security = SecurityTLS
	case "STARTTLS":
		s.Security = SecurityStartTLS
	case "PLAIN", "":
		s.Security = SecurityNone
	default:
		return s, false
	}
	for _, a := range x.Auth {
		var n string
		switch strings.ToLower(strings.TrimSpace(a)) {
		case "password-cleartext", "password-encrypted", "plain", "secure":
			n = AuthPassword
		case "oauth2":
			n = AuthOAuth2
		case "none", "client-ip-address":
			n = AuthNone
		default:
			continue
		}
		if !slices.Contains(s.Auth, n) {
			s.Auth = append(s.Auth, n)
		}
	}
	s.Flags = flags(s)
	return s, true
}

// standardPorts are each service's well-known ports and the modes they are
// used with (RFC 8314, RFC 6409).
var standardPorts = map[string]map[int]string{
	SMTP: {25: SecurityStartTLS, 465: SecurityTLS, 587: SecurityStartTLS, 2525: SecurityStartTLS},
	IMAP: {143: SecurityStartTLS, 993: SecurityTLS},
	POP3: {110: SecurityStartTLS, 995: SecurityTLS},
}

// flags finds what is probably wrong with a documented server.
func flags(s Server) []string {
	var f []string
	own := standardPorts[s.Service]
	if _, ok := own[s.Port]; !ok {
		for svc, ports := range standardPorts {
			if _, other := ports[s.Port]; other && svc != s.Service {
				f = append(f, FlagOtherServicePort)
				break
			}
		}
		if len(f) == 0 && s.Security == SecurityTLS {
			f = append(f, FlagUnusualPort)
		}
	}
	if strings.Count(s.UserName, "%")%2 != 0 {
		f = append(f, FlagBadUserName)
	}
	return f
}
