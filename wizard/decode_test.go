package wizard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"assistant/checks"
)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// pastedWant is what Decode must recognise in each testdata/pasted file
// (Text is the file's content and is filled in by the test).
var pastedWant = map[string]Decoded{
	"ru_outlook_empty_server.txt": {Client: ClientOutlook, Account: "КартинаM", Server: "", ServerGiven: true,
		Protocol: "SMTP", Port: 25, SSL: no(), SocketError: 10054, ErrorCode: "0x800CCC0E", Codes: []string{"10054", "0x800CCC0E"}},
	"en_outlook2003_interrupted.txt": {Client: ClientOutlook, Account: "john@example.com", Server: "smtp.example.com", ServerGiven: true,
		Protocol: "SMTP", Port: 25, SSL: no(), SocketError: 10053, ErrorCode: "0x800CCC0F",
		ServerResponse: "220 smtp.example.com ESMTP", Codes: []string{"10053", "0x800CCC0F"}},
	"en_outlook_express_refused.txt": {Client: ClientOutlook, Account: "pop.example.com", Server: "pop.example.com", ServerGiven: true,
		Protocol: "POP3", Port: 110, SSL: no(), SocketError: 10061, ErrorCode: "0x800CCC0E", Codes: []string{"10061", "0x800CCC0E"}},
	"en_outlook2007_task_sending.txt": {Client: ClientOutlook, Account: "smtp.example.com",
		Protocol: "SMTP", ProtocolGuessed: true, ErrorCode: "0x800CCC0E", Codes: []string{"0x800CCC0E"}},
	"en_windows_live_mail_pop3_995.txt": {Client: ClientOutlook, Server: "pop.gmail.com", ServerGiven: true,
		Protocol: "POP3", Port: 995, SSL: yes(), SocketError: 10060, ErrorCode: "0x800CCC0E", Codes: []string{"10060", "0x800CCC0E"}},
	"ru_outlook_guillemets_pop3_995.txt": {Client: ClientOutlook, Account: "pop.mail.ru", Server: "pop.mail.ru", ServerGiven: true,
		Protocol: "POP3", Port: 995, SSL: yes(), SocketError: 10060, ErrorCode: "0x800CCC0E", Codes: []string{"10060", "0x800CCC0E"}},
	"ru_outlook2010_task_receiving.txt": {Client: ClientOutlook, Account: "imap.yandex.ru",
		Protocol: "IMAP", ProtocolGuessed: true, ErrorCode: "0x800CCC0F", Codes: []string{"0x800CCC0F"}},
	"ru_outlook_express_dns.txt": {Client: ClientOutlook, Account: "pop.yandx.ru", Server: "pop.yandx.ru", ServerGiven: true,
		Protocol: "POP3", Port: 110, SSL: no(), SocketError: 11004, ErrorCode: "0x800CCC0D", Codes: []string{"11004", "0x800CCC0D"}},
	"en_outlook_imap_993.txt": {Client: ClientOutlook, Account: "imap.example.com", Server: "imap.example.com", ServerGiven: true,
		Protocol: "IMAP", Port: 993, SSL: yes(), SocketError: 10054, ErrorCode: "0x800CCC0F",
		ServerResponse: "NO Too many connections from your IP", Codes: []string{"reply-421", "10054", "0x800CCC0F"}},
	"en_outlook_relay_denied.txt": {Client: ClientOutlook, Account: "ann@example.com", Server: "smtp.example.com", ServerGiven: true,
		Protocol: "SMTP", Port: 25, SSL: no(), ErrorCode: "0x800CCC79",
		ServerResponse: "550 5.7.1 Unable to relay for bob@other.example", Codes: []string{"reply-relay", "0x800CCC79"}},
	"en_outlook_curly_quotes.txt": {Client: ClientOutlook, Account: "ann@example.com", Server: "smtp.example.com", ServerGiven: true,
		Protocol: "SMTP", Port: 587, SSL: no(), SocketError: 10060, ErrorCode: "0x800CCC0E", Codes: []string{"10060", "0x800CCC0E"}},
	"filezilla_inactivity.txt": {Client: ClientFileZilla, Server: "ftp.example.com", ServerGiven: true,
		Protocol: "FTP", ProtocolGuessed: true, Port: 21, Codes: []string{"filezilla-inactivity"}},
	"filezilla_econnreset.txt": {Client: ClientFileZilla, Server: "198.51.100.7", ServerGiven: true,
		Protocol: "FTP", ProtocolGuessed: true, Port: 21, SocketError: 10054, Codes: []string{"10054"}},
	"filezilla_gnutls.txt": {Client: ClientFileZilla, Server: "2001:db8::21", ServerGiven: true,
		Protocol: "FTP", ProtocolGuessed: true, Port: 990, TLS: checks.SecurityTLS, Codes: []string{"GNUTLS-15"}},
	"filezilla_421.txt": {Client: ClientFileZilla, Server: "203.0.113.10", ServerGiven: true,
		Protocol: "FTP", ProtocolGuessed: true, Port: 21, ServerResponse: "421 Too many connections (8) from this IP", Codes: []string{"reply-421"}},
	"winscp_refused.txt": {Client: ClientWinSCP, Server: "ftp.example.com", ServerGiven: true,
		Protocol: "FTP", ProtocolGuessed: true, SocketError: 10061, Codes: []string{"10061"}},
	"winscp_exit_status.txt": {Client: ClientWinSCP, Protocol: "SFTP", ProtocolGuessed: true, Codes: []string{"closed-by-server"}},
	"cuteftp_refused.txt": {Client: ClientCuteFTP, Server: "ftp.example.com", ServerGiven: true,
		Protocol: "FTP", ProtocolGuessed: true, Port: 21, SocketError: 10061, Codes: []string{"10061"}},
	"bare_hex_lower.txt":    {ErrorCode: "0x800CCC0E", Codes: []string{"0x800CCC0E"}},
	"bare_socket_error.txt": {SocketError: 10054, Codes: []string{"10054"}},
	"bare_wsa_name.txt":     {SocketError: 10054, Codes: []string{"10054"}},
	"bare_go_reset.txt":     {Server: "203.0.113.9", ServerGiven: true, Protocol: "IMAP", ProtocolGuessed: true, Port: 993, SocketError: 10054, Codes: []string{"10054"}},
}

// withoutSure drops the certainty the legacy tables do not state.
func withoutSure(d Decoded) Decoded {
	d.Sure = nil
	return d
}

// readPasted returns the testdata/pasted files by name.
func readPasted(t testing.TB) map[string]string {
	files, err := filepath.Glob("testdata/pasted/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	return out
}

func TestDecodePastedFiles(t *testing.T) {
	files := readPasted(t)
	for name, text := range files {
		want, ok := pastedWant[name]
		if !ok {
			t.Errorf("%s: no expectation in pastedWant", name)
			continue
		}
		want.Text = strings.TrimSpace(text)
		if got := Decode(text); !reflect.DeepEqual(withoutSure(got), want) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Errorf("%s:\n got %s\nwant %s", name, gj, wj)
		}
	}
	for name := range pastedWant {
		if _, ok := files[name]; !ok {
			t.Errorf("pastedWant names %s, which is not in testdata/pasted", name)
		}
	}
}

func TestDecodeVariants(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Decoded
	}{
		{"hex with 0x", "0x800CCC0E", Decoded{ErrorCode: "0x800CCC0E", Codes: []string{"0x800CCC0E"}}},
		{"bare winsock number", "10054", Decoded{SocketError: 10054, Codes: []string{"10054"}}},
		{"unix name", "ECONNRESET", Decoded{SocketError: 10054, Codes: []string{"10054"}}},
		{"phrase", "connection reset by peer", Decoded{SocketError: 10054, Codes: []string{"10054"}}},
		{"errno without winsock twin", "write: broken pipe", Decoded{Codes: []string{"EPIPE"}}},
		{"russian winsock text", "Удаленный хост принудительно разорвал существующее подключение", Decoded{SocketError: 10054, Codes: []string{"10054"}}},
		{"lower-case keys without colons",
			"account 'ann', server 'mail.example.com', protocol smtp, port 587, secure(ssl) yes, socket error 10060, error number 800ccc0e",
			Decoded{Client: ClientOutlook, Account: "ann", Server: "mail.example.com", ServerGiven: true, Protocol: "SMTP", Port: 587,
				SSL: yes(), SocketError: 10060, ErrorCode: "0x800CCC0E", Codes: []string{"10060", "0x800CCC0E"}}},
		{"russian task prefix",
			`Задача "Почта - Отправка" сообщила об ошибке (0x800CCC0E): "Не удается подключиться к серверу исходящей почты (SMTP)."`,
			Decoded{Client: ClientOutlook, Account: "Почта", Protocol: "SMTP", ProtocolGuessed: true, ErrorCode: "0x800CCC0E", Codes: []string{"0x800CCC0E"}}},
		{"receiving without protocol is POP3",
			"Task 'Work - Receiving' reported error (0x800CCC0E) : 'Outlook cannot connect.'",
			Decoded{Client: ClientOutlook, Account: "Work", Protocol: "POP3", ProtocolGuessed: true, ErrorCode: "0x800CCC0E", Codes: []string{"0x800CCC0E"}}},
		{"empty server alone", "Server: ''", Decoded{Server: "", ServerGiven: true}},
		{"apostrophe inside a reply",
			"Server Response: '421 Can't accept more, try later', Port: 25",
			Decoded{Client: ClientOutlook, ServerResponse: "421 Can't accept more, try later", Port: 25, Protocol: "SMTP", ProtocolGuessed: true, Codes: []string{"reply-421"}}},
		{"a port is no winsock code", "Port: 10050, Secure(SSL): No",
			Decoded{Client: ClientOutlook, Port: 10050, SSL: no()}},
		{"outlook prose names the family", "The connection to the server was interrupted.", Decoded{Client: ClientOutlook}},
		{"filezilla alone", "Error: Could not connect to server",
			Decoded{Client: ClientFileZilla, Protocol: "FTP", ProtocolGuessed: true, Codes: []string{"connect-failed"}}},
		{"nothing", "hello world", Decoded{}},
	} {
		tc.want.Text = tc.text
		if got := Decode(tc.text); !reflect.DeepEqual(withoutSure(got), tc.want) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(tc.want)
			t.Errorf("%s:\n got %s\nwant %s", tc.name, gj, wj)
		}
	}
}

// mustMessage is the real message that must lead to host-missing.
const mustMessage = `Ошибка при соединении с сервером. Учетная запись: ‘КартинаM’, Сервер: ‘’, Протокол: SMTP, Порт: 25, Защита (SSL): Нет, Ошибка сокета: 10054, Код ошибки: 0x800CCC0E`

func TestMustMessagePrefillsHostMissing(t *testing.T) {
	d := Decode(mustMessage)
	want := checks.Target{Service: checks.SMTP, Host: "", Port: 25, Security: checks.SecurityNone}
	if got := d.Target(checks.Target{}, Explicit{}); got != want {
		t.Fatalf("Target = %+v, want %+v", got, want)
	}
	if !d.HostMissing() || d.Causes()[0] != HostMissing {
		t.Fatalf("host-missing must come first: %v", d.Causes())
	}
	for _, c := range []Cause{ConnectionReset, PortBlocked} {
		if !contains(d.Causes(), c) {
			t.Errorf("causes %v lack %s", d.Causes(), c)
		}
	}
}

func contains[T comparable](list []T, x T) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func TestTargetExplicitWins(t *testing.T) {
	d := Decode(mustMessage)
	base := checks.Target{Service: checks.POP3, Host: "mail.example.com", Port: 587, Security: checks.SecurityStartTLS, User: "ann"}
	got := d.Target(base, Explicit{Host: true, Port: true})
	want := checks.Target{Service: checks.SMTP, Host: "mail.example.com", Port: 587, Security: checks.SecurityNone, User: "ann"}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got := d.Target(base, Explicit{Service: true, Host: true, Port: true, Security: true}); got != base {
		t.Fatalf("all explicit: got %+v", got)
	}
	// Without a server in the message the host stays as it was.
	task := Decode("Task 'smtp.example.com - Sending' reported error (0x800CCC0E) : 'x'")
	if got := task.Target(checks.Target{Host: "typed.example.com"}, Explicit{}); got.Host != "typed.example.com" || got.Service != checks.SMTP {
		t.Fatalf("got %+v", got)
	}
	// An implicit-TLS port without an SSL field means tls.
	fz := Decode("Status: Connecting to 192.0.2.1:990...")
	if got := fz.Target(checks.Target{}, Explicit{}); got.Security != checks.SecurityTLS || got.Port != 990 || got.Service != checks.FTP {
		t.Fatalf("got %+v", got)
	}
	// SFTP is not a checked service: the service is left alone.
	if got := Decode("Connection has been unexpectedly closed. Server sent command exit status 0.").Target(checks.Target{}, Explicit{}); got.Service != "" {
		t.Fatalf("got %+v", got)
	}
}

func TestCheckArgs(t *testing.T) {
	got := CheckArgs(checks.Target{Service: checks.FTP, Host: "ftp.example.com", Port: 21, Security: checks.SecurityStartTLS, FTPMode: checks.FTPPassive, User: "ann"})
	want := []string{"check", "--service", "ftp", "--host", "ftp.example.com", "--port", "21", "--security", "starttls", "--ftp-mode", "passive", "--user", "ann"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	if got := CheckArgs(checks.Target{}); !reflect.DeepEqual(got, []string{"check", "--host", ""}) {
		t.Fatalf("empty target: got %q", got)
	}
	if got := ShellJoin([]string{"check", "--host", "", "--from-error", "it's"}); got != `check --host '' --from-error 'it'\''s'` {
		t.Fatalf("ShellJoin: %s", got)
	}
}

func TestDecodedJSON(t *testing.T) {
	d := Decode(mustMessage)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"server":""`, `"ssl":false`, `"port":25`, `"protocol":"SMTP"`, `"socket_error":10054`,
		`"error_code":"0x800CCC0E"`, `"account":"КартинаM"`, `"text":"Ошибка при соединении`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON %s lacks %s", b, s)
		}
	}
	var back Decoded
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, d) {
		t.Fatalf("round trip: %v\n%+v\n%+v", err, back, d)
	}
	b, _ = json.Marshal(Decode("10054"))
	if strings.Contains(string(b), `"server"`) || strings.Contains(string(b), `"ssl"`) {
		t.Fatalf("absent fields must be left out: %s", b)
	}
}

func TestExplain(t *testing.T) {
	d := Decode(mustMessage)
	for _, l := range Langs {
		out := Explain(d, l)
		for _, s := range []string{
			"host-missing — " + l.T("decode.cause.host-missing"),
			"0x800CCC0E — " + l.T("decode.code.0x800CCC0E"),
			"10054 (WSAECONNRESET, ECONNRESET) — ",
			"assistant check --service smtp --host '' --port 25 --security none\n",
			"assistant check --from-error '" + mustMessage + "'",
			l.T("decode.field.server_empty"),
		} {
			if !strings.Contains(out, s) {
				t.Errorf("%s: explain lacks %q:\n%s", l, s, out)
			}
		}
	}
	if got := Explain(Decode("hello"), RU); got != RU.T("decode.nothing")+"\n" {
		t.Fatalf("nothing recognised: %q", got)
	}
	long := Explain(Decode(strings.Repeat("x ", 400)+"Socket error 10054"), EN)
	if !strings.Contains(long, "--from-error-file error.txt") || !strings.Contains(long, EN.T("decode.confirm.service")) {
		t.Fatalf("long text: %s", long)
	}
}

// TestExplainEveryFile renders every test message in both languages: no
// key is missing and no placeholder is left unfilled.
func TestExplainEveryFile(t *testing.T) {
	for name, text := range readPasted(t) {
		for _, l := range Langs {
			out := Explain(Decode(text), l)
			if strings.Contains(out, "decode.") || strings.Contains(out, "{value}") || strings.Contains(out, "{client}") {
				t.Errorf("%s %s: unfilled text:\n%s", name, l, out)
			}
			if !strings.Contains(out, "assistant check ") {
				t.Errorf("%s %s: no check command:\n%s", name, l, out)
			}
		}
	}
}

func TestCodeCatalog(t *testing.T) {
	required := []string{"0x800CCC0B", "0x800CCC0D", "0x800CCC0E", "0x800CCC0F", "0x800CCC13", "0x800CCC1A",
		"0x800CCC67", "0x800CCC78", "0x800CCC79", "0x800CCC90", "0x800CCC92", "0x80042108", "0x80042109",
		"0x8004210A", "0x8004210B", "10013", "10048", "10050", "10051", "10053", "10054", "10058", "10060",
		"10061", "10064", "10065", "11001", "11002", "11004", "ECONNRESET", "ECONNREFUSED", "ETIMEDOUT",
		"EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED", "EPIPE"}
	for _, c := range required {
		if _, ok := LookupCode(c); !ok {
			t.Errorf("code %s missing", c)
		}
	}
	for _, c := range Codes() {
		for _, l := range Langs {
			if !l.Has(c.Key()) {
				t.Errorf("%s: no meaning in %s", c.Code, l)
			}
		}
		if len(c.Causes) == 0 {
			t.Errorf("%s: no causes", c.Code)
		}
		for _, cause := range c.Causes {
			if !contains(AllCauses, cause) {
				t.Errorf("%s: unknown cause %s", c.Code, cause)
			}
		}
	}
	for _, cause := range AllCauses {
		for _, l := range Langs {
			if !l.Has("decode.cause." + string(cause)) {
				t.Errorf("cause %s: no short phrase in %s", cause, l)
			}
		}
	}
	for spelling, want := range map[string]string{
		"0x800ccc0e": "0x800CCC0E", "800CCC0E": "0x800CCC0E", "0X800CCC0E": "0x800CCC0E",
		"10054": "10054", "#10054": "10054", "Socket error 10054": "10054", "Socket error = #10061": "10061",
		"WSAECONNRESET": "10054", "econnreset": "10054", "ETIMEDOUT": "10060", "WSAHOST_NOT_FOUND": "11001",
		"GnuTLS error -15": "GNUTLS-15", "gnutls -110": "GNUTLS-110", "epipe": "EPIPE",
	} {
		if info, ok := LookupCode(spelling); !ok || info.Code != want {
			t.Errorf("LookupCode(%q) = %q, %v; want %s", spelling, info.Code, ok, want)
		}
	}
	if info, _ := LookupCode("10061"); info.WinSock() != 10061 {
		t.Errorf("WinSock() = %d", info.WinSock())
	}
	if _, ok := LookupCode("0x12345678"); ok {
		t.Error("unknown code found")
	}
}

// TestDecodeBoundedInput feeds large adversarial inputs: the text is capped
// (BenchmarkDecodeHostile measures how long they take).
func TestDecodeBoundedInput(t *testing.T) {
	for _, unit := range hostileUnits {
		d := Decode(strings.Repeat(unit, (1<<20)/len(unit)))
		if len(d.Text) > MaxDecodeInput || !utf8.ValidString(d.Text) {
			t.Errorf("%q: text of %d bytes, valid %v", unit, len(d.Text), utf8.ValidString(d.Text))
		}
	}
}

// hostileUnits repeated to a megabyte are the worst inputs the decoder has
// met: unclosed quotes, task lines, codes and FileZilla status lines.
var hostileUnits = []string{"Server: '", "Task 'a - ", "10054 ", "Status: Connecting to a.b:"}

// BenchmarkDecodeHostile measures the decoder on a megabyte of each hostile
// unit (the input is cut to MaxDecodeInput first).
func BenchmarkDecodeHostile(b *testing.B) {
	for _, unit := range hostileUnits {
		in := strings.Repeat(unit, (1<<20)/len(unit))
		b.Run(strings.TrimSpace(unit), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Decode(in)
			}
		})
	}
}
