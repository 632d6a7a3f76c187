package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/practice"
	"assistant/wizard"
)

// TestEmailOffersDocumentedSettings types a Yandex address on the SMTP
// account page: the page shows what Yandex documents and what would change,
// and the button fills the form with it.
func TestEmailOffersDocumentedSettings(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.w.start.choose[checks.SMTP])
	a := h.w.account
	if a.email == nil {
		t.Fatal("no e-mail field on the SMTP account page")
	}
	test.Type(a.host, "smtp.yandex.ru")
	test.Type(a.email.entry, "ann@yandex.ru")
	h.pump()
	if !a.email.use.Visible() || a.email.use.Text != "Use Yandex Mail's settings" {
		t.Fatalf("offer button %q visible %v", a.email.use.Text, a.email.use.Visible())
	}
	if c := a.email.changes.Text; !strings.Contains(c, "smtp.yandex.ru → smtp.yandex.com") || !strings.Contains(c, "25 → 465") ||
		!strings.Contains(c, "no encryption → SSL/TLS") || !strings.Contains(c, "(empty) → ann@yandex.ru") {
		t.Fatalf("changes %q", c)
	}
	test.Tap(a.email.use)
	f := h.s.State().Form
	if f.Host != "smtp.yandex.com" || f.Port != "465" || f.Security != checks.SecurityTLS || f.User != "ann@yandex.ru" || f.Email != "ann@yandex.ru" {
		t.Fatalf("form %+v", f)
	}
	if a.host.Text != "smtp.yandex.com" || a.port.Text != "465" || a.user.Text != "ann@yandex.ru" || a.security.Selected != "SSL/TLS" {
		t.Fatalf("fields %q %q %q %q", a.host.Text, a.port.Text, a.user.Text, a.security.Selected)
	}
	if a.email.use.Visible() {
		t.Error("the offer is still shown after it was applied")
	}
}

// TestEmailFieldProblemsBothLanguages: a bad address is named under the
// field, in Russian too; an IDN domain shows its punycode.
func TestEmailFieldProblemsBothLanguages(t *testing.T) {
	h := newHarness(t)
	h.s.SetLang(wizard.RU)
	h.pump()
	test.Tap(h.w.start.choose[checks.IMAP])
	a := h.w.account
	test.Type(a.email.entry, "anna")
	h.pump()
	if !a.email.msg.Visible() || !strings.Contains(a.email.msg.Text, "«@»") {
		t.Fatalf("message %q", a.email.msg.Text)
	}
	a.email.entry.SetText("")
	test.Type(a.email.entry, "аня@почта.рф")
	h.pump()
	if !strings.Contains(a.email.msg.Text, "xn--80a1acny.xn--p1ai") {
		t.Fatalf("message %q", a.email.msg.Text)
	}
}

// TestNoEmailFieldForFTP: the address belongs to mail accounts only.
func TestNoEmailFieldForFTP(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.w.start.choose[checks.FTP])
	if h.w.account.email != nil {
		t.Fatal("FTP account page has an e-mail field")
	}
}

// TestPracticeProviderSettingsSideBySide runs the provider practice
// scenario from the start page: the top finding is settings-differ and the
// result page shows the account's settings beside the documented ones.
func TestPracticeProviderSettingsSideBySide(t *testing.T) {
	h := newHarness(t)
	p := h.w.start
	p.scenario.SetSelected(wizard.EN.T("practice." + string(practice.SMTPProviderServer) + ".title"))
	test.Tap(p.practice)
	h.s.Wait()
	h.until("result page", 10*time.Second, func(st wizard.State) bool { return st.Step == wizard.StepResult })
	st := h.s.State()
	if st.Report == nil || st.Report.Findings[0].Cause != wizard.SettingsDiffer {
		t.Fatalf("findings %+v", st.Report)
	}
	var texts []string
	for _, o := range test.LaidOutObjects(h.w.result.content) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Your settings", "Documented", "smtp.example.com", "smtp.example.org", "SSL/TLS", "no encryption"} {
		if !strings.Contains(all, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
}
