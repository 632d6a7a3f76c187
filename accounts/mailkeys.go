package accounts

import (
	"strconv"
	"strings"
)

// The Internet Account Manager of Outlook Express, its .oeaccount files
// (Windows Mail, Windows Live Mail) and Outlook's mail profiles store one
// account as a set of named values per service: a server, a port, a user
// and an encryption setting. mailFields names them for one program.
type mailFields struct {
	service                    Service
	server, port, user, secure string
	altSecure                  string // a second name for the setting (Outlook versions differ)
}

// mailAccounts lists the services an account has a server for. secure
// turns the stored setting into the contract's security.
func mailAccounts(c *collector, s settings, base Account, fields []mailFields, key string,
	secure func(svc Service, port int, v int) Security) {
	for _, f := range fields {
		host, ok := s.get(f.server)
		if !ok {
			continue
		}
		a := base
		a.Service, a.Host = f.service, host
		a.User, _ = s.get(f.user)
		if v, ok := s.get(f.port); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				n = -1
			}
			a.Port = n
		}
		name := f.secure
		v, ok := s.get(name)
		if !ok && f.altSecure != "" {
			name = f.altSecure
			v, ok = s.get(name)
		}
		a.Security = SecurityNone
		if ok {
			a.SecurityRaw = name + "=" + v
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				a.Security = SecurityUnknown
			} else {
				a.Security = secure(f.service, a.Port, n)
			}
		}
		c.add(a, key)
	}
}
