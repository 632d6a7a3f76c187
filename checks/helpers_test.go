package checks_test

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"slices"
	"strings"
	"testing"

	"assistant/checks"
	"assistant/faultpeer"
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

// result returns the result of check id, failing the test when there is none.
func result(t testing.TB, res []checks.Result, id checks.CheckID) *checks.Result {
	t.Helper()
	r := checks.Find(res, id)
	if r == nil {
		t.Fatalf("no %s result", id)
	}
	return r
}

// wantStatuses asserts the status of several checks at once.
func wantStatuses(t testing.TB, res []checks.Result, want map[checks.CheckID]checks.Status) {
	t.Helper()
	for id, st := range want {
		if r := result(t, res, id); r.Status != st {
			t.Errorf("%s: status %s, want %s (skip %q, fault %v, steps %+v)", id, r.Status, st, r.Skipped, r.Fault, r.Steps)
		}
	}
}

// wantFaultOf asserts the fault of check id in res and returns it.
func wantFaultOf(t testing.TB, res []checks.Result, id checks.CheckID, kind checks.FaultKind, stage checks.Stage, winsock int) *checks.Fault {
	t.Helper()
	return wantFault(t, result(t, res, id), kind, stage, winsock)
}

// wantFaultCode asserts a fault like wantFault and also the server's reply code.
func wantFaultCode(t testing.TB, r *checks.Result, kind checks.FaultKind, stage checks.Stage, winsock, code int) *checks.Fault {
	t.Helper()
	f := wantFault(t, r, kind, stage, winsock)
	if f.Code != code {
		t.Fatalf("%s: fault code %d, want %d (%v)", r.ID, f.Code, code, f)
	}
	return f
}

// wantNoSecret asserts that the password, in clear or in the base64 forms
// login commands carry, is nowhere in the results or their faults' texts.
func wantNoSecret(t testing.TB, res []checks.Result, user, pass string) {
	t.Helper()
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	text := string(js)
	for _, r := range res {
		if r.Fault != nil {
			text += "\n" + r.Fault.Error()
		}
	}
	enc := base64.StdEncoding.EncodeToString
	for _, s := range []string{pass, enc([]byte(pass)), enc([]byte("\x00" + user + "\x00" + pass))} {
		if strings.Contains(text, s) {
			t.Fatalf("results contain the password (%q)", s)
		}
	}
}

// scriptPeer starts a peer that greets and then answers each command line
// through reply (see faultpeer.Lines), and returns its port.
func scriptPeer(t testing.TB, greeting string, reply func(cmd string) (string, bool)) int {
	t.Helper()
	p, err := faultpeer.Listen(func(c net.Conn) {
		if _, err := c.Write([]byte(greeting)); err != nil {
			return
		}
		faultpeer.Lines(c, reply)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p.Port()
}
