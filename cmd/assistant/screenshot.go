package main

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/practice"
	"assistant/wizard"
)

// demo is the hook of scripts/screenshots: it walks the session to a step
// (start, account, pasted, checks, result) with demo settings; "soak" is
// the memory soak of scripts/soak. Its checks only
// reach 127.0.0.1: the "port 25 blocked" practice scenario for the result
// page (its connect times out after 3 s), a silent peer watched every 30 s
// for the checks page.
func demo(s *wizard.Session, step string) {
	switch step {
	case "start":
		return
	case "soak":
		soak(s)
		return
	case "pasted":
		s.Paste(demoMessage)
		return
	}
	s.Choose(checks.SMTP)
	f := s.State().Form
	f.Host, f.Security, f.User, f.Password = "mail.example.com", checks.SecurityStartTLS, "anna@example.com", "secret"
	s.SetForm(f)
	if step == "account" {
		return
	}
	if step == "result" {
		if err := s.Practice(practice.SMTPPortBlocked); err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
		}
		return
	}
	p, err := faultpeer.Listen(func(c net.Conn) { faultpeer.Silence(c, nil) })
	s.SetWatch(true, 30*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return
	}
	host, port, _ := net.SplitHostPort(p.Addr())
	f = s.State().Form
	f.Host, f.Port, f.PortSet, f.Security = host, port, true, checks.SecurityNone
	s.SetForm(f)
	s.Start()
}

// demoMessage is the pasted message of the "pasted" step: Outlook's
// message for an account without a server name.
const demoMessage = "Ошибка при соединении с сервером. Учетная запись: ‘Anna’, Сервер: ‘’, Протокол: SMTP, Порт: 25, Защита (SSL): Нет, Ошибка сокета: 10054, Код ошибки: 0x800CCC0E"

// soakRuns is how many practice checks the soak runs (scripts/soak;
// ASSISTANT_SOAK_RUNS changes it), and
// soakPause the pause after each, at a brisk user's pace (a person reads
// at least a line of each result before running the next).
const (
	soakRuns  = 50
	soakPause = time.Second
)

// soak is the memory soak of scripts/soak: it runs practice checks one
// after another in the real window, each shown on its result page, and
// prints the resident memory after the first, halfway and after the last.
func soak(s *wizard.Session) {
	ids := []practice.ID{practice.SMTPReset, practice.IMAPHealthy, practice.POP3WrongPassword, practice.FTPBusy, practice.SMTPWrongSSL}
	var first int
	runs := soakRuns
	if n, err := strconv.Atoi(os.Getenv("ASSISTANT_SOAK_RUNS")); err == nil && n > 0 {
		runs = n
	}
	for i := range runs {
		if err := s.Practice(ids[i%len(ids)]); err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
			os.Exit(1)
		}
		s.Wait()
		time.Sleep(soakPause)
		switch n := i + 1; {
		case n == 1:
			first = rssKiB()
			fmt.Printf("rss after 1 check: %d KiB (heap %d KiB)\n", first, heapKiB())
		case n%25 == 0 || n == runs:
			rss := rssKiB()
			fmt.Printf("rss after %d checks: %d KiB (%.2fx, heap %d KiB)\n", n, rss, float64(rss)/float64(first), heapKiB())
		}
	}
	if path := os.Getenv("ASSISTANT_SOAK_PROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			runtime.GC()
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	os.Exit(0)
}

// rssKiB is this process's resident memory (Linux; 0 elsewhere).
func rssKiB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return n
		}
	}
	return 0
}

// heapKiB is the Go heap in use.
func heapKiB() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc >> 10
}
