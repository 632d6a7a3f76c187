package wizard

import (
	"slices"
	"strings"
	"testing"

	"assistant/checks"
)

// refused makes a run whose login was refused with the given facts (the
// reply lines as the checks record them) and fault.
func refused(svc checks.Service, host string, port int, sec checks.Security, a checks.AuthFacts, f checks.Fault) *run {
	b := newRun(svc, port, sec)
	b.t.Host = host
	b.with(checks.CheckInput, func(r *checks.Result) { r.Input.Host, r.Input.RawHost = host, host })
	b.with(checks.CheckAuth, func(r *checks.Result) {
		a.User, a.Offered, a.Mechanism = "ann", true, "PLAIN"
		r.Auth = &a
	})
	return b.fail(checks.CheckAuth, f, false)
}

// authFault is the fault of a refused login.
func authFault(code int, reply string) checks.Fault {
	return checks.Fault{Kind: checks.FaultAuth, Stage: checks.StageAuth, Code: code, Reply: reply}
}

// pattern returns the reply of the table's entry whose text is text.
func pattern(text string, svc checks.Service) string {
	for _, p := range policyPatterns {
		if p.Text == text && p.Service == svc {
			return p.Reply
		}
	}
	panic("no pattern " + text)
}

// smtpRefusal is a refused SMTP login with the reply's lines as recorded.
func smtpRefusal(host, reply string) *run {
	lines := strings.Split(reply, "\r\n")
	last := lines[len(lines)-1]
	code := 0
	if len(last) >= 3 {
		code = int(last[0]-'0')*100 + int(last[1]-'0')*10 + int(last[2]-'0')
	}
	a := checks.AuthFacts{Code: code, Reply: last, Lines: lines, Enhanced: enhanced(last)}
	return refused(checks.SMTP, host, 587, checks.SecurityStartTLS, a, authFault(code, strings.TrimSpace(last[min(4, len(last)):])))
}

// imapRefusal is a refused IMAP login: "A2 " + reply.
func imapRefusal(host, reply string) *run {
	line := "A2 " + reply
	a := checks.AuthFacts{Reply: line, Lines: []string{line}, RespCode: respCodeOf(reply)}
	return refused(checks.IMAP, host, 993, checks.SecurityTLS, a, authFault(0, line))
}

func respCodeOf(reply string) string {
	_, rest, _ := strings.Cut(reply, "[")
	code, _, _ := strings.Cut(rest, "]")
	code, _, _ = strings.Cut(code, " ")
	return code
}

func policyCases() []diagCase {
	gmailSMTP := pattern("application-specific password required", checks.SMTP)
	return append(clockCases(), []diagCase{
		{name: "Gmail 534-5.7.9 app password", want: AppPasswordRequired, conf: High, evidence: []string{"auth"},
			facts: map[string]string{"provider": "Gmail", "app_password_url": "https://myaccount.google.com/apppasswords",
				"reply": strings.ReplaceAll(gmailSMTP, "\r\n", " ")},
			not: []Cause{AuthFailed, AuthRequired},
			run: smtpRefusal("smtp.gmail.com", gmailSMTP)},
		{name: "Gmail IMAP app password alert", want: AppPasswordRequired, conf: High, not: []Cause{AuthFailed},
			run: imapRefusal("imap.gmail.com", pattern("application-specific password required", checks.IMAP))},
		{name: "Microsoft 535 5.7.139 basic authentication disabled", want: OAuthRequired, conf: High,
			facts: map[string]string{"provider": "Microsoft 365 / Outlook.com"}, not: []Cause{AuthFailed},
			run: smtpRefusal("smtp.office365.com", pattern("basic authentication is disabled", checks.SMTP))},
		{name: "Microsoft SmtpClientAuthentication disabled for the tenant", want: AccessDisabled, conf: High,
			facts: map[string]string{"enable_url": "https://aka.ms/smtp_auth_disabled"}, not: []Cause{AuthFailed},
			run: smtpRefusal("smtp.office365.com", pattern("smtpclientauthentication is disabled", checks.SMTP))},
		{name: "Gmail IMAP not enabled", want: AccessDisabled, conf: High,
			facts: map[string]string{"enable_url": "https://mail.google.com/mail/#settings/fwdandpop"}, not: []Cause{AuthFailed},
			run: imapRefusal("imap.gmail.com", pattern("not enabled for imap use", checks.IMAP))},
		{name: "Mail.ru app password, from an IP address", want: AppPasswordRequired, conf: High,
			facts: map[string]string{"provider": "Mail.ru"},
			run:   smtpRefusal("192.0.2.25", pattern("application password is required", checks.SMTP))},
		{name: "Yandex: invalid credentials or IMAP disabled", want: AccessDisabled, conf: High,
			facts: map[string]string{"provider": "Yandex Mail", "enable_url": "https://mail.yandex.ru/#setup/client"},
			run:   imapRefusal("imap.yandex.ru", pattern("invalid credentials or imap is disabled", checks.IMAP))},
		{name: "iCloud refuses the account password", want: AppPasswordRequired, conf: High, also: []Cause{AuthFailed},
			facts: map[string]string{"provider": "iCloud Mail"},
			run:   imapRefusal("imap.mail.me.com", "NO [AUTHENTICATIONFAILED] Authentication failed")},
		{name: "534 5.7.9 without words from an unknown server", want: AppPasswordRequired, conf: Medium, not: []Cause{AuthFailed},
			facts: map[string]string{"enhanced": "5.7.9"},
			run:   smtpRefusal("mail.example.com", "534 5.7.9 Authentication mechanism is too weak")},
		{name: "5.7.139 without words", want: OAuthRequired, conf: Medium,
			run: smtpRefusal("mail.example.com", "535 5.7.139 Authentication unsuccessful")},
		{name: "IMAP WEBALERT", want: AccessDisabled, conf: High, facts: map[string]string{"enhanced": "WEBALERT"},
			run: imapRefusal("mail.example.com", "NO [WEBALERT https://accounts.example.com/signin] Web login required")},
		{name: "Microsoft 535 5.7.3: auth-failed, and Authenticated SMTP may be off", want: AuthFailed, conf: High,
			also: []Cause{AccessDisabled},
			// https://github.com/nodemailer/nodemailer/issues/1071
			run: smtpRefusal("192.0.2.7", "535 5.7.3 Authentication unsuccessful [SN4PR0601CA0002.namprd06.prod.outlook.com]")},
		{name: "an ordinary wrong password stays auth-failed", want: AuthFailed, conf: High,
			not: []Cause{AppPasswordRequired, OAuthRequired, AccessDisabled},
			run: smtpRefusal("mail.example.com", "535 5.7.8 Error: authentication failed")},
		{name: "IMAP offers only OAuth2: no password sent", want: OAuthRequired, conf: High, facts: map[string]string{"mechs": "XOAUTH2 OAUTHBEARER"},
			not: []Cause{AuthFailed, AuthUnavailable, ConnectionAborted},
			run: newRun(checks.IMAP, 993, checks.SecurityTLS).with(checks.CheckIMAP, func(r *checks.Result) {
				r.Server.AuthMechs, r.Server.Capabilities = []string{"XOAUTH2", "OAUTHBEARER"}, []string{"IMAP4rev1", "AUTH=XOAUTH2", "AUTH=OAUTHBEARER", "LOGINDISABLED"}
			}).with(checks.CheckAuth, func(r *checks.Result) { r.Auth.Accepted, r.Auth.Mechanism = false, "" }).
				fail(checks.CheckAuth, flt(checks.FaultProtocol, checks.StageAuth), false)},
		{name: "IMAP LOGINDISABLED after TLS", want: OAuthRequired, conf: Medium, not: []Cause{AuthUnavailable},
			run: newRun(checks.IMAP, 993, checks.SecurityTLS).with(checks.CheckIMAP, func(r *checks.Result) {
				r.Server.AuthMechs, r.Server.Capabilities = nil, []string{"IMAP4rev1", "LOGINDISABLED"}
			}).with(checks.CheckAuth, func(r *checks.Result) { r.Auth.Accepted, r.Auth.Offered, r.Auth.Mechanism = false, false, "" }).
				fail(checks.CheckAuth, flt(checks.FaultProtocol, checks.StageAuth), false)},
	}...)
}

// TestPolicyPatternsSourced: every pattern names a known provider and a
// public source, matches its own reply, and every reply is told apart.
func TestPolicyPatternsSourced(t *testing.T) {
	for _, p := range policyPatterns {
		if providerByID(p.Provider) == nil {
			t.Errorf("%q: unknown provider %q", p.Text, p.Provider)
		}
		if !strings.HasPrefix(p.Source, "https://") {
			t.Errorf("%q: no public source", p.Text)
		}
		if !strings.Contains(strings.ToLower(p.Reply), p.Text) || p.Text != strings.ToLower(p.Text) {
			t.Errorf("%q does not match its own reply %q", p.Text, p.Reply)
		}
		if !slices.Contains([]Cause{AppPasswordRequired, OAuthRequired, AccessDisabled}, p.Cause) {
			t.Errorf("%q: %s is no policy cause", p.Text, p.Cause)
		}
	}
	for _, p := range providers {
		for _, b := range p.Banners {
			if b.Text != strings.ToLower(b.Text) || !strings.HasPrefix(b.Source, "https://") {
				t.Errorf("%s: banner %q (source %q)", p.ID, b.Text, b.Source)
			}
		}
	}
}

// TestPolicyEnableURLFact: an enable_url or app_password_url fact already
// known (a provider database) is quoted instead of the table's page.
func TestPolicyEnableURLFact(t *testing.T) {
	b := imapRefusal("imap.gmail.com", pattern("not enabled for imap use", checks.IMAP))
	d := newDiag(b.t, b.rs)
	d.base["enable_url"] = "https://example.com/enable-imap"
	d.policy()
	if len(d.out) != 1 || d.out[0].Cause != AccessDisabled {
		t.Fatalf("findings %v", causes(d.out))
	}
	for _, l := range Langs {
		if got := strings.Join(d.out[0].Remediation(l), "\n"); !strings.Contains(got, "https://example.com/enable-imap") {
			t.Errorf("%s: steps %q do not quote the enable_url fact", l, got)
		}
	}
}

// TestDecodePolicyReply: a pasted Outlook error quoting a provider's
// refusal of the pattern table names the policy cause first.
func TestDecodePolicyReply(t *testing.T) {
	for _, p := range policyPatterns {
		if p.Service != checks.SMTP {
			continue
		}
		last := strings.ReplaceAll(p.Reply, "\r\n", " ") // as a program shows it, on one line
		in := "Sending reported error (0x800CCC92): Your e-mail server rejected your login. Verify your user name and password. " +
			"Account: 'ann', Server: 'smtp.example.com', Protocol: SMTP, Server Response: '" + last + "', Port: 587, Secure(SSL): No"
		d := Decode(in)
		if cs := d.Causes(); len(cs) == 0 || cs[0] != p.Cause {
			t.Errorf("%q: causes %v, want %s first", last, cs, p.Cause)
		}
	}
}
