package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"assistant/checks"
	"assistant/wizard"
)

// latinAllowed are the Latin words a Russian window may show: protocol
// and format names, product names, keys and units of the trade.
var latinAllowed = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`SMTP POP3 IMAP FTP FTPS TLS SSL STARTTLS DNS TCP ICMP IP IPv4 IPv6 EHLO HELO CAPA FEAT
		PASV EPSV PORT AUTH USER PASS QUIT RSET DELE SIZE SYST LIST STOR LOGIN NOOP WinSock Outlook Express Windows Mail Live
		FileZilla WinSCP CuteFTP Thunderbird Microsoft Kaspersky ESET Markdown HTML JSON Ctrl Enter Esc English MiB KiB GiB UTF ping`) {
		latinAllowed[w] = true
	}
}

// hostOrCode matches what is a host, an address or a code, not a word:
// "mail.example.com", "127.0.0.1:587", "0x800CCC0E", "2MiB", a path.
var (
	hostOrCode = regexp.MustCompile(`\S*[/\\]\S*|[\w.-]+\.[\w.-]+(:\d+)?|0x[0-9A-Fa-f]+|\b\d+\w*\b|\S+@\S+`)
	// englishLabel is a program's own English label quoted beside the
	// Russian words where no source confirms the program's Russian one
	// (wizard/texts/SOURCES.md): in parentheses or «quotes», no Cyrillic.
	englishLabel = regexp.MustCompile(`\([^()А-Яа-яЁё]*\)|«[^»А-Яа-яЁё]*»`)
	latinWord    = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)
)

// latinWords lists the Latin words of text that are not allowed.
func latinWords(text string) []string {
	var bad []string
	for quoted := ""; quoted != text; { // nested: "(Outgoing server (SMTP))"
		quoted, text = text, englishLabel.ReplaceAllString(text, " ")
	}
	for _, w := range latinWord.FindAllString(hostOrCode.ReplaceAllString(text, " "), -1) {
		if !latinAllowed[w] {
			bad = append(bad, w)
		}
	}
	return bad
}

// TestRussianWindowHasNoEnglish renders every page in Russian (the
// account page for mail and FTP, after a paste, the checks with their
// details open, the result) and fails on any Latin word that is not a
// protocol name, a host or a code.
func TestRussianWindowHasNoEnglish(t *testing.T) {
	h := newHarness(t)
	h.s.SetLang(wizard.RU)
	h.w.refresh()
	c := h.w.win.Canvas()
	check := func(page string) {
		t.Helper()
		if bad := latinWords(shownText(test.RenderToMarkup(c))); len(bad) > 0 {
			t.Errorf("%s in Russian shows English: %q", page, bad)
		}
	}
	check("start")
	h.w.start.paste.SetText(russianOutlook)
	test.Tap(h.w.start.recognise)
	h.w.account.host.SetText("mail.example.com")
	check("account after a paste")
	h.s.Back()
	h.w.refresh()
	test.Tap(h.w.start.choose[checks.FTP])
	check("FTP account")
	for _, id := range []checks.CheckID{checks.CheckTCP, checks.CheckInput, checks.CheckDNS, checks.CheckPorts} {
		h.w.open[id] = true
	}
	h.w.render(demoState(h, wizard.StepResult))
	check("result with details open")
	h.w.render(demoState(h, wizard.StepChecks))
	check("checks")
}

// TestSaveDialogSpeaksRussian: the save dialog is in the window's
// language, offers a name with host and date, and asks before replacing.
func TestSaveDialogSpeaksRussian(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	h := newHarness(t)
	h.w.lang.SetSelected("Русский")
	h.refusedRun()
	test.Tap(h.w.result.save)
	c := h.w.win.Canvas()
	shown := shownText(test.RenderToMarkup(c))
	if bad := latinWords(shown); len(bad) > 0 {
		t.Errorf("the save dialog shows English: %q", bad)
	}
	path := h.w.save.path.Text
	if !strings.Contains(filepath.Base(path), "report-127.0.0.1-") || !strings.HasSuffix(path, ".md") {
		t.Fatalf("offered file name %q", path)
	}
	h.w.save.confirm(true)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("not saved: %v", err)
	}
	overlays := len(c.Overlays().List())
	h.w.confirmSave(path)
	if len(c.Overlays().List()) != overlays+1 || !strings.Contains(shownText(test.RenderToMarkup(c)), wizard.RU.T("window.save.replace.title")) {
		t.Fatal("saving over an existing file does not ask first")
	}
}
