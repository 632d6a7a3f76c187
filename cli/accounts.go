package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"assistant/accounts"
	"assistant/checks"
	"assistant/wizard"
)

// findAccounts lists the accounts where env says (the user's own by default).
func findAccounts(env Env) accounts.List {
	if env.Accounts != nil {
		return accounts.Find(*env.Accounts)
	}
	return accounts.Find(accounts.DefaultEnv())
}

// accountsCmd is `assistant accounts [--format text|json]`.
func accountsCmd(args []string, env Env, lang wizard.Lang) int {
	fs := flag.NewFlagSet("accounts", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	fs.String("lang", "", "")
	if err := fs.Parse(args); err != nil {
		return usage(env, lang, lang.T("cli.bad_flag", "error", err.Error()))
	}
	if fs.NArg() > 0 {
		return usage(env, lang, lang.T("cli.extra_args", "args", strings.Join(fs.Args(), " ")))
	}
	if *format != "text" && *format != "json" {
		return usage(env, lang, lang.T("cli.bad_value", "flag", "--format", "value", *format))
	}
	list := findAccounts(env)
	var err error
	if *format == "json" {
		err = accountsJSON(env.Stdout, list, lang)
	} else {
		err = accountsText(env.Stdout, list, lang)
	}
	if err != nil {
		return ExitInternal
	}
	return ExitOK
}

type jsonProblem struct {
	accounts.Problem
	Message string `json:"message"`
}

func accountsJSON(w io.Writer, list accounts.List, lang wizard.Lang) error {
	out := struct {
		Format   string             `json:"format"`
		Version  int                `json:"version"`
		Lang     wizard.Lang        `json:"lang"`
		Accounts []accounts.Account `json:"accounts"`
		Problems []jsonProblem      `json:"problems"`
	}{Format: "assistant-accounts", Version: 1, Lang: lang, Accounts: list.Accounts, Problems: []jsonProblem{}}
	for _, p := range list.Problems {
		out.Problems = append(out.Problems, jsonProblem{p, wizard.ProblemText(p, lang)})
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func accountsText(w io.Writer, list accounts.List, lang wizard.Lang) error {
	if len(list.Accounts) == 0 {
		fmt.Fprintln(w, lang.T("accounts.none"))
	} else {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		cols := []string{"id", "program", "name", "service", "server", "security", "ftp_mode", "user"}
		for i, c := range cols {
			cols[i] = lang.T("accounts.col." + c)
		}
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
		for _, a := range list.Accounts {
			mode := ""
			if a.FTPMode != "" {
				mode = lang.T("accounts.ftpmode." + a.FTPMode)
			}
			user := a.User
			if user != "" {
				user = shown(user)
			}
			if a.PasswordStored {
				user += " (" + lang.T("accounts.password_stored") + ")"
			}
			fmt.Fprintln(tw, strings.Join([]string{a.ID, a.ProgramName, shown(a.Name), strings.ToUpper(string(a.Service)),
				server(a, lang), wizard.SecurityText(a, lang), mode, user}, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(list.Problems) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, lang.T("accounts.problems"))
		for _, p := range list.Problems {
			fmt.Fprintln(w, "  "+wizard.ProblemText(p, lang))
		}
	}
	return nil
}

// shown makes a value's stray spaces (and its emptiness) visible.
func shown(s string) string {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\t\r\n") {
		return strconv.Quote(s)
	}
	return s
}

func server(a accounts.Account, lang wizard.Lang) string {
	port := strconv.Itoa(a.Port)
	if a.Port == 0 {
		port = lang.T("accounts.port.default")
	}
	return shown(a.Host) + ":" + port
}

// applyAccount takes service, host, port, security, FTP mode and user
// from the account named by --account, for every one of them that no
// flag gave; a non-empty message means the input is unusable.
func applyAccount(t *checks.Target, id string, set map[string]bool, env Env, lang wizard.Lang) (*wizard.AccountOrigin, string) {
	a, ok := findAccounts(env).ByID(id)
	if !ok {
		return nil, lang.T("accounts.error.unknown_id", "id", id)
	}
	s, err := wizard.SettingsOf(a)
	if err != nil {
		// An explicit flag may supply what the account cannot.
		if ae := (*wizard.AccountError)(nil); errors.As(err, &ae) && !(ae.Key == "accounts.error.port" && set["port"]) &&
			!(ae.Key == "accounts.error.security" && set["security"]) && !(ae.Key == "accounts.error.sftp" && set["service"]) {
			return nil, ae.Message(lang)
		}
	}
	if !set["service"] {
		t.Service = s.Service
	}
	if !set["host"] {
		t.Host = s.Host
	}
	if !set["port"] && s.Port > 0 && s.Port <= 65535 {
		t.Port = s.Port
	}
	if !set["security"] && s.Security != checks.Security(accounts.SecurityUnknown) {
		t.Security = s.Security
	}
	if !set["ftp-mode"] && s.FTPMode != "" {
		t.FTPMode = s.FTPMode
	}
	if !set["user"] && s.User != "" {
		t.User = s.User
	}
	return wizard.OriginOf(a), ""
}
