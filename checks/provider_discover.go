package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"assistant/provider"
)

// MaxAutoconfig is the largest autoconfig file accepted (1 MiB).
const MaxAutoconfig = 1 << 20

// Autoconfig fetch errors.
var (
	// ErrTooLarge: the file is larger than MaxAutoconfig.
	ErrTooLarge = errors.New("autoconfig file larger than 1 MiB")
	// ErrInsecureRedirect: a redirect to a URL that is not HTTPS.
	ErrInsecureRedirect = errors.New("redirect away from HTTPS refused")
	// errTooManyRedirects: a redirect loop.
	errTooManyRedirects = errors.New("too many redirects")
)

// HTTPError is an autoconfig URL answering with a status other than 200.
type HTTPError struct{ Code int }

func (e *HTTPError) Error() string { return "HTTP " + strconv.Itoa(e.Code) }

// srvNames are the RFC 6186 service names for each mail service, implicit
// TLS first (RFC 8314 prefers it), with the security each one means.
var srvNames = map[Service][]struct {
	name     string
	security string
}{
	SMTP: {{"submissions", provider.SecurityTLS}, {"submission", provider.SecurityStartTLS}},
	IMAP: {{"imaps", provider.SecurityTLS}, {"imap", provider.SecurityStartTLS}},
	POP3: {{"pop3s", provider.SecurityTLS}, {"pop3", provider.SecurityStartTLS}},
}

// discover asks every source at once, under one step timeout, and returns
// what each said in winning order: the provider's autoconfig files, its
// SRV records, the database by domain, the database by MX.
func (s *Session) discover(ctx context.Context, typed Target, domain string) []SourceFacts {
	ctx, cancel := context.WithTimeout(ctx, typed.WithDefaults().Timeout)
	defer cancel()
	look := newSession(typed.WithDefaults(), s.opt, nil, nil) // its resolver only
	urls := []string{
		"https://autoconfig." + domain + "/mail/config-v1.1.xml",
		"https://" + domain + "/.well-known/autoconfig/mail/config-v1.1.xml",
	}
	out := make([]SourceFacts, len(urls)+2)
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() { out[i] = look.autoconfig(ctx, u, domain, typed.Service) })
	}
	wg.Go(func() { out[len(urls)] = look.srv(ctx, typed.Service, domain) })
	// The database by MX is asked only for a domain the database does not
	// list itself (it would name the same entry).
	db := lookupDB(domain)
	mx := SourceFacts{Source: SourceMX, Where: domain, Outcome: LookupNone}
	if db == nil {
		wg.Go(func() { mx = look.mx(ctx, typed.Service, domain) })
	}
	out[len(urls)+1] = fromDB(SourceISPDB, domain, typed.Service, db)
	wg.Wait()
	return append(out, mx)
}

func lookupDB(domain string) *provider.Config {
	c, _ := provider.Lookup(domain)
	return c
}

// fromDB is a source's facts from a clientConfig (nil: nothing there).
func fromDB(source, where string, service Service, c *provider.Config) SourceFacts {
	sf := SourceFacts{Source: source, Where: where, Outcome: LookupNone}
	if c == nil {
		return sf
	}
	sf.config = c
	sf.Servers = c.For(string(service))
	sf.Outcome = LookupFound
	if len(sf.Servers) == 0 {
		sf.Outcome, sf.Detail = LookupInvalid, "no "+string(service)+" server"
	}
	return sf
}

// autoconfig fetches one autoconfig URL: HTTPS only with the certificate
// verified (Options.RootCAs, else the system's roots), at most
// MaxAutoconfig bytes, redirects followed only to HTTPS.
func (s *Session) autoconfig(ctx context.Context, url, domain string, service Service) SourceFacts {
	sf := SourceFacts{Source: SourceAutoconfig, Where: url}
	c, err := s.fetchAutoconfig(ctx, url)
	if err == nil {
		// Host names in a provider's file may carry %EMAILDOMAIN%.
		for i := range c.Servers {
			c.Servers[i].Host = provider.Expand(c.Servers[i].Host, "@"+domain)
		}
		return fromDB(SourceAutoconfig, url, service, c)
	}
	sf.Outcome, sf.Detail = lookupOutcome(ctx, err), s.detail(err)
	return sf
}

// detail is an error's text for the report; a lookup error names the DNS
// server actually asked (Target.Resolver), not the system's.
func (s *Session) detail(err error) string {
	var de *net.DNSError
	if errors.As(err, &de) && s.Target.Resolver != "" {
		de.Server = s.Target.Resolver
	}
	return err.Error()
}

// lookupOutcome classifies a failed lookup by the error's type.
func lookupOutcome(ctx context.Context, err error) string {
	var he *HTTPError
	var de *net.DNSError
	var ue x509.UnknownAuthorityError
	var he2 x509.HostnameError
	var ce x509.CertificateInvalidError
	var te *tls.CertificateVerificationError
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return LookupCanceled
	case errors.As(err, &he) && (he.Code == http.StatusNotFound || he.Code == http.StatusGone):
		return LookupNone
	case errors.As(err, &de) && de.IsNotFound:
		return LookupNone
	case errors.Is(err, ErrTooLarge):
		return LookupTooLarge
	case errors.Is(err, ErrInsecureRedirect):
		return LookupInsecure
	case errors.Is(err, provider.ErrFormat):
		return LookupInvalid
	case errors.As(err, &te), errors.As(err, &ue), errors.As(err, &he2), errors.As(err, &ce):
		return LookupTLS
	case errors.Is(err, context.DeadlineExceeded), ctx.Err() != nil, errors.As(err, &ne) && ne.Timeout():
		return LookupTimeout
	}
	return LookupError
}

// fetchAutoconfig downloads and parses one autoconfig file.
func (s *Session) fetchAutoconfig(ctx context.Context, url string) (*provider.Config, error) {
	res := s.resolver()
	d := &net.Dialer{Timeout: s.Target.Timeout, Resolver: res}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if host, port, err := net.SplitHostPort(addr); err == nil && port == "443" && s.opt.HTTPSPort != 0 {
				addr = net.JoinHostPort(host, strconv.Itoa(s.opt.HTTPSPort))
			}
			return d.DialContext(ctx, network, addr)
		},
		TLSClientConfig:       &tls.Config{RootCAs: s.opt.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   s.Target.Timeout,
		ResponseHeaderTimeout: s.Target.Timeout,
		DisableKeepAlives:     true,
		Proxy:                 nil, // straight to the provider, as a mail program would
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("%w: %s", ErrInsecureRedirect, req.URL.Redacted())
		}
		if len(via) >= 5 {
			return errTooManyRedirects
		}
		return nil
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{resp.StatusCode}
	}
	if resp.ContentLength > MaxAutoconfig {
		return nil, ErrTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAutoconfig+1))
	if err == nil {
		err = ctx.Err() // a body cut short by the deadline is not a document
	}
	if err != nil {
		return nil, err
	}
	if len(body) > MaxAutoconfig {
		return nil, ErrTooLarge
	}
	return provider.ParseBytes(body)
}

// srv looks up the service's RFC 6186 records, implicit TLS first. A single
// record with target "." says the provider does not offer that variant;
// when every variant says so, the service is not offered.
func (s *Session) srv(ctx context.Context, service Service, domain string) SourceFacts {
	names := srvNames[service]
	sf := SourceFacts{Source: SourceSRV, Where: "_" + names[0].name + "._tcp." + domain, Outcome: LookupNone}
	type answer struct {
		recs []*net.SRV
		err  error
	}
	answers := make([]answer, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() {
			_, recs, err := s.resolver().LookupSRV(ctx, n.name, "tcp", domain)
			answers[i] = answer{recs, err}
		})
	}
	wg.Wait()
	notOffered, failed := 0, error(nil)
	var where []string
	for i, n := range names {
		a := answers[i]
		if a.err != nil {
			var de *net.DNSError
			if !(errors.As(a.err, &de) && de.IsNotFound) && failed == nil {
				failed = a.err
			}
			continue
		}
		where = append(where, "_"+n.name+"._tcp."+domain)
		if len(a.recs) == 1 && strings.TrimSuffix(a.recs[0].Target, ".") == "" {
			notOffered++
			continue
		}
		slices.SortStableFunc(a.recs, func(x, y *net.SRV) int {
			if x.Priority != y.Priority {
				return int(x.Priority) - int(y.Priority)
			}
			return int(y.Weight) - int(x.Weight)
		})
		for _, r := range a.recs {
			if t := strings.TrimSuffix(r.Target, "."); t != "" && r.Port != 0 {
				sf.Servers = append(sf.Servers, provider.Server{Service: string(service), Host: t, Port: int(r.Port), Security: n.security})
			}
		}
	}
	if len(where) > 0 {
		sf.Where = strings.Join(where, ", ")
	}
	switch {
	case len(sf.Servers) > 0:
		sf.Outcome = LookupFound
	case notOffered > 0:
		sf.Outcome = LookupNotOffered
	case failed != nil:
		sf.Outcome, sf.Detail = lookupOutcome(ctx, failed), s.detail(failed)
	}
	return sf
}

// mx looks up the domain's MX hosts and the database entry of the first
// host whose base domain the database knows (a company domain hosted by
// Google or Microsoft gets their settings).
func (s *Session) mx(ctx context.Context, service Service, domain string) SourceFacts {
	sf := SourceFacts{Source: SourceMX, Where: domain, Outcome: LookupNone}
	recs, err := s.resolver().LookupMX(ctx, domain)
	if err != nil {
		var de *net.DNSError
		if !(errors.As(err, &de) && de.IsNotFound) {
			sf.Outcome, sf.Detail = lookupOutcome(ctx, err), s.detail(err)
		}
		return sf
	}
	for _, r := range recs {
		if c, base, ok := provider.LookupMX(r.Host); ok {
			found := fromDB(SourceMX, strings.TrimSuffix(r.Host, "."), service, c)
			found.Detail = base
			return found
		}
	}
	if len(recs) > 0 {
		sf.Where = strings.TrimSuffix(recs[0].Host, ".")
	}
	return sf
}
