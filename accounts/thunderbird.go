package accounts

import (
	"errors"
	"path/filepath"
	"sort"
	"strings"
)

// Thunderbird keeps its profiles in profiles.ini ([ProfileN] sections with
// Name, IsRelative and Path) under its data folder, and each profile's
// accounts in the profile's prefs.js:
//   - mail.server.serverN.* are the incoming servers: type (pop3, imap;
//     none, rss, nntp are not mail servers), hostname, port, userName,
//     name, socketType; realhostname / realuserName, when present, are
//     what the user changed the server to and what Thunderbird connects to
//     (nsMsgIncomingServer::GetRealHostName in comm-central);
//   - mail.smtpserver.smtpN.* are the outgoing ones: hostname, port,
//     username, description, try_ssl (the socket type of an SMTP server);
//   - mail.identity.idN.* join them: useremail, smtpServer (else
//     mail.smtp.defaultserver), and mail.account.accountN.server /
//     .identities tie an identity to its incoming server.
// Socket types are nsMsgSocketType of comm-central's MailNewsTypes2.idl:
// 0 plain, 1 trySTARTTLS, 2 alwaysSTARTTLS, 3 SSL.
// Profile locations: https://support.mozilla.org/kb/profiles-where-thunderbird-stores-user-data
// (Windows %APPDATA%\Thunderbird, macOS ~/Library/Thunderbird, Linux
// ~/.thunderbird, the snap's ~/snap/thunderbird/common/.thunderbird and
// the Flatpak's ~/.var/app/org.mozilla.Thunderbird/.thunderbird).

const thunderbirdName = "Thunderbird"

func thunderbirdRoots(env Env) []string {
	switch env.GOOS {
	case "windows":
		if env.AppData == "" {
			return nil
		}
		return []string{filepath.Join(env.AppData, "Thunderbird")}
	case "darwin":
		return []string{filepath.Join(env.Home, "Library", "Thunderbird")}
	}
	if env.Home == "" {
		return nil
	}
	return []string{
		filepath.Join(env.Home, ".thunderbird"),
		filepath.Join(env.Home, "snap", "thunderbird", "common", ".thunderbird"),
		filepath.Join(env.Home, ".var", "app", "org.mozilla.Thunderbird", ".thunderbird"),
	}
}

func findThunderbird(c *collector, env Env) {
	for _, root := range thunderbirdRoots(env) {
		ini := filepath.Join(root, "profiles.ini")
		if !exists(ini) {
			continue
		}
		data, err := c.read(ini)
		if err != nil {
			c.fileProblem(Thunderbird, thunderbirdName, "", ini, err)
			continue
		}
		found := 0
		for _, s := range parseINI(data, nil) {
			if !strings.HasPrefix(strings.ToLower(s.name), "profile") || !s.has("Path") {
				continue
			}
			found++
			dir := filepath.FromSlash(s.get("Path"))
			if s.get("IsRelative") != "0" {
				dir = filepath.Join(root, dir)
			}
			name := s.get("Name")
			if name == "" {
				name = filepath.Base(dir)
			}
			readPrefsFile(c, filepath.Join(dir, "prefs.js"), name)
		}
		if found == 0 {
			c.fileProblem(Thunderbird, thunderbirdName, "", ini, invalidError{errors.New("no [Profile] section")})
		}
	}
}

// readPrefsFile lists the accounts of one profile's prefs.js.
func readPrefsFile(c *collector, path, profile string) {
	data, err := c.read(path)
	if err == nil {
		var p prefs
		p, err = parsePrefs(data)
		if err == nil {
			thunderbirdAccounts(c, p, path)
			return
		}
	}
	c.fileProblem(Thunderbird, thunderbirdName, profile, path, err)
}

// ids lists the N of every "prefix.N.field" preference, sorted.
func (p prefs) ids(prefix string) []string {
	set := map[string]bool{}
	for k := range p {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		id, _, ok := strings.Cut(rest, ".")
		if ok && id != "default" {
			set[id] = true
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// socketSecurity maps nsMsgSocketType to the contract's security.
func socketSecurity(p prefs, name, raw string) (Security, string) {
	n, ok := p.num(name)
	if _, present := p[name]; !present {
		return SecurityNone, "" // the default of mailnews.js: plain
	}
	rawText := raw + "=" + p[name]
	if !ok {
		return SecurityUnknown, rawText
	}
	switch n {
	case 0:
		return SecurityNone, rawText
	case 1, 2:
		return SecurityStartTLS, rawText
	case 3:
		return SecurityTLS, rawText
	}
	return SecurityUnknown, rawText
}

func thunderbirdAccounts(c *collector, p prefs, source string) {
	// Which identities belong to which incoming server.
	emailOf := map[string]string{} // server id -> first identity's address
	var identities []string
	for _, acct := range p.ids("mail.account.") {
		srv := p.str("mail.account." + acct + ".server")
		for _, id := range p.list("mail.account." + acct + ".identities") {
			identities = append(identities, id)
			if emailOf[srv] == "" {
				emailOf[srv] = p.str("mail.identity." + id + ".useremail")
			}
		}
	}
	n := 0
	for _, id := range p.ids("mail.server.") {
		k := "mail.server." + id + "."
		svc := Service(strings.ToLower(p.str(k + "type")))
		if svc != POP3 && svc != IMAP {
			continue
		}
		if n++; n > maxAccounts {
			return
		}
		a := Account{Program: Thunderbird, ProgramName: thunderbirdName, Service: svc, Source: source,
			Host: p.str(k + "hostname"), User: p.str(k + "userName"), Name: p.str(k + "name"), Email: emailOf[id]}
		if v, ok := p[k+"realhostname"]; ok {
			a.Host = v
		}
		if v, ok := p[k+"realuserName"]; ok {
			a.User = v
		}
		a.Port, _ = p.num(k + "port")
		a.Security, a.SecurityRaw = socketSecurity(p, k+"socketType", "socketType")
		if a.Name == "" {
			a.Name = a.User
		}
		c.add(a, id)
	}
	// Outgoing servers, named by their description or the address of an
	// identity that sends through them.
	def := p.str("mail.smtp.defaultserver")
	sender := map[string]string{}
	for _, id := range identities {
		smtp := p.str("mail.identity." + id + ".smtpServer")
		if smtp == "" {
			smtp = def
		}
		if sender[smtp] == "" {
			sender[smtp] = p.str("mail.identity." + id + ".useremail")
		}
	}
	for _, id := range p.ids("mail.smtpserver.") {
		k := "mail.smtpserver." + id + "."
		if _, ok := p[k+"hostname"]; !ok {
			continue
		}
		if n++; n > maxAccounts {
			return
		}
		a := Account{Program: Thunderbird, ProgramName: thunderbirdName, Service: SMTP, Source: source,
			Host: p.str(k + "hostname"), User: p.str(k + "username"), Name: p.str(k + "description"), Email: sender[id]}
		a.Port, _ = p.num(k + "port")
		a.Security, a.SecurityRaw = socketSecurity(p, k+"try_ssl", "try_ssl")
		if a.Name == "" {
			a.Name = a.Email
		}
		if a.Name == "" {
			a.Name = a.Host
		}
		c.add(a, id)
	}
}
