package wizard

// Thunderbird (and SeaMonkey's mail): its alerts name the server in the
// sentence — "Connection to server imap.gmail.com timed out.", "The
// connection to the server pop.example.com was reset.", "The message could
// not be sent because connecting to Outgoing server (SMTP) smtp.example.com
// failed." — in English and in its Russian UI ("Превышено время ожидания
// соединения с сервером …", "Соединение с сервером … было сброшено").

import "regexp"

// thunderbirdReader reads Thunderbird's alerts.
type thunderbirdReader struct{}

func (thunderbirdReader) client() string { return ClientThunderbird }

// thunderbirdPhrases are texts only Thunderbird's alerts show.
var thunderbirdPhrases = []string{
	"thunderbird", "seamonkey", "sending of the message failed", "sending of message failed",
	"outgoing server (smtp)", "could not connect to mail server", "login to server",
	"the certificate is not trusted", "uses an invalid security certificate", "an error occurred while sending mail", "an error occurred during a connection to",
	"не удалось отправить сообщение", "отправка сообщения не удалась", "сервер исходящей почты (smtp)",
	"сертификат не является доверенным", "почтовому серверу",
}

var (
	// tbServerRE finds the server name Thunderbird puts after "server" or
	// "(SMTP)" ("сервер", "сервером" in Russian), or after "a connection to".
	tbServerRE = regexp.MustCompile(`(?i)(?:server|сервер\p{L}*|\(smtp\)|a connection to)\s+["“”'«]?((?:[a-z0-9_-]+\.)+[a-z0-9-]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?`)
	// tbAndroidRE finds Thunderbird for Android's (K-9's) "failed to connect
	// to imap.gmail.com/142.251.2.108 (port 993)".
	tbAndroidRE = regexp.MustCompile(`(?i)(?:failed to|could not) connect to\s+((?:[a-z0-9_-]+\.)+[a-z]{2,})/\s?[0-9a-f.:]+(?:\s+\(port (\d{1,5})\))?`)
	// tbSendRE finds the sending alerts.
	tbSendRE = regexp.MustCompile(`(?i)sending of (?:the )?message|отправ\p{L}*\s+сообщени|message could not be sent|error occurred while sending mail|\(smtp\)`)
)

func (thunderbirdReader) score(p *parser) int {
	s := p.score(3, thunderbirdPhrases...)
	if p.hasAny("server", "сервер", "(smtp)", "a connection to") && tbServerRE.MatchString(p.text) ||
		p.hasAny("connect to") && tbAndroidRE.MatchString(p.text) {
		// A sentence that names its server: "Connection to server imap.gmail.com timed out."
		s += 3
	}
	return s
}

func (thunderbirdReader) read(p *parser) {
	for _, m := range tbAndroidRE.FindAllStringSubmatch(p.text, 8) {
		p.setHost(m[1], High)
		p.setPort(m[2], High)
	}
	if m := tbServerRE.FindStringSubmatch(p.text); m != nil {
		p.setHost(m[1], High)
		p.setPort(m[2], High)
	}
	if tbSendRE.MatchString(p.text) {
		p.action = "send"
	}
}
