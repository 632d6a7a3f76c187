package accounts

// Outlook keeps each mail profile's POP3 / IMAP / SMTP accounts in the
// registry, one subkey per account (00000001, 00000002, ...) under the
// profile's 9375CFF0413111d3B88A00104B2A6676 key:
//   - Outlook 2013: HKCU\Software\Microsoft\Office\15.0\Outlook\Profiles\<profile>
//   - Outlook 2016, 2019, 2021 and 365: ...\Office\16.0\Outlook\Profiles\<profile>
//   - Outlook 2007 and 2010: HKCU\Software\Microsoft\Windows NT\CurrentVersion\
//     Windows Messaging Subsystem\Profiles\<profile>
// (the keys and value names that public Outlook profile tools read and
// write, e.g. OpaqueMail's Outlook settings import and Mozilla's
// mailnews/import/outlook).
// Account Name, Email and the server and user values are REG_BINARY
// UTF-16LE with a terminating NUL in most versions (REG_SZ in some);
// ports are DWORDs. Encryption: "SMTP Use SSL" (or "SMTP Secure
// Connection"), "POP3 Use SSL", "IMAP Use SSL": 0 none, 1 SSL (TLS from
// the first byte); 2 TLS (STARTTLS) and 3 Auto are taken to be the next
// entries of the account dialog's "Use the following type of encrypted
// connection" list (None, SSL, TLS, Auto) of Outlook 2010 and later, an
// inference from the dialog, not a documented table; any other number is
// kept as unknown. Exchange
// accounts have none of these values and are not listed. The POP3 / IMAP
// / SMTP Password values are seen by name only.

const messagingKey = "9375CFF0413111d3B88A00104B2A6676"

var outlookRoots = []struct{ path, name string }{
	{`Software\Microsoft\Office\16.0\Outlook\Profiles`, "Outlook 2016–2021/365"},
	{`Software\Microsoft\Office\15.0\Outlook\Profiles`, "Outlook 2013"},
	{`Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles`, "Outlook 2007/2010"},
}

var outlookFields = []mailFields{
	{service: POP3, server: "POP3 Server", port: "POP3 Port", user: "POP3 User", secure: "POP3 Use SSL"},
	{service: IMAP, server: "IMAP Server", port: "IMAP Port", user: "IMAP User", secure: "IMAP Use SSL"},
	{service: SMTP, server: "SMTP Server", port: "SMTP Port", user: "SMTP User", secure: "SMTP Use SSL", altSecure: "SMTP Secure Connection"},
}

func outlookSecure(_ Service, _ int, v int) Security {
	switch v {
	case 0:
		return SecurityNone
	case 1:
		return SecurityTLS
	case 2, 3:
		return SecurityStartTLS
	}
	return SecurityUnknown
}

func findOutlook(c *collector, env Env) {
	for _, r := range outlookRoots {
		k := openPath(env.Registry, r.path)
		if k == nil {
			continue
		}
		profiles, err := k.SubKeys()
		if err != nil {
			c.problem(Problem{Program: Outlook, ProgramName: r.name, Source: k.Path(), Kind: Unreadable, Detail: err.Error()})
		}
		for _, p := range profiles {
			eachSubKey(c, k, p+`\`+messagingKey, Problem{Program: Outlook, ProgramName: r.name, Profile: p}, func(n string, sk Key) {
				outlookAccount(c, sk, p+`\`+n, r.name)
			})
		}
		k.Close()
	}
}

func outlookAccount(c *collector, sk Key, key, program string) {
	s := regSettings{sk}
	name, _ := s.get("Account Name")
	email, _ := s.get("Email")
	base := Account{Program: Outlook, ProgramName: program, Name: name, Email: email, Source: sk.Path(),
		PasswordStored: hasValue(sk, "POP3 Password", "IMAP Password", "SMTP Password")}
	mailAccounts(c, s, base, outlookFields, key, outlookSecure)
}
