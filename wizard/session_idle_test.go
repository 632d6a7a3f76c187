package wizard

import (
	"slices"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// TestWatchTurnsTheIdleTestOn: in watch mode each run also holds idle
// connections for the watch interval.
func TestWatchTurnsTheIdleTestOn(t *testing.T) {
	p, err := faultpeer.POP3(faultpeer.MailOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := NewSession(nil, Tool{Name: "test"}, checks.Options{Ports: []checks.StandardPort{}})
	s.Choose(checks.POP3)
	f := s.State().Form
	f.Host, f.Port, f.PortSet = "127.0.0.1", itoa(p.Port()), true
	s.SetForm(f)
	s.SetWatch(true, time.Second)
	if !s.Start() {
		t.Fatal("Start refused a usable form")
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(s.State().Timeline) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	st := s.State()
	s.Close()
	s.Wait()
	if !slices.ContainsFunc(st.Checks, func(c CheckView) bool { return c.ID == checks.CheckIdle }) {
		t.Fatalf("checks %v: no idle check in watch mode", st.Checks)
	}
	r := checks.Find(st.Report.Results, checks.CheckIdle)
	if r == nil || r.Idle == nil || r.Idle.Duration != time.Second || r.Status != checks.StatusPass {
		t.Fatalf("idle result %+v", r)
	}
}
