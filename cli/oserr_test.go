package cli

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"assistant/wizard"
)

// TestOSErrorsInBothLanguages: every operating-system error the tool knows
// reads in the user's language and never names the temporary file it was
// about; an unknown one keeps only the system's text.
func TestOSErrorsInBothLanguages(t *testing.T) {
	cyrillic := regexp.MustCompile(`[а-яё]`)
	for _, e := range append(osErrors, osErrorsPlatform...) {
		err := &fs.PathError{Op: "open", Path: "/srv/.assistant-probe-123", Err: e.err}
		for _, l := range []wizard.Lang{wizard.EN, wizard.RU} {
			msg := osText(err, l)
			if strings.Contains(msg, "probe") || strings.HasPrefix(msg, "cli2.") || msg == "" {
				t.Errorf("%v/%s: %q", e.err, l, msg)
			}
			if l == wizard.RU && (!cyrillic.MatchString(msg) || englishOS.MatchString(msg)) {
				t.Errorf("%v/ru: %q is not Russian", e.err, msg)
			}
		}
	}
	other := osText(&fs.PathError{Op: "open", Path: "/srv/.x.tmp-1", Err: fs.ErrInvalid}, wizard.RU)
	if strings.Contains(other, ".tmp-") || !strings.Contains(other, "система сообщила") {
		t.Errorf("unknown error: %q", other)
	}
}
