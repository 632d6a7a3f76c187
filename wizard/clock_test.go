package wizard

import (
	"time"

	"assistant/checks"
)

// certRun is an SMTP STARTTLS run whose certificate (valid from nb to na)
// was rejected as problem by this computer's clock local; greeting is the
// server's banner as the smtp check read it at local.
func certRun(problem string, local, nb, na time.Time, greeting string) *run {
	b := newRun(checks.SMTP, 587, checks.SecurityStartTLS)
	b.with(checks.CheckSMTP, func(r *checks.Result) {
		r.Server.Greeting = greeting
		if t, ok := checks.GreetingTime(greeting); ok {
			r.Server.Time, r.Server.TimeSeen = t, local
		}
	})
	b.with(checks.CheckTLS, func(r *checks.Result) {
		r.TLS.Mode, r.TLS.Problem, r.TLS.NotBefore, r.TLS.NotAfter, r.TLS.CheckedAt = "starttls", problem, nb, na, local
	})
	b.fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: problem}, false)
	return b.with(checks.CheckSMTP, func(r *checks.Result) { r.Status, r.Skipped = checks.StatusFail, "" })
}

func clockCases() []diagCase {
	server := time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC)
	nb, na := server.AddDate(0, -1, 0), server.AddDate(0, 2, 0)
	greeting := "mx.example.com ESMTP Exim 4.96 " + server.Format(time.RFC1123Z)
	return []diagCase{
		{name: "expired by a clock two years ahead; the greeting's date is inside", want: ClockSkew, conf: High,
			evidence: []string{"tls", "smtp"}, not: []Cause{TLSCertificate},
			facts: map[string]string{"local_time": "2028-12-01 19:00 UTC", "server_time": "2026-12-01 19:00 UTC", "skew_days": "731"},
			run:   certRun(checks.TLSExpired, server.AddDate(2, 0, 0), nb, na, greeting)},
		{name: "not yet valid by a clock behind; the greeting's date is inside", want: ClockSkew, conf: High,
			facts: map[string]string{"skew_days": "90", "skew_hours": "23"},
			run:   certRun(checks.TLSNotYetValid, server.AddDate(0, -3, 0).Add(time.Hour), nb, na, greeting)},
		{name: "not yet valid without the server's time", want: ClockSkew, conf: Medium, also: []Cause{TLSCertificate},
			run: certRun(checks.TLSNotYetValid, server.AddDate(0, -3, 0), nb, na, "mx.example.com ESMTP")},
		{name: "expired, and the server's clock agrees", want: TLSCertificate, conf: High, not: []Cause{ClockSkew},
			run: certRun(checks.TLSExpired, server.AddDate(1, 0, 0), nb, na, "mx.example.com ESMTP Exim 4.96 "+server.AddDate(1, 0, 0).Format(time.RFC1123Z))},
		{name: "implicit TLS: the server's time from port 25's greeting", want: ClockSkew, conf: High,
			evidence: []string{"tls", "ports"}, facts: map[string]string{"time_source": "ports"},
			run: newRun(checks.SMTP, 465, checks.SecurityTLS).with(checks.CheckPorts, func(r *checks.Result) {
				r.Ports[0].Greeting = greeting
			}).with(checks.CheckTLS, func(r *checks.Result) {
				r.TLS.Problem, r.TLS.NotBefore, r.TLS.NotAfter, r.TLS.CheckedAt = checks.TLSExpired, nb, na, server.AddDate(1, 0, 0)
			}).fail(checks.CheckTLS, checks.Fault{Kind: checks.FaultTLS, Stage: checks.StageTLSHandshake, TLS: checks.TLSExpired}, true)},
		{name: "expired without the server's time stays tls-certificate", want: TLSCertificate, conf: High, not: []Cause{ClockSkew},
			run: certRun(checks.TLSExpired, server.AddDate(1, 0, 0), nb, na, "mx.example.com ESMTP")},
	}
}
