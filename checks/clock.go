package checks

import (
	"net/mail"
	"strings"
	"time"
)

// GreetingTime finds the date a server states in its greeting, as exim
// ("… ESMTP Exim 4.96 Tue, 01 Dec 2026 19:00:00 +0000"), sendmail ("…
// Sendmail 8.14.9/8.12.11; Fri, 17 Nov 2017 10:31:34 +0100") and Exchange
// ("… Service ready at Tue, 1 Dec 2026 19:00:00 +0000") do: an RFC 5322
// date-time with its zone. ok is false when the text has none.
func GreetingTime(text string) (t time.Time, ok bool) {
	words := strings.Fields(text)
	for i := range words {
		for n := 7; n >= 5; n-- {
			if i+n > len(words) {
				continue
			}
			s := strings.TrimRight(strings.Join(words[i:i+n], " "), ";,.")
			if t, err := mail.ParseDate(s); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// serverTime records the date a greeting states, and this computer's
// clock when it arrived.
func (s *Session) serverTime(f *ServerFacts, greeting string) {
	if t, ok := GreetingTime(greeting); ok {
		f.Time, f.TimeSeen = t, s.Now()
	}
}
