package wizard

import (
	"slices"
	"testing"
)

// TestRanking is the ranking between findings as a table: for each pair,
// the first is listed before the second when both are named with the
// same confidence; a higher confidence always comes first.
func TestRanking(t *testing.T) {
	cases := []struct {
		first, second Cause
		why           string
	}{
		{AuthFailed, AuthRequired, "credentials given and refused: the login decides, not the relay test"},
		{AuthUnavailable, AuthRequired, "credentials given, no AUTH offered: the login decides"},
		{AppPasswordRequired, AuthFailed, "the provider's policy explains the refusal"},
		{OAuthRequired, AuthFailed, "password logins are off: re-typing cannot help"},
		{AccessDisabled, AuthFailed, "access switched off: re-typing cannot help"},
		{OAuthRequired, AuthUnavailable, "LOGINDISABLED after TLS: OAuth2 expected"},
		{ClockSkew, TLSCertificate, "the clock, not the certificate, is wrong"},
		{SecurityMismatch, TLSHandshake, "the setting explains the handshake failure"},
		{TLSIntercepted, TLSCertificate, "the antivirus presents the certificate"},
		{DNSNotFound, ConnectionReset, "nothing was connected"},
		{PortBlocked, ServiceDown, "the path before the service"},
		{ServerBusy, AuthFailed, "a busy server never judged the password"},
		{TransferInterrupted, ConnectionReset, "the specific before the generic"},
		{FTPPasvAddress, FTPPassiveBlocked, "the address was never contacted"},
	}
	for _, c := range cases {
		fs := []Finding{{Cause: c.second, Confidence: High}, {Cause: c.first, Confidence: High}}
		rankFindings(fs)
		if fs[0].Cause != c.first {
			t.Errorf("%s after %s: %s", c.first, c.second, c.why)
		}
		fs = []Finding{{Cause: c.first, Confidence: Medium}, {Cause: c.second, Confidence: High}}
		rankFindings(fs)
		if fs[0].Cause != c.second {
			t.Errorf("medium %s before high %s", c.first, c.second)
		}
	}
	for _, c := range AllCauses {
		if !slices.Contains(precedence, c) {
			t.Errorf("%s has no rank in precedence", c)
		}
	}
	for i, c := range precedence {
		if slices.Index(precedence, c) != i || !slices.Contains(AllCauses, c) {
			t.Errorf("precedence: %s listed twice or unknown", c)
		}
	}
}
