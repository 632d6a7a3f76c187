//go:build linux

package checks_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
	"assistant/wizard"
)

// Scenarios of the network path's newer causes, each in a namespace of the
// test's own: an SFTP-only server (SSH on the namespace's real port 22),
// IPv6 filtered beside working IPv4, conntrack forgetting idle
// connections.

func init() {
	netnsScenarios["sftp-only"] = netnsSFTPOnly
	netnsScenarios["dual-stack"] = netnsDualStack
	netnsScenarios["idle-ftp"] = netnsIdleFTP
}

// netnsSSHBanner is the identification line of Debian 12's OpenSSH.
const netnsSSHBanner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"

// netnsSFTPOnly: an SSH server on port 22 and, on port 21, an FTP server
// the setup filters; nothing on 990. The FTP target uses the real
// standard ports of the namespace (no Options.Ports).
func netnsSFTPOnly(t *testing.T, setup func(map[string]string)) any {
	netPeerAt(t, "127.0.0.1:22", netnsSSHBanner+"\r\n")
	netPeerAt(t, "127.0.0.1:21", "220 (vsFTPd 3.0.3)\r\n")
	setup(nil)
	return netRun(t, checks.Target{Service: checks.FTP, Host: "127.0.0.1", Timeout: time.Second}, checks.Options{})
}

// TestNetnsCauseSFTPOnly: FTP's ports refuse (21 rejected with a reset,
// nothing on 990) or stay silent (21 dropped), port 22 speaks SSH: the
// ports check records the banner and the diagnosis says SFTP.
func TestNetnsCauseSFTPOnly(t *testing.T) {
	for _, c := range []struct {
		name, rule string
		kind       checks.FaultKind
	}{
		{"refused", "iptables -A INPUT -p tcp --dport 21 -j REJECT --reject-with tcp-reset", checks.FaultRefused},
		{"silent", "iptables -A INPUT -p tcp --dport 21 -j DROP", checks.FaultTimeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			var res []checks.Result
			runInNetns(t, "sftp-only", []string{c.rule}, &res)
			if f := netResult(t, res, checks.CheckTCP).Fault; f == nil || f.Kind != c.kind {
				t.Fatalf("tcp fault %+v, want %s", f, c.kind)
			}
			ports := netResult(t, res, checks.CheckPorts)
			ssh := netPortFacts(t, ports, checks.SFTPPort)
			if !ssh.SSH || ssh.Answer != checks.AnswerSSH || ssh.Greeting != netnsSSHBanner {
				t.Errorf("port 22: %+v, want the SSH banner", ssh)
			}
			if p := netPortFacts(t, ports, 990); p.Answer != checks.AnswerClosed {
				t.Errorf("port 990: %+v, want closed", p)
			}
			top := netnsTopCause(t, res, wizard.SFTPOnly)
			for l, want := range map[wizard.Lang]string{wizard.EN: "offers SFTP, not FTP", wizard.RU: "работает по SFTP, а не по FTP"} {
				if got := top.Explanation(l); !strings.Contains(got, want) || !strings.Contains(got, netnsSSHBanner) {
					t.Errorf("%s explanation %q lacks %q and the banner", l, got, want)
				}
				if steps := strings.Join(top.Remediation(l), "\n"); !strings.Contains(steps, "SFTP - SSH File Transfer Protocol") {
					t.Errorf("%s steps lack FileZilla's protocol name: %s", l, steps)
				}
			}
		})
	}
}

// netnsDualStack: an SMTP server on both addresses of dual.test (A
// 127.0.0.2, AAAA ::1 on the namespace's lo), the name resolved through the
// test zone's DNS server inside the namespace; $PORT is the server's port.
func netnsDualStack(t *testing.T, setup func(map[string]string)) any {
	port := dualSMTP(t)
	resolver := netDNS(t)
	setup(map[string]string{"PORT": strconv.Itoa(port)})
	return netRun(t, dualTarget(resolver, port), checks.Options{Ports: []checks.StandardPort{}})
}

// TestNetnsCauseIPv6Broken: ip6tables drops the port on ::1 while IPv4
// answers (on this kernel an ICMPv6 reject or an OUTPUT drop ends the same
// way for a TCP connect: the SYN is retried until the timeout): the main sequence
// works over IPv4, the addresses check names the IPv6 address that
// failed, and the diagnosis says ipv6-broken.
func TestNetnsCauseIPv6Broken(t *testing.T) {
	for _, c := range []struct {
		name, rule string
		kind       checks.FaultKind
	}{
		{"dropped", "ip6tables -A INPUT -d ::1 -p tcp --dport $PORT -j DROP", checks.FaultTimeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			var res []checks.Result
			runInNetns(t, "dual-stack", []string{c.rule}, &res)
			tcp := netResult(t, res, checks.CheckTCP)
			if tcp.Status != checks.StatusPass || !strings.HasPrefix(tcp.TCP.Address, "127.0.0.2:") {
				t.Fatalf("tcp %s %+v, want connected over IPv4", tcp.Status, tcp.TCP)
			}
			r := netResult(t, res, checks.CheckAddresses)
			if r.Status != checks.StatusWarn || len(r.Addresses) != 2 {
				t.Fatalf("addresses %s %+v, want warn with two addresses", r.Status, r.Addresses)
			}
			v4, v6 := r.Addresses[0], r.Addresses[1]
			if !v4.Connected || !v4.FromTCP || !v4.Used {
				t.Errorf("IPv4 %+v, want the tcp check's connection", v4)
			}
			if v6.Address != "::1" || v6.Connected || v6.Fault == nil || v6.Fault.Kind != c.kind {
				t.Errorf("IPv6 %+v, want %s", v6, c.kind)
			}
			top := netnsTopCause(t, res, wizard.IPv6Broken)
			for l, want := range map[wizard.Lang]string{wizard.EN: "did not answer on its IPv6 addresses (::1 (" + string(c.kind) + "))",
				wizard.RU: "не ответил на адресах IPv6 (::1 (" + string(c.kind) + "))"} {
				if got := top.Explanation(l); !strings.Contains(got, want) || !strings.Contains(got, "127.0.0.2") {
					t.Errorf("%s explanation %q lacks %q and the IPv4 address", l, got, want)
				}
			}
		})
	}
}

// netnsIdleFTP runs an FTP check with a 15 s idle test against the
// in-process FTP peer; $PORT is its port. The setup makes conntrack forget
// idle connections.
func netnsIdleFTP(t *testing.T, setup func(map[string]string)) any {
	p, err := faultpeer.FTP(faultpeer.FTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	setup(map[string]string{"PORT": strconv.Itoa(p.Port())})
	return netRun(t, checks.Target{Service: checks.FTP, Host: "127.0.0.1", Port: p.Port(), User: faultpeer.FTPUser,
		Secret: checks.NewSecret(faultpeer.FTPPassword), TransferSize: 64 << 10, Timeout: time.Second, IdleTest: 15 * time.Second},
		checks.Options{Ports: []checks.StandardPort{}, SSHPort: netnsClosedPort})
}

// netnsClosedPort is a port nothing listens on in the namespace.
const netnsClosedPort = 9

// netnsConntrack makes the namespace's conntrack forget an established
// connection idle for 8 s and treat its next packet as INVALID (loose
// pickup off), which target then drops or rejects.
func netnsConntrack(target string) []string {
	return []string{
		"iptables -A INPUT -p tcp --dport $PORT -m conntrack --ctstate INVALID -j " + target,
		"sysctl -q -w net.netfilter.nf_conntrack_tcp_timeout_established=8",
		"sysctl -q -w net.netfilter.nf_conntrack_tcp_loose=0",
	}
}

// TestNetnsCauseIdleTimeout: conntrack forgets connections idle for 8 s;
// their next packet is dropped (silence) or answered with a reset. The
// 5 s connection survives, the 15 s one is dropped, the keep-alive one
// (a NOOP every 2 s) and a fresh one work: idle-timeout after 15 s,
// above 5 s, keep-alive prevents it. The whole 15 s test ends within 17 s.
func TestNetnsCauseIdleTimeout(t *testing.T) {
	for _, c := range []struct {
		name, target, outcome string
		kind                  checks.FaultKind
		en, ru                string
	}{
		{"silent", "DROP", checks.IdleSilent, checks.FaultTimeout, "got no answer at all", "вообще не получило ответа"},
		{"reset", "REJECT --reject-with tcp-reset", checks.IdleReset, checks.FaultReset, "was reset when it was used again", "было сброшено"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var res []checks.Result
			runInNetns(t, "idle-ftp", netnsConntrack(c.target), &res)
			r := netResult(t, res, checks.CheckIdle)
			f := r.Idle
			if r.Status != checks.StatusFail || r.Fault == nil || r.Fault.Kind != c.kind || r.Fault.Stage != checks.StageIdle || f == nil {
				t.Fatalf("idle %s fault %+v facts %+v", r.Status, r.Fault, f)
			}
			if len(f.Probes) != 2 || f.Probes[0].Outcome != checks.IdleAlive || f.Probes[1].Outcome != c.outcome {
				t.Errorf("probes %+v, want 5 s alive and 15 s %s", f.Probes, c.outcome)
			}
			if f.TimeoutAfter != 15*time.Second || f.SurvivedUpTo != 5*time.Second ||
				f.KeepAlive.Outcome != checks.IdleAlive || f.Fresh.Outcome != checks.IdleAlive {
				t.Errorf("timeout %v survived %v keep-alive %+v fresh %+v", f.TimeoutAfter, f.SurvivedUpTo, f.KeepAlive, f.Fresh)
			}
			if r.Duration > 17*time.Second {
				t.Errorf("the 15 s idle test took %v", r.Duration)
			}
			t.Logf("idle check: %v", r.Duration)
			for _, id := range []checks.CheckID{checks.CheckFTP, checks.CheckAuth, checks.CheckTransfer} {
				if netResult(t, res, id).Failed() {
					t.Errorf("%s failed beside the idle test", id)
				}
			}
			top := netnsTopCause(t, res, wizard.IdleTimeout)
			for l, want := range map[wizard.Lang][]string{
				wizard.EN: {c.en, "15 s", "Send FTP keep-alive commands", "every 2 s stayed alive"},
				wizard.RU: {c.ru, "15 с", "Посылать команды keep-alive", "каждые 2 с"},
			} {
				text := top.Explanation(l) + "\n" + strings.Join(top.Remediation(l), "\n")
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: %q lacks %q", l, text, w)
					}
				}
			}
		})
	}
}
