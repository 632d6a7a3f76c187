package wizard

import (
	"slices"
	"strings"

	"assistant/checks"
)

// Program is the mail or FTP program whose settings the remediation steps
// speak of. It comes from the pasted message (its client), from an account
// read from the program's own settings, or from the user's choice.
type Program string

// The programs the steps know. Each has the text program.<id> (its name)
// and, for every program-specific step key K, the text K.<id>.
const (
	ProgramUnknown     Program = ""
	ProgramOutlook     Program = "outlook"      // classic Outlook for Windows (2010–2021, Microsoft 365)
	ProgramOutlookNew  Program = "outlook-new"  // the new Outlook for Windows
	ProgramWindowsMail Program = "windows-mail" // Outlook Express, Windows Mail, Windows Live Mail
	ProgramThunderbird Program = "thunderbird"
	ProgramFileZilla   Program = "filezilla"
	ProgramWinSCP      Program = "winscp"
)

// Programs lists every known program in the order a chooser shows them.
var Programs = []Program{ProgramOutlook, ProgramOutlookNew, ProgramThunderbird, ProgramWindowsMail, ProgramFileZilla, ProgramWinSCP}

// ParseProgram accepts a program's ID ("thunderbird") or the decoder's
// client name ("outlook", "filezilla", "winscp"); otherwise it gives
// ProgramUnknown (bare codes, CuteFTP) and ok is false.
func ParseProgram(s string) (Program, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if p := Program(s); slices.Contains(Programs, p) {
		return p, true
	}
	return ProgramUnknown, false
}

// ForService reports whether the program handles the service: mail
// programs speak SMTP, POP3 and IMAP, FTP programs speak FTP.
func (p Program) ForService(s checks.Service) bool {
	ftp := p == ProgramFileZilla || p == ProgramWinSCP
	return p != ProgramUnknown && ftp == (s == checks.FTP)
}

// commonPrograms are the programs whose steps are shown when the user's
// program is unknown: the most used ones for the service.
func commonPrograms(s checks.Service) []Program {
	if s == checks.FTP {
		return []Program{ProgramFileZilla, ProgramWinSCP}
	}
	return []Program{ProgramOutlook, ProgramThunderbird}
}

// Name is the program's name in l, e.g. "Outlook (classic)".
func (p Program) Name(l Lang) string {
	if p == ProgramUnknown {
		return ""
	}
	return l.T("program." + string(p))
}
