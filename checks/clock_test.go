package checks

import (
	"testing"
	"time"
)

func TestGreetingTime(t *testing.T) {
	want := time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC)
	for _, g := range []string{
		"mail.realpeer.test ESMTP Exim 4.96 Tue, 01 Dec 2026 19:00:00 +0000",
		"tux197.hoststar.ch ESMTP Sendmail 8.14.9/8.12.11; Tue, 1 Dec 2026 20:00:00 +0100",
		"BN9PR03CA0123.outlook.office365.com Microsoft ESMTP MAIL Service ready at Tue, 1 Dec 2026 19:00:00 +0000",
		"mx ESMTP 01 Dec 2026 14:00:00 -0500 (EST)",
	} {
		got, ok := GreetingTime(g)
		if !ok || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", g, got, ok, want)
		}
	}
	for _, g := range []string{"smtp.gmail.com ESMTP d2sm1234567wrc.12 - gsmtp", "Dovecot ready.", "",
		"Yandex IMAP4rev1 at imap53p.mail.yandex.net:993 ready to talk with ::ffff:83.171.154.81:39078, 2018-May-29 10:37:40"} {
		if got, ok := GreetingTime(g); ok {
			t.Errorf("%q: found %v", g, got)
		}
	}
}
