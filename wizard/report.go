package wizard

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"assistant/checks"
)

// Format is a report format.
type Format string

// Report formats.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatJSON     Format = "json"
)

// Formats lists the report formats.
var Formats = []Format{FormatText, FormatMarkdown, FormatHTML, FormatJSON}

// ParseFormat accepts a format name ("md" for markdown, "txt" for text).
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "text", "txt":
		return FormatText, true
	case "markdown", "md":
		return FormatMarkdown, true
	case "html", "htm":
		return FormatHTML, true
	case "json":
		return FormatJSON, true
	}
	return "", false
}

// Ext is the file name extension of a format, with the dot.
func (f Format) Ext() string {
	switch f {
	case FormatMarkdown:
		return ".md"
	case FormatHTML:
		return ".html"
	case FormatJSON:
		return ".json"
	}
	return ".txt"
}

// Tool names the program that made a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Env describes where the checks ran.
type Env struct {
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Go       string `json:"go"`
	TimeZone string `json:"time_zone"`
}

// CurrentEnv describes this machine.
func CurrentEnv(now time.Time) Env {
	zone, off := now.Zone()
	return Env{OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version(),
		TimeZone: fmt.Sprintf("%s (UTC%+03d:%02d)", zone, off/3600, abs(off%3600/60))}
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// RunRecord is one run of a repeated check, for the timeline.
type RunRecord struct {
	Started time.Time     `json:"started"`
	Status  checks.Status `json:"status"` // pass or fail
	// Faults lists "check:kind" for every failed check of the run.
	Faults []string `json:"faults"`
}

// Report is everything a helpdesk needs about one diagnosis: the target,
// the pasted error, the checks (the last run), the runs of a repeated
// check, the findings and the environment. It holds no password.
type Report struct {
	Tool     Tool
	Created  time.Time
	Target   checks.Target
	Pasted   *Decoded
	Results  []checks.Result
	Runs     []RunRecord
	Findings []Finding
	Env      Env
	// Program is the mail or FTP program the steps are for (ProgramUnknown:
	// the service's common programs).
	Program Program
	// Account is the program account the target came from, if any.
	Account *AccountOrigin
	// Practice is set for a practice run: every rendering says so first.
	Practice *Practice
}

// NewRunRecord summarises one run's results.
func NewRunRecord(started time.Time, results []checks.Result) RunRecord {
	rec := RunRecord{Started: started, Status: checks.StatusPass, Faults: []string{}}
	for _, r := range results {
		if r.Status != checks.StatusFail {
			continue
		}
		rec.Status = checks.StatusFail
		kind := "fail"
		if r.Fault != nil {
			kind = string(r.Fault.Kind)
		}
		rec.Faults = append(rec.Faults, string(r.ID)+":"+kind)
	}
	return rec
}

// Problem reports whether the report names anything wrong (exit status 1),
// a test file the tool could not delete included.
func (r *Report) Problem() bool {
	for _, f := range r.Findings {
		if f.Cause != NoProblemFound || f.leavesFile() {
			return true // a test file left on the server is a problem too
		}
	}
	for _, res := range r.Results {
		if res.Status == checks.StatusFail {
			return true
		}
	}
	return false
}

// checkedTarget is the target with its defaults and the port the checks
// actually used: a port typed into the host ("[::1]:2525") is taken by the
// input check.
func (r *Report) checkedTarget() checks.Target {
	t := r.Target.WithDefaults()
	for _, res := range r.Results {
		if res.Input != nil && res.Input.Port != 0 && res.Input.Problem == "" {
			t.Port = res.Input.Port
		}
	}
	return t
}

// Render writes the report in a language and format.
func (r *Report) Render(l Lang, f Format) ([]byte, error) {
	switch f {
	case FormatJSON:
		return r.renderJSON(l)
	case FormatMarkdown:
		return []byte(TermSafe(renderMarkdown(r.view(l)))), nil
	case FormatHTML:
		return renderHTML(r.view(l))
	case FormatText, "":
		return []byte(TermSafe(renderText(r.view(l)))), nil
	}
	return nil, fmt.Errorf("unknown report format %q", f)
}

// JSON report, version 1 of the contract in cli-and-report.md, extended:
//   - fault.kind also "too-long" (a line, a reply or more reply lines than
//     any real server sends), "local" (the tool refused to send the user
//     name or password: a line break) and "canceled";
//   - the transfer check's facts "left" (the test file may remain on the
//     server, also warning "test-file-left") and "delete_reply" (the
//     server's answer to DELE, or why the cleanup could not log in).
//   - a cancelled run's no-problem-found has its own title and explanation.

type jsonReport struct {
	Format      string        `json:"format"`
	Version     int           `json:"version"`
	Tool        Tool          `json:"tool"`
	Created     string        `json:"created"`
	Lang        Lang          `json:"lang"`
	Target      jsonTarget    `json:"target"`
	PastedError *Decoded      `json:"pasted_error"`
	Checks      []jsonCheck   `json:"checks"`
	Findings    []jsonFinding `json:"findings"`
	Runs        []RunRecord   `json:"runs,omitempty"`
	Provider    *jsonProvider `json:"provider,omitempty"`
	Env         Env           `json:"env"`
	Practice    *Practice     `json:"practice,omitempty"`
}

type jsonTarget struct {
	Service       checks.Service  `json:"service"`
	Host          string          `json:"host"`
	Port          int             `json:"port"`
	Security      checks.Security `json:"security"`
	FTPMode       checks.FTPMode  `json:"ftp_mode"`
	User          string          `json:"user"`
	PasswordGiven bool            `json:"password_given"`
	TransferSize  int64           `json:"transfer_size"`
	TimeoutMS     int64           `json:"timeout_ms"`
	Resolver      string          `json:"resolver,omitempty"`
	Email         string          `json:"email,omitempty"`
	IdleTestMS    int64           `json:"idle_test_ms,omitempty"`
	// Program is the program the remediation steps are for.
	Program Program `json:"program,omitempty"`
	// Account names the program account the settings came from.
	Account *AccountOrigin `json:"account,omitempty"`
}

type jsonCheck struct {
	ID         checks.CheckID    `json:"id"`
	Status     checks.Status     `json:"status"`
	Title      string            `json:"title"`
	Summary    string            `json:"summary"`
	DurationMS int64             `json:"duration_ms"`
	Fault      *checks.Fault     `json:"fault,omitempty"`
	Transcript []string          `json:"transcript"`
	Skipped    checks.SkipReason `json:"skipped,omitempty"`
	Warnings   []string          `json:"warnings,omitempty"`
	Steps      []jsonStep        `json:"steps,omitempty"`
	Facts      any               `json:"facts,omitempty"`
}

type jsonStep struct {
	Name       string        `json:"name"`
	Status     checks.Status `json:"status"`
	DurationMS int64         `json:"duration_ms"`
	Detail     string        `json:"detail,omitempty"`
}

type jsonFinding struct {
	Cause       Cause      `json:"cause"`
	Confidence  Confidence `json:"confidence"`
	Title       string     `json:"title"`
	Explanation string     `json:"explanation"`
	Remediation []string   `json:"remediation"`
	Evidence    []string   `json:"evidence"`
	Missing     []string   `json:"missing,omitempty"`
}

// checkFacts returns the facts a check recorded, as one JSON object.
func checkFacts(r checks.Result) any {
	switch {
	case r.Input != nil:
		return r.Input
	case r.DNS != nil:
		return r.DNS
	case r.Ping != nil:
		return r.Ping
	case r.TCP != nil:
		return r.TCP
	case r.Ports != nil:
		return r.Ports
	case r.Addresses != nil:
		return r.Addresses
	case r.Idle != nil:
		return r.Idle
	case r.TLS != nil:
		return r.TLS
	case r.Auth != nil:
		return r.Auth
	case r.Data != nil:
		return r.Data
	case r.Transfer != nil:
		return r.Transfer
	case r.Server != nil:
		return r.Server
	case r.Provider != nil:
		return r.Provider
	}
	return nil
}

func (r *Report) renderJSON(l Lang) ([]byte, error) {
	t := r.checkedTarget()
	out := jsonReport{
		Format: "assistant-report", Version: 1, Tool: r.Tool,
		Created: r.Created.UTC().Format(time.RFC3339), Lang: l,
		Target: jsonTarget{Service: t.Service, Host: r.Target.Host, Port: t.Port, Security: t.Security,
			FTPMode: t.FTPMode, User: t.User, PasswordGiven: t.Secret.Given(), TransferSize: t.TransferSize,
			TimeoutMS: t.Timeout.Milliseconds(), Resolver: t.Resolver, Email: t.Email, IdleTestMS: t.IdleTest.Milliseconds(),
			Program: r.Program, Account: r.Account},
		PastedError: r.Pasted,
		Checks:      []jsonCheck{},
		Findings:    []jsonFinding{},
		Runs:        r.Runs,
		Provider:    providerJSON(r.Results),
		Env:         r.Env,
		Practice:    r.Practice,
	}
	for _, res := range r.Results {
		c := jsonCheck{ID: res.ID, Status: res.Status, Title: CheckTitle(res.ID, l), Summary: CheckSummary(res, l),
			DurationMS: res.Duration.Milliseconds(), Fault: res.Fault, Transcript: res.Transcript,
			Skipped: res.Skipped, Warnings: res.Warnings, Facts: checkFacts(res)}
		if c.Transcript == nil {
			c.Transcript = []string{}
		}
		for _, s := range res.Steps {
			c.Steps = append(c.Steps, jsonStep{s.Name, s.Status, s.Duration.Milliseconds(), s.Detail})
		}
		out.Checks = append(out.Checks, c)
	}
	for _, f := range r.Findings {
		jf := jsonFinding{Cause: f.Cause, Confidence: f.Confidence, Title: f.Title(l),
			Explanation: f.Explanation(l), Remediation: f.Remediation(l), Evidence: f.Evidence}
		if jf.Evidence == nil {
			jf.Evidence = []string{}
		}
		for _, m := range f.Missing {
			jf.Missing = append(jf.Missing, l.T(m))
		}
		out.Findings = append(out.Findings, jf)
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(JSONTermSafe(data), '\n'), nil
}

// JSONTermSafe writes the runes TermSafe escapes that encoding/json leaves
// raw (DEL, C1 controls, bidirectional overrides) as \uXXXX escapes: the
// same JSON to a parser, harmless on a terminal.
func JSONTermSafe(data []byte) []byte {
	out := make([]byte, 0, len(data))
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == 0x7f || r >= 0x80 && r <= 0x9f || unsafeFormat(r) {
			out = fmt.Appendf(out, "\\u%04x", r)
		} else {
			out = append(out, data[:n]...)
		}
		data = data[n:]
	}
	return out
}
