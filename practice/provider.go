package practice

import (
	"strconv"

	"assistant/checks"
	"assistant/faultpeer"
)

// startProviderSettings is an account with the wrong server name
// (smtp.example.com, which does not exist) for an address whose provider
// publishes its settings: the lab's own DNS zone and HTTPS autoconfig site
// on 127.0.0.1 document smtp.example.org, port of the lab's SMTP server,
// SSL, the address as the user name; that server accepts the account.
func startProviderSettings(l *Lab) error {
	ca, err := faultpeer.NewCA("Practice Provider CA")
	if err != nil {
		return err
	}
	l.Options.RootCAs = ca.Pool
	cert, err := ca.Leaf(faultpeer.LeafOptions{Names: []string{"smtp.example.org"}})
	if err != nil {
		return err
	}
	p, err := l.keep(faultpeer.SMTP(faultpeer.SMTPOptions{TLS: faultpeer.ServerConfig(cert), Implicit: true}))
	if err != nil {
		return err
	}
	dns, err := faultpeer.DNS()
	if err != nil {
		return err
	}
	l.closers = append(l.closers, dns)
	if err := dns.Add("smtp.example.org. 60 IN A 127.0.0.1", "autoconfig.example.org. 60 IN A 127.0.0.1"); err != nil {
		return err
	}
	ac, err := faultpeer.Autoconfig(ca, []string{"autoconfig.example.org"})
	if err != nil {
		return err
	}
	l.closers = append(l.closers, ac)
	ac.Set("autoconfig.example.org/mail/config-v1.1.xml", faultpeer.AutoconfigFile{Body: practiceConfig(p.Port())})
	l.Options.HTTPSPort = ac.Port
	l.Target = checks.Target{Service: checks.SMTP, Host: "smtp.example.com", Port: 25, Security: checks.SecurityNone,
		User: faultpeer.SMTPUser, Secret: checks.NewSecret(faultpeer.SMTPPassword), Email: faultpeer.SMTPUser,
		Resolver: dns.Addr}
	return l.otherPorts()
}

// practiceConfig is the lab provider's clientConfig 1.1 file.
func practiceConfig(port int) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.org">
    <domain>example.org</domain>
    <displayName>Example Mail (practice)</displayName>
    <outgoingServer type="smtp">
      <hostname>smtp.example.org</hostname>
      <port>` + strconv.Itoa(port) + `</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`
}
