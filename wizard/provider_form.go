package wizard

// The account page's e-mail address: what the bundled provider database
// documents for it, offered before the check ("Use Yandex Mail's settings").

import (
	"strconv"
	"strings"

	"assistant/checks"
	"assistant/provider"
)

// Offer is the documented settings the account page offers for a typed
// address, from the bundled database (no network: the check itself also
// asks the provider's own autoconfig file and SRV records).
type Offer struct {
	// Provider is the provider's name.
	Provider string
	Server   provider.Server
	// User is the documented user name for the address ("" when the
	// database does not say).
	User string
}

// ProviderOffer returns the documented settings for the form's address and
// service, when the database knows its domain and they differ from the form.
func ProviderOffer(f Form) (Offer, bool) {
	if f.Service == checks.FTP || f.Service == "" {
		return Offer{}, false
	}
	local, _, ascii, problem := checks.ParseEmail(f.Email)
	if problem != "" {
		return Offer{}, false
	}
	c, ok := provider.Lookup(ascii)
	if !ok {
		return Offer{}, false
	}
	servers := c.For(string(f.Service))
	if len(servers) == 0 {
		return Offer{}, false
	}
	o := Offer{Provider: c.Name, Server: servers[0]}
	if o.Server.UserName != "" {
		o.User = provider.Expand(o.Server.UserName, local+"@"+ascii)
	}
	applied := o.Apply(f)
	same := strings.EqualFold(strings.TrimSpace(f.Host), applied.Host) && f.Port == applied.Port &&
		f.Security == applied.Security && strings.TrimSpace(f.User) == applied.User
	return o, !same
}

// Apply puts the documented server, port, security and user name into the form.
func (o Offer) Apply(f Form) Form {
	f.Host, f.Port, f.PortSet = o.Server.Host, strconv.Itoa(o.Server.Port), true
	f.Security = checks.Security(o.Server.Security)
	if o.User != "" {
		f.User = o.User
	}
	return f
}

// Button is the offer's button text ("Use Yandex Mail's settings").
func (o Offer) Button(l Lang) string { return l.T("provider.offer.button", "provider", o.Provider) }

// Changes says what applying the offer would change in the form.
func (o Offer) Changes(f Form, l Lang) string {
	a := o.Apply(f)
	var parts []string
	if !strings.EqualFold(strings.TrimSpace(f.Host), a.Host) {
		parts = append(parts, l.T("provider.offer.change", "field", l.T("provider.field.host"), "from", orNone(f.Host, l), "to", a.Host))
	}
	if f.Port != a.Port {
		parts = append(parts, l.T("provider.offer.change", "field", l.T("provider.field.port"), "from", orNone(f.Port, l), "to", a.Port))
	}
	if f.Security != a.Security {
		parts = append(parts, l.T("provider.offer.change", "field", l.T("provider.field.security"),
			"from", l.T("fact.security."+string(f.Security)), "to", l.T("fact.security."+string(a.Security))))
	}
	if strings.TrimSpace(f.User) != a.User {
		parts = append(parts, l.T("provider.offer.change", "field", l.T("provider.field.user"), "from", orNone(f.User, l), "to", a.User))
	}
	return l.T("provider.offer.changes", "provider", o.Provider, "changes", strings.Join(parts, "; "))
}

func orNone(v string, l Lang) string {
	if strings.TrimSpace(v) == "" {
		return l.T("provider.offer.empty")
	}
	return v
}

// EmailHint is the account page's message under the address field: its
// problem, or the punycode form of an IDN domain; "" otherwise.
func EmailHint(email string, l Lang) string {
	if strings.TrimSpace(email) == "" {
		return ""
	}
	_, domain, ascii, problem := checks.ParseEmail(email)
	switch {
	case problem != "":
		return l.T("provider.form."+problem, "email", email)
	case ascii != domain:
		return l.T("provider.idn", "domain", domain, "ascii", ascii)
	}
	return ""
}
