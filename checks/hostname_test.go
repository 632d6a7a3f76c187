package checks_test

import (
	"strings"
	"testing"

	"assistant/checks"
)

// TestInnerSpaceIsNoSilentJoin: a space between two letters makes the
// name invalid (joined it would be another domain), with the dotted form
// as the suggestion; a space next to a dot is still removed.
func TestInnerSpaceIsNoSilentJoin(t *testing.T) {
	if h, _, _, p := checks.CleanHost("mail example.com"); p != checks.InputInvalid || h == "mailexample.com" {
		t.Fatalf("CleanHost(mail example.com) = %q, problem %q", h, p)
	}
	if r, s, _ := checks.HostTrouble("mail example.com"); r != checks.HostSpace || s != "mail.example.com" {
		t.Fatalf("HostTrouble = %q, %q", r, s)
	}
	if h, _, _, p := checks.CleanHost("mail. example.com "); p != "" || h != "mail.example.com" {
		t.Fatalf("space after a dot: %q, %q", h, p)
	}
}

// TestHostLengthLimits: 253 characters per name, 63 per label, each with
// its own reason and the length found.
func TestHostLengthLimits(t *testing.T) {
	long := strings.Repeat("a", 5000)
	if r, _, n := checks.HostTrouble(long); r != checks.HostTooLong || n != 5000 {
		t.Fatalf("5000-letter name: %q, %d", r, n)
	}
	if r, _, n := checks.HostTrouble(strings.Repeat("a", 70) + ".com"); r != checks.HostLabelTooLong || n != 70 {
		t.Fatalf("70-letter label: %q, %d", r, n)
	}
	name := strings.Repeat(strings.Repeat("b", 60)+".", 5) + "com"
	if r, _, n := checks.HostTrouble(name); r != checks.HostTooLong || n != len(name) {
		t.Fatalf("%d-character name: %q, %d", len(name), r, n)
	}
	if _, _, _, p := checks.CleanHost(strings.Repeat("c", 63) + ".example.com"); p != "" {
		t.Fatalf("a 63-character label is allowed: %q", p)
	}
	if r, _, _ := checks.HostTrouble("mail;example.com"); r != checks.HostCharacters {
		t.Fatalf("semicolon: %q", r)
	}
	if r, _, _ := checks.HostTrouble("mail.example.com"); r != "" {
		t.Fatalf("a good name: %q", r)
	}
}
