package accounts

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// secrets are the passwords the fixtures hold; none may appear in any output.
var secrets = []string{"S3cr3t-password", "UzNjcjN0LXBhc3N3b3JkLUZa", "A35C4F5E5F3A1B1C0E5D6D6E6F6B7A7E", "pw-binary"}

// fixtureRegistry is HKEY_CURRENT_USER as Outlook 2016, Outlook 2010,
// Outlook Express and WinSCP write it.
func fixtureRegistry() *fakeKey {
	root := newFakeKey("HKEY_CURRENT_USER")
	p := root.mkdir(`Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook\` + messagingKey)
	a := p.mkdir("00000001")
	a.setUTF16("Account Name", "Рабочий ящик").setUTF16("Email", "ann@example.com")
	a.setUTF16("IMAP Server", "imap.example.com").setDWord("IMAP Port", 993).setDWord("IMAP Use SSL", 1).setUTF16("IMAP User", "ann@example.com")
	a.setUTF16("SMTP Server", "smtp.example.com ").setDWord("SMTP Port", 587).setDWord("SMTP Use SSL", 2)
	a.values["IMAP Password"] = Value{Kind: KindBinary, Binary: []byte("pw-binary S3cr3t-password-OL")}
	b := p.mkdir("00000002")
	b.setUTF16("Account Name", "old pop").setUTF16("POP3 Server", "pop.example.org").setDWord("POP3 Port", 0).setDWord("POP3 Use SSL", 0)
	b.setUTF16("POP3 User", "old").setString("SMTP Server", "smtp.example.org").setDWord("SMTP Secure Connection", 7)
	p.mkdir("00000003").setUTF16("Account Name", "Exchange").setString("clsid", "{ED475414-B0D6-11D2-8C3B-00104B2A6676}")
	p.mkdir("9207f3e0a3b11019908b08002b2a56c2") // not an account key: ignored
	w := root.mkdir(`Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\Default Outlook Profile\` + messagingKey + `\00000001`)
	w.setUTF16("Account Name", "pop2010").setUTF16("POP3 Server", "pop.legacy.example").setDWord("POP3 Port", 995).setDWord("POP3 Use SSL", 1).setUTF16("POP3 User", "legacy")
	oe := root.mkdir(iamKey + `\00000001`)
	oe.setString("Account Name", "Home").setString("POP3 Server", "pop.home.example").setDWord("POP3 Port", 110).setString("POP3 User Name", "home")
	oe.setString("SMTP Server", "smtp.home.example").setDWord("SMTP Port", 465).setDWord("SMTP Secure Connection", 1)
	oe.values["POP3 Password2"] = Value{Kind: KindBinary, Binary: []byte("S3cr3t-password-IAM")}
	s := root.mkdir(winSCPKey)
	s.mkdir("Default%20Settings").setString("HostName", "")
	s.mkdir("My%20server").setString("HostName", "ftp.winscp.example").setDWord("PortNumber", 2121).setString("UserName", "me").
		setDWord("FSProtocol", 5).setDWord("Ftps", 2).setString("Password", "A35C4F5E5F3A1B1C0E5D6D6E6F6B7A7E")
	s.mkdir("ssh").setString("HostName", "ssh.winscp.example")
	return root
}

func fixtureEnv(t testing.TB) Env {
	return Env{GOOS: "linux", Home: filepath.Join("testdata", "home"), Registry: fixtureRegistry(),
		Extra: []string{
			filepath.Join("testdata", "extra", "WinSCP.ini"),
			filepath.Join("testdata", "extra", "sitemanager.xml"),
			filepath.Join("testdata", "extra", "account{4A18B81E-83CA-472A-8D7F-5301C0B97B8D}.oeaccount"),
			filepath.Join("testdata", "extra", "broken.oeaccount"),
		}}
}

// find returns the one account of program with that host and service.
func find(t *testing.T, l List, prog Program, svc Service, host string) Account {
	t.Helper()
	var got []Account
	for _, a := range l.Accounts {
		if a.Program == prog && a.Service == svc && a.Host == host {
			got = append(got, a)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%s %s %q: %d accounts, want 1; all: %+v", prog, svc, host, len(got), l.Accounts)
	}
	return got[0]
}

func TestFindFixtures(t *testing.T) {
	l := Find(fixtureEnv(t))
	type want struct {
		prog                    Program
		svc                     Service
		host, name, user, email string
		port                    int
		sec                     Security
		raw, mode, programName  string
		pw                      bool
	}
	for _, w := range []want{
		// Thunderbird: incoming with identities, realhostname wins, unknown socketType kept.
		{prog: Thunderbird, svc: IMAP, host: "imap.example.com", name: "ann@example.com", user: "ann", email: "ann@example.com", port: 993, sec: SecurityTLS, raw: "socketType=3"},
		{prog: Thunderbird, svc: POP3, host: "pop.yandex.ru ", name: `Почта "Яндекс"!`, user: "ivan", email: "ivan@yandex.ru", port: 0, sec: SecurityUnknown, raw: "socketType=7"},
		{prog: Thunderbird, svc: POP3, host: "mail.example.org", name: "old", user: "old", email: "old@example.org", sec: SecurityNone},
		{prog: Thunderbird, svc: SMTP, host: "smtp.example.com", name: "Example outgoing", user: "ann", email: "ann@example.com", port: 587, sec: SecurityStartTLS, raw: "try_ssl=2"},
		{prog: Thunderbird, svc: SMTP, host: "smtp.yandex.ru", name: "ivan@yandex.ru", user: "ivan", email: "ivan@yandex.ru", port: 465, sec: SecurityTLS, raw: "try_ssl=3"},
		{prog: Thunderbird, svc: IMAP, host: "imap.example.net", name: "snap", user: "snap", email: "snap@example.net", sec: SecurityStartTLS, raw: "socketType=2"},
		{prog: Thunderbird, svc: SMTP, host: "smtp.flatpak.example", name: "smtp.flatpak.example", sec: SecurityStartTLS, raw: "try_ssl=1"},
		// FileZilla: folders, every protocol, passwords only flagged.
		{prog: FileZilla, svc: FTP, host: "ftp.example.com", name: "Main site", user: "ann", port: 21, sec: SecurityStartTLS, raw: "Protocol=0", pw: true},
		{prog: FileZilla, svc: FTP, host: "ftps.example.com", name: "Clients/Implicit", user: "client1", port: 990, sec: SecurityTLS, raw: "Protocol=3", mode: "active"},
		{prog: FileZilla, svc: FTP, host: "ftpes.example.ru", name: "Clients/Заказчики/Сервер Ивана", user: "иван", port: 21, sec: SecurityStartTLS, raw: "Protocol=4", mode: "passive", pw: true},
		{prog: FileZilla, svc: SFTP, host: "sftp.example.com", name: "Deploy", user: "deploy", port: 22, raw: "Protocol=1"},
		{prog: FileZilla, svc: FTP, host: "plain.example.com ", name: "Plain only", user: "anonymous", port: 0, sec: SecurityNone, raw: "Protocol=6"},
		{prog: FileZilla, svc: FTP, host: "future.example.com", name: "Future protocol", sec: SecurityUnknown, raw: "Protocol=99"},
		{prog: FileZilla, svc: FTP, host: "ftp.recent.example", name: "ftp.recent.example", user: "bob", port: 2121, sec: SecurityStartTLS, raw: "Protocol=0", pw: true},
		// WinSCP: registry and INI.
		{prog: WinSCP, svc: FTP, host: "ftp.winscp.example", name: "My server", user: "me", port: 2121, sec: SecurityStartTLS, raw: "Ftps=2", pw: true},
		{prog: WinSCP, svc: SFTP, host: "ssh.winscp.example", name: "ssh"},
		{prog: WinSCP, svc: FTP, host: "upload.example.com", name: "Work/Upload server", user: "uploader", port: 21, sec: SecurityStartTLS, raw: "Ftps=3", mode: "active", pw: true},
		{prog: WinSCP, svc: FTP, host: "ftps.example.net", name: "Implicit FTPS", user: "imp", port: 990, sec: SecurityTLS, raw: "Ftps=1"},
		{prog: WinSCP, svc: FTP, host: "weird.example.net", name: "Unknown ftps", sec: SecurityUnknown, raw: "Ftps=9"},
		{prog: WinSCP, svc: SFTP, host: "box.example.net", name: "sftp box", user: "root"},
		{prog: WinSCP, svc: FTP, host: "backup.example.ru", name: "Бэкап", sec: SecurityNone, raw: "Ftps=0"},
		// Outlook: UTF-16 binary values, two Office versions, broken values kept.
		{prog: Outlook, svc: IMAP, host: "imap.example.com", name: "Рабочий ящик", user: "ann@example.com", email: "ann@example.com", port: 993, sec: SecurityTLS, raw: "IMAP Use SSL=1", programName: "Outlook 2016–2021/365", pw: true},
		{prog: Outlook, svc: SMTP, host: "smtp.example.com ", name: "Рабочий ящик", email: "ann@example.com", port: 587, sec: SecurityStartTLS, raw: "SMTP Use SSL=2", pw: true},
		{prog: Outlook, svc: POP3, host: "pop.example.org", name: "old pop", user: "old", port: 0, sec: SecurityNone, raw: "POP3 Use SSL=0"},
		{prog: Outlook, svc: SMTP, host: "smtp.example.org", name: "old pop", sec: SecurityUnknown, raw: "SMTP Secure Connection=7"},
		{prog: Outlook, svc: POP3, host: "pop.legacy.example", name: "pop2010", user: "legacy", port: 995, sec: SecurityTLS, raw: "POP3 Use SSL=1", programName: "Outlook 2007/2010"},
		// Outlook Express registry, Windows Live Mail .oeaccount (UTF-16).
		{prog: WindowsMail, svc: POP3, host: "pop.home.example", name: "Home", user: "home", port: 110, sec: SecurityNone, programName: "Outlook Express", pw: true},
		{prog: WindowsMail, svc: SMTP, host: "smtp.home.example", name: "Home", port: 465, sec: SecurityTLS, raw: "SMTP Secure Connection=1", pw: true},
		{prog: WindowsMail, svc: IMAP, host: "imap.mail.ru", name: "Рабочая почта", user: "ivan@mail.ru", email: "ivan@mail.ru", port: 993, sec: SecurityTLS, raw: "IMAP Secure Connection=1", programName: "Windows Live Mail", pw: true},
		{prog: WindowsMail, svc: SMTP, host: "smtp.mail.ru", name: "Рабочая почта", email: "ivan@mail.ru", port: 587, sec: SecurityStartTLS, raw: "SMTP Secure Connection=1", pw: true},
	} {
		a := find(t, l, w.prog, w.svc, w.host)
		if a.Name != w.name || a.User != w.user || a.Port != w.port || a.Security != w.sec || a.SecurityRaw != w.raw ||
			a.FTPMode != w.mode || a.PasswordStored != w.pw || a.Email != w.email {
			t.Errorf("%s %s %q:\n got %+v\nwant %+v", w.prog, w.svc, w.host, a, w)
		}
		if w.programName != "" && a.ProgramName != w.programName {
			t.Errorf("%s: program name %q, want %q", w.host, a.ProgramName, w.programName)
		}
		if !strings.HasPrefix(a.ID, string(a.Program)+"-") || a.Source == "" {
			t.Errorf("%s: id %q source %q", w.host, a.ID, a.Source)
		}
	}
	// Not mail or FTP servers: Local Folders, news, S3, Exchange, WinSCP's defaults.
	for _, a := range l.Accounts {
		switch a.Host {
		case "Local Folders", "news.example.org", "s3.amazonaws.com", "", "cut.example.com":
			t.Errorf("listed %+v", a)
		}
	}
	if len(l.Accounts) != 30 {
		t.Errorf("%d accounts, want 30", len(l.Accounts))
	}
	// The broken sources are named, and did not stop the others.
	problems := map[string]ProblemKind{}
	for _, p := range l.Problems {
		problems[filepath.Base(filepath.Dir(p.Source))+"/"+filepath.Base(p.Source)+" "+p.Profile] = p.Kind
	}
	wantProblems := map[string]ProblemKind{
		"empty.work/prefs.js work": Unreadable,
		"junk.old/prefs.js junk":   Invalid,
		"extra/sitemanager.xml ":   Invalid,
		"extra/broken.oeaccount ":  Invalid,
	}
	for k, v := range wantProblems {
		if problems[k] != v {
			t.Errorf("problem %q: %q, want %q (all %v)", k, problems[k], v, problems)
		}
	}
	if len(l.Problems) != len(wantProblems) {
		t.Errorf("problems %v, want %v", problems, wantProblems)
	}
}

// TestNoPasswordRead: no output holds a password, and the registry
// readers never read a password value (they only see its name).
func TestNoPasswordRead(t *testing.T) {
	env := fixtureEnv(t)
	reg := env.Registry.(*fakeKey)
	l := Find(env)
	data, _ := json.Marshal(l)
	for _, s := range secrets {
		if strings.Contains(string(data), s) {
			t.Errorf("output holds the password %q", s)
		}
	}
	for name, n := range reg.reads {
		if strings.Contains(name, "password") && n > 0 {
			t.Errorf("read the value %q %d times", name, n)
		}
	}
}

func TestIDsStable(t *testing.T) {
	a, b := Find(fixtureEnv(t)), Find(fixtureEnv(t))
	seen := map[string]bool{}
	for i := range a.Accounts {
		if a.Accounts[i].ID != b.Accounts[i].ID {
			t.Fatalf("id changed: %q, %q", a.Accounts[i].ID, b.Accounts[i].ID)
		}
		if seen[a.Accounts[i].ID] {
			t.Errorf("duplicate id %q", a.Accounts[i].ID)
		}
		seen[a.Accounts[i].ID] = true
	}
	got, ok := a.ByID(a.Accounts[3].ID)
	if !ok || got != a.Accounts[3] {
		t.Errorf("ByID: %+v %v", got, ok)
	}
}

// TestHugeFiles: files beyond MaxFileSize are reported, not read whole.
func TestHugeFiles(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, ".thunderbird", "p")
	os.MkdirAll(prof, 0o755)
	os.WriteFile(filepath.Join(dir, ".thunderbird", "profiles.ini"), []byte("[Profile0]\nName=big\nPath=p\nIsRelative=1\n"), 0o644)
	line := []byte(`user_pref("mail.server.server1.hostname", "imap.example.com");` + "\n")
	big := make([]byte, 0, MaxFileSize+len(line))
	for len(big) <= MaxFileSize {
		big = append(big, line...)
	}
	os.WriteFile(filepath.Join(prof, "prefs.js"), big, 0o644)
	fz := filepath.Join(dir, ".config", "filezilla")
	os.MkdirAll(fz, 0o755)
	// Deeply nested folders and a million-line XML are bounded too.
	nested := "<FileZilla3><Servers>" + strings.Repeat("<Folder>f", 100) + strings.Repeat("</Folder>", 100) + "</Servers></FileZilla3>"
	os.WriteFile(filepath.Join(fz, "sitemanager.xml"), []byte(nested), 0o644)
	l := Find(Env{GOOS: "linux", Home: dir})
	if len(l.Problems) != 2 || l.Problems[0].Kind != TooLarge || l.Problems[0].Profile != "big" || l.Problems[1].Kind != Invalid {
		t.Errorf("problems %+v", l.Problems)
	}
}

func TestWindowsLocations(t *testing.T) {
	dir := t.TempDir()
	app, local := filepath.Join(dir, "Roaming"), filepath.Join(dir, "Local")
	copyFile(t, filepath.Join("testdata", "home", ".config", "filezilla", "recentservers.xml"), filepath.Join(app, "FileZilla", "recentservers.xml"))
	copyFile(t, filepath.Join("testdata", "extra", "WinSCP.ini"), filepath.Join(app, "WinSCP.ini"))
	copyFile(t, filepath.Join("testdata", "home", "snap", "thunderbird", "common", ".thunderbird", "profiles.ini"), filepath.Join(app, "Thunderbird", "profiles.ini"))
	copyFile(t, filepath.Join("testdata", "home", "snap", "thunderbird", "common", ".thunderbird", "abc.default", "prefs.js"), filepath.Join(app, "Thunderbird", "abc.default", "prefs.js"))
	copyFile(t, filepath.Join("testdata", "extra", "account{4A18B81E-83CA-472A-8D7F-5301C0B97B8D}.oeaccount"),
		filepath.Join(local, "Microsoft", "Windows Live Mail", "imap.mail.ru (1)", "account{4A18B81E-83CA-472A-8D7F-5301C0B97B8D}.oeaccount"))
	l := Find(Env{GOOS: "windows", Home: dir, AppData: app, LocalAppData: local})
	counts := map[Program]int{}
	for _, a := range l.Accounts {
		counts[a.Program]++
	}
	if counts[FileZilla] != 1 || counts[WinSCP] != 5 || counts[Thunderbird] != 1 || counts[WindowsMail] != 2 || len(l.Problems) != 0 {
		t.Errorf("counts %v problems %+v", counts, l.Problems)
	}
}

func TestMacLocation(t *testing.T) {
	dir := t.TempDir()
	tb := filepath.Join(dir, "Library", "Thunderbird")
	copyFile(t, filepath.Join("testdata", "home", ".var", "app", "org.mozilla.Thunderbird", ".thunderbird", "profiles.ini"), filepath.Join(tb, "profiles.ini"))
	copyFile(t, filepath.Join("testdata", "home", ".var", "app", "org.mozilla.Thunderbird", ".thunderbird", "fp.default", "prefs.js"), filepath.Join(tb, "fp.default", "prefs.js"))
	l := Find(Env{GOOS: "darwin", Home: dir})
	if len(l.Accounts) != 1 || l.Accounts[0].Host != "smtp.flatpak.example" {
		t.Errorf("%+v", l)
	}
}

func TestNothingInstalled(t *testing.T) {
	l := Find(Env{GOOS: "linux", Home: t.TempDir()})
	if len(l.Accounts) != 0 || len(l.Problems) != 0 || l.Accounts == nil || l.Problems == nil {
		t.Errorf("%+v", l)
	}
}

func TestParsePrefsEscapes(t *testing.T) {
	p, err := parsePrefs([]byte(`user_pref("a", "x\"y\\z\u0410\x41");
user_pref("b", -5);
user_pref("c", true); user_pref("d.password", "S3cr3t-password\"still");
user_pref("broken", "unterminated
user_pref("e", 'single');
/* block */ user_pref("f", 1);`))
	if err != nil {
		t.Fatal(err)
	}
	want := prefs{"a": `x"y\zАA`, "b": "-5", "c": "true", "e": "single", "f": "1"}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %q, want %q", k, p[k], v)
		}
	}
	if _, ok := p["d.password"]; ok || len(p) != len(want) {
		t.Errorf("prefs %q", p)
	}
	if _, err := parsePrefs([]byte("// Mozilla User Preferences\n\n")); err != nil {
		t.Errorf("a fresh prefs.js: %v", err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(to), 0o755)
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkFind lists the fixtures' 30 accounts (a dozen programs'
// worth: target under 50 ms).
func BenchmarkFind(b *testing.B) {
	env := fixtureEnv(b)
	for b.Loop() {
		if l := Find(env); len(l.Accounts) != 30 {
			b.Fatal(len(l.Accounts))
		}
	}
}

// TestTotalReadBounded: a store folder full of huge account files is read
// up to MaxTotalSize (lowered here), the rest reported, never all of it.
func TestTotalReadBounded(t *testing.T) {
	local := t.TempDir()
	store := filepath.Join(local, "Microsoft", "Windows Live Mail")
	os.MkdirAll(store, 0o755)
	defer func(v int64) { maxTotal = v }(maxTotal)
	maxTotal = 3 << 20
	big := make([]byte, 1<<20)
	n := 6
	for i := 0; i < n; i++ {
		os.WriteFile(filepath.Join(store, fmt.Sprintf("a%02d.oeaccount", i)), big, 0o644)
	}
	l := Find(Env{GOOS: "windows", LocalAppData: local})
	tooLarge := 0
	for _, p := range l.Problems {
		if p.Kind == TooLarge {
			tooLarge++
		}
	}
	if len(l.Problems) != n || tooLarge < 3 {
		t.Errorf("%d problems, %d too large: %+v", len(l.Problems), tooLarge, l.Problems)
	}
}

// TestHostilePrefsLinear: a 4 MB line of broken calls, an unterminated
// string first, is passed over quickly and the good line after it kept.
func TestHostilePrefsLinear(t *testing.T) {
	line := `user_pref("` + strings.Repeat("user_pref(", 400_000)
	start := time.Now()
	p, err := parsePrefs([]byte(line + "\n" + `user_pref("mail.server.server1.hostname", "ok");`))
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
	if err != nil || p.str("mail.server.server1.hostname") != "ok" {
		t.Errorf("%v %v", p, err)
	}
}
