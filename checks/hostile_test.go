package checks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// The hostile table: scripted servers that misbehave in every way the
// issue tracker has seen (silent, drip, endless line, endless multi-line
// reply, garbage, TLS garbage, RST at each stage, FIN after the greeting,
// 10,000 continuation lines, foreign PASV, PASV to another local listener,
// DELE 550, SIZE always 213, a data connection held open, STOR never
// read), against each service where it applies. Each case asserts the
// named fault (kind and stage of the check that must fail), that the whole
// run ends within its bound of the timeout, and that the password appears
// nowhere in the results.

// hostileTimeout is the step timeout of the table: short, so it runs fast.
const hostileTimeout = time.Second

// singleStep is the bound of a fault that costs one step timeout at most.
const singleStep = 1.2

// stallAndCleanup is the bound of a stalled upload: the stall costs one
// step timeout, then deleting the test file is a step of its own.
const stallAndCleanup = 2

type hostileCase struct {
	name string
	svc  checks.Service
	// start starts the peer and returns its port; st is the FTP store when
	// the case has one.
	start  func(t *testing.T, c *hostileCase) int
	st     *faultpeer.FTPState
	target func(*checks.Target)
	// id is the check that must end with kind at stage; a zero kind means
	// it must end with status instead (warn for foreign PASV, DELE 550).
	id     checks.CheckID
	kind   checks.FaultKind
	stage  checks.Stage
	status checks.Status
	// pass, when set, is the password instead of the peer's own (the
	// echoing peers refuse any).
	pass string
	// orConnect accepts the fault at the tcp check's connect instead: an
	// RST right after the accept may come before connect returns.
	orConnect bool
	// bound is the most the whole run may take, in timeouts (default singleStep).
	bound float64
	// more asserts what else the case is about (nothing left, nothing
	// sent to the foreign address).
	more func(t *testing.T, c *hostileCase, res []checks.Result)
}

// hostilePeer starts a faultpeer for a case and closes it at the end.
func hostilePeer(t *testing.T, p *faultpeer.Peer, err error) int {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p.Port()
}

// generic is a faultpeer.Hostile peer in the service's words.
func generic(b faultpeer.Behaviour) func(t *testing.T, c *hostileCase) int {
	return func(t *testing.T, c *hostileCase) int {
		p, err := faultpeer.Hostile(b, string(c.svc))
		return hostilePeer(t, p, err)
	}
}

func smtpPeer(f faultpeer.SMTPFault) func(t *testing.T, c *hostileCase) int {
	return func(t *testing.T, c *hostileCase) int {
		p, err := faultpeer.SMTP(faultpeer.SMTPOptions{Fault: f})
		return hostilePeer(t, p, err)
	}
}

func hostileMail(f faultpeer.MailFault) func(t *testing.T, c *hostileCase) int {
	return func(t *testing.T, c *hostileCase) int {
		start := faultpeer.POP3
		if c.svc == checks.IMAP {
			start = faultpeer.IMAP
		}
		p, err := start(faultpeer.MailOptions{Fault: f})
		return hostilePeer(t, p, err)
	}
}

func ftpPeer(o faultpeer.FTPOptions) func(t *testing.T, c *hostileCase) int {
	return func(t *testing.T, c *hostileCase) int {
		c.st = faultpeer.NewFTPState()
		o.State = c.st
		p, err := faultpeer.FTP(o)
		return hostilePeer(t, p, err)
	}
}

// nothingLeft asserts the FTP peer keeps no test file.
func nothingLeft(t *testing.T, c *hostileCase, res []checks.Result) {
	t.Helper()
	if files := c.st.Files(); len(files) != 0 {
		t.Errorf("files left on the server: %v", files)
	}
	if tr := result(t, res, checks.CheckTransfer).Transfer; tr != nil && tr.Left {
		t.Errorf("transfer facts say the file was left: %+v", tr)
	}
}

// fileLeft asserts the test file is still on the server and the transfer
// facts say so, with the warning and a delete reply starting with reply.
func fileLeft(reply string) func(t *testing.T, c *hostileCase, res []checks.Result) {
	return func(t *testing.T, c *hostileCase, res []checks.Result) {
		t.Helper()
		r := result(t, res, checks.CheckTransfer)
		tr := r.Transfer
		files := c.st.Files()
		if len(files) != 1 || tr == nil || !tr.Left || tr.Deleted || tr.RemoteName != files[0] ||
			tr.DeleteReply == "" || !strings.HasPrefix(tr.DeleteReply, reply) || !slices.Contains(r.Warnings, checks.WarnFileLeft) {
			t.Errorf("files on the server %v, facts %+v, warnings %v", files, tr, r.Warnings)
		}
	}
}

// implicitTLS sets security tls (TLS from the first byte).
func implicitTLS(tg *checks.Target) { tg.Security = checks.SecurityTLS }

// explicitTLS sets security starttls (STARTTLS, STLS, AUTH TLS).
func explicitTLS(tg *checks.Target) { tg.Security = checks.SecurityStartTLS }

// bigUpload makes the upload larger than the socket buffers.
func bigUpload(tg *checks.Target) { tg.TransferSize = bigTransfer }

func hostileCases() []hostileCase {
	var cases []hostileCase
	mail := []checks.Service{checks.SMTP, checks.POP3, checks.IMAP, checks.FTP}
	for _, svc := range mail {
		id := checks.CheckID(svc)
		cases = append(cases,
			hostileCase{name: "silent", svc: svc, start: generic(faultpeer.HostileSilent), id: id, kind: checks.FaultTimeout, stage: checks.StageGreeting},
			hostileCase{name: "drip", svc: svc, start: generic(faultpeer.HostileDrip), id: id, kind: checks.FaultTimeout, stage: checks.StageGreeting},
			hostileCase{name: "endless-line", svc: svc, start: generic(faultpeer.HostileEndlessLine), id: id, kind: checks.FaultTooLong, stage: checks.StageGreeting},
			hostileCase{name: "garbage", svc: svc, start: generic(faultpeer.HostileGarbage), id: id, kind: checks.FaultProtocol, stage: checks.StageGreeting},
			hostileCase{name: "tls-garbage", svc: svc, start: generic(faultpeer.HostileTLSJunk), target: implicitTLS, id: checks.CheckTLS, kind: checks.FaultTLS, stage: checks.StageTLSHandshake},
			hostileCase{name: "starttls-garbage", svc: svc, start: generic(faultpeer.HostileStartTLSJunk), target: explicitTLS, id: checks.CheckTLS, kind: checks.FaultProtocol, stage: checks.StageTLSHandshake},
			hostileCase{name: "reset-tls-command", svc: svc, start: generic(faultpeer.HostileResetStartTLS), target: explicitTLS, id: checks.CheckTLS, kind: checks.FaultReset, stage: checks.StageStartTLS},
			hostileCase{name: "reset-greeting", svc: svc, start: generic(faultpeer.HostileResetHalf), id: id, kind: checks.FaultReset, stage: checks.StageGreeting, orConnect: true},
			hostileCase{name: "mute-after-greeting", svc: svc, start: generic(faultpeer.HostileMute), id: id, kind: checks.FaultTimeout, stage: checks.StageHello},
			hostileCase{name: "fin-after-greeting", svc: svc, start: generic(faultpeer.HostileFIN), id: id, kind: checks.FaultClosed, stage: checks.StageHello},
		)
		multiStage := checks.StageGreeting
		if svc == checks.POP3 || svc == checks.IMAP {
			multiStage = checks.StageHello
		}
		cases = append(cases, hostileCase{name: "endless-multi", svc: svc, start: generic(faultpeer.HostileEndlessMulti), id: id, kind: checks.FaultTooLong, stage: multiStage})
		// More lines than any real reply (checks.MaxReplyLines): too long,
		// however properly it ends.
		cases = append(cases, hostileCase{name: "10000-lines", svc: svc, start: generic(faultpeer.HostileManyLines), id: id, kind: checks.FaultTooLong, stage: multiStage})
	}
	// RST at each stage of each conversation.
	for _, rs := range []struct {
		name  string
		fault faultpeer.SMTPFault
		id    checks.CheckID
		stage checks.Stage
		sec   checks.Security
	}{
		{"reset-connect", faultpeer.SMTPResetAtConnect, checks.CheckSMTP, checks.StageGreeting, ""},
		{"reset-hello", faultpeer.SMTPResetAtHello, checks.CheckSMTP, checks.StageHello, ""},
		{"reset-starttls", faultpeer.SMTPResetAtStartTLS, checks.CheckTLS, checks.StageStartTLS, checks.SecurityStartTLS},
		{"reset-auth", faultpeer.SMTPResetAtAuth, checks.CheckAuth, checks.StageAuth, ""},
		{"reset-mail", faultpeer.SMTPResetAtMail, checks.CheckSMTP, checks.StageCommand, ""},
	} {
		sec := rs.sec
		cases = append(cases, hostileCase{name: rs.name, svc: checks.SMTP, start: smtpPeer(rs.fault), orConnect: rs.fault == faultpeer.SMTPResetAtConnect,
			target: func(tg *checks.Target) {
				if sec != "" {
					tg.Security = sec
				}
				if rs.fault == faultpeer.SMTPResetAtMail {
					// With credentials the check logs in first and, where the
					// login cannot go ahead, never sends MAIL FROM: the reset
					// at MAIL is met by an account without a login.
					tg.User, tg.Secret = "", checks.Secret{}
				}
			}, id: rs.id, kind: checks.FaultReset, stage: rs.stage})
	}
	for _, svc := range []checks.Service{checks.POP3, checks.IMAP} {
		cases = append(cases,
			hostileCase{name: "reset-connect", svc: svc, start: hostileMail(faultpeer.MailResetGreeting), id: checks.CheckID(svc), kind: checks.FaultReset, stage: checks.StageGreeting, orConnect: true},
			hostileCase{name: "reset-after-capa", svc: svc, start: hostileMail(faultpeer.MailResetAfterCapa), id: checks.CheckAuth, kind: checks.FaultReset, stage: checks.StageAuth},
			hostileCase{name: "reset-login", svc: svc, start: hostileMail(faultpeer.MailResetLogin), id: checks.CheckAuth, kind: checks.FaultReset, stage: checks.StageAuth},
			hostileCase{name: "echo-login", svc: svc, start: hostileMail(faultpeer.MailEchoLogin), id: checks.CheckAuth, kind: checks.FaultAuth, stage: checks.StageAuth},
		)
	}
	// Passwords whose IMAP form differs from the typed one: LOGIN's quoted
	// string escapes " and \, a non-ASCII one goes as AUTHENTICATE PLAIN.
	for _, pass := range []string{`Pa"ss\w0rd-echo`, "Пароль-ёж-echo"} {
		cases = append(cases, hostileCase{name: "echo-login-" + map[bool]string{true: "quoted", false: "utf8"}[pass[0] == 'P'],
			svc: checks.IMAP, start: hostileMail(faultpeer.MailEchoLogin), pass: pass, id: checks.CheckAuth, kind: checks.FaultAuth, stage: checks.StageAuth,
			more: func(t *testing.T, c *hostileCase, res []checks.Result) {
				quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(c.pass)
				js, err := json.Marshal(res)
				if err != nil {
					t.Fatal(err)
				}
				if q, _ := json.Marshal(quoted); strings.Contains(string(js), strings.Trim(string(q), `"`)) {
					t.Errorf("the IMAP-quoted password %s is in the results", q)
				}
				if f := result(t, res, checks.CheckAuth).Fault; !strings.Contains(f.Reply, checks.Hidden) {
					t.Errorf("the echo was not redacted, or not seen: %q", f.Reply)
				}
			}})
	}
	cases = append(cases, hostileCase{name: "echo-auth", svc: checks.SMTP, start: smtpPeer(faultpeer.SMTPEchoAuth), id: checks.CheckAuth, kind: checks.FaultAuth, stage: checks.StageAuth})
	for _, rs := range []struct {
		verb  string
		id    checks.CheckID
		stage checks.Stage
	}{
		{"FEAT", checks.CheckFTP, checks.StageHello},
		{"SYST", checks.CheckFTP, checks.StageHello},
		{"USER", checks.CheckAuth, checks.StageAuth},
		{"PASS", checks.CheckAuth, checks.StageAuth},
		{"PASV", checks.CheckFTPPassive, checks.StageCommand},
		{"LIST", checks.CheckFTPPassive, checks.StageDataConnect},
	} {
		cases = append(cases, hostileCase{name: "reset-" + rs.verb, svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{ResetAt: rs.verb}),
			id: rs.id, kind: checks.FaultReset, stage: rs.stage})
	}
	cases = append(cases,
		hostileCase{name: "echo-login", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{EchoLogin: true}), id: checks.CheckAuth, kind: checks.FaultAuth, stage: checks.StageAuth},
		hostileCase{name: "pasv-foreign", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{ForeignPASV: "127.0.0.2", EPSVRefused: true}),
			target: func(tg *checks.Target) { tg.FTPMode = checks.FTPPassive }, id: checks.CheckFTPPassive, status: checks.StatusWarn,
			more: func(t *testing.T, c *hostileCase, res []checks.Result) {
				if n := c.st.ForeignAttempts(); n != 0 {
					t.Errorf("%d connections to the foreign PASV address", n)
				}
				nothingLeft(t, c, res)
			}},
		hostileCase{name: "dele-550", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{DeleteRefused: true}),
			id: checks.CheckTransfer, status: checks.StatusWarn, more: fileLeft("550 Delete operation failed")},
		hostileCase{name: "size-always-exists", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{SizeAlways: true}),
			id: checks.CheckTransfer, kind: checks.FaultProtocol, stage: checks.StageCommand, more: nothingLeft},
		hostileCase{name: "list-drip", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{ListDrip: 100 * time.Millisecond}),
			target: func(tg *checks.Target) { tg.FTPMode = checks.FTPPassive },
			id:     checks.CheckFTPPassive, kind: checks.FaultTimeout, stage: checks.StageDataTransfer},
		// Without SIZE the upload asks NLST whether its file name is free:
		// a dripped answer ends the same way.
		hostileCase{name: "nlst-drip", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{NLSTDrip: 100 * time.Millisecond, SizeUnknown: true}),
			id: checks.CheckTransfer, kind: checks.FaultTimeout, stage: checks.StageCommand, more: nothingLeft},
		// The upload's own connection (the FTP library's) is bounded too.
		hostileCase{name: "endless-reply-to-STOR", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{EndlessAt: "STOR"}),
			id: checks.CheckTransfer, kind: checks.FaultTooLong, stage: checks.StageCommand, more: nothingLeft},
		hostileCase{name: "list-held-open", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{ListHeld: true}),
			id: checks.CheckFTPPassive, kind: checks.FaultTimeout, stage: checks.StageDataTransfer},
		hostileCase{name: "stor-never-read", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{StallAfter: 1}), target: bigUpload,
			id: checks.CheckTransfer, kind: checks.FaultTimeout, stage: checks.StageDataTransfer, more: nothingLeft, bound: stallAndCleanup},
		// The cleanup after every kind of failed upload: RST at STOR (no
		// file was made: nothing left), a stall on a server that refuses
		// DELE, and a DELE answered with RST on every connection: the
		// file stays and the facts say so.
		hostileCase{name: "reset-STOR", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{ResetAt: "STOR"}),
			id: checks.CheckTransfer, kind: checks.FaultReset, stage: checks.StageCommand, more: nothingLeft},
		hostileCase{name: "stall-then-dele-550", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{StallAfter: 1, DeleteRefused: true}), target: bigUpload,
			id: checks.CheckTransfer, kind: checks.FaultTimeout, stage: checks.StageDataTransfer, more: fileLeft("550 "), bound: stallAndCleanup},
		hostileCase{name: "reset-DELE", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{ResetAt: "DELE"}),
			id: checks.CheckTransfer, status: checks.StatusWarn, more: fileLeft("")},
		hostileCase{name: "stor-reset", svc: checks.FTP, start: ftpPeer(faultpeer.FTPOptions{ResetAfter: 64 << 10}), target: bigUpload,
			id: checks.CheckTransfer, kind: checks.FaultReset, stage: checks.StageDataTransfer, more: nothingLeft},
	)
	// A user name that would smuggle a second command into USER or LOGIN:
	// the tool refuses to send it (a local fault, not the server's
	// refusal). SMTP is not in the list: its AUTH sends the name in base64.
	for _, svc := range []checks.Service{checks.POP3, checks.IMAP, checks.FTP} {
		start := hostileMail(faultpeer.MailHealthy)
		if svc == checks.FTP {
			start = ftpPeer(faultpeer.FTPOptions{})
		}
		cases = append(cases, hostileCase{name: "crlf-user", svc: svc, start: start,
			target: func(tg *checks.Target) { tg.User += "\r\nQUIT" },
			id:     checks.CheckAuth, kind: checks.FaultLocal, stage: checks.StageAuth})
	}
	cases = append(cases, pasvLocalCase())
	return cases
}

// pasvLocalCase: the PASV reply names the server's own address but the
// port of another local service. The data connection goes there (the
// server owns that address) but nothing is ever sent to it, and the
// listing fails at the data connection.
func pasvLocalCase() hostileCase {
	var sink *faultpeer.Sink
	return hostileCase{name: "pasv-other-listener", svc: checks.FTP,
		target: func(tg *checks.Target) { tg.FTPMode = checks.FTPPassive },
		id:     checks.CheckFTPPassive, kind: checks.FaultProtocol, stage: checks.StageDataConnect,
		start: func(t *testing.T, c *hostileCase) int {
			s, err := faultpeer.NewSink()
			sink = s
			port := hostilePeer(t, s.Peer, err)
			return ftpPeer(faultpeer.FTPOptions{PASVPort: port})(t, c)
		},
		more: func(t *testing.T, c *hostileCase, res []checks.Result) {
			if n := sink.Received(); n != 0 {
				t.Errorf("%d bytes sent to the other local service", n)
			}
		}}
}

// dripPrefix is what a HostileDrip peer has sent of its greeting when a
// one-timeout step ends: its first bytes.
func dripPrefix(svc checks.Service) string {
	switch svc {
	case checks.POP3:
		return "+OK"
	case checks.IMAP:
		return "* OK"
	}
	return "220"
}

// credentials of each service's peers.
func credentials(svc checks.Service) (string, string) {
	switch svc {
	case checks.SMTP:
		return faultpeer.SMTPUser, faultpeer.SMTPPassword
	case checks.FTP:
		return faultpeer.FTPUser, faultpeer.FTPPassword
	}
	return faultpeer.MailUser, faultpeer.MailPassword
}

func TestHostile(t *testing.T) {
	var worst atomic.Value
	worst.Store("")
	var mu sync.Mutex
	worstRatio := 0.0
	for _, c := range hostileCases() {
		t.Run(string(c.svc)+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			port := c.start(t, &c)
			user, pass := credentials(c.svc)
			if c.pass != "" {
				pass = c.pass
			}
			tg := checks.Target{Service: c.svc, Host: "127.0.0.1", Port: port, Security: checks.SecurityNone,
				User: user, Secret: checks.NewSecret(pass), Timeout: hostileTimeout, TransferSize: 256 << 10}
			if c.target != nil {
				c.target(&tg)
			}
			start := time.Now()
			res, err := checks.Run(context.Background(), tg, checks.Options{Ports: []checks.StandardPort{}})
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			wantNoSecret(t, res, user, pass)
			if c.orConnect && result(t, res, checks.CheckTCP).Failed() {
				c.id, c.stage = checks.CheckTCP, checks.StageConnect
			}
			r := result(t, res, c.id)
			if c.kind != "" {
				wantStatus(t, r, checks.StatusFail)
				if f := r.Fault; f == nil || f.Kind != c.kind || f.Stage != c.stage {
					t.Fatalf("%s: fault %+v, want %s at %s (steps %+v, transcript %q)", r.ID, f, c.kind, c.stage, r.Steps, r.Transcript)
				}
			} else {
				wantStatus(t, r, c.status)
			}
			bound := c.bound
			if bound == 0 {
				bound = singleStep
			}
			ratio := took.Seconds() / hostileTimeout.Seconds()
			if ratio > bound {
				t.Errorf("the run took %v, %.2f× the timeout (bound %.1f×)", took, ratio, bound)
			}
			mu.Lock()
			if ratio > worstRatio {
				worstRatio = ratio
				worst.Store(fmt.Sprintf("%s/%s %.2f×", c.svc, c.name, ratio))
			}
			mu.Unlock()
			if c.name == "drip" && !hasLine(r.Transcript, "S: "+dripPrefix(c.svc)) {
				t.Errorf("the dripped part of the greeting is not in the transcript: %q", r.Transcript)
			}
			if c.more != nil {
				c.more(t, &c, res)
			}
		})
	}
	t.Cleanup(func() { t.Logf("worst time/timeout: %s", worst.Load()) })
}
