//go:build wine

package winetest

import (
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// utf16Hex is a string as Outlook stores it in REG_BINARY values:
// UTF-16LE with a terminating NUL, in the hex `reg add /t REG_BINARY` takes.
func utf16Hex(s string) string {
	u := append(utf16.Encode([]rune(s)), 0)
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return hex.EncodeToString(b)
}

// regValue is one value `wine reg add` writes.
type regValue struct {
	key, name, kind, data string
}

func regAdd(t *testing.T, v regValue) {
	t.Helper()
	cmd := exec.Command("wine", "reg", "add", v.key, "/v", v.name, "/t", v.kind, "/d", v.data, "/f")
	cmd.WaitDelay = 10 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wine reg add %s %s: %v %s", v.key, v.name, err, out)
	}
}

func regDelete(key string) {
	cmd := exec.Command("wine", "reg", "delete", key, "/f")
	cmd.WaitDelay = 10 * time.Second
	_ = cmd.Run()
}

// TestAccountsUnderWine writes Outlook mail profiles (Office 16.0 and
// 15.0, binary UTF-16 values, a port of 0 and an unknown encryption
// number), an Outlook 2010 profile and a WinSCP session into the prefix's
// registry with `wine reg add`, and asserts what `assistant.exe accounts
// --format json` lists: the registry reader of the Windows build.
func TestAccountsUnderWine(t *testing.T) {
	exe := wineExe(t)
	const profile = "AssistantWineTest"
	const msg = `9375CFF0413111d3B88A00104B2A6676`
	o16 := `HKCU\Software\Microsoft\Office\16.0\Outlook\Profiles\` + profile
	o15 := `HKCU\Software\Microsoft\Office\15.0\Outlook\Profiles\` + profile
	wms := `HKCU\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\` + profile
	scp := `HKCU\Software\Martin Prikryl\WinSCP 2\Sessions\Wine%20test%20site`
	for _, k := range []string{o16, o15, wms, scp} {
		regDelete(k)
		t.Cleanup(func() { regDelete(k) })
	}
	a16, a15, a10 := o16+`\`+msg+`\00000001`, o15+`\`+msg+`\00000002`, wms+`\`+msg+`\00000001`
	for _, v := range []regValue{
		{a16, "Account Name", "REG_BINARY", utf16Hex("Рабочий ящик")},
		{a16, "Email", "REG_BINARY", utf16Hex("ann@example.com")},
		{a16, "IMAP Server", "REG_BINARY", utf16Hex("imap.example.com ")},
		{a16, "IMAP Port", "REG_DWORD", "993"},
		{a16, "IMAP Use SSL", "REG_DWORD", "1"},
		{a16, "IMAP User", "REG_BINARY", utf16Hex("ann@example.com")},
		{a16, "IMAP Password", "REG_BINARY", hex.EncodeToString([]byte("S3cr3t-password-wine"))},
		{a16, "SMTP Server", "REG_BINARY", utf16Hex("smtp.example.com")},
		{a16, "SMTP Port", "REG_DWORD", "587"},
		{a16, "SMTP Use SSL", "REG_DWORD", "2"},
		{a15, "Account Name", "REG_BINARY", utf16Hex("old pop")},
		{a15, "POP3 Server", "REG_BINARY", utf16Hex("pop.example.org")},
		{a15, "POP3 Port", "REG_DWORD", "0"},
		{a15, "POP3 Use SSL", "REG_DWORD", "5"},
		{a15, "POP3 User", "REG_SZ", "old"},
		{a10, "Account Name", "REG_BINARY", utf16Hex("legacy")},
		{a10, "POP3 Server", "REG_BINARY", utf16Hex("pop.legacy.example")},
		{a10, "POP3 Port", "REG_DWORD", "995"},
		{a10, "POP3 Use SSL", "REG_DWORD", "1"},
		{scp, "HostName", "REG_SZ", "ftp.winscp.example"},
		{scp, "PortNumber", "REG_DWORD", "2121"},
		{scp, "UserName", "REG_SZ", "me"},
		{scp, "FSProtocol", "REG_DWORD", "5"},
		{scp, "Ftps", "REG_DWORD", "1"},
		{scp, "FtpPasvMode", "REG_DWORD", "0"},
		{scp, "Password", "REG_SZ", "A35C4F5E5F3A1B1C0E5D6D6E6F6B7A7E"},
	} {
		regAdd(t, v)
	}
	var list struct {
		Accounts []struct {
			Program, Name, Service, Host, Security, User, Source string
			ProgramName                                          string `json:"program_name"`
			SecurityRaw                                          string `json:"security_raw"`
			FTPMode                                              string `json:"ftp_mode"`
			Port                                                 int
			PasswordStored                                       bool `json:"password_stored"`
		}
	}
	type row = struct {
		program, name, service, host, security, raw, mode, user string
		port                                                    int
		pw                                                      bool
	}
	wineJSON(t, nil, exe, &list, "accounts", "--format", "json")
	got := map[string]row{}
	for _, a := range list.Accounts {
		if strings.Contains(a.Source, profile) || strings.Contains(a.Source, "Wine%20test") {
			got[a.Service+" "+a.Host] = row{a.ProgramName, a.Name, a.Service, a.Host, a.Security, a.SecurityRaw, a.FTPMode, a.User, a.Port, a.PasswordStored}
		}
	}
	for _, w := range []row{
		{"Outlook 2016–2021/365", "Рабочий ящик", "imap", "imap.example.com ", "tls", "IMAP Use SSL=1", "", "ann@example.com", 993, true},
		{"Outlook 2016–2021/365", "Рабочий ящик", "smtp", "smtp.example.com", "starttls", "SMTP Use SSL=2", "", "", 587, true},
		{"Outlook 2013", "old pop", "pop3", "pop.example.org", "unknown", "POP3 Use SSL=5", "", "old", 0, false},
		{"Outlook 2007/2010", "legacy", "pop3", "pop.legacy.example", "tls", "POP3 Use SSL=1", "", "", 995, false},
		{"WinSCP", "Wine test site", "ftp", "ftp.winscp.example", "tls", "Ftps=1", "active", "me", 2121, true},
	} {
		k := w.service + " " + w.host
		if got[k] != w {
			t.Errorf("%s:\n got %+v\nwant %+v", k, got[k], w)
		}
	}
	if len(got) != 5 {
		t.Errorf("%d test accounts listed, want 5: %+v", len(got), got)
	}
	// The listing never holds a password, in either format.
	for _, format := range []string{"json", "text"} {
		cmd := exec.Command("wine", exe, "accounts", "--format", format, "--lang", "ru")
		cmd.WaitDelay = 10 * time.Second
		out, err := cmd.Output()
		if err != nil || strings.Contains(string(out), "S3cr3t") || strings.Contains(string(out), "A35C4F5E") {
			t.Errorf("%s: %v\n%s", format, err, out)
		}
		if format == "text" && !strings.Contains(string(out), "Рабочий ящик") {
			t.Errorf("text lacks the Cyrillic account name:\n%s", out)
		}
	}
}
