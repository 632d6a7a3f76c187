package wizard

// What providers say when they refuse a login by policy (an app password
// needed, password logins switched off, access to the protocol switched
// off), and what the diagnosis knows of their policies. Reply codes,
// enhanced status codes (RFC 3463) and response codes decide first (see
// policyByCode); the patterns below are for what a provider says only in
// words.

import (
	"slices"
	"strings"

	"assistant/checks"
)

// mailProvider is what the diagnosis knows of one provider's login policy.
type mailProvider struct {
	ID, Name string
	// Domains are the suffixes of its server names ("gmail.com" matches
	// imap.gmail.com and smtp.gmail.com).
	Domains []string
	// AppPassword: mail programs log in with an application password,
	// never the account password.
	AppPassword bool
	// AppPasswordURL is the page where app passwords are made; EnableURL
	// the page where access for mail programs is switched on.
	AppPasswordURL, EnableURL string
	// Banners are words of its servers' greetings that name no domain.
	Banners []banner
}

// banner is a provider's greeting words (lower case) and the public
// source quoting the greeting.
type banner struct{ Text, Source string }

// providers lists the providers whose login policy the diagnosis knows.
var providers = []mailProvider{
	{ID: "google", Name: "Gmail", Domains: []string{"gmail.com", "googlemail.com", "google.com"}, AppPassword: true,
		AppPasswordURL: "https://myaccount.google.com/apppasswords",
		EnableURL:      "https://mail.google.com/mail/#settings/fwdandpop",
		// "* OK Gimap ready for requests from 234.234.234.234 e3mb266103497wrd"
		Banners: []banner{{"gimap ready for requests", "https://github.com/gutmensch/docker-dmarc-report/issues/18"}}},
	{ID: "microsoft", Name: "Microsoft 365 / Outlook.com",
		Domains:   []string{"office365.com", "outlook.com", "hotmail.com", "live.com"},
		EnableURL: "https://aka.ms/smtp_auth_disabled"},
	{ID: "yandex", Name: "Yandex Mail", Domains: []string{"yandex.ru", "yandex.com", "yandex.net"}, AppPassword: true,
		AppPasswordURL: "https://id.yandex.ru/security/app-passwords",
		EnableURL:      "https://mail.yandex.ru/#setup/client"},
	{ID: "mailru", Name: "Mail.ru", Domains: []string{"mail.ru"}, AppPassword: true,
		AppPasswordURL: "https://help.mail.ru/mail/security/protection/external"},
	{ID: "apple", Name: "iCloud Mail", Domains: []string{"mail.me.com", "icloud.com"}, AppPassword: true,
		AppPasswordURL: "https://support.apple.com/en-us/HT204397",
		// "* OK [CAPABILITY st11p00mm-iscream022 …] iSCREAM ready to rumble (…)"
		Banners: []banner{{"iscream ready to rumble", "https://github.com/lefcha/imapfilter/issues/125"}}},
	{ID: "yahoo", Name: "Yahoo Mail", Domains: []string{"yahoo.com", "yahoodns.net"}, AppPassword: true,
		AppPasswordURL: "https://help.yahoo.com/kb/SLN15241.html"},
}

// providerByID returns the provider with the ID, or nil.
func providerByID(id string) *mailProvider {
	for i := range providers {
		if providers[i].ID == id {
			return &providers[i]
		}
	}
	return nil
}

// providerOf finds the provider from server names: the host typed, or a
// name in the server's greeting ("* OK Yandex IMAP4rev1 at
// imap53p.mail.yandex.net:993 ready") or reply, or the words of a
// greeting that names no domain (iCloud's "iSCREAM ready to rumble").
func providerOf(names ...string) *mailProvider {
	for _, text := range names {
		for i := range providers {
			for _, b := range providers[i].Banners {
				if strings.Contains(strings.ToLower(text), b.Text) {
					return &providers[i]
				}
			}
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return r == ' ' || r == ':' || r == '[' || r == ']' || r == '(' || r == ')' || r == ','
		}) {
			w = strings.TrimSuffix(w, ".")
			for i := range providers {
				for _, d := range providers[i].Domains {
					if w == d || strings.HasSuffix(w, "."+d) {
						return &providers[i]
					}
				}
			}
		}
	}
	return nil
}

// policyPattern is a provider's refusal that says its cause only in words.
type policyPattern struct {
	Provider string // mailProvider ID
	Cause    Cause
	// Text is matched, case-insensitively, within the reply's lines.
	Text string
	// Service is the protocol the reply was seen on.
	Service checks.Service
	// Reply is the provider's reply verbatim, as published at Source (the
	// tests replay it through a scripted peer).
	Reply  string
	Source string
}

// policyPatterns is the one table of refusals recognised by their words.
var policyPatterns = []policyPattern{
	{Provider: "google", Cause: AppPasswordRequired, Text: "application-specific password required", Service: checks.SMTP,
		Reply: "534-5.7.9 Application-specific password required. Learn more at\r\n" +
			"534 5.7.9 https://support.google.com/mail/?p=InvalidSecondFactor n18sm8811765wru.2 - gsmtp",
		Source: "https://github.com/iiuni/projektzapisy/issues/727"},
	{Provider: "google", Cause: AppPasswordRequired, Text: "application-specific password required", Service: checks.IMAP,
		Reply:  "NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)",
		Source: "https://github.com/LukeSmithxyz/mutt-wizard/issues/831"},
	{Provider: "google", Cause: AccessDisabled, Text: "not enabled for imap use", Service: checks.IMAP,
		Reply:  "NO [ALERT] Your account is not enabled for IMAP use.",
		Source: "https://github.com/mozilla-b2g/gaia/blob/master/apps/email/js/ext/imap/probe.js"},
	{Provider: "google", Cause: AccessDisabled, Text: "imap access is disabled for your domain", Service: checks.IMAP,
		Reply:  "NO [ALERT] IMAP access is disabled for your domain.",
		Source: "https://github.com/mozilla-b2g/gaia/blob/master/apps/email/js/ext/imap/probe.js"},
	{Provider: "microsoft", Cause: OAuthRequired, Text: "basic authentication is disabled", Service: checks.SMTP,
		Reply:  "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BM1P287CA0015.INDP287.PROD.OUTLOOK.COM]",
		Source: "https://github.com/rpremraj/mailR/issues/107"},
	{Provider: "microsoft", Cause: AccessDisabled, Text: "smtpclientauthentication is disabled", Service: checks.SMTP,
		Reply: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. " +
			"Visit https://aka.ms/smtp_auth_disabled for more information. [TY1PR01CA0183.jpnprd01.prod.outlook.com]",
		Source: "https://github.com/nodemailer/nodemailer/issues/1484"},
	{Provider: "mailru", Cause: AppPasswordRequired, Text: "application password is required", Service: checks.SMTP,
		Reply:  "535 5.7.0 NEOBHODIM parol prilozheniya https://help.mail.ru/mail/security/protection/external / Application password is REQUIRED",
		Source: "https://github.com/lmanukyan/print-designer/issues/5"},
	{Provider: "mailru", Cause: AppPasswordRequired, Text: "parol prilozheniya", Service: checks.IMAP,
		Reply:  "NO [AUTHENTICATIONFAILED] NEOBHODIM parol prilozheniya https://help.mail.ru/mail/security/protection/external / Aplication password is REQUIRED",
		Source: "https://github.com/thunderbird/thunderbird-android/issues/9069"},
	{Provider: "yandex", Cause: AccessDisabled, Text: "invalid credentials or imap is disabled", Service: checks.IMAP,
		Reply:  "NO [AUTHENTICATIONFAILED] LOGIN invalid credentials or IMAP is disabled sc=cYXlpv732Cg1_010534_2-1e59ad28a72c",
		Source: "https://github.com/Foundry376/Mailspring/issues/2111"},
}

// patternIn returns the table's pattern found in the texts, or nil.
func patternIn(texts ...string) *policyPattern {
	low := strings.ToLower(strings.Join(texts, "\n"))
	for i, p := range policyPatterns {
		if strings.Contains(low, p.Text) {
			return &policyPatterns[i]
		}
	}
	return nil
}

// policyMatch is a refusal the diagnosis recognised as a policy.
type policyMatch struct {
	cause    Cause
	conf     Confidence
	provider *mailProvider
	// variant selects the explanation: "" (the reply says it), "code" (its
	// codes say it), "provider" (a known policy of the provider), "mechs"
	// (only OAuth2 mechanisms offered), "logindisabled".
	variant string
	// explains: the refusal is fully explained (no auth-failed besides).
	explains bool
}

// oauthMechs are the SASL mechanisms of OAuth2 logins.
var oauthMechs = []string{"XOAUTH2", "OAUTHBEARER", "XOAUTH"}

// onlyOAuth reports whether mechs is not empty and holds only OAuth2 mechanisms.
func onlyOAuth(mechs []string) bool {
	for _, m := range mechs {
		if !slices.Contains(oauthMechs, strings.ToUpper(m)) {
			return false
		}
	}
	return len(mechs) > 0
}

// matchPolicy classifies a refused login: by the words of the one table,
// then by codes (SMTP 534 / 5.7.9, Microsoft's 5.7.139, IMAP [WEBALERT]),
// then by the provider's known policy. It returns nil when the refusal is
// an ordinary one.
func matchPolicy(svc checks.Service, a *checks.AuthFacts, reply string, prov *mailProvider) *policyMatch {
	if p := patternIn(append(append([]string{}, a.Lines...), a.Reply, reply)...); p != nil {
		return &policyMatch{cause: p.Cause, conf: High, provider: providerByID(p.Provider), explains: true}
	}
	enh := a.Enhanced
	if enh == "" {
		enh = enhanced(reply)
	}
	switch {
	case svc == checks.SMTP && (a.Code == 534 || enh == "5.7.9"):
		// RFC 4954: "534 5.7.9 Authentication mechanism is too weak": the
		// server wants a stronger credential than this password.
		return &policyMatch{cause: AppPasswordRequired, conf: Medium, provider: prov, variant: "code", explains: true}
	case svc == checks.SMTP && enh == "5.7.139":
		// Microsoft's "the user is not allowed to use basic authentication".
		return &policyMatch{cause: OAuthRequired, conf: Medium, provider: prov, variant: "code", explains: true}
	case svc == checks.SMTP && enh == "5.7.3" && prov != nil && prov.ID == "microsoft":
		// "535 5.7.3 Authentication unsuccessful [….outlook.com]": Microsoft's
		// own first check for it is that Authenticated SMTP is switched on
		// for the mailbox (learn.microsoft.com/en-us/exchange/mail-flow-best-practices/
		// fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off);
		// a wrong password gives the same reply, so auth-failed stays.
		return &policyMatch{cause: AccessDisabled, conf: Medium, provider: prov, variant: "microsoft-573"}
	case a.RespCode == "WEBALERT":
		return &policyMatch{cause: AccessDisabled, conf: High, provider: prov, variant: "code", explains: true}
	case prov != nil && prov.AppPassword:
		return &policyMatch{cause: AppPasswordRequired, conf: High, provider: prov, variant: "provider"}
	}
	return nil
}

// enhanced is the RFC 3463 enhanced status code at the start of a reply's
// text ("5.7.8 Error: …", with or without the reply code before it).
func enhanced(reply string) string {
	f := strings.Fields(reply)
	for i := 0; i < len(f) && i < 2; i++ {
		parts := strings.Split(f[i], ".")
		if len(parts) == 3 && len(parts[0]) == 1 && strings.Contains("245", parts[0]) && digits(parts[1]) && digits(parts[2]) {
			return f[i]
		}
	}
	return ""
}

func digits(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
