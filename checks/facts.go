package checks

import "time"

// InputFacts records how the typed host was cleaned.
type InputFacts struct {
	RawHost string `json:"raw_host"`
	Host    string `json:"host"` // the cleaned name or address actually used
	Port    int    `json:"port"` // the port used (from the host's ":port" if one was typed)
	// Changes lists what cleaning did, as codes: "space", "scheme", "path",
	// "user", "port", "idn", "trailing-dot", "brackets".
	Changes []string `json:"changes,omitempty"`
	// Problem is "empty" for a missing host, "invalid" for characters no
	// cleaning can fix; empty when the host is usable.
	Problem string `json:"problem,omitempty"`
}

// Input problems.
const (
	InputEmpty   = "empty"
	InputInvalid = "invalid"
)

// DNSFacts records the name lookup.
type DNSFacts struct {
	Resolver  string   `json:"resolver"`  // "system" or host:port
	Literal   bool     `json:"literal"`   // the host was an IP address: nothing to look up
	Addresses []string `json:"addresses"` // in the order they are tried
	// Outcome: "ok", "not-found" (no such name), "no-address" (name exists
	// without A/AAAA), "failure" (SERVFAIL, refused, garbage), "timeout".
	Outcome string `json:"outcome"`
}

// PingFacts records the reachability probe.
type PingFacts struct {
	// Method: "icmp" (raw socket), "icmp-dgram" (unprivileged), or "tcp"
	// (ICMP not permitted: a TCP connect was timed instead).
	Method      string        `json:"method"`
	ICMPAllowed bool          `json:"icmp_allowed"`
	Sent        int           `json:"sent"`
	Received    int           `json:"received"`
	RTT         time.Duration `json:"rtt_ns,omitempty"` // best round trip
	Address     string        `json:"address"`
}

// TCPFacts records the connect to the configured port.
type TCPFacts struct {
	Address     string        `json:"address"` // ip:port that answered, or the last tried
	ConnectTime time.Duration `json:"connect_ns,omitempty"`
	Tried       []string      `json:"tried,omitempty"`
	// Faults holds each tried address's connect fault, nil for the one that
	// connected (the addresses check reads the first).
	Faults []*Fault `json:"-"`
}

// PortFacts records one standard port probed by the ports check.
type PortFacts struct {
	Port       int      `json:"port"`
	Security   Security `json:"security"`   // the mode the port is normally used with
	Configured bool     `json:"configured"` // the port the user configured
	// Answer: "greeting" (a plain-text banner), "tls" (a TLS handshake
	// completed), "silent" (connected, nothing said), "other" (bytes that are
	// not the service's greeting), "ssh" (an SSH banner on an SSH port),
	// "closed" (connect failed; see Fault).
	Answer string `json:"answer"`
	// SSH marks the SSH port probed beside FTP (SFTPPort).
	SSH      bool          `json:"ssh,omitempty"`
	Greeting string        `json:"greeting,omitempty"`
	Fault    *Fault        `json:"fault,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// Port answers.
const (
	AnswerGreeting = "greeting"
	AnswerTLS      = "tls"
	AnswerSilent   = "silent"
	AnswerOther    = "other"
	AnswerSSH      = "ssh"
	AnswerClosed   = "closed"
)

// Answered reports whether the port spoke the service (greeting or TLS).
func (p PortFacts) Answered() bool { return p.Answer == AnswerGreeting || p.Answer == AnswerTLS }

// TLSFacts records a TLS handshake and the certificate it presented.
type TLSFacts struct {
	Mode       string    `json:"mode"`    // "implicit" or "starttls"
	Offered    bool      `json:"offered"` // STARTTLS/STLS/AUTH TLS advertised or accepted
	Version    string    `json:"version,omitempty"`
	Cipher     string    `json:"cipher,omitempty"`
	Subject    string    `json:"subject,omitempty"`
	Issuer     string    `json:"issuer,omitempty"`
	DNSNames   []string  `json:"dns_names,omitempty"`
	NotBefore  time.Time `json:"not_before,omitzero"`
	NotAfter   time.Time `json:"not_after,omitzero"`
	NameMatch  bool      `json:"name_match"`
	Trusted    bool      `json:"trusted"`
	SelfSigned bool      `json:"self_signed"`
	// CheckedAt is this computer's clock when the certificate was judged.
	CheckedAt time.Time `json:"checked_at,omitzero"`
	// Problem: "", "not-tls", "untrusted", "expired", "not-yet-valid",
	// "name-mismatch", "handshake", "version".
	Problem string `json:"problem,omitempty"`
}

// ServerFacts records what the server said about itself.
type ServerFacts struct {
	Greeting     string   `json:"greeting,omitempty"`     // the banner's text
	Capabilities []string `json:"capabilities,omitempty"` // EHLO keywords, CAPA, CAPABILITY, FEAT
	AuthMechs    []string `json:"auth_mechanisms,omitempty"`
	StartTLS     bool     `json:"starttls"` // explicit TLS offered
	SizeLimit    int64    `json:"size_limit,omitempty"`
	// System is the FTP server's SYST reply text (e.g. "UNIX Type: L8").
	System string `json:"system,omitempty"`
	// Time is the server's own clock as its greeting states it (exim,
	// sendmail, Exchange put the date there); TimeSeen is this computer's
	// clock when the greeting arrived. Both zero when it states none.
	Time     time.Time `json:"server_time,omitzero"`
	TimeSeen time.Time `json:"server_time_seen,omitzero"`
	// Relay is the SMTP envelope test: "accepted", "auth-required",
	// "denied", or "" when not tested. RelayReply is the server's line.
	Relay      string `json:"relay,omitempty"`
	RelayCode  int    `json:"relay_code,omitempty"`
	RelayReply string `json:"relay_reply,omitempty"`
}

// Relay outcomes of the SMTP envelope test.
const (
	RelayAccepted     = "accepted"
	RelayAuthRequired = "auth-required"
	RelayDenied       = "denied"
)

// AuthFacts records a login attempt.
type AuthFacts struct {
	User      string `json:"user"`
	Mechanism string `json:"mechanism,omitempty"`
	Offered   bool   `json:"offered"` // the server offers any login on this connection
	Accepted  bool   `json:"accepted"`
	Code      int    `json:"code,omitempty"`
	Reply     string `json:"reply,omitempty"`
	// Lines is the whole refusal: every line of a multi-line SMTP reply,
	// or the IMAP alerts sent with the completion, then the completion.
	Lines []string `json:"lines,omitempty"`
	// Enhanced is an SMTP refusal's RFC 3463 enhanced status code ("5.7.9").
	Enhanced string `json:"enhanced,omitempty"`
	// RespCode is a POP3 / IMAP refusal's response code, upper-cased
	// ("AUTH", "ALERT", "AUTHENTICATIONFAILED", "WEBALERT").
	RespCode string `json:"resp_code,omitempty"`
	// Anonymous marks an FTP anonymous login, tried without a user only to
	// enable the listing tests.
	Anonymous bool `json:"anonymous,omitempty"`
}

// DataFacts records one FTP data connection test (passive or active).
type DataFacts struct {
	Mode    string `json:"mode"`    // "passive" or "active"
	Command string `json:"command"` // EPSV, PASV, EPRT or PORT
	Code    int    `json:"code,omitempty"`
	Reply   string `json:"reply,omitempty"` // the raw reply line
	// Announced is the address:port the 227/229 reply named; Server the
	// control connection's peer address; Foreign is true when they differ
	// and Announced was therefore not contacted.
	Announced string `json:"announced,omitempty"`
	Server    string `json:"server,omitempty"`
	Foreign   bool   `json:"foreign"`
	Used      string `json:"used,omitempty"` // the address actually connected (or listened on, active)
	Connected bool   `json:"connected"`
	Entries   int    `json:"entries"` // directory listing lines received
}

// TransferFacts records the large-upload test.
type TransferFacts struct {
	Mode       string        `json:"mode"` // data mode used: "passive" or "active"
	RemoteName string        `json:"remote_name"`
	Size       int64         `json:"size"`
	Sent       int64         `json:"sent"`      // bytes written before the end or the fault (the offset)
	ReadBack   int64         `json:"read_back"` // size the server reported or returned
	Duration   time.Duration `json:"duration_ns"`
	// BytesPerSecond is the upload throughput.
	BytesPerSecond float64 `json:"bytes_per_second"`
	Verified       bool    `json:"verified"` // read-back size equals Size
	Deleted        bool    `json:"deleted"`  // the test file was removed afterwards
	// Left is true when the upload had started and the test file could be
	// neither deleted nor found absent: it may remain on the server, under
	// RemoteName. DeleteReply is the server's answer to DELE (or the
	// failure of the cleanup connection) when the delete did not succeed.
	Left        bool   `json:"left"`
	DeleteReply string `json:"delete_reply,omitempty"`
}

// AddressFacts records one resolved address tried on the configured port
// by the addresses check.
type AddressFacts struct {
	Address   string        `json:"address"`
	Port      int           `json:"port"`
	Family    string        `json:"family"` // "ipv4" or "ipv6"
	Connected bool          `json:"connected"`
	Fault     *Fault        `json:"fault,omitempty"`
	Duration  time.Duration `json:"duration_ns"`
	// FromTCP marks an outcome taken from the tcp check's own connect (the
	// first address), Used the address the main sequence's connection used.
	FromTCP bool `json:"from_tcp,omitempty"`
	Used    bool `json:"used,omitempty"`
}

// IdleFacts records the idle test (Target.IdleTest).
type IdleFacts struct {
	Duration time.Duration `json:"duration_ns"` // the test's duration (the longest idle time)
	Address  string        `json:"address"`     // ip:port, the tcp check's address
	Probes   []IdleProbe   `json:"probes"`
	// KeepAlive is the connection that sent the command every
	// KeepAliveEvery; Fresh the connection opened at the end.
	KeepAlive      *IdleProbe    `json:"keep_alive,omitempty"`
	KeepAliveEvery time.Duration `json:"keep_alive_every_ns"`
	Fresh          *IdleProbe    `json:"fresh,omitempty"`
	// TimeoutAfter is the shortest idle time after which a connection was
	// dropped (reset, silent, closed) while the fresh one worked;
	// SurvivedUpTo the longest idle time a connection survived.
	TimeoutAfter time.Duration `json:"timeout_after_ns,omitempty"`
	SurvivedUpTo time.Duration `json:"survived_up_to_ns,omitempty"`
	// ServerTimeout is when the server itself said goodbye to an idle
	// connection (its own idle timeout, counted from the greeting).
	ServerTimeout time.Duration `json:"server_timeout_ns,omitempty"`
	// Limit is set when a greeting refused a connection as one too many.
	Limit *ConnLimit `json:"limit,omitempty"`
}

// IdleProbe is one connection of the idle test.
type IdleProbe struct {
	Idle      time.Duration `json:"idle_ns"` // how long it was to stay idle
	KeepAlive bool          `json:"keep_alive,omitempty"`
	// Outcome: "alive", "reset", "silent", "closed", "server-closed",
	// "busy", "failed".
	Outcome string `json:"outcome"`
	// After is when it ended, counted from its greeting.
	After time.Duration `json:"after_ns,omitempty"`
	Reply string        `json:"reply,omitempty"`
	Fault *Fault        `json:"fault,omitempty"`
}

// ConnLimit records a server's limit on simultaneous connections.
type ConnLimit struct {
	// Accepted is how many connections of this run to the port were open
	// (and greeted) when the server refused the next one.
	Accepted int    `json:"accepted"`
	Reply    string `json:"reply"` // the refusing greeting
}

// WarnFileLeft is the transfer check's warning when its test file may
// remain on the server (TransferFacts.Left).
const WarnFileLeft = "test-file-left"
