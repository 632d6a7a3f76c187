package checks_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

func TestIMAP(t *testing.T) {
	mailScenarios(t, newMailTest(t, checks.IMAP, faultpeer.IMAP), "LOGIN")
}

// imapScript starts an IMAP peer answering each tagged command from a
// table (verb → reply lines, where "TAG" becomes the command's tag); a line
// without a tag (a SASL response) is answered from the "" entry with the
// previous command's tag.
func imapScript(t *testing.T, greeting string, replies map[string]string) int {
	t.Helper()
	last := ""
	return scriptPeer(t, greeting, func(cmd string) (string, bool) {
		tag, rest, ok := strings.Cut(cmd, " ")
		if !ok {
			tag, rest = last, ""
		}
		last = tag
		r, ok := replies[faultpeer.Verb(rest)]
		if !ok {
			r = "TAG BAD unknown\r\n"
		}
		return strings.ReplaceAll(r, "TAG", tag), faultpeer.Verb(rest) != "LOGOUT"
	})
}

func TestIMAPReplies(t *testing.T) {
	m := newMailTest(t, checks.IMAP, faultpeer.IMAP)
	ctx := context.Background()
	logout := "* BYE bye\r\nTAG OK done\r\n"
	t.Run("LiteralsAndUntaggedLines", func(t *testing.T) {
		port := imapScript(t, "* OK [CAPABILITY IMAP4rev1] ready\r\n", map[string]string{
			"CAPABILITY": "* ID (\"name\" {12}\r\nsome\r\nserver \"x\" {0}\r\n)\r\n* OK still here\r\n" +
				"* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN\r\nTAG OK done\r\n",
			"LOGOUT": logout})
		r := m.run(t, ctx, port, checks.SecurityNone, "", time.Second)
		wantStatus(t, r[checks.CheckIMAP], checks.StatusPass)
		srv := r[checks.CheckIMAP].Server
		if !slices.Equal(srv.AuthMechs, []string{"PLAIN", "LOGIN"}) || !slices.Contains(srv.Capabilities, "IMAP4rev1") {
			t.Fatalf("server facts %+v", srv)
		}
	})
	t.Run("AuthenticatePlainWhenLoginDisabled", func(t *testing.T) {
		port := imapScript(t, "* OK ready\r\n", map[string]string{
			"CAPABILITY":   "* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN\r\nTAG OK done\r\n",
			"AUTHENTICATE": "+ \r\n",
			"":             "TAG OK authenticated\r\n",
			"LOGOUT":       logout})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, time.Second)
		wantLogin(t, r[checks.CheckAuth], "PLAIN")
	})
	t.Run("PreauthGreeting", func(t *testing.T) {
		port := imapScript(t, "* PREAUTH welcome\r\n", map[string]string{
			"CAPABILITY": "* CAPABILITY IMAP4rev1\r\nTAG OK done\r\n", "LOGOUT": logout})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, time.Second)
		wantStatus(t, r[checks.CheckAuth], checks.StatusPass)
		if a := r[checks.CheckAuth].Auth; a == nil || !a.Accepted || a.Mechanism != "PREAUTH" {
			t.Fatalf("auth facts %+v", a)
		}
	})
	t.Run("UnavailableAtLoginIsBusy", func(t *testing.T) {
		port := imapScript(t, "* OK ready\r\n", map[string]string{
			"CAPABILITY": "* CAPABILITY IMAP4rev1\r\nTAG OK done\r\n",
			"LOGIN":      "TAG NO [UNAVAILABLE] Backend down\r\n", "LOGOUT": logout})
		r := m.run(t, ctx, port, checks.SecurityNone, faultpeer.MailPassword, time.Second)
		wantFault(t, r[checks.CheckAuth], checks.FaultBusy, checks.StageAuth, 0)
	})
	t.Run("DataBeforeTLS", func(t *testing.T) {
		port := imapScript(t, "* OK ready\r\n", map[string]string{
			"CAPABILITY": "* CAPABILITY IMAP4rev1 STARTTLS\r\nTAG OK done\r\n",
			"STARTTLS":   "TAG OK go ahead\r\n* OK injected before TLS\r\n", "LOGOUT": logout})
		r := m.run(t, ctx, port, checks.SecurityStartTLS, faultpeer.MailPassword, time.Second)
		// STARTTLS was offered and accepted: the handshake is what failed.
		wantFault(t, r[checks.CheckTLS], checks.FaultProtocol, checks.StageTLSHandshake, 0)
		if tf := r[checks.CheckTLS].TLS; tf == nil || !tf.Offered {
			t.Fatalf("tls facts %+v", tf)
		}
		wantSkip(t, r[checks.CheckAuth], checks.SkipDependency)
	})
	t.Run("CapabilityRefused", func(t *testing.T) {
		port := imapScript(t, "* OK ready\r\n", map[string]string{"LOGOUT": logout})
		r := m.run(t, ctx, port, checks.SecurityNone, "", time.Second)
		f := wantFault(t, r[checks.CheckIMAP], checks.FaultProtocol, checks.StageHello, 0)
		if !strings.Contains(f.Reply, "BAD") {
			t.Fatalf("fault reply %q", f.Reply)
		}
	})
}
