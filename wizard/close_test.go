package wizard

import (
	"net"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// TestCloseCancelsAndCleansUp: closing the session, which the window does
// when it closes (ui.Run) or gets SIGTERM/SIGHUP/Ctrl+C (cmd/assistant),
// cancels a running upload, waits for its cleanup and leaves no test file
// on the server.
func TestCloseCancelsAndCleansUp(t *testing.T) {
	state := faultpeer.NewFTPState()
	p, err := faultpeer.FTP(faultpeer.FTPOptions{StallAfter: 64 << 10, State: state})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	host, port, _ := net.SplitHostPort(p.Addr())
	s := NewSession(nil, Tool{Name: "test"}, checks.Options{})
	s.SetLang(EN)
	s.Choose(checks.FTP)
	f := s.State().Form
	f.Host, f.Port, f.PortSet, f.FTPMode = host, port, true, checks.FTPPassive
	f.User, f.Password, f.TransferSize = faultpeer.FTPUser, faultpeer.FTPPassword, "4MiB"
	s.SetForm(f)
	if !s.Start() {
		t.Fatal("Start refused a usable form")
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(state.Files()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the upload never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	s.Close()
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("Close took %v", took)
	}
	if files := state.Files(); len(files) != 0 {
		t.Fatalf("test file left on the server after Close: %v", files)
	}
	if s.State().Running {
		t.Fatal("still running after Close")
	}
}
