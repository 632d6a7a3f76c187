package accounts

import (
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// WinSCP stores its sessions in the registry under
// HKCU\Software\Martin Prikryl\WinSCP 2\Sessions\<name>, or in WinSCP.ini
// (next to a portable WinSCP.exe, or in %APPDATA%) as [Sessions\<name>]
// sections with the same keys (https://winscp.net/eng/docs/config). Names
// are URL-encoded ("My%20site", folders as "Work/Site"). The keys read:
// HostName, PortNumber, UserName, FSProtocol (enum TFSProtocol of WinSCP's
// source/core/SessionData.h: 0 SCP, 1 SFTP with SCP fallback, 2 SFTP, 5
// FTP, 6 WebDAV, 7 S3; default SFTP), Ftps (enum TFtps: 0 none, 1
// implicit, 2 explicit SSL, 3 explicit TLS) and FtpPasvMode (default on).
// The Password value is only seen by its name.

const winSCPName = "WinSCP"

const winSCPKey = `Software\Martin Prikryl\WinSCP 2\Sessions`

// settings is a session's values, from the registry or an INI section.
type settings interface {
	get(name string) (string, bool)
	has(name string) bool
}

type regSettings struct{ k Key }

func (r regSettings) get(name string) (string, bool) { return regString(r.k, name) }
func (r regSettings) has(name string) bool           { return hasValue(r.k, name) }

type iniSettings struct{ s *iniSection }

func (i iniSettings) get(name string) (string, bool) {
	return i.s.get(name), i.s.has(name)
}
func (i iniSettings) has(name string) bool { return i.s.has(name) }

func findWinSCP(c *collector, env Env) {
	eachSubKey(c, env.Registry, winSCPKey, Problem{Program: WinSCP, ProgramName: winSCPName}, func(name string, sk Key) {
		addWinSCP(c, regSettings{sk}, name, sk.Path())
	})
	if env.AppData != "" {
		if p := filepath.Join(env.AppData, "WinSCP.ini"); exists(p) {
			readWinSCPIni(c, p)
		}
	}
}

func readWinSCPIni(c *collector, path string) {
	data, err := c.read(path)
	if err != nil {
		c.fileProblem(WinSCP, winSCPName, "", path, err)
		return
	}
	n := 0
	for _, s := range parseINI(data, func(k string) bool { return strings.Contains(k, "password") || k == "passphrase" }) {
		name, ok := strings.CutPrefix(s.name, `Sessions\`)
		if !ok {
			continue
		}
		if n++; n > maxAccounts {
			break
		}
		addWinSCP(c, iniSettings{s}, name, path)
	}
}

func addWinSCP(c *collector, s settings, key, source string) {
	if key == "Default%20Settings" {
		return
	}
	name, err := url.PathUnescape(key)
	if err != nil {
		name = key
	}
	host, _ := s.get("HostName")
	user, _ := s.get("UserName")
	a := Account{Program: WinSCP, ProgramName: winSCPName, Name: name, Service: SFTP, Host: host, User: user,
		PasswordStored: s.has("Password"), Source: source}
	if v, ok := s.get("PortNumber"); ok {
		if a.Port, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
			a.Port = -1
		}
	}
	proto, ok := s.get("FSProtocol")
	if !ok {
		proto = "1"
	}
	switch strings.TrimSpace(proto) {
	case "0", "1", "2":
	case "5":
		a.Service = FTP
		ftps, ok := s.get("Ftps")
		if !ok {
			ftps = "0"
		}
		a.SecurityRaw = "Ftps=" + ftps
		switch strings.TrimSpace(ftps) {
		case "0":
			a.Security = SecurityNone
		case "1":
			a.Security = SecurityTLS
		case "2", "3":
			a.Security = SecurityStartTLS
		default:
			a.Security = SecurityUnknown
		}
		if v, ok := s.get("FtpPasvMode"); ok {
			a.FTPMode = "passive"
			if strings.TrimSpace(v) == "0" {
				a.FTPMode = "active"
			}
		}
	case "6", "7":
		return // WebDAV, S3: not FTP
	default:
		a.Service, a.Security, a.SecurityRaw = FTP, SecurityUnknown, "FSProtocol="+proto
	}
	c.add(a, key)
}
