package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"assistant/faultpeer"
)

func TestIdleTestFlag(t *testing.T) {
	code, out, errs := run(t, "", nil, "check", "--service", "pop3", "--host", "x", "--idle-test", "a while", "--lang", "ru")
	if code != ExitUsage || out != "" || !strings.Contains(errs, "--idle-test") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 naming --idle-test", code, out, errs)
	}
	p, err := faultpeer.POP3(faultpeer.MailOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, out, errs = run(t, "", nil, "check", "--service", "pop3", "--host", "127.0.0.1", "--port", strconv.Itoa(p.Port()),
		"--idle-test", "1s", "--timeout", "1s", "--format", "json")
	var rep struct {
		Target struct {
			IdleTestMS int64 `json:"idle_test_ms"`
		} `json:"target"`
		Checks []struct {
			ID     string          `json:"id"`
			Status string          `json:"status"`
			Facts  json.RawMessage `json:"facts"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s %s", err, out, errs)
	}
	if rep.Target.IdleTestMS != 1000 {
		t.Errorf("target idle_test_ms %d, want 1000", rep.Target.IdleTestMS)
	}
	for _, c := range rep.Checks {
		if c.ID != "idle" {
			continue
		}
		var facts struct {
			Probes []struct {
				Outcome string `json:"outcome"`
			} `json:"probes"`
		}
		if err := json.Unmarshal(c.Facts, &facts); err != nil {
			t.Fatal(err)
		}
		if c.Status != "pass" || len(facts.Probes) != 1 || facts.Probes[0].Outcome != "alive" {
			t.Errorf("idle check %s %+v", c.Status, facts)
		}
		return
	}
	t.Errorf("no idle check in %s", out)
}
