package wizard

import (
	"errors"
	"strconv"

	"assistant/accounts"
	"assistant/checks"
)

// AccountOrigin names the program account the checked settings came
// from; the report shows it beside the target.
type AccountOrigin struct {
	ID          string           `json:"id"`
	Program     accounts.Program `json:"program"`
	ProgramName string           `json:"program_name"`
	Name        string           `json:"name"`
	Source      string           `json:"source"`
}

// OriginOf is the origin of an account's settings.
func OriginOf(a accounts.Account) *AccountOrigin {
	return &AccountOrigin{ID: a.ID, Program: a.Program, ProgramName: a.ProgramName, Name: a.Name, Source: a.Source}
}

// AccountError says why an account cannot be checked as the program has
// it; Key is its text key, Args its placeholders.
type AccountError struct {
	Key  string
	Args []any
}

func (e *AccountError) Error() string { return e.Key }

// Message is the error in l.
func (e *AccountError) Message(l Lang) string { return l.T(e.Key, e.Args...) }

// AccountSettings is what an account gives a check. A port of 0 leaves the
// service's default, as the programs do; a stored value that no check can
// use (a port out of range, an encryption number the program does not
// define, SFTP) is an *AccountError naming it.
type AccountSettings struct {
	Service  checks.Service
	Host     string
	Port     int
	Security checks.Security
	FTPMode  checks.FTPMode
	User     string
}

// SettingsOf turns an account into check settings, exactly as stored.
func SettingsOf(a accounts.Account) (AccountSettings, error) {
	s := AccountSettings{Service: checks.Service(a.Service), Host: a.Host, Port: a.Port, User: a.User,
		FTPMode: checks.FTPMode(a.FTPMode), Security: checks.Security(a.Security)}
	switch {
	case a.Service == accounts.SFTP:
		return s, &AccountError{"accounts.error.sftp", []any{"name", a.Name}}
	case a.Port < 0 || a.Port > 65535:
		return s, &AccountError{"accounts.error.port", []any{"name", a.Name, "program", a.ProgramName, "port", strconv.Itoa(a.Port)}}
	case a.Security == accounts.SecurityUnknown:
		return s, &AccountError{"accounts.error.security", []any{"name", a.Name, "program", a.ProgramName, "value", a.SecurityRaw}}
	}
	if s.Security == "" {
		s.Security = checks.SecurityNone
	}
	return s, nil
}

// SecurityText is an account's security in l, with the program's own
// value when it stores one.
func SecurityText(a accounts.Account, l Lang) string {
	text := l.T("accounts.security.default")
	switch a.Security {
	case "":
		if a.Service == accounts.SFTP {
			text = l.T("accounts.security.ssh")
		}
	case accounts.SecurityNone, accounts.SecurityStartTLS, accounts.SecurityTLS:
		text = l.T("security." + string(a.Security))
	case accounts.SecurityUnknown:
		text = l.T("accounts.security.unknown")
	}
	if a.SecurityRaw != "" {
		text += " (" + a.SecurityRaw + ")"
	}
	return text
}

// ProblemText says in l which source could not be used.
func ProblemText(p accounts.Problem, l Lang) string {
	key := "accounts.problem." + string(p.Kind)
	if p.Profile != "" {
		key += ".profile"
	}
	return l.T(key, "program", p.ProgramName, "profile", p.Profile, "source", p.Source, "detail", p.Detail)
}

// originRows are the report's lines naming the account checked.
func (o *AccountOrigin) rows(l Lang) []row {
	if o == nil {
		return nil
	}
	return []row{{l.T("accounts.report.account"), l.T("accounts.report.account.value", "program", o.ProgramName, "name", o.Name)},
		{l.T("accounts.report.source"), o.Source}}
}

// PickAccount fills the account page from an account another program
// has configured and moves there; the page then says where the values
// came from. A value no check can use is shown as the error, with the
// form filled with the rest; an SFTP account stays on the start page.
func (s *Session) PickAccount(a accounts.Account) {
	s.stopPractice()
	set, err := SettingsOf(a)
	var ae *AccountError
	errors.As(err, &ae)
	if a.Service == accounts.SFTP {
		s.update(func(st *State) { st.Error = ae.Message(st.Lang) })
		return
	}
	s.update(func(st *State) {
		f := Form{Service: set.Service, Host: set.Host, Security: set.Security, FTPMode: set.FTPMode, User: set.User}
		if f.FTPMode == "" {
			f.FTPMode = checks.FTPBoth
		}
		if a.Security == accounts.SecurityUnknown {
			f.Security = checks.SecurityNone
		}
		if set.Port != 0 {
			f.Port, f.PortSet = strconv.Itoa(set.Port), true
		}
		st.Form, st.Pasted, st.Account, st.Step, st.Error = f, nil, OriginOf(a), StepAccount, ""
		if ae != nil {
			st.Error = ae.Message(st.Lang)
		}
	})
	s.followPort()
}

// LoadAccounts finds the accounts of the programs in env (the user's
// own: accounts.DefaultEnv) for the start page to list; call it before
// the window is built.
func (s *Session) LoadAccounts(env accounts.Env) {
	l := accounts.Find(env)
	s.update(func(st *State) { st.Accounts = l })
}

// setAccount records the account the target came from; the findings'
// steps then speak of that program first (its Server Settings, Site
// Manager, Account Settings ...).
func (r *Report) setAccount(o *AccountOrigin) {
	r.Account = o
	if o != nil {
		p, _ := ParseProgram(string(o.Program))
		r.SetProgram(p)
	}
}
