// Package accounts finds the mail and FTP accounts that the programs on
// this computer have configured (Outlook, Outlook Express / Windows Mail /
// Windows Live Mail, Thunderbird, FileZilla, WinSCP) so that the assistant
// checks what a program really uses, not what its user remembers.
//
// It is a package of its own because reading other programs' settings is a
// new area with its own formats: files and registry keys in, plain account
// data out. It does no network, imports no Fyne and never reads a
// password: password elements and values are skipped unread, and only
// Account.PasswordStored says that one exists. Values are kept exactly as
// the program has them (a trailing space, port 0, an unknown encryption
// number): naming them is the checks' job. A file or key that cannot be
// read is reported as a Problem and never stops the others.
package accounts

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Program identifies the program an account comes from.
type Program string

// The programs whose accounts are found.
const (
	Outlook     Program = "outlook"
	WindowsMail Program = "windows-mail" // Outlook Express, Windows Mail, Windows Live Mail
	Thunderbird Program = "thunderbird"
	FileZilla   Program = "filezilla"
	WinSCP      Program = "winscp"
)

// Service is the kind of server an account talks to. SFTP is listed so
// that the user sees it, but it is SSH, not FTP: the assistant does not
// check it. (The package keeps its own types rather than those of package
// checks: it holds what the programs store, including what no check takes,
// and needs nothing of the network code.)
type Service string

// Services of an account.
const (
	SMTP Service = "smtp"
	POP3 Service = "pop3"
	IMAP Service = "imap"
	FTP  Service = "ftp"
	SFTP Service = "sftp"
)

// Security is how the program encrypts the connection, in the terms of the
// command-line contract. SecurityUnknown means the program stores a value
// it does not define itself (Account.SecurityRaw holds it).
type Security string

// Security values.
const (
	SecurityNone     Security = "none"
	SecurityStartTLS Security = "starttls"
	SecurityTLS      Security = "tls"
	SecurityUnknown  Security = "unknown"
)

// Account is one server setting of one program, as the program stores it.
type Account struct {
	// ID is stable while the program's file or key stays where it is.
	ID      string  `json:"id"`
	Program Program `json:"program"`
	// ProgramName is the program as its user knows it ("Outlook 2016",
	// "Windows Live Mail", "FileZilla").
	ProgramName string  `json:"program_name"`
	Name        string  `json:"name"`
	Service     Service `json:"service"`
	Host        string  `json:"host"`
	// Port is 0 when the program stores none (it then uses its default),
	// or the stored value, even when that is 0 or out of range.
	Port     int      `json:"port"`
	Security Security `json:"security,omitempty"`
	// SecurityRaw is the program's own setting, e.g. "socketType=3".
	SecurityRaw string `json:"security_raw,omitempty"`
	// FTPMode is "passive", "active" or "" (the program's default).
	FTPMode string `json:"ftp_mode,omitempty"`
	User    string `json:"user,omitempty"`
	Email   string `json:"email,omitempty"`
	// PasswordStored says the program keeps a password for the account;
	// the password itself is never read.
	PasswordStored bool `json:"password_stored"`
	// Source is the file or registry key the values came from.
	Source string `json:"source"`
}

// ProblemKind says what went wrong with a source.
type ProblemKind string

// Problem kinds.
const (
	Unreadable ProblemKind = "unreadable" // the file or key could not be read
	Invalid    ProblemKind = "invalid"    // it was read but is not in the program's format
	TooLarge   ProblemKind = "too-large"  // it is larger than any real one (MaxFileSize)
)

// Problem is a source that could not be used; the others are listed anyway.
type Problem struct {
	Program     Program `json:"program"`
	ProgramName string  `json:"program_name"`
	// Profile names the program's profile, when it has them (Thunderbird,
	// Outlook).
	Profile string      `json:"profile,omitempty"`
	Source  string      `json:"source"`
	Kind    ProblemKind `json:"kind"`
	Detail  string      `json:"detail,omitempty"`
}

// List is what Find found.
type List struct {
	Accounts []Account `json:"accounts"`
	Problems []Problem `json:"problems"`
}

// ByID returns the account with that ID.
func (l List) ByID(id string) (Account, bool) {
	for _, a := range l.Accounts {
		if a.ID == id {
			return a, true
		}
	}
	return Account{}, false
}

// Env is where Find looks: the user's home and application data folders
// and registry. Tests point it at fixtures.
type Env struct {
	GOOS string
	Home string
	// AppData and LocalAppData are %APPDATA% and %LOCALAPPDATA% (Windows).
	AppData, LocalAppData string
	// XDGConfig is $XDG_CONFIG_HOME (default Home/.config).
	XDGConfig string
	// Registry is HKEY_CURRENT_USER; nil where there is none.
	Registry Key
	// Extra lists more files to read: a portable WinSCP.ini, a
	// FileZilla sitemanager.xml, .oeaccount files, a prefs.js.
	Extra []string
}

// DefaultEnv is the current user's environment.
func DefaultEnv() Env {
	home, _ := os.UserHomeDir()
	return Env{GOOS: runtime.GOOS, Home: home, AppData: os.Getenv("APPDATA"), LocalAppData: os.Getenv("LOCALAPPDATA"),
		XDGConfig: os.Getenv("XDG_CONFIG_HOME"), Registry: currentUser()}
}

// MaxFileSize bounds every file read: real account files are far smaller;
// a larger one is reported as TooLarge and not parsed.
const MaxFileSize = 8 << 20

// MaxTotalSize bounds what one Find reads over all files.
const MaxTotalSize = 64 << 20

// maxTotal is MaxTotalSize; tests lower it.
var maxTotal int64 = MaxTotalSize

// maxAccounts bounds the accounts taken from one source (a hostile file
// with a million entries).
const maxAccounts = 1000

// Find lists the accounts of every program it knows in env. It never
// fails: what cannot be read is in List.Problems.
func Find(env Env) List {
	if env.GOOS == "" {
		env.GOOS = runtime.GOOS
	}
	if env.XDGConfig == "" && env.Home != "" {
		env.XDGConfig = filepath.Join(env.Home, ".config")
	}
	var c collector
	findThunderbird(&c, env)
	findFileZilla(&c, env)
	findWinSCP(&c, env)
	findWindowsMail(&c, env)
	findOutlook(&c, env)
	for _, p := range env.Extra {
		c.extra(p)
	}
	sort.SliceStable(c.list.Accounts, func(i, j int) bool {
		a, b := c.list.Accounts[i], c.list.Accounts[j]
		if a.Program != b.Program {
			return a.Program < b.Program
		}
		return a.Source < b.Source
	})
	if c.list.Accounts == nil {
		c.list.Accounts = []Account{}
	}
	if c.list.Problems == nil {
		c.list.Problems = []Problem{}
	}
	return c.list
}

// collector gathers accounts and problems and gives accounts their IDs.
type collector struct {
	list  List
	seen  map[string]bool
	total int64 // bytes read so far
}

// add records an account; key tells it apart from the others of the same
// source (a server name, a session name).
func (c *collector) add(a Account, key string) {
	sum := sha1.Sum([]byte(string(a.Program) + "\x00" + a.Source + "\x00" + key + "\x00" + string(a.Service)))
	a.ID = string(a.Program) + "-" + hex.EncodeToString(sum[:4])
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if c.seen[a.ID] {
		return
	}
	c.seen[a.ID] = true
	c.list.Accounts = append(c.list.Accounts, a)
}

func (c *collector) problem(p Problem) { c.list.Problems = append(c.list.Problems, p) }

// fileProblem reports a file that could not be used.
func (c *collector) fileProblem(prog Program, name, profile, path string, err error) {
	p := Problem{Program: prog, ProgramName: name, Profile: profile, Source: path, Kind: Unreadable, Detail: err.Error()}
	var inv invalidError
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		p.Detail = pe.Err.Error() // the path is already the Source
	case errors.Is(err, errTooLarge):
		p.Kind, p.Detail = TooLarge, fmt.Sprintf("more than %d bytes", MaxFileSize)
	case errors.As(err, &inv):
		p.Kind = Invalid
	}
	c.problem(p)
}

// extra reads one file named by Env.Extra by its name.
func (c *collector) extra(path string) {
	base := filepath.Base(path)
	switch {
	case strings.EqualFold(base, "prefs.js"):
		readPrefsFile(c, path, filepath.Base(filepath.Dir(path)))
	case strings.EqualFold(base, "sitemanager.xml"), strings.EqualFold(base, "recentservers.xml"):
		readFileZilla(c, path)
	case strings.EqualFold(filepath.Ext(base), ".ini"):
		readWinSCPIni(c, path)
	case strings.EqualFold(filepath.Ext(base), ".oeaccount"):
		readOEAccount(c, path, "Windows Live Mail")
	}
}

var errTooLarge = errors.New("file too large")

// invalidError is a file that is not in its program's format.
type invalidError struct{ err error }

func (e invalidError) Error() string { return e.err.Error() }
func (e invalidError) Unwrap() error { return e.err }

// read reads a whole file, at most MaxFileSize bytes, and at most
// MaxTotalSize over one Find (a folder of a thousand huge files).
func (c *collector) read(path string) ([]byte, error) {
	if c.total >= maxTotal {
		return nil, errTooLarge
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	c.total += int64(len(data))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errTooLarge
	}
	return data, nil
}

// exists reports whether path exists (a missing program is no problem).
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
