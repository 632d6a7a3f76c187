package provider

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestEveryFileParses parses every file of the embedded snapshot and checks
// the counts its README states (163 files, 963 <domain> entries).
func TestEveryFileParses(t *testing.T) {
	d := load()
	for _, err := range d.errs {
		t.Error(err)
	}
	if len(d.providers) != 163 {
		t.Errorf("%d providers, want 163", len(d.providers))
	}
	entries := 0
	for _, c := range d.providers {
		entries += len(c.Domains)
		if c.Name == "" || len(c.Servers) == 0 {
			t.Errorf("%s: name %q, %d servers", c.ID, c.Name, len(c.Servers))
		}
	}
	if entries != 963 {
		t.Errorf("%d domain entries, want 963", entries)
	}
	p, n := Counts()
	t.Logf("%d providers, %d distinct domains", p, n)
	if p != 163 || n < 900 || n > 963 {
		t.Errorf("Counts %d, %d", p, n)
	}
}

func TestLookupGmail(t *testing.T) {
	c, ok := Lookup("GMail.com.")
	if !ok || c.Name != "Google Mail" {
		t.Fatalf("gmail.com: %+v %v", c, ok)
	}
	smtp := c.For(SMTP)
	if len(smtp) == 0 || (smtp[0].Host != "smtp.gmail.com" || smtp[0].Port != 465 || smtp[0].Security != SecurityTLS || smtp[0].UserName != UserAddress) {
		t.Fatalf("gmail smtp: %+v", smtp)
	}
	if !slices.Equal(smtp[0].Auth, []string{AuthOAuth2, AuthPassword}) {
		t.Errorf("gmail smtp auth %v", smtp[0].Auth)
	}
	// Gmail's <enable> stands beside <emailProvider>, not inside it.
	if !strings.HasPrefix(c.EnableURL, "https://mail.google.com/") || !slices.Contains(c.EnableText, "You need to enable IMAP access") {
		t.Errorf("gmail enable: %q %q", c.EnableURL, c.EnableText)
	}
	if c.OAuthOnly(IMAP) {
		t.Error("gmail IMAP also takes passwords")
	}
}

func TestLookupYandex(t *testing.T) {
	c, ok := Lookup("yandex.ru")
	if !ok {
		t.Fatal("yandex.ru not found")
	}
	s := c.For(SMTP)[0]
	if s.Host != "smtp.yandex.com" || s.Port != 465 || s.Security != SecurityTLS {
		t.Errorf("yandex smtp %+v", s)
	}
	if _, ok := Lookup("no-such-provider.example"); ok {
		t.Error("unknown domain found")
	}
	if _, ok := Lookup("bad domain"); ok {
		t.Error("a domain with a space found")
	}
}

// TestKnownBadEntries: the snapshot README's known errors are flagged and
// ranked after the provider's other servers.
func TestKnownBadEntries(t *testing.T) {
	pdx, _ := Lookup("pdx.edu")
	imap := pdx.For(IMAP)
	if len(imap) != 2 || imap[0].Port != 993 || !slices.Contains(imap[1].Flags, FlagOtherServicePort) {
		t.Errorf("pdx.edu imap %+v", imap)
	}
	red, _ := Lookup("rediffmail.com")
	var flagged []Server
	for _, s := range red.For(SMTP) {
		if len(s.Flags) > 0 {
			flagged = append(flagged, s)
		}
	}
	if len(flagged) != 1 || flagged[0].Port != 586 || flagged[0].Flags[0] != FlagUnusualPort {
		t.Errorf("rediffmail flagged %+v", flagged)
	}
	if last := red.For(SMTP)[len(red.For(SMTP))-1]; last.Port != 586 {
		t.Errorf("rediffmail smtp order: the flagged server must come last, got %+v", red.For(SMTP))
	}
	var all []string
	for _, c := range Providers() {
		for _, s := range c.Servers {
			if len(s.Flags) > 0 {
				all = append(all, c.ID+" "+s.Service+" "+s.Flags[0])
			}
		}
	}
	// Beside the README's two, the snapshot documents POP3 on 993 for arubapec.it.
	want := []string{"arubapec.it pop3 port-of-other-service", "pdx.edu imap port-of-other-service", "rediffmail.com smtp unusual-port"}
	if !slices.Equal(all, want) {
		t.Errorf("flagged %q, want %q", all, want)
	}
	c, err := ParseBytes([]byte(`<clientConfig><emailProvider><outgoingServer type="smtp"><hostname>a.test</hostname><port>587</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS</username></outgoingServer></emailProvider></clientConfig>`))
	if err != nil || !slices.Equal(c.Servers[0].Flags, []string{FlagBadUserName}) {
		t.Errorf("malformed user name: %+v %v", c, err)
	}
}

func TestLookupMX(t *testing.T) {
	for mx, want := range map[string]string{
		"aspmx.l.google.com.":                     "googlemail.com",
		"example-com.mail.protection.outlook.com": "office365.com", // lists mail.protection.outlook.com
		"mx1.hotmail.com":                         "hotmail.com",
		"mx.yandex.net":                           "yandex.ru",
	} {
		c, _, ok := LookupMX(mx)
		if !ok || c.ID != want {
			got := ""
			if c != nil {
				got = c.ID
			}
			t.Errorf("MX %s: %q %v, want %s", mx, got, ok, want)
		}
	}
	if _, _, ok := LookupMX("mx.unknown.example"); ok {
		t.Error("unknown MX found")
	}
}

func TestIDN(t *testing.T) {
	if got := Normalize("Почта.РФ."); got != "xn--80a1acny.xn--p1ai" {
		t.Errorf("Normalize: %q", got)
	}
}

func TestParseRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"garbage":   "this is not xml",
		"html":      "<html><body>404</body></html>",
		"no server": `<clientConfig version="1.1"><emailProvider id="x"><domain>x.test</domain></emailProvider></clientConfig>`,
		"bad port":  `<clientConfig><emailProvider><outgoingServer type="smtp"><hostname>a</hostname><port>99999</port></outgoingServer></emailProvider></clientConfig>`,
		"charset":   `<?xml version="1.0" encoding="ISO-8859-5"?><clientConfig/>`,
	} {
		if _, err := ParseBytes([]byte(doc)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestExpand(t *testing.T) {
	if got := Expand("%EMAILLOCALPART%.%EMAILDOMAIN%", "ann@example.test"); got != "ann.example.test" {
		t.Errorf("Expand %q", got)
	}
	if got := Expand(UserAddress, "ann@example.test"); got != "ann@example.test" {
		t.Errorf("Expand %q", got)
	}
}

// TestSnapshotNotice: the license and source note ship beside the data.
func TestSnapshotNotice(t *testing.T) {
	for _, f := range []string{"ispdb/LICENSE", "ispdb/SOURCE.md"} {
		if b, err := os.ReadFile(f); err != nil || len(b) < 100 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// BenchmarkLookup measures one lookup in the parsed database.
func BenchmarkLookup(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Lookup("yandex.ru"); !ok {
			b.Fatal("not found")
		}
	}
}

// BenchmarkLookupMX measures one lookup by MX host.
func BenchmarkLookupMX(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := LookupMX("aspmx.l.google.com"); !ok {
			b.Fatal("not found")
		}
	}
}

// BenchmarkLoad measures parsing the whole embedded database (done once).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		build(files)
	}
}
