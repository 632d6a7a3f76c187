package checks_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/provider"
)

// provLab is a provider's world on loopback: a DNS zone, an HTTPS
// autoconfig peer and a CA that signs the peers' certificates.
type provLab struct {
	dns *faultpeer.DNSServer
	ac  *faultpeer.AutoconfigServer
	ca  *faultpeer.CA
	opt checks.Options
}

// newProvLab serves domains' autoconfig names (autoconfig.<d> and <d>,
// both resolving to 127.0.0.1) with a certificate for them.
func newProvLab(t testing.TB, domains ...string) *provLab {
	t.Helper()
	ca, err := faultpeer.NewCA("provider-test")
	if err != nil {
		t.Fatal(err)
	}
	d, err := faultpeer.DNS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	var names []string
	for _, dom := range domains {
		names = append(names, "autoconfig."+dom, dom)
		if err := d.Add("autoconfig."+dom+". 60 IN A 127.0.0.1", dom+". 60 IN A 127.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	if len(names) == 0 {
		names = []string{"localhost"}
	}
	ac, err := faultpeer.Autoconfig(ca, names)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ac.Close() })
	return &provLab{dns: d, ac: ac, ca: ca, opt: checks.Options{RootCAs: ca.Pool, HTTPSPort: ac.Port}}
}

// add puts records into the lab's zone.
func (l *provLab) add(t testing.TB, rrs ...string) {
	t.Helper()
	if err := l.dns.Add(rrs...); err != nil {
		t.Fatal(err)
	}
}

// tlsFor is a server configuration with a certificate for names.
func (l *provLab) tlsFor(t testing.TB, names ...string) *tls.Config {
	t.Helper()
	cert, err := l.ca.Leaf(faultpeer.LeafOptions{Names: append(names, "127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	return faultpeer.ServerConfig(cert)
}

// clientConfig is a clientConfig 1.1 document with one SMTP server.
func clientConfig(name, host string, port int, socket, user string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="%[1]s">
    <domain>%[1]s</domain>
    <displayName>%[1]s Mail</displayName>
    <outgoingServer type="smtp">
      <hostname>%[2]s</hostname>
      <port>%[3]d</port>
      <socketType>%[4]s</socketType>
      <username>%[5]s</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
  <enable visiturl="https://%[1]s/settings"><instruction>Switch on mail programs first</instruction></enable>
</clientConfig>`, name, host, port, socket, user)
}

// provFacts runs tg and returns all results and the provider facts.
func provRun(t testing.TB, tg checks.Target, opt checks.Options) ([]checks.Result, *checks.ProviderFacts) {
	t.Helper()
	res, err := checks.Run(context.Background(), tg, opt)
	if err != nil {
		t.Fatal(err)
	}
	r := result(t, res, checks.CheckProvider)
	if r.Provider == nil {
		t.Fatalf("provider check without facts: %+v", r)
	}
	return res, r.Provider
}

func source(t testing.TB, f *checks.ProviderFacts, src string) checks.SourceFacts {
	t.Helper()
	for _, s := range f.Sources {
		if s.Source == src {
			return s
		}
	}
	t.Fatalf("no source %s in %+v", src, f.Sources)
	return checks.SourceFacts{}
}

// TestProviderAutoconfigWrongPort: the account says port 25 without
// encryption (nothing listens there), the provider's autoconfig file says
// implicit TLS on another port, which works, login included.
func TestProviderAutoconfigWrongPort(t *testing.T) {
	l := newProvLab(t, "mail.test")
	l.add(t, "smtp.mail.test. 60 IN A 127.0.0.1")
	good := startSMTP(t, faultpeer.SMTPOptions{TLS: l.tlsFor(t, "smtp.mail.test"), Implicit: true})
	l.ac.Set("autoconfig.mail.test/mail/config-v1.1.xml", faultpeer.AutoconfigFile{
		Body: clientConfig("mail.test", "smtp.mail.test", good.Port(), "SSL", "%EMAILADDRESS%")})
	closed := freePort(t)
	before := runtime.NumGoroutine()
	tg := checks.Target{Service: checks.SMTP, Host: "smtp.mail.test", Port: closed, Security: checks.SecurityNone,
		Email: "tester@mail.test", User: "tester@mail.test", Secret: checks.NewSecret(faultpeer.SMTPPassword),
		Timeout: 2 * time.Second, Resolver: l.dns.Addr}
	res, f := provRun(t, tg, l.opt)
	wantFaultOf(t, res, checks.CheckTCP, checks.FaultRefused, checks.StageConnect, checks.WSAECONNREFUSED)
	if f.Source != checks.SourceAutoconfig || f.Name != "mail.test Mail" || f.Documented == nil || f.Documented.Port != good.Port() {
		t.Fatalf("documented %+v from %s", f.Documented, f.Source)
	}
	if !slices.Equal(f.Differs, []string{"port", "security"}) {
		t.Errorf("differs %v", f.Differs)
	}
	if f.EnableURL != "https://mail.test/settings" || f.User != "tester@mail.test" {
		t.Errorf("enable %q user %q", f.EnableURL, f.User)
	}
	p := f.Probe
	// Greeting and TLS work; the peer accepts only its own account, so the
	// documented user-name form (this address) is refused at the login.
	if p == nil || p.Status != checks.StatusFail || p.FailedCheck != checks.CheckAuth || !p.TLS || p.Greeting == "" {
		t.Fatalf("probe %+v", p)
	}
	if p.Login != "refused" || p.AuthCode != 535 || p.User != "tester@mail.test" {
		t.Errorf("login %q as %q", p.Login, p.User)
	}
	wantNoSecret(t, res, tg.User, faultpeer.SMTPPassword)
	// No goroutine of the discovery (HTTPS, DNS) or the probe outlives the run.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines left over:\n%s", n-before, buf[:runtime.Stack(buf, true)])
	}
	if got := l.ac.Hits(); !slices.Contains(got, "autoconfig.mail.test/mail/config-v1.1.xml") {
		t.Errorf("hits %q", got)
	}
}

// TestProviderLoginAccepted: the documented form is the address; the
// account logs in with the address too and the documented server accepts it.
func TestProviderLoginAccepted(t *testing.T) {
	l := newProvLab(t, "example.org")
	l.add(t, "smtp.example.org. 60 IN A 127.0.0.1")
	good := startSMTP(t, faultpeer.SMTPOptions{TLS: l.tlsFor(t, "smtp.example.org"), Implicit: true})
	l.ac.Set("example.org/.well-known/autoconfig/mail/config-v1.1.xml", faultpeer.AutoconfigFile{
		Body: clientConfig("example.org", "smtp.%EMAILDOMAIN%", good.Port(), "SSL", "%EMAILADDRESS%")})
	tg := checks.Target{Service: checks.SMTP, Host: "mail.example.org", Security: checks.SecurityNone,
		Email: faultpeer.SMTPUser, User: "tester", Secret: checks.NewSecret(faultpeer.SMTPPassword),
		Timeout: 2 * time.Second, Resolver: l.dns.Addr}
	res, f := provRun(t, tg, l.opt)
	wantFaultOf(t, res, checks.CheckDNS, checks.FaultNotFound, checks.StageResolve, checks.WSAHOST_NOT_FOUND)
	if src := source(t, f, checks.SourceAutoconfig); src.Outcome != checks.LookupNone {
		t.Errorf("autoconfig.example.org: %+v", src)
	}
	if f.Documented == nil || f.Documented.Host != "smtp.example.org" {
		t.Fatalf("documented %+v (sources %+v)", f.Documented, f.Sources)
	}
	if !slices.Equal(f.Differs, []string{"host", "port", "security", "user"}) {
		t.Errorf("differs %v", f.Differs)
	}
	if f.Probe == nil || f.Probe.Status != checks.StatusPass || f.Probe.Login != "accepted" || f.Probe.User != faultpeer.SMTPUser {
		t.Errorf("probe %+v", f.Probe)
	}
	wantNoSecret(t, res, faultpeer.SMTPUser, faultpeer.SMTPPassword)
}

// TestProviderSRVWrongHost: the account's host does not exist; SRV records
// name the submission servers, implicit TLS preferred (RFC 8314).
func TestProviderSRVWrongHost(t *testing.T) {
	l := newProvLab(t)
	tlsCfg := l.tlsFor(t, "smtp.srv.test")
	implicit := startSMTP(t, faultpeer.SMTPOptions{TLS: tlsCfg, Implicit: true})
	starttls := startSMTP(t, faultpeer.SMTPOptions{TLS: tlsCfg})
	l.add(t, "smtp.srv.test. 60 IN A 127.0.0.1",
		fmt.Sprintf("_submission._tcp.srv.test. 60 IN SRV 0 1 %d smtp.srv.test.", starttls.Port()),
		fmt.Sprintf("_submissions._tcp.srv.test. 60 IN SRV 10 1 %d smtp.srv.test.", implicit.Port()),
		fmt.Sprintf("_submissions._tcp.srv.test. 60 IN SRV 20 1 %d backup.srv.test.", implicit.Port()))
	tg := checks.Target{Service: checks.SMTP, Host: "smtp.old-srv.test", Port: 587, Security: checks.SecurityStartTLS,
		Email: "ann@srv.test", Timeout: 2 * time.Second, Resolver: l.dns.Addr}
	res, f := provRun(t, tg, l.opt)
	wantStatus(t, result(t, res, checks.CheckDNS), checks.StatusFail)
	srv := source(t, f, checks.SourceSRV)
	if srv.Outcome != checks.LookupFound || len(srv.Servers) != 3 || srv.Servers[0].Port != implicit.Port() || srv.Servers[1].Host != "backup.srv.test" {
		t.Fatalf("srv %+v", srv)
	}
	if f.Source != checks.SourceSRV || f.Documented.Security != provider.SecurityTLS || !slices.Equal(f.Differs, []string{"host", "port", "security"}) {
		t.Errorf("documented %+v differs %v", f.Documented, f.Differs)
	}
	if f.Probe == nil || f.Probe.Status != checks.StatusPass || f.Probe.Login != "" {
		t.Errorf("probe %+v", f.Probe)
	}
	wantStatus(t, result(t, res, checks.CheckProvider), checks.StatusPass)
}

// TestProviderSRVNotOffered: SRV target "." for both IMAP variants: the
// provider says it offers no IMAP; the database is not consulted for a server.
func TestProviderSRVNotOffered(t *testing.T) {
	l := newProvLab(t)
	l.add(t, "_imaps._tcp.srv.test. 60 IN SRV 0 0 0 .", "_imap._tcp.srv.test. 60 IN SRV 0 0 0 .")
	tg := checks.Target{Service: checks.IMAP, Host: "127.0.0.1", Port: freePort(t), Email: "ann@srv.test",
		Timeout: time.Second, Resolver: l.dns.Addr}
	_, f := provRun(t, tg, l.opt)
	if !f.NotOffered || f.Documented != nil || f.Probe != nil || f.Problem != "" {
		t.Fatalf("facts %+v", f)
	}
	if src := source(t, f, checks.SourceSRV); src.Outcome != checks.LookupNotOffered {
		t.Errorf("srv %+v", src)
	}
}

// TestProviderSourcesDisagree: the provider's file and its SRV records name
// different servers; the file wins and the disagreement is recorded.
func TestProviderSourcesDisagree(t *testing.T) {
	l := newProvLab(t, "dis.test")
	good := startSMTP(t, faultpeer.SMTPOptions{TLS: l.tlsFor(t, "smtp.dis.test"), Implicit: true})
	l.add(t, "smtp.dis.test. 60 IN A 127.0.0.1", "_submission._tcp.dis.test. 60 IN SRV 0 1 587 old.dis.test.")
	l.ac.Set("autoconfig.dis.test/mail/config-v1.1.xml", faultpeer.AutoconfigFile{
		Body: clientConfig("dis.test", "smtp.dis.test", good.Port(), "SSL", "%EMAILLOCALPART%")})
	tg := checks.Target{Service: checks.SMTP, Host: "smtp.dis.test", Port: good.Port(), Security: checks.SecurityTLS,
		Email: "ann@dis.test", Timeout: 2 * time.Second, Resolver: l.dns.Addr}
	res, f := provRun(t, tg, l.opt)
	if f.Source != checks.SourceAutoconfig || len(f.Disagreements) != 1 {
		t.Fatalf("source %s disagreements %+v", f.Source, f.Disagreements)
	}
	d := f.Disagreements[0]
	if d.Source != checks.SourceSRV || d.Server.Host != "old.dis.test" || !slices.Equal(d.Fields, []string{"host", "port", "security"}) {
		t.Errorf("disagreement %+v", d)
	}
	// The account already has the documented settings: no second probe.
	if !f.SameAsAccount || f.Probe != nil || len(f.Differs) != 0 || f.User != "ann" {
		t.Errorf("same %v probe %+v differs %v user %q", f.SameAsAccount, f.Probe, f.Differs, f.User)
	}
	wantStatus(t, result(t, res, checks.CheckSMTP), checks.StatusPass)
}

// TestProviderAutoconfigPaths: every way an autoconfig URL can fail ends in
// a named outcome within the step timeout, and is never used.
func TestProviderAutoconfigPaths(t *testing.T) {
	l := newProvLab(t, "paths.test")
	other, err := faultpeer.NewCA("someone-else")
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := faultpeer.Autoconfig(other, []string{"autoconfig.paths.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer foreign.Close()
	const path = "autoconfig.paths.test/mail/config-v1.1.xml"
	valid := clientConfig("paths.test", "smtp.paths.test", 465, "SSL", "%EMAILADDRESS%")
	for _, tc := range []struct {
		name    string
		file    faultpeer.AutoconfigFile
		opt     func(checks.Options) checks.Options
		outcome string
	}{
		{"valid", faultpeer.AutoconfigFile{Body: valid}, nil, checks.LookupFound},
		{"not-found", faultpeer.AutoconfigFile{Body: "nope", Status: 404}, nil, checks.LookupNone},
		{"server-error", faultpeer.AutoconfigFile{Body: "oops", Status: 500}, nil, checks.LookupError},
		{"invalid", faultpeer.AutoconfigFile{Body: "<html><body>Welcome to nginx!</body></html>"}, nil, checks.LookupInvalid},
		{"no-smtp", faultpeer.AutoconfigFile{Body: strings.ReplaceAll(valid, `type="smtp"`, `type="imap"`)}, nil, checks.LookupInvalid},
		{"huge", faultpeer.AutoconfigFile{Huge: 3 << 20}, nil, checks.LookupTooLarge},
		{"redirect-http", faultpeer.AutoconfigFile{Redirect: "http://paths.test/config.xml"}, nil, checks.LookupInsecure},
		{"redirect-https", faultpeer.AutoconfigFile{Redirect: "https://paths.test/moved.xml"}, nil, checks.LookupFound},
		{"slow", faultpeer.AutoconfigFile{Body: valid, Slow: 200 * time.Millisecond}, nil, checks.LookupTimeout},
		{"untrusted", faultpeer.AutoconfigFile{Body: valid}, func(o checks.Options) checks.Options {
			o.HTTPSPort = foreign.Port
			return o
		}, checks.LookupTLS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l.ac.Set(path, tc.file)
			l.ac.Set("paths.test/moved.xml", faultpeer.AutoconfigFile{Body: valid})
			foreign.Set(path, tc.file)
			opt := l.opt
			if tc.opt != nil {
				opt = tc.opt(opt)
			}
			tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: freePort(t), Email: "ann@paths.test",
				Timeout: time.Second, Resolver: l.dns.Addr}
			start := time.Now()
			_, f := provRun(t, tg, opt)
			src := f.Sources[0]
			if src.Source != checks.SourceAutoconfig || src.Outcome != tc.outcome {
				t.Fatalf("autoconfig %+v, want %s", src, tc.outcome)
			}
			found := tc.outcome == checks.LookupFound
			if (f.Documented != nil) != found || found && f.Documented.Host != "smtp.paths.test" {
				t.Errorf("documented %+v", f.Documented)
			}
			if !found && f.Problem != checks.EmailNoRecords {
				t.Errorf("problem %q", f.Problem)
			}
			// Discovery and the probe of the documented server each get
			// one step timeout.
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// TestProviderEmailProblems: bad addresses are named; the account's own
// settings are still checked.
func TestProviderEmailProblems(t *testing.T) {
	l := newProvLab(t)
	p := startSMTP(t, faultpeer.SMTPOptions{})
	for email, want := range map[string]string{
		"ann.example.test":       checks.EmailNoAt,
		"ann@":                   checks.EmailNoAt,
		"ann smith@example.test": checks.EmailSpace,
		"ann@exa_mple!":          checks.EmailBadDomain,
		"ann@nowhere.test":       checks.EmailNoRecords,
	} {
		tg := smtpTarget(p, checks.SecurityNone, "")
		tg.Email, tg.Resolver = email, l.dns.Addr
		res, f := provRun(t, tg, l.opt)
		if f.Problem != want {
			t.Errorf("%q: problem %q, want %q", email, f.Problem, want)
		}
		r := result(t, res, checks.CheckProvider)
		if r.Status != checks.StatusWarn || !slices.Contains(r.Warnings, checks.WarnProviderUnknown) {
			t.Errorf("%q: provider %s %v", email, r.Status, r.Warnings)
		}
		wantStatus(t, result(t, res, checks.CheckSMTP), checks.StatusPass)
	}
}

// TestProviderIDN: a Cyrillic domain is looked up in punycode.
func TestProviderIDN(t *testing.T) {
	l := newProvLab(t)
	p := startSMTP(t, faultpeer.SMTPOptions{})
	l.add(t, "smtp.xn--80a1acny.xn--p1ai. 60 IN A 127.0.0.1",
		fmt.Sprintf("_submission._tcp.xn--80a1acny.xn--p1ai. 60 IN SRV 0 1 %d smtp.xn--80a1acny.xn--p1ai.", p.Port()))
	tg := smtpTarget(p, checks.SecurityNone, "")
	tg.Email, tg.Resolver = "аня@Почта.рф", l.dns.Addr
	_, f := provRun(t, tg, l.opt)
	if f.Domain != "почта.рф" || f.ASCIIDomain != "xn--80a1acny.xn--p1ai" {
		t.Errorf("domain %q ascii %q", f.Domain, f.ASCIIDomain)
	}
	if f.Documented == nil || f.Documented.Host != "smtp.xn--80a1acny.xn--p1ai" || f.Probe == nil {
		t.Fatalf("documented %+v probe %+v sources %+v", f.Documented, f.Probe, f.Sources)
	}
	// STARTTLS is documented; this peer has none: the documented settings fail.
	if f.Probe.Status != checks.StatusFail || f.Probe.FailedCheck != checks.CheckTLS {
		t.Errorf("probe %+v", f.Probe)
	}
}

// TestProviderDatabaseEnable: a Gmail address gets the database's entry,
// its "enable IMAP" instruction and link. The test zone knows none of
// Google's names: the documented server does not resolve, nothing is sent.
func TestProviderDatabaseEnable(t *testing.T) {
	l := newProvLab(t)
	tg := checks.Target{Service: checks.IMAP, Host: "127.0.0.1", Port: freePort(t), Email: "ann@gmail.com",
		Timeout: time.Second, Resolver: l.dns.Addr}
	_, f := provRun(t, tg, l.opt)
	if f.Source != checks.SourceISPDB || f.Name != "Google Mail" || f.Documented.Host != "imap.gmail.com" || f.Documented.Port != 993 {
		t.Fatalf("facts %+v", f)
	}
	if !strings.HasPrefix(f.EnableURL, "https://mail.google.com/") || len(f.EnableText) == 0 || f.User != "ann@gmail.com" {
		t.Errorf("enable %q %q user %q", f.EnableURL, f.EnableText, f.User)
	}
	if f.Probe == nil || f.Probe.FailedCheck != checks.CheckDNS {
		t.Errorf("probe %+v", f.Probe)
	}
}

// TestProviderMX: a company domain whose MX is Google's gets Google's settings.
func TestProviderMX(t *testing.T) {
	l := newProvLab(t)
	l.add(t, "corp.test. 60 IN MX 10 aspmx.l.google.com.")
	tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: freePort(t), Email: "ann@corp.test",
		Timeout: time.Second, Resolver: l.dns.Addr}
	_, f := provRun(t, tg, l.opt)
	mx := source(t, f, checks.SourceMX)
	if mx.Outcome != checks.LookupFound || mx.Where != "aspmx.l.google.com" || f.Source != checks.SourceMX || f.Documented.Host != "smtp.gmail.com" {
		t.Fatalf("mx %+v documented %+v", mx, f.Documented)
	}
}

// BenchmarkProviderOverhead compares a healthy full check with an e-mail
// address against the same check without, on the same peer; "ratio" is
// their quotient. In "same-settings" the account already has the settings
// the provider documents (SRV), so discovery is the only extra work; in
// "documented-differ" the account names the server by its address, so the
// documented name is probed too, beside the main sequence.
func BenchmarkProviderOverhead(b *testing.B) {
	l := newProvLab(b)
	tlsCfg := l.tlsFor(b, "smtp.bench.test")
	p := startSMTP(b, faultpeer.SMTPOptions{TLS: tlsCfg})
	l.add(b, "smtp.bench.test. 60 IN A 127.0.0.1",
		fmt.Sprintf("_submission._tcp.bench.test. 60 IN SRV 0 1 %d smtp.bench.test.", p.Port()))
	for _, host := range []string{"smtp.bench.test", "127.0.0.1"} {
		name := map[string]string{"smtp.bench.test": "same-settings", "127.0.0.1": "documented-differ"}[host]
		b.Run(name, func(b *testing.B) {
			tg := checks.Target{Service: checks.SMTP, Host: host, Port: p.Port(), Security: checks.SecurityStartTLS,
				User: faultpeer.SMTPUser, Secret: checks.NewSecret(faultpeer.SMTPPassword), Timeout: 2 * time.Second, Resolver: l.dns.Addr}
			with := tg
			with.Email = "ann@bench.test"
			runSMTP(b, with, l.opt) // the database is parsed once per process, on first use
			var plain, email time.Duration
			for b.Loop() {
				start := time.Now()
				res := runSMTP(b, tg, l.opt)
				plain += time.Since(start)
				wantStatus(b, result(b, res, checks.CheckAuth), checks.StatusPass)
				start = time.Now()
				res = runSMTP(b, with, l.opt)
				email += time.Since(start)
				wantStatus(b, result(b, res, checks.CheckAuth), checks.StatusPass)
				f := result(b, res, checks.CheckProvider).Provider
				if f.Documented == nil || (host == "127.0.0.1") != (f.Probe != nil) || f.Probe != nil && f.Probe.Status != checks.StatusPass {
					b.Fatalf("documented %+v probe %+v", f.Documented, f.Probe)
				}
			}
			b.ReportMetric(float64(email)/float64(plain), "ratio")
		})
	}
}

// freePort is a loopback port nothing listens on.
func freePort(t testing.TB) int {
	t.Helper()
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := faultpeer.HostPort(addr)
	return port
}

// TestProviderPlainTextLoginWithheld: the provider documents a plain-text
// server; it is checked, but the password is not sent to it.
func TestProviderPlainTextLoginWithheld(t *testing.T) {
	l := newProvLab(t, "plain.test")
	var seen []string
	var mu sync.Mutex
	port := scriptPeer(t, "220 plain.test ESMTP\r\n", func(cmd string) (string, bool) {
		mu.Lock()
		seen = append(seen, cmd)
		mu.Unlock()
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			return "250-plain.test\r\n250 AUTH PLAIN LOGIN\r\n", true
		case strings.HasPrefix(cmd, "QUIT"):
			return "221 bye\r\n", false
		}
		return "250 ok\r\n", true
	})
	l.add(t, "smtp.plain.test. 60 IN A 127.0.0.1")
	l.ac.Set("autoconfig.plain.test/mail/config-v1.1.xml", faultpeer.AutoconfigFile{
		Body: clientConfig("plain.test", "smtp.plain.test", port, "plain", "%EMAILADDRESS%")})
	tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: freePort(t), Email: "ann@plain.test",
		User: "ann@plain.test", Secret: checks.NewSecret("Very-Secret-1"), Timeout: time.Second, Resolver: l.dns.Addr}
	_, f := provRun(t, tg, l.opt)
	if !f.LoginWithheld || f.Probe == nil || f.Probe.Login != "" || f.Probe.Greeting == "" {
		t.Fatalf("withheld %v probe %+v", f.LoginWithheld, f.Probe)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, c := range seen {
		if strings.HasPrefix(strings.ToUpper(c), "AUTH") {
			t.Fatalf("AUTH sent to a plain-text documented server: %q", seen)
		}
	}
}

// TestProviderOAuthOnly: Microsoft 365 documents OAuth2 only: the database
// entry says so and the password is not sent to its server. The test zone
// knows none of Microsoft's names: nothing is sent anywhere.
func TestProviderOAuthOnly(t *testing.T) {
	l := newProvLab(t)
	tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: freePort(t), Email: "ann@contoso.onmicrosoft.com",
		User: "ann@contoso.onmicrosoft.com", Secret: checks.NewSecret("Pa55"), Timeout: time.Second, Resolver: l.dns.Addr}
	_, f := provRun(t, tg, l.opt)
	// contoso.onmicrosoft.com is not listed; its MX would be, but the zone has none.
	if f.Documented != nil {
		t.Fatalf("documented %+v for an unlisted domain", f.Documented)
	}
	l.add(t, "contoso.test. 60 IN MX 0 contoso-test.mail.protection.outlook.com.")
	tg.Email = "ann@contoso.test"
	_, f = provRun(t, tg, l.opt)
	if f.Source != checks.SourceMX || f.Name != "Microsoft 365" || f.Documented == nil || f.Documented.Host != "smtp.office365.com" || !f.OAuthOnly || !f.LoginWithheld {
		t.Fatalf("facts %+v", f)
	}
	if f.Probe == nil || f.Probe.Login != "" || f.Probe.FailedCheck != checks.CheckDNS {
		t.Errorf("probe %+v", f.Probe)
	}
}

// TestProviderCanceled: cancelling the run ends a discovery waiting on a
// slow autoconfig site at once.
func TestProviderCanceled(t *testing.T) {
	l := newProvLab(t, "slow.test")
	l.ac.Set("autoconfig.slow.test/mail/config-v1.1.xml", faultpeer.AutoconfigFile{
		Body: clientConfig("slow.test", "smtp.slow.test", 465, "SSL", "%EMAILADDRESS%"), Slow: time.Second})
	tg := checks.Target{Service: checks.SMTP, Host: "127.0.0.1", Port: freePort(t), Email: "ann@slow.test",
		Timeout: 10 * time.Second, Resolver: l.dns.Addr}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	res, err := checks.Run(ctx, tg, l.opt)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("run took %s after the cancel", d)
	}
	r := result(t, res, checks.CheckProvider)
	if r.Provider == nil || r.Provider.Documented != nil || r.Provider.Sources[0].Outcome != checks.LookupCanceled {
		t.Errorf("provider %+v", r.Provider)
	}
}
