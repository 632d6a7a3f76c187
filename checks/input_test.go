package checks_test

import (
	"slices"
	"strconv"
	"testing"

	"assistant/checks"
)

func TestCleanHost(t *testing.T) {
	cases := []struct {
		raw     string
		host    string
		port    int
		changes []string
		problem string
	}{
		{"mail.example.com", "mail.example.com", 0, nil, ""},
		{"  mail.example.com\t\n", "mail.example.com", 0, []string{"space"}, ""},
		{"mail. example.com", "mail.example.com", 0, []string{"space"}, ""},
		{"\u00a0mail.example.com\u200b", "mail.example.com", 0, []string{"space"}, ""},
		{"smtp://mail.example.com", "mail.example.com", 0, []string{"scheme"}, ""},
		{"ftps://ftp.example.com/pub/x", "ftp.example.com", 0, []string{"scheme", "path"}, ""},
		{"IMAP://imap.example.com/", "imap.example.com", 0, []string{"scheme", "path"}, ""},
		{"ftp.example.com/upload", "ftp.example.com", 0, []string{"path"}, ""},
		{"user@example.com@mail.example.com", "mail.example.com", 0, []string{"user"}, ""},
		{"mail.example.com:587", "mail.example.com", 587, []string{"port"}, ""},
		{"ftp://bob:secret@ftp.example.com:2121/dir", "ftp.example.com", 2121, []string{"scheme", "path", "user", "port"}, ""},
		{"[::1]:25", "::1", 25, []string{"brackets", "port"}, ""},
		{"[2001:db8::1]", "2001:db8::1", 0, []string{"brackets"}, ""},
		{"2001:db8::1", "2001:db8::1", 0, nil, ""},
		// An IPv6 zone literal is an address, not a mistyped name (issue 13).
		{"fe80::1%lo", "fe80::1%lo", 0, nil, ""},
		{"[fe80::1%eth0]:2525", "fe80::1%eth0", 2525, []string{"brackets", "port"}, ""},
		{"127.0.0.1:2525", "127.0.0.1", 2525, []string{"port"}, ""},
		{"mail.example.com.", "mail.example.com", 0, []string{"trailing-dot"}, ""},
		{"mail.example.com.:25", "mail.example.com", 25, []string{"port", "trailing-dot"}, ""},
		{"почта.пример.рф", "xn--80a1acny.xn--e1afmkfd.xn--p1ai", 0, []string{"idn"}, ""},
		{"Mail.Bücher.example", "mail.xn--bcher-kva.example", 0, []string{"idn"}, ""},
		{"mx_1.corp.example", "mx_1.corp.example", 0, nil, ""},
		{"", "", 0, nil, "empty"},
		{"   ", "", 0, []string{"space"}, "empty"},
		{"smtp://", "", 0, []string{"scheme"}, "empty"},
		{"mail,example.com", "mail,example.com", 0, nil, "invalid"},
		{"mail..example.com", "mail..example.com", 0, nil, "invalid"},
		{"mail.example.com:smtp", "mail.example.com", 0, nil, "invalid"},
		{"mail.example.com:70000", "mail.example.com", 0, nil, "invalid"},
		{"[::1", "[::1", 0, nil, "invalid"},
		{"почта\u0000.рф", "почта\u0000.рф", 0, nil, "invalid"},
	}
	for _, c := range cases {
		host, port, changes, problem := checks.CleanHost(c.raw)
		if host != c.host || port != c.port || !slices.Equal(changes, c.changes) || problem != c.problem {
			t.Errorf("CleanHost(%q) = %q, %d, %v, %q; want %q, %d, %v, %q",
				c.raw, host, port, changes, problem, c.host, c.port, c.changes, c.problem)
		}
	}
}

func TestInputCleanedWarnsAndContinues(t *testing.T) {
	port := netPeer(t, "220 mx.test ready\r\n")
	raw := " smtp://user@127.0.0.1:" + strconv.Itoa(port) + "/x "
	res := netRun(t, checks.Target{Service: checks.SMTP, Host: raw}, checks.Options{})
	in := netResult(t, res, checks.CheckInput)
	if in.Status != checks.StatusWarn || !slices.Equal(in.Warnings, []string{checks.WarnHostCleaned}) {
		t.Fatalf("input %s %v, want warn host-cleaned", in.Status, in.Warnings)
	}
	want := checks.InputFacts{RawHost: raw, Host: "127.0.0.1", Port: port,
		Changes: []string{"space", "scheme", "path", "user", "port"}}
	if in.Input == nil || in.Input.RawHost != want.RawHost || in.Input.Host != want.Host ||
		in.Input.Port != want.Port || !slices.Equal(in.Input.Changes, want.Changes) || in.Input.Problem != "" {
		t.Fatalf("input facts %+v, want %+v", in.Input, want)
	}
	// The typed port replaced the default 25: tcp connected to the peer.
	tcp := netResult(t, res, checks.CheckTCP)
	if tcp.Status != checks.StatusPass || tcp.TCP.Address != "127.0.0.1:"+strconv.Itoa(port) {
		t.Fatalf("tcp %+v", tcp)
	}
	if dns := netResult(t, res, checks.CheckDNS); dns.DNS == nil || !dns.DNS.Literal {
		t.Fatalf("dns %+v", dns)
	}
}

func TestInputProblemsFail(t *testing.T) {
	for _, c := range []struct{ raw, problem string }{{"", checks.InputEmpty}, {" \t", checks.InputEmpty}, {"mail;example.com", checks.InputInvalid}} {
		res := netRun(t, checks.Target{Service: checks.POP3, Host: c.raw}, checks.Options{})
		in := netResult(t, res, checks.CheckInput)
		if in.Status != checks.StatusFail || in.Input == nil || in.Input.Problem != c.problem {
			t.Fatalf("%q: input %+v, want fail %s", c.raw, in, c.problem)
		}
		if in.Fault == nil || in.Fault.Kind != checks.FaultNotFound || in.Fault.Stage != checks.StageInput {
			t.Errorf("%q: fault %+v, want not-found at input", c.raw, in.Fault)
		}
		for _, id := range []checks.CheckID{checks.CheckDNS, checks.CheckPing, checks.CheckTCP, checks.CheckPorts} {
			if r := netResult(t, res, id); r.Status != checks.StatusSkip || r.Skipped != checks.SkipDependency {
				t.Errorf("%q: %s is %s/%s, want skipped (dependency)", c.raw, id, r.Status, r.Skipped)
			}
		}
	}
}
