package checks_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

func TestPlanOrder(t *testing.T) {
	got := checks.Plan(checks.Target{Service: checks.FTP, FTPMode: checks.FTPPassive, Security: checks.SecurityStartTLS, IdleTest: time.Second})
	want := []checks.CheckID{"input", "dns", "ping", "tcp", "ports", "addresses", "tls", "ftp", "auth", "ftp-passive", "transfer", "idle"}
	if len(got) != len(want) {
		t.Fatalf("plan %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("plan %v, want %v", got, want)
		}
	}
}

func TestValidateRejectsUnusableInput(t *testing.T) {
	for _, tg := range []checks.Target{
		{Service: "gopher"},
		{Service: checks.SMTP, Port: 70000},
		{Service: checks.SMTP, Security: "ssl3"},
		{Service: checks.FTP, FTPMode: "sideways"},
		{Service: checks.FTP, TransferSize: -1},
		{Service: checks.FTP, IdleTest: -time.Second},
	} {
		if _, err := checks.Run(context.Background(), tg, checks.Options{}); err == nil {
			t.Errorf("%+v accepted", tg)
		}
	}
}

// TestRunSkipsWhatDependsOnAFailureAndReportsLive runs against a refused
// port: tcp fails, the protocol checks are skipped, and the observer sees
// every check start and end.
func TestRunSkipsWhatDependsOnAFailureAndReportsLive(t *testing.T) {
	addr, err := faultpeer.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := faultpeer.HostPort(addr)
	var mu sync.Mutex
	events := map[checks.CheckID][]checks.Status{}
	obs := func(r checks.Result) {
		mu.Lock()
		defer mu.Unlock()
		events[r.ID] = append(events[r.ID], r.Status)
	}
	res, err := checks.Run(context.Background(), checks.Target{Service: checks.SMTP, Host: host, Port: port, Timeout: time.Second},
		checks.Options{Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	tcp := checks.Find(res, checks.CheckTCP)
	if tcp.Status != checks.StatusFail || tcp.Fault.Kind != checks.FaultRefused || tcp.Fault.WinSock != 10061 {
		t.Fatalf("tcp: %+v", tcp)
	}
	for _, id := range []checks.CheckID{checks.CheckSMTP, checks.CheckAuth} {
		r := checks.Find(res, id)
		if r.Status != checks.StatusSkip || r.Skipped != checks.SkipDependency {
			t.Fatalf("%s: %+v", id, r)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if ev := events[checks.CheckTCP]; len(ev) != 2 || ev[0] != checks.StatusRunning || ev[1] != checks.StatusFail {
		t.Fatalf("tcp events %v", ev)
	}
	if ev := events[checks.CheckSMTP]; len(ev) != 1 || ev[0] != checks.StatusSkip {
		t.Fatalf("smtp events %v", ev)
	}
}

// TestCancelStopsAtOnce cancels a run stuck on a silent server.
func TestCancelStopsAtOnce(t *testing.T) {
	done := make(chan struct{})
	peer, err := faultpeer.Listen(func(c net.Conn) { faultpeer.Silence(c, done) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	t.Cleanup(func() { close(done) })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	res, err := checks.Run(ctx, checks.Target{Service: checks.POP3, Host: "127.0.0.1", Port: peer.Port(), Timeout: 30 * time.Second},
		checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 1300*time.Millisecond {
		t.Fatalf("cancel took %v", d)
	}
	for _, r := range res {
		if r.Status == checks.StatusRunning || r.Status == checks.StatusPending {
			t.Fatalf("%s left %s", r.ID, r.Status)
		}
	}
}
