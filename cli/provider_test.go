package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"assistant/faultpeer"
)

// providerReport is the part of the JSON report --email adds.
type providerReport struct {
	Target struct {
		Email string `json:"email"`
		User  string `json:"user"`
	} `json:"target"`
	Provider *struct {
		Problem     string   `json:"problem"`
		ASCIIDomain string   `json:"ascii_domain"`
		Sources     []string `json:"sources"`
	} `json:"provider"`
	Checks []struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"checks"`
}

// TestEmailBadInput: a bad address gets a message in the user's language on
// standard error, the check runs on the typed settings, and the report
// names the problem. The test zone knows none of the domains.
func TestEmailBadInput(t *testing.T) {
	dns, err := faultpeer.DNS()
	if err != nil {
		t.Fatal(err)
	}
	defer dns.Close()
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := faultpeer.HostPort(addr)
	for _, tc := range []struct {
		email, lang, problem, stderr, ascii string
	}{
		{"ann.example.test", "en", "no-at", `"ann.example.test" has no "@"`, ""},
		{"ann smith@example.test", "ru", "space", "есть пробелы", ""},
		{"ann@bad_domain!", "en", "bad-domain", "not a valid domain name", ""},
		{"аня@почта.рф", "ru", "no-records", "", "xn--80a1acny.xn--p1ai"},
		{"ann@nowhere.test", "en", "no-records", "", ""},
	} {
		code, out, errs := run(t, "", nil, "check", "--service", "imap", "--host", host, "--port", strconv.Itoa(port),
			"--email", tc.email, "--resolver", dns.Addr, "--timeout", "1s", "--format", "json", "--lang", tc.lang)
		if code != ExitProblem {
			t.Fatalf("%s: exit %d: %s", tc.email, code, errs)
		}
		if !strings.Contains(errs, tc.stderr) {
			t.Errorf("%s: stderr %q lacks %q", tc.email, errs, tc.stderr)
		}
		var r providerReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if r.Target.Email != tc.email || r.Target.User != tc.email || r.Provider == nil || r.Provider.Problem != tc.problem || r.Provider.ASCIIDomain != tc.ascii {
			t.Errorf("%s: target %+v provider %+v", tc.email, r.Target, r.Provider)
		}
		ran := false
		for _, c := range r.Checks {
			ran = ran || c.ID == "tcp"
			if c.ID == "provider" && c.Summary == "" {
				t.Errorf("%s: provider check without a summary", tc.email)
			}
		}
		if !ran {
			t.Errorf("%s: the typed settings were not checked", tc.email)
		}
	}
}
