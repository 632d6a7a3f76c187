package wizard

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"assistant/checks"
	"assistant/faultpeer"
)

// TestSaveReportClearsError: a failed save shows in the state's Error, and
// the next successful save takes the message away again.
func TestSaveReportClearsError(t *testing.T) {
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(addr)
	s := NewSession(nil, Tool{Name: "test"}, checks.Options{})
	s.SetLang(EN)
	s.Choose(checks.SMTP)
	f := s.State().Form
	f.Host, f.Port, f.PortSet = host, port, true
	s.SetForm(f)
	if !s.Start() {
		t.Fatal("Start refused a usable form")
	}
	s.Wait()
	dir := t.TempDir()
	if err := s.SaveReport(filepath.Join(dir, "missing", "r.md"), FormatMarkdown); err == nil {
		t.Fatal("saving into a missing folder succeeded")
	}
	if s.State().Error == "" {
		t.Fatal("a failed save left no message")
	}
	path := filepath.Join(dir, "r.md")
	if err := s.SaveReport(path, FormatMarkdown); err != nil {
		t.Fatal(err)
	}
	if msg := s.State().Error; msg != "" {
		t.Fatalf("a successful save kept the message %q", msg)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// TestSizeFieldHasAUnit: the practice fills the size field with a unit
// that ParseSize reads back.
func TestSizeFieldHasAUnit(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4MiB", 512 << 10: "512KiB", 1000: "1000"} {
		got := sizeField(n)
		back, err := ParseSize(got)
		if got != want || err != nil || back != n {
			t.Errorf("sizeField(%d) = %q (reads back %d, %v), want %q", n, got, back, err, want)
		}
	}
}
