package accounts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// FileZilla keeps its Site Manager in sitemanager.xml and the last servers
// it connected to in recentservers.xml, in its settings folder
// (%APPDATA%\FileZilla on Windows, $XDG_CONFIG_HOME/filezilla or the older
// ~/.filezilla elsewhere: https://wiki.filezilla-project.org/Config_Files).
// Both are <FileZilla3> documents of <Server> elements (sitemanager.xml
// nests them in <Folder> elements whose text is the folder's name) with
// Host, Port, Protocol, User, Pass, Logontype, PasvMode and Name children.
// Protocol is enum ServerProtocol of FileZilla's src/include/server.h:
// 0 FTP (explicit TLS if the server offers it), 1 SFTP, 3 FTPS (implicit
// TLS), 4 FTPES (explicit TLS required), 6 INSECURE_FTP (plain only);
// 2, 5 and 7 up are HTTP(S) and cloud storage, not FTP. The Pass element
// is skipped unread.

const fileZillaName = "FileZilla"

func findFileZilla(c *collector, env Env) {
	var dirs []string
	if env.GOOS == "windows" {
		if env.AppData != "" {
			dirs = append(dirs, filepath.Join(env.AppData, "FileZilla"))
		}
	} else {
		if env.XDGConfig != "" {
			dirs = append(dirs, filepath.Join(env.XDGConfig, "filezilla"))
		}
		if env.Home != "" {
			dirs = append(dirs, filepath.Join(env.Home, ".filezilla"))
		}
	}
	for _, d := range dirs {
		for _, f := range []string{"sitemanager.xml", "recentservers.xml"} {
			if p := filepath.Join(d, f); exists(p) {
				readFileZilla(c, p)
			}
		}
	}
}

// fzServer is one <Server> as read.
type fzServer struct {
	host, port, protocol, user, pasv, name, text string
	pass                                         bool
}

func readFileZilla(c *collector, path string) {
	data, err := c.read(path)
	if err == nil {
		err = parseFileZilla(c, data, path)
	}
	if err != nil {
		c.fileProblem(FileZilla, fileZillaName, "", path, err)
	}
}

var errNotFileZilla = errors.New("not a FileZilla3 document")

// parseFileZilla walks the document; servers complete before an error are
// kept.
func parseFileZilla(c *collector, data []byte, source string) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var folders []string // names of the open <Folder> elements
	var folderText []*strings.Builder
	var srv *fzServer
	var field string
	var text strings.Builder
	depth, n, root := 0, 0, false
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && depth == 0 {
				if !root {
					return invalidError{errNotFileZilla}
				}
				return nil
			}
			return invalidError{err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 64 {
				return invalidError{errors.New("nested too deep")}
			}
			name := t.Name.Local
			switch {
			case depth == 1:
				if name != "FileZilla3" {
					return invalidError{errNotFileZilla}
				}
				root = true
			case srv != nil && name == "Pass":
				srv.pass = true
				if err := d.Skip(); err != nil {
					return invalidError{err}
				}
				depth--
			case srv != nil:
				field = name
				text.Reset()
			case name == "Folder":
				folders = append(folders, "")
				folderText = append(folderText, &strings.Builder{})
			case name == "Server":
				if len(folderText) > 0 {
					top := folderText[len(folderText)-1]
					if folders[len(folders)-1] == "" {
						folders[len(folders)-1] = strings.TrimSpace(top.String())
					}
				}
				srv = &fzServer{}
			}
		case xml.CharData:
			switch {
			case srv != nil && field != "":
				text.Write(t)
			case srv != nil:
				srv.text += string(t)
			case len(folderText) > 0:
				folderText[len(folderText)-1].Write(t)
			}
		case xml.EndElement:
			depth--
			name := t.Name.Local
			switch {
			case srv != nil && field != "" && name == field:
				srv.set(field, text.String())
				field = ""
			case srv != nil && name == "Server":
				if n++; n <= maxAccounts {
					addFileZilla(c, srv, folders, source)
				}
				srv = nil
			case name == "Folder" && len(folders) > 0:
				folders, folderText = folders[:len(folders)-1], folderText[:len(folderText)-1]
			}
		}
	}
}

func (s *fzServer) set(field, v string) {
	switch field {
	case "Host":
		s.host = v
	case "Port":
		s.port = v
	case "Protocol":
		s.protocol = v
	case "User":
		s.user = v
	case "PasvMode":
		s.pasv = v
	case "Name":
		s.name = v
	}
}

func addFileZilla(c *collector, s *fzServer, folders []string, source string) {
	a := Account{Program: FileZilla, ProgramName: fileZillaName, Service: FTP, Host: s.host, User: s.user,
		PasswordStored: s.pass, Source: source}
	if s.port != "" {
		p, err := strconv.Atoi(strings.TrimSpace(s.port))
		if err != nil {
			p = -1 // present but not a number: kept as an impossible port
		}
		a.Port = p
	}
	proto := strings.TrimSpace(s.protocol)
	if proto == "" {
		proto = "0"
	}
	a.SecurityRaw = "Protocol=" + proto
	switch proto {
	case "0":
		a.Security = SecurityStartTLS // explicit TLS if available, else plain
	case "1":
		a.Service, a.Security = SFTP, ""
	case "3":
		a.Security = SecurityTLS
	case "4":
		a.Security = SecurityStartTLS
	case "6":
		a.Security = SecurityNone
	default:
		if n, err := strconv.Atoi(proto); err == nil && (n == 2 || n == 5 || n >= 7 && n <= 25) {
			return // HTTP, HTTPS and the cloud storage protocols: not FTP
		}
		a.Security = SecurityUnknown
	}
	switch s.pasv {
	case "MODE_ACTIVE":
		a.FTPMode = "active"
	case "MODE_PASSIVE":
		a.FTPMode = "passive"
	}
	name := s.name
	if name == "" {
		name = strings.TrimSpace(s.text)
	}
	if name == "" {
		name = a.Host
	}
	path := append(append([]string{}, folders...), name)
	a.Name = strings.Join(path, "/")
	kind := "recent"
	if strings.EqualFold(filepath.Base(source), "sitemanager.xml") {
		kind = "site"
	}
	c.add(a, kind+"\x00"+a.Name+"\x00"+a.Host+"\x00"+s.port)
}
