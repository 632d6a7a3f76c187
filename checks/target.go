package checks

import (
	"fmt"
	"time"
)

// Service is the kind of server being checked.
type Service string

// The services the assistant checks.
const (
	SMTP Service = "smtp"
	POP3 Service = "pop3"
	IMAP Service = "imap"
	FTP  Service = "ftp"
)

// Services lists every supported service in display order.
var Services = []Service{SMTP, POP3, IMAP, FTP}

// Security is how the connection is encrypted.
type Security string

// Security modes: plain text, explicit TLS (STARTTLS, STLS, AUTH TLS) and
// implicit TLS from the first byte ("SSL: Yes").
const (
	SecurityNone     Security = "none"
	SecurityStartTLS Security = "starttls"
	SecurityTLS      Security = "tls"
)

// FTPMode selects which FTP data connection modes are tested.
type FTPMode string

// FTP data modes.
const (
	FTPBoth    FTPMode = "both"
	FTPPassive FTPMode = "passive"
	FTPActive  FTPMode = "active"
)

// Defaults used when a Target leaves a field empty.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultTransferSize = 2 << 20
)

// Target is what the user asked to check, as typed: Run cleans the host in
// its input check and reports what it changed.
type Target struct {
	Service  Service  `json:"service"`
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	FTPMode  FTPMode  `json:"ftp_mode"`
	User     string   `json:"user,omitempty"`
	// Email is the account's e-mail address: the provider check finds the
	// provider's documented settings from it (mail services only).
	Email string `json:"email,omitempty"`
	// Secret is the password; it never appears in JSON, text or transcripts.
	Secret Secret `json:"-"`
	// TransferSize is the size of the FTP upload test in bytes; 0 turns it off.
	TransferSize int64 `json:"transfer_size"`
	// Timeout bounds every network step (connect, greeting, each command).
	Timeout time.Duration `json:"-"`
	// Resolver is a DNS server "host:port" to ask instead of the system's.
	Resolver string `json:"resolver,omitempty"`
	// IdleTest is the idle test's duration (the longest idle time); 0 is off.
	IdleTest time.Duration `json:"idle_test,omitempty"`
	// AllowForeignData lets the FTP checks connect to a PASV address that is
	// not the server's own; off unless the user explicitly asked.
	AllowForeignData bool `json:"-"`
}

// InputError is returned by Validate for input no diagnosis can start from.
type InputError struct {
	Field string // "service", "port", "security", "ftp-mode", "timeout", "transfer-size", "idle-test"
	Value string
}

func (e *InputError) Error() string { return fmt.Sprintf("unusable %s: %q", e.Field, e.Value) }

// Validate reports unusable input: an unknown service, security or FTP mode,
// a port outside 1-65535, a negative size or timeout. An empty or malformed
// host is not unusable: the input check reports it.
func (t Target) Validate() error {
	switch t.Service {
	case SMTP, POP3, IMAP, FTP:
	default:
		return &InputError{"service", string(t.Service)}
	}
	switch t.Security {
	case "", SecurityNone, SecurityStartTLS, SecurityTLS:
	default:
		return &InputError{"security", string(t.Security)}
	}
	switch t.FTPMode {
	case "", FTPBoth, FTPPassive, FTPActive:
	default:
		return &InputError{"ftp-mode", string(t.FTPMode)}
	}
	if t.Port < 0 || t.Port > 65535 {
		return &InputError{"port", fmt.Sprint(t.Port)}
	}
	if t.TransferSize < 0 {
		return &InputError{"transfer-size", fmt.Sprint(t.TransferSize)}
	}
	if t.Timeout < 0 {
		return &InputError{"timeout", t.Timeout.String()}
	}
	if t.IdleTest < 0 {
		return &InputError{"idle-test", t.IdleTest.String()}
	}
	return nil
}

// WithDefaults fills the empty fields: security none, FTP mode both, the
// service's port for the security mode, the default timeout.
func (t Target) WithDefaults() Target {
	if t.Security == "" {
		t.Security = SecurityNone
	}
	if t.FTPMode == "" {
		t.FTPMode = FTPBoth
	}
	if t.Port == 0 {
		t.Port = DefaultPort(t.Service, t.Security)
	}
	if t.Timeout == 0 {
		t.Timeout = DefaultTimeout
	}
	return t
}

// DefaultPort is the standard port of a service for a security mode:
// smtp 25/587/465, pop3 110/995, imap 143/993, ftp 21/990.
func DefaultPort(s Service, sec Security) int {
	switch s {
	case SMTP:
		switch sec {
		case SecurityStartTLS:
			return 587
		case SecurityTLS:
			return 465
		}
		return 25
	case POP3:
		if sec == SecurityTLS {
			return 995
		}
		return 110
	case IMAP:
		if sec == SecurityTLS {
			return 993
		}
		return 143
	case FTP:
		if sec == SecurityTLS {
			return 990
		}
		return 21
	}
	return 0
}

// StandardPort is one of a service's well-known ports and the security mode
// it is normally used with.
type StandardPort struct {
	Port     int      `json:"port"`
	Security Security `json:"security"`
}

// StandardPorts lists the well-known ports of a service, probed side by side
// by the ports check: smtp 25, 465, 587, 2525; pop3 110, 995; imap 143, 993;
// ftp 21, 990.
func StandardPorts(s Service) []StandardPort {
	switch s {
	case SMTP:
		return []StandardPort{{25, SecurityNone}, {465, SecurityTLS}, {587, SecurityStartTLS}, {2525, SecurityStartTLS}}
	case POP3:
		return []StandardPort{{110, SecurityNone}, {995, SecurityTLS}}
	case IMAP:
		return []StandardPort{{143, SecurityNone}, {993, SecurityTLS}}
	case FTP:
		return []StandardPort{{21, SecurityNone}, {990, SecurityTLS}}
	}
	return nil
}

// SFTPPort is the SSH port the ports check probes beside an FTP server's
// ports, for a server that offers SFTP only.
const SFTPPort = 22

// ImplicitTLSPort reports whether a port is one where TLS starts at once.
func ImplicitTLSPort(port int) bool {
	switch port {
	case 465, 993, 995, 990:
		return true
	}
	return false
}

// Secret holds a password. Its String, GoString and JSON forms never show
// the value; only Reveal does, and only the login code calls it.
type Secret struct{ v string }

// NewSecret wraps a password.
func NewSecret(s string) Secret { return Secret{s} }

// Reveal returns the password itself.
func (s Secret) Reveal() string { return s.v }

// Given reports whether a password was supplied.
func (s Secret) Given() bool { return s.v != "" }

// String returns "[hidden]" for a given password and "" otherwise.
func (s Secret) String() string {
	if s.v == "" {
		return ""
	}
	return Hidden
}

// GoString keeps %#v from printing the password.
func (s Secret) GoString() string { return s.String() }

// MarshalJSON never writes the password.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// Hidden replaces secrets in transcripts and reports.
const Hidden = "[hidden]"
