package wizard

import (
	"slices"
	"strings"
	"testing"

	"assistant/checks"
	"assistant/provider"
)

// withProvider adds the provider check's result: Yandex documents
// smtp.yandex.com, 465, SSL and the address as the user name; probe is the
// check of those settings from here.
func (b *run) withProvider(probe *checks.DocumentedProbe, differs ...string) *run {
	b.t.Email = "ann@yandex.ru"
	f := &checks.ProviderFacts{Email: b.t.Email, Domain: "yandex.ru", ASCIIDomain: "yandex.ru", Name: "Yandex Mail",
		Source: checks.SourceISPDB, User: "ann@yandex.ru", Differs: differs, Probe: probe,
		Documented:    &provider.Server{Service: "smtp", Host: "smtp.yandex.com", Port: 465, Security: "tls", UserName: provider.UserAddress},
		Disagreements: []checks.Disagreement{{Source: checks.SourceSRV, Server: provider.Server{Host: "smtp.yandex.ru", Port: 587, Security: "starttls"}, Fields: []string{"host", "port", "security"}}},
		EnableURL:     "https://mail.yandex.ru/#setup/client"}
	status := checks.StatusPass
	if probe != nil && probe.Status == checks.StatusFail {
		status = checks.StatusWarn
	}
	b.rs = append(b.rs, checks.Result{ID: checks.CheckProvider, Status: status, Provider: f})
	return b
}

var docWorks = &checks.DocumentedProbe{Host: "smtp.yandex.com", Port: 465, Security: checks.SecurityTLS, Status: checks.StatusPass,
	Greeting: "220 smtp.yandex.com ESMTP", TLS: true}

func providerCases() []diagCase {
	refused := &checks.DocumentedProbe{Host: "smtp.yandex.com", Port: 465, Security: checks.SecurityTLS, Status: checks.StatusFail,
		FailedCheck: checks.CheckTCP, Fault: &checks.Fault{Kind: checks.FaultRefused, Stage: checks.StageConnect}}
	loginRefused := *docWorks
	loginRefused.Status, loginRefused.FailedCheck, loginRefused.Login = checks.StatusFail, checks.CheckAuth, "refused"
	return []diagCase{
		{name: "settings differ: account fails, documented works", want: SettingsDiffer, conf: High,
			evidence: []string{"provider", "tcp"}, also: []Cause{PortBlocked},
			facts: map[string]string{"doc_host": "smtp.yandex.com", "doc_port": "465", "doc_security": "tls", "source": "ispdb", "provider": "Yandex Mail"},
			run: smtp25().allPorts(checks.FaultTimeout).fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true).
				withProvider(docWorks, "host", "port", "security")},
		{name: "settings differ: documented login refused still answers", want: SettingsDiffer, conf: High,
			run: smtp25().fail(checks.CheckDNS, flt(checks.FaultNotFound, checks.StageResolve), true).
				withProvider(&loginRefused, "host", "port", "security")},
		{name: "settings differ supporting: both work", want: SettingsDiffer, conf: Low, not: []Cause{NoProblemFound},
			run: smtp25().withProvider(docWorks, "host", "port", "security")},
		{name: "documented settings fail too: not named", want: PortBlocked, conf: High, not: []Cause{SettingsDiffer},
			run: smtp25().allPorts(checks.FaultTimeout).fail(checks.CheckTCP, flt(checks.FaultTimeout, checks.StageConnect), true).
				withProvider(refused, "host", "port", "security")},
		{name: "login refused with another user-name form", want: AuthFailed, conf: High,
			facts: map[string]string{"doc_user": "ann@yandex.ru", "user_form": "address", "enable_url": "https://mail.yandex.ru/#setup/client"},
			run: smtp25().fail(checks.CheckAuth, checks.Fault{Kind: checks.FaultAuth, Stage: checks.StageAuth, Code: 535, Reply: "5.7.8 Error: authentication failed"}, false).
				withProvider(nil, "user")},
	}
}

// TestSettingsDifferSteps: each differing field gets its step, naming the
// documented value and where Outlook and Thunderbird keep it, in both
// languages; the source and the disagreeing source are named.
func TestSettingsDifferSteps(t *testing.T) {
	b := smtp25().fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true).withProvider(docWorks, "host", "port", "security", "user")
	f := Diagnose(b.t, b.rs)[0]
	if f.Cause != SettingsDiffer {
		t.Fatalf("top %s", f.Cause)
	}
	want := []string{"provider.step.host.smtp", "provider.step.port.smtp", "provider.step.user", "provider.step.source", "provider.step.disagree"}
	if !slices.Equal(f.Steps, want) {
		t.Fatalf("steps %v", f.Steps)
	}
	en := strings.Join(append([]string{f.Explanation(EN)}, f.Remediation(EN)...), "\n")
	for _, s := range []string{"smtp.yandex.com", "port 465, SSL/TLS", "Outgoing mail server (SMTP)", "Thunderbird", "ann@yandex.ru",
		"Mozilla ISPDB", "srv: smtp.yandex.ru:587 starttls", "mail.example.com, port 25, no encryption"} {
		if !strings.Contains(en, s) {
			t.Errorf("English lacks %q:\n%s", s, en)
		}
	}
	ru := strings.Join(append([]string{f.Explanation(RU)}, f.Remediation(RU)...), "\n")
	for _, s := range []string{"smtp.yandex.com", "Сервер исходящей почты (SMTP)", "без шифрования", "база провайдеров"} {
		if !strings.Contains(ru, s) {
			t.Errorf("Russian lacks %q:\n%s", s, ru)
		}
	}
}

// TestLoginRefusalQuotesProvider: a refused login gets the documented
// user-name form and the provider's enable link before the usual steps.
func TestLoginRefusalQuotesProvider(t *testing.T) {
	b := smtp25().fail(checks.CheckAuth, checks.Fault{Kind: checks.FaultAuth, Stage: checks.StageAuth, Code: 535}, false).withProvider(nil, "user")
	f := Diagnose(b.t, b.rs)[0]
	if f.Cause != AuthFailed || f.Facts["enable_url"] == "" || !slices.Contains(f.Evidence, "provider") {
		t.Fatalf("finding %+v", f)
	}
	steps := f.Remediation(EN)
	if !strings.Contains(steps[0], "documents the user name ann@yandex.ru (the full e-mail address)") ||
		!strings.Contains(steps[1], "https://mail.yandex.ru/#setup/client") || !strings.Contains(steps[2], "Type the password again") {
		t.Errorf("steps %q", steps)
	}
}

// TestProviderReport: the JSON report carries target.email and the provider
// object; the text report shows the documented settings beside the account's.
func TestProviderReport(t *testing.T) {
	b := smtp25().fail(checks.CheckTCP, flt(checks.FaultRefused, checks.StageConnect), true).withProvider(docWorks, "host", "port", "security")
	rep := &Report{Target: b.t, Results: b.rs, Findings: Diagnose(b.t, b.rs)}
	js, err := rep.Render(EN, FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"email": "ann@yandex.ru"`, `"name": "Yandex Mail"`, `"sources": [`, `"differs": [`,
		`"enable_url": "https://mail.yandex.ru/#setup/client"`, `"security": "tls"`, `"cause": "settings-differ"`} {
		if !strings.Contains(string(js), s) {
			t.Errorf("JSON lacks %s", s)
		}
	}
	for _, l := range Langs {
		txt, err := rep.Render(l, FormatText)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(txt), "smtp.yandex.com:465, SSL/TLS") || !strings.Contains(string(txt), "ann@yandex.ru") {
			t.Errorf("%s text report lacks the documented settings:\n%s", l, txt)
		}
	}
}

// TestEmailProblemTexts: every address problem has a message in both
// languages quoting the address, and an IDN domain shows its punycode.
func TestEmailProblemTexts(t *testing.T) {
	for _, p := range []string{checks.EmailNoAt, checks.EmailSpace, checks.EmailBadDomain, checks.EmailNoRecords} {
		for _, l := range Langs {
			if m := EmailProblem(l, "ann example", p); !strings.Contains(m, "ann example") || strings.Contains(m, "provider.email") {
				t.Errorf("%s %s: %q", p, l, m)
			}
		}
	}
	f := &checks.ProviderFacts{Email: "аня@почта.рф", Domain: "почта.рф", ASCIIDomain: "xn--80a1acny.xn--p1ai", Problem: checks.EmailNoRecords, Sources: []checks.SourceFacts{}}
	if s := providerSummary(f, RU); !strings.Contains(s, "xn--80a1acny.xn--p1ai") || !strings.Contains(s, "аня@почта.рф") {
		t.Errorf("summary %q", s)
	}
}

// TestHostMissingGetsDocumentedServer: an empty server field with an
// address whose provider is known: the documented server is named first.
func TestHostMissingGetsDocumentedServer(t *testing.T) {
	b := smtp25().with(checks.CheckInput, func(r *checks.Result) {
		r.Input = &checks.InputFacts{Problem: checks.InputEmpty}
	}).fail(checks.CheckInput, flt(checks.FaultProtocol, checks.StageInput), true).withProvider(docWorks, "host", "port", "security")
	b.t.Host = ""
	fs := Diagnose(b.t, b.rs)
	got := causes(fs)
	if len(got) < 2 || got[0] != SettingsDiffer || got[1] != HostMissing {
		t.Fatalf("findings %v", got)
	}
	for _, l := range Langs {
		checkRendered(t, fs[0], l)
	}
	if e := fs[0].Explanation(EN); !strings.Contains(e, "no server name") || !strings.Contains(e, "smtp.yandex.com") {
		t.Errorf("explanation %q", e)
	}
}

// TestFormEmail: the address is the default user name of a mail account,
// not of an FTP one; the offer comes from the bundled database.
func TestFormEmail(t *testing.T) {
	tg, _, _ := Form{Service: checks.IMAP, Host: "imap.example.com", Email: " ann@yandex.ru "}.Validate(EN)
	if tg.Email != "ann@yandex.ru" || tg.User != "ann@yandex.ru" {
		t.Errorf("imap target %+v", tg)
	}
	tg, _, _ = Form{Service: checks.FTP, Host: "ftp.example.com", Email: "ann@yandex.ru"}.Validate(EN)
	if tg.Email != "" || tg.User != "" {
		t.Errorf("ftp target %+v", tg)
	}
	f := Form{Service: checks.IMAP, Host: "imap.yandex.ru", Port: "143", Security: checks.SecurityNone, Email: "ann@yandex.ru"}
	o, ok := ProviderOffer(f)
	if !ok || o.Provider != "Yandex Mail" || o.Server.Host != "imap.yandex.com" || o.Server.Port != 993 {
		t.Fatalf("offer %+v %v", o, ok)
	}
	if _, again := ProviderOffer(o.Apply(f)); again {
		t.Error("offered again after it was applied")
	}
	if _, ok := ProviderOffer(Form{Service: checks.IMAP, Email: "ann@unknown.example"}); ok {
		t.Error("offer for an unknown domain")
	}
}
