package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"assistant/checks"
	"assistant/wizard"
)

// TestMyProgramPicksTheSteps: choosing Thunderbird on the Account page is
// kept in the form, and a finding's steps then speak of Thunderbird while
// Outlook's fold away under "Steps for other programs".
func TestMyProgramPicksTheSteps(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.w.start.choose[checks.SMTP])
	p := h.w.account.program
	if p == nil || p.SelectedIndex() != 0 {
		t.Fatal("My program is missing or not 'not named' at first")
	}
	p.SetSelected(wizard.ProgramThunderbird.Name(wizard.EN))
	if got := h.s.State().Form.Program; got != wizard.ProgramThunderbird {
		t.Fatalf("form program %q", got)
	}
	f := wizard.Finding{Cause: wizard.WrongPort, Program: h.s.State().Form.Program, Steps: []string{"setting.smtp"},
		Facts: map[string]string{"service": "SMTP", "set_port": "587", "set_security": "starttls"}}
	shown := shownText(test.RenderObjectToMarkup(findingBody(f, wizard.EN)))
	for _, want := range []string{"1. Thunderbird: ☰ → Account Settings", "Steps for other programs"} {
		if !strings.Contains(shown, want) {
			t.Errorf("result lacks %q:\n%s", want, shown)
		}
	}
	if strings.Contains(shown, "1. Outlook") {
		t.Errorf("Outlook's steps come first:\n%s", shown)
	}
}
