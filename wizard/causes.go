package wizard

// Cause is a cause ID from causes.md: a public contract that never changes meaning.
type Cause string

// The causes the diagnosis can name.
const (
	HostMissing         Cause = "host-missing"
	HostMalformed       Cause = "host-malformed"
	DNSNotFound         Cause = "dns-not-found"
	DNSFailure          Cause = "dns-failure"
	NetworkUnreachable  Cause = "network-unreachable"
	ServiceDown         Cause = "service-down"
	WrongPort           Cause = "wrong-port"
	PortBlocked         Cause = "port-blocked"
	SecurityMismatch    Cause = "security-mismatch"
	StartTLSUnavailable Cause = "starttls-unavailable"
	TLSCertificate      Cause = "tls-certificate"
	TLSIntercepted      Cause = "tls-intercepted"
	TLSHandshake        Cause = "tls-handshake"
	GreetingTimeout     Cause = "greeting-timeout"
	ConnectionReset     Cause = "connection-reset"
	ConnectionAborted   Cause = "connection-aborted"
	ServerBusy          Cause = "server-busy"
	AuthFailed          Cause = "auth-failed"
	AuthRequired        Cause = "auth-required"
	AuthUnavailable     Cause = "auth-unavailable"
	FTPPassiveBlocked   Cause = "ftp-passive-blocked"
	FTPActiveBlocked    Cause = "ftp-active-blocked"
	FTPPasvAddress      Cause = "ftp-pasv-address"
	FTPModeRefused      Cause = "ftp-mode-refused"
	TransferInterrupted Cause = "transfer-interrupted"
	TransferSlow        Cause = "transfer-slow"
	Intermittent        Cause = "intermittent"
	AppPasswordRequired Cause = "app-password-required"
	OAuthRequired       Cause = "oauth-required"
	AccessDisabled      Cause = "access-disabled"
	ClockSkew           Cause = "clock-skew"
	NoProblemFound      Cause = "no-problem-found"
	SettingsDiffer      Cause = "settings-differ"
	IPv6Broken          Cause = "ipv6-broken"
	IdleTimeout         Cause = "idle-timeout"
	SFTPOnly            Cause = "sftp-only"
)

// AllCauses lists every cause in the order of causes.md.
var AllCauses = []Cause{
	HostMissing, HostMalformed, DNSNotFound, DNSFailure, NetworkUnreachable, ServiceDown,
	WrongPort, PortBlocked, SecurityMismatch, StartTLSUnavailable, TLSCertificate, TLSIntercepted,
	TLSHandshake, GreetingTimeout, ConnectionReset, ConnectionAborted, ServerBusy, AuthFailed,
	AuthRequired, AuthUnavailable, FTPPassiveBlocked, FTPActiveBlocked, FTPPasvAddress,
	FTPModeRefused, TransferInterrupted, TransferSlow, Intermittent, AppPasswordRequired,
	OAuthRequired, AccessDisabled, ClockSkew, SettingsDiffer, IPv6Broken, IdleTimeout, SFTPOnly,
	NoProblemFound,
}
