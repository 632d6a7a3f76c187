package checks

import "time"

// CheckID names a check; the IDs are part of the JSON report contract.
type CheckID string

// The checks, in the order they run.
const (
	CheckInput      CheckID = "input"
	CheckDNS        CheckID = "dns"
	CheckPing       CheckID = "ping"
	CheckTCP        CheckID = "tcp"
	CheckPorts      CheckID = "ports"
	CheckAddresses  CheckID = "addresses"
	CheckTLS        CheckID = "tls"
	CheckSMTP       CheckID = "smtp"
	CheckPOP3       CheckID = "pop3"
	CheckIMAP       CheckID = "imap"
	CheckFTP        CheckID = "ftp"
	CheckAuth       CheckID = "auth"
	CheckFTPPassive CheckID = "ftp-passive"
	CheckFTPActive  CheckID = "ftp-active"
	CheckTransfer   CheckID = "transfer"
	CheckProvider   CheckID = "provider"
	CheckIdle       CheckID = "idle"
)

// Status is the outcome of a check.
type Status string

// Statuses. Running is only ever seen by an Observer while a check runs.
const (
	StatusPending Status = "pending"
	StatusRunning Status = "running"
	StatusPass    Status = "pass"
	StatusWarn    Status = "warn"
	StatusFail    Status = "fail"
	StatusSkip    Status = "skip"
)

// Step is one action inside a check: a lookup, a connect, a command.
type Step struct {
	Name     string        `json:"name"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"duration_ns"`
	Detail   string        `json:"detail,omitempty"`
}

// Result is what one check observed. Exactly one of the facts pointers that
// belong to the check is set once it has run.
type Result struct {
	ID       CheckID       `json:"id"`
	Status   Status        `json:"status"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	// Skipped says why a check did not run (a check it depends on failed,
	// no credentials, not applicable).
	Skipped    SkipReason `json:"skipped,omitempty"`
	Steps      []Step     `json:"steps,omitempty"`
	Transcript []string   `json:"transcript,omitempty"`
	Fault      *Fault     `json:"fault,omitempty"`
	// Warnings are machine-readable notes on a check that passed with
	// reservations (e.g. "pasv-foreign-address", "starttls-not-offered").
	Warnings []string `json:"warnings,omitempty"`

	Input *InputFacts `json:"input,omitempty"`
	DNS   *DNSFacts   `json:"dns,omitempty"`
	Ping  *PingFacts  `json:"ping,omitempty"`
	TCP   *TCPFacts   `json:"tcp,omitempty"`
	Ports []PortFacts `json:"ports,omitempty"`
	// Addresses: the addresses check, one entry per address tried.
	Addresses []AddressFacts `json:"addresses,omitempty"`
	TLS       *TLSFacts      `json:"tls,omitempty"`
	Server    *ServerFacts   `json:"server,omitempty"`
	Auth      *AuthFacts     `json:"auth,omitempty"`
	Data      *DataFacts     `json:"data,omitempty"`
	Transfer  *TransferFacts `json:"transfer,omitempty"`
	Idle      *IdleFacts     `json:"idle,omitempty"`
	Provider  *ProviderFacts `json:"provider,omitempty"`
}

// SkipReason says why a check was skipped.
type SkipReason string

// Skip reasons.
const (
	SkipDependency    SkipReason = "dependency-failed" // an earlier check it needs failed
	SkipNoCredentials SkipReason = "no-credentials"    // login or transfer without a user
	SkipNotApplicable SkipReason = "not-applicable"    // e.g. tls with security none
	SkipDisabled      SkipReason = "disabled"          // turned off (transfer size 0, FTP mode)
	SkipCanceled      SkipReason = "canceled"          // the run was canceled first
)

// Failed reports whether the check failed.
func (r Result) Failed() bool { return r.Status == StatusFail }

// Find returns the result with the given ID, or nil.
func Find(results []Result, id CheckID) *Result {
	for i := range results {
		if results[i].ID == id {
			return &results[i]
		}
	}
	return nil
}
