package wizard

import (
	"strings"
	"testing"

	"assistant/checks"
)

// TestDecodeClasses covers the classes of misreadings of issue 8, one case
// (or a few) each: what a careful reader sees in the message.
func TestDecodeClasses(t *testing.T) {
	type want struct {
		client, server, protocol string
		serverGiven              bool
		port                     int
		security                 checks.Security
		code                     string // one code that must be among Codes
		hostMissing              bool
	}
	for _, tc := range []struct {
		name, text string
		want       want
	}{
		// 1. Wrapped lines.
		{"wrapped server", "The connection to the server has failed. Account: 'ann', Server:\n  'smtp.example.com', Protocol: SMTP, Port: 25, Secure(SSL):\n   No, Socket\n  Error: 10061, Error Number: 0x800CCC0E",
			want{client: ClientOutlook, server: "smtp.example.com", serverGiven: true, protocol: "SMTP", port: 25, security: checks.SecurityNone, code: "10061"}},
		{"wrapped value inside quotes", "Account: 'ann', Server: 'smtp.exam\n  ple.com', Protocol: SMTP",
			want{client: ClientOutlook, server: "smtp.example.com", serverGiven: true, protocol: "SMTP"}},
		{"server key with nothing after it", "Account: 'ann', Server:\nProtocol: POP3, Port: 110",
			want{client: ClientOutlook, protocol: "POP3", port: 110}},
		// 2. Punctuation variants.
		{"semicolon", "Account: 'a', Server: 'pop.example.com', Protocol: POP3, Port: 110, Secure (SSL); No, Error Number: 0×800CCC0F",
			want{client: ClientOutlook, server: "pop.example.com", serverGiven: true, protocol: "POP3", port: 110, security: checks.SecurityNone, code: "0x800CCC0F"}},
		{"no space, guillemets, quote prefix", "> Учетная запись: «a», Сервер: «pop.mail.ru»,\n> Протокол: POP3, Порт: 995, Защита (SSL):Да, Код ошибки: 0х800CCC0E",
			want{client: ClientOutlook, server: "pop.mail.ru", serverGiven: true, protocol: "POP3", port: 995, security: checks.SecurityTLS, code: "0x800CCC0E"}},
		{"timestamps and tabs", "2019-03-05 10:11:12 4242 1 Status:\tResolving address of ftp.example.com\n2019-03-05 10:11:12 4242 1 Status:\tConnecting to 192.0.2.8:21...\n2019-03-05 10:11:33 4242 1 Error:\tConnection timed out after 20 seconds of inactivity",
			want{client: ClientFileZilla, server: "ftp.example.com", serverGiven: true, protocol: "FTP", port: 21, code: "filezilla-inactivity"}},
		// 3. The client from the structure.
		{"outlook express inactivity", "Your server has unexpectedly terminated the connection. Possible causes for this include server problems, network problems, or a long period of inactivity. Account: 'mail', Server: 'mail.example.com', Protocol: POP3, Port: 110, Secure(SSL): No, Error Number: 0x800CCC0F",
			want{client: ClientOutlook, server: "mail.example.com", serverGiven: true, protocol: "POP3", port: 110, code: "0x800CCC0F"}},
		{"outlook without account", "Cannot connect to the server. Server: 'imap.example.com', Protocol: IMAP, Port: 993, Secure(SSL): Yes, Error Number: 0x800CCC0E",
			want{client: ClientOutlook, server: "imap.example.com", serverGiven: true, protocol: "IMAP", port: 993, code: "0x800CCC0E"}},
		// 4. FileZilla status lines are no data.
		{"filezilla disconnected", "Status:\tConnecting to 127.0.0.1:21...\nStatus:\tConnection established, waiting for welcome message...\nError:\tDisconnected from server: ECONNABORTED - Connection aborted\nError:\tCould not connect to server",
			want{client: ClientFileZilla, server: "127.0.0.1", serverGiven: true, protocol: "FTP", port: 21, code: "10053"}},
		{"filezilla russian", "Статус:\tОпределение IP-адреса для ftp.example.ru\nСтатус:\tСоединение с 192.0.2.1:21...\nОшибка:\tНе удалось подключиться к серверу",
			want{client: ClientFileZilla, server: "ftp.example.ru", serverGiven: true, protocol: "FTP", port: 21, code: "connect-failed"}},
		// 5. SFTP.
		{"filezilla sftp", "Status:\tConnecting to sftp.example.com...\nResponse:\tfzSftp started, protocol_version=8\nCommand:\topen \"ann@sftp.example.com\" 22\nError:\tNetwork error: Connection refused\nError:\tCould not connect to server",
			want{client: ClientFileZilla, server: "sftp.example.com", serverGiven: true, protocol: "SFTP", port: 22, code: "10061"}},
		// 6. Thunderbird, English and Russian.
		{"thunderbird timeout", "Connection to server imap.gmail.com timed out.",
			want{client: ClientThunderbird, server: "imap.gmail.com", serverGiven: true, protocol: "IMAP", code: "10060"}},
		{"thunderbird reset", "The connection to the server pop.example.com was reset.",
			want{client: ClientThunderbird, server: "pop.example.com", serverGiven: true, protocol: "POP3", code: "10054"}},
		{"thunderbird send", "Sending of the message failed.\nThe message could not be sent because connecting to Outgoing server (SMTP) smtp.example.com failed.",
			want{client: ClientThunderbird, server: "smtp.example.com", serverGiven: true, protocol: "SMTP"}},
		{"thunderbird russian", "Соединение с сервером pop.mail.ru было сброшено.",
			want{client: ClientThunderbird, server: "pop.mail.ru", serverGiven: true, protocol: "POP3", code: "10054"}},
		{"thunderbird certificate", "The certificate is not trusted because it is self-signed.",
			want{client: ClientThunderbird, code: "cert-untrusted"}},
		// 7. Outlook 2007+ wording and a wrapped task.
		{"outlook 2007 task wraps", "Task 'smtp.example\n.com - Sending' reported error (0x800CCC0E) : 'Cannot connect to the server.'",
			want{client: ClientOutlook, protocol: "SMTP", code: "0x800CCC0E"}},
		// 8. FileZilla explicit TLS.
		{"filezilla auth tls", "Status:\tConnecting to 192.0.2.4:21...\nResponse:\t220 FTP\nCommand:\tAUTH TLS\nResponse:\t234 Proceed\nStatus:\tInitializing TLS...\nError:\tGnuTLS error -15 in gnutls_record_recv: An unexpected TLS packet was received.",
			want{client: ClientFileZilla, server: "192.0.2.4", serverGiven: true, protocol: "FTP", port: 21, security: checks.SecurityStartTLS, code: "GNUTLS-15"}},
		// 9. Placeholders and web addresses.
		{"placeholder", "Account: 'Account name', Server: '(Server name)', Protocol: SMTP, Port: 25, Secure(SSL): No, Error Number: 0x800CCC0E",
			want{client: ClientOutlook, protocol: "SMTP", port: 25, code: "0x800CCC0E"}},
		{"webmail url", "Account: 'Hotmail', Server: 'http://mail.services.live.com/DeltaSync_v2.0.0/Sync.aspx', Protocol: HTTPMail, Port: 0, Secure(SSL): No, Error Number: 0x8DE00005",
			want{client: ClientOutlook, protocol: "HTTP"}},
		// An empty server is claimed only when it is shown.
		{"shown empty", "Account: 'a', Server: '', Protocol: SMTP, Port: 25", want{client: ClientOutlook, serverGiven: true, protocol: "SMTP", port: 25, hostMissing: true}},
	} {
		d := Decode(tc.text)
		w := tc.want
		sec, _ := d.Security()
		if d.Client != w.client || d.Server != w.server || d.ServerGiven != w.serverGiven || d.Protocol != w.protocol ||
			d.Port != w.port || (w.security != "" && sec != w.security) || d.HostMissing() != w.hostMissing ||
			(w.code != "" && !contains(d.Codes, w.code)) {
			t.Errorf("%s: got client %q server %q (given %v) protocol %q port %d security %q codes %v host-missing %v; want %+v",
				tc.name, d.Client, d.Server, d.ServerGiven, d.Protocol, d.Port, sec, d.Codes, d.HostMissing(), w)
		}
	}
}

// TestSFTPTargetKeepsNoPort: asked to check an SFTP host as FTP, the
// target does not carry SSH's port 22.
func TestSFTPTargetKeepsNoPort(t *testing.T) {
	d := Decode("Command:\topen \"ann@sftp.example.com\" 22\nError:\tNetwork error: Connection refused")
	got := d.Target(checks.Target{Service: checks.FTP}, Explicit{Service: true})
	if got.Host != "sftp.example.com" || got.Port != 0 || got.Service != checks.FTP {
		t.Fatalf("got %+v", got)
	}
}

func TestDecodeWrappedTaskAccount(t *testing.T) {
	if d := Decode("Task 'smtp.example\n.com - Sending' reported error (0x800CCC0E) : 'Cannot connect to the server.'"); d.Account != "smtp.example.com" {
		t.Fatalf("account %q", d.Account)
	}
}

// TestDecodeNotes: SFTP and webmail say that the check does not apply; a
// message without a server says so and suggests no empty host.
func TestDecodeNotes(t *testing.T) {
	sftp := Decode("Command:\topen \"ann@sftp.example.com\" 22\nError:\tNetwork error: Connection refused")
	if sftp.Unchecked() != "SFTP" {
		t.Fatalf("sftp: %+v", sftp)
	}
	web := Decode("Account: 'Hotmail', Server: 'http://mail.services.live.com/DeltaSync_v2.0.0/Sync.aspx', Error Number: 0x8DE00005")
	if web.Unchecked() != "HTTP" || web.ServerGiven || web.URL == "" {
		t.Fatalf("webmail: %+v", web)
	}
	for _, l := range Langs {
		if out := Explain(sftp, l); !contains(sftp.Explain(l).Notes, l.T("decode.note.sftp")) || !containsText(out, l.T("decode.note.sftp")) {
			t.Errorf("%s: sftp note missing:\n%s", l, out)
		}
		if out := Explain(web, l); !containsText(out, l.T("decode.note.http")) {
			t.Errorf("%s: http note missing:\n%s", l, out)
		}
		out := Explain(Decode("Socket error 10054"), l)
		if !containsText(out, l.T("decode.note.no_server")) || containsText(out, "--host ''") || !containsText(out, l.T("decode.absent.server")) {
			t.Errorf("%s: no server:\n%s", l, out)
		}
	}
}

func containsText(s, sub string) bool { return len(sub) > 0 && strings.Contains(s, sub) }
