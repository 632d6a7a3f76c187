package checks_test

import (
	"slices"
	"strings"
	"testing"

	"assistant/checks"
)

// hasLine reports whether a transcript has a line starting with prefix.
func hasLine(lines []string, prefix string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
}

// wantStatus asserts a check's status, showing its fault, steps and transcript otherwise.
func wantStatus(t testing.TB, r *checks.Result, st checks.Status) {
	t.Helper()
	if r == nil {
		t.Fatalf("result missing, want %s", st)
	}
	if r.Status != st {
		t.Fatalf("%s: status %s, want %s (fault %v, skipped %q, steps %+v, transcript %q)",
			r.ID, r.Status, st, r.Fault, r.Skipped, r.Steps, r.Transcript)
	}
}

// wantFault asserts a failed check's fault kind, stage and WinSock code and returns the fault.
func wantFault(t testing.TB, r *checks.Result, kind checks.FaultKind, stage checks.Stage, winsock int) *checks.Fault {
	t.Helper()
	wantStatus(t, r, checks.StatusFail)
	f := r.Fault
	if f == nil || f.Kind != kind || f.Stage != stage || f.WinSock != winsock {
		t.Fatalf("%s: fault %+v, want %s at %s (%d)", r.ID, f, kind, stage, winsock)
	}
	return f
}
