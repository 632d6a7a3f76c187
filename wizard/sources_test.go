package wizard

import (
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
)

// programWords are the names whose presence makes a text a program's
// label, which must have a checked source.
var programWords = regexp.MustCompile(`Kaspersky|ESET|Avast|Outlook|Thunderbird|FileZilla|WinSCP|netsh|Windows Firewall|брандмауэр[а-я]* Windows`)

// stepKey tells the keys whose texts tell the user where a setting is: the
// remediation steps, settings steps, their facts and the Account page's hints.
func stepKey(k string) bool {
	return strings.HasPrefix(k, "setting.") || strings.HasPrefix(k, "fact.set_") ||
		strings.HasPrefix(k, "ui.security.hint.") || strings.Contains(k, ".step") ||
		(strings.HasPrefix(k, "cause.") && strings.Contains(k, ".client.")) || strings.HasPrefix(k, "cause.server-busy.")
}

// TestStepSources fails when a step names a program's setting and no row
// of texts/SOURCES.md gives the source it was checked against.
func TestStepSources(t *testing.T) {
	raw, err := os.ReadFile("texts/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, line := range strings.Split(string(raw), "\n") {
		if m := regexp.MustCompile("^\\| `([^`]+)` \\|").FindStringSubmatch(line); m != nil {
			patterns = append(patterns, m[1])
		}
	}
	if len(patterns) < 10 {
		t.Fatalf("only %d source rows read", len(patterns))
	}
	checked := 0
	for _, k := range EN.Keys() {
		if !stepKey(k) || !programWords.MatchString(EN.T(k)+RU.T(k)) {
			continue
		}
		checked++
		covered := false
		for _, p := range patterns {
			if ok, _ := path.Match(p, k); ok {
				covered = true
				break
			}
		}
		if !covered {
			t.Errorf("%s names a program but has no row in texts/SOURCES.md:\n%s", k, EN.T(k))
		}
	}
	if checked < 30 {
		t.Errorf("only %d program steps found: the key filter is broken", checked)
	}
}
