package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"assistant/accounts"
	"assistant/checks"
	"assistant/wizard"
)

// accountsFixture is a home with a Thunderbird profile (an IMAP account
// whose host has a trailing space, and a broken second profile) and a
// FileZilla site in active mode, in the programs' own formats.
func accountsFixture(t *testing.T) accounts.Env {
	t.Helper()
	home := t.TempDir()
	files := map[string]string{
		".thunderbird/profiles.ini": "[Profile0]\nName=default\nIsRelative=1\nPath=a.default\n\n[Profile1]\nName=old\nIsRelative=1\nPath=b.old\n",
		".thunderbird/a.default/prefs.js": `user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.identity.id1.useremail", "ann@example.com");
user_pref("mail.server.server1.hostname", "imap.example.com ");
user_pref("mail.server.server1.port", 993);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "ann");
user_pref("mail.server.server1.name", "Почта Анны");
`,
		".thunderbird/b.old/prefs.js": "\x00\x01 not prefs",
		".config/filezilla/sitemanager.xml": `<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3><Servers><Server><Host>ftp.example.com</Host><Port>21</Port><Protocol>4</Protocol><User>bob</User>
<Pass encoding="base64">UzNjcjN0LXBhc3N3b3Jk</Pass><PasvMode>MODE_ACTIVE</PasvMode><Name>Site</Name></Server></Servers></FileZilla3>`,
	}
	for rel, text := range files {
		p := filepath.Join(home, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return accounts.Env{GOOS: "linux", Home: home}
}

func newAccountsHarness(t *testing.T) *harness {
	h := newHarness(t)
	h.s.LoadAccounts(accountsFixture(t))
	h.w.built = pageKey{} // the window was built before the accounts were loaded
	h.w.refresh()
	return h
}

// pick taps the listed account whose line contains text.
func (h *harness) pick(text string) {
	h.t.Helper()
	for _, b := range h.w.start.accounts.picks {
		if strings.Contains(b.Text, text) {
			test.Tap(b)
			return
		}
	}
	h.t.Fatalf("no listed account %q", text)
}

func TestPickAccountFillsAccountPage(t *testing.T) {
	for _, l := range wizard.Langs {
		t.Run(string(l), func(t *testing.T) {
			h := newAccountsHarness(t)
			h.s.SetLang(l)
			h.w.refresh()
			box := h.w.start.accounts
			if len(box.picks) != 2 {
				t.Fatalf("%d accounts listed", len(box.picks))
			}
			shown := shownText(test.RenderObjectToMarkup(box.content))
			for _, want := range []string{l.T("accounts.ui.title"), "Thunderbird — Почта Анны — IMAP \"imap.example.com \":993",
				"FileZilla — Site — FTP ftp.example.com:21", "Thunderbird", "b.old"} {
				if !strings.Contains(shown, want) {
					t.Errorf("start page lacks %q: %s", want, shown)
				}
			}
			h.pick("Почта Анны")
			if h.w.built.step != wizard.StepAccount {
				t.Fatal("picking an account did not open the account page")
			}
			a := h.w.account
			if a.host.Text != "imap.example.com " || a.port.Text != "993" || a.user.Text != "ann" || a.pass.Text != "" ||
				a.security.Selected != l.T("ui.security.tls") {
				t.Fatalf("account page: host %q port %q user %q security %q", a.host.Text, a.port.Text, a.user.Text, a.security.Selected)
			}
			page := shownText(test.RenderObjectToMarkup(a.content))
			for _, want := range []string{"Thunderbird", "Почта Анны", "prefs.js"} {
				if !strings.Contains(page, want) {
					t.Errorf("the account page does not say where the values came from (%q): %s", want, page)
				}
			}
			if st := h.s.State(); st.Form.Service != checks.IMAP || st.Account == nil || st.Account.ProgramName != "Thunderbird" {
				t.Fatalf("state %+v", st)
			}
			test.Tap(a.back)
			h.pick("FileZilla")
			if m := h.w.account.mode; m == nil || m.Selected != l.T("ui.ftpmode.active") || h.w.account.security.Selected != l.T("ui.security.starttls") {
				t.Fatalf("FileZilla site: mode %v", m)
			}
			if strings.Contains(test.RenderObjectToMarkup(h.w.account.content), "UzNjcjN0") {
				t.Fatal("a password reached the window")
			}
		})
	}
}

func TestNoAccountsNoBox(t *testing.T) {
	h := newHarness(t)
	h.s.LoadAccounts(accounts.Env{GOOS: "linux", Home: t.TempDir()})
	h.w.built = pageKey{}
	h.w.refresh()
	if len(h.w.start.accounts.picks) != 0 || h.w.start.accounts.content != nil ||
		strings.Contains(test.RenderObjectToMarkup(h.w.start.content), wizard.EN.T("accounts.ui.title")) {
		t.Fatal("an empty list is shown")
	}
}
