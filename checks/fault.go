package checks

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"reflect"
	"syscall"

	"github.com/emersion/go-smtp"
)

// FaultKind classifies what went wrong; the values are part of the JSON
// report contract.
type FaultKind string

// Fault kinds.
const (
	FaultRefused     FaultKind = "refused"     // nothing listens, or a firewall answers RST (10061)
	FaultTimeout     FaultKind = "timeout"     // silence until the step's deadline (10060)
	FaultReset       FaultKind = "reset"       // the peer sent RST (10054)
	FaultAborted     FaultKind = "aborted"     // a send failed after the peer's FIN (10053)
	FaultClosed      FaultKind = "closed"      // the peer closed (FIN) while we waited for a reply
	FaultUnreachable FaultKind = "unreachable" // no route to host or network (10065, 10051)
	FaultNotFound    FaultKind = "not-found"   // the name does not exist or has no address (11001, 11004)
	FaultDNS         FaultKind = "dns-failure" // the resolver failed or did not answer (11002)
	FaultTLS         FaultKind = "tls"         // handshake or certificate failure
	FaultProtocol    FaultKind = "protocol"    // an unexpected or malformed reply
	FaultAuth        FaultKind = "auth"        // credentials or authentication refused
	FaultBusy        FaultKind = "busy"        // 421 / too many connections
	FaultCanceled    FaultKind = "canceled"    // the user stopped the run
	// FaultTooLong: the peer sent a line longer than MaxLine, a reply
	// longer than MaxReply or more reply lines than any real server sends.
	FaultTooLong FaultKind = "too-long"
	// FaultLocal: the tool itself refused to send what the settings hold
	// (a line break in the user name or password); the server saw nothing.
	FaultLocal FaultKind = "local"
)

// Stage says where in a conversation a fault happened.
type Stage string

// Stages.
const (
	StageInput        Stage = "input"
	StageResolve      Stage = "resolve"
	StagePing         Stage = "ping"
	StageConnect      Stage = "connect"
	StageTLSHandshake Stage = "tls-handshake"
	StageGreeting     Stage = "greeting"
	StageHello        Stage = "hello"
	StageStartTLS     Stage = "starttls"
	StageAuth         Stage = "auth"
	StageCommand      Stage = "command"
	StageDataConnect  Stage = "data-connect"
	StageDataTransfer Stage = "data-transfer"
	StageQuit         Stage = "quit"
	StageIdle         Stage = "idle" // a connection left idle, then used again
)

// WinSock codes a Windows client shows for each fault.
const (
	WSAEACCES         = 10013
	WSAEADDRINUSE     = 10048
	WSAENETDOWN       = 10050
	WSAENETUNREACH    = 10051
	WSAECONNABORTED   = 10053
	WSAECONNRESET     = 10054
	WSAESHUTDOWN      = 10058
	WSAETIMEDOUT      = 10060
	WSAECONNREFUSED   = 10061
	WSAEHOSTDOWN      = 10064
	WSAEHOSTUNREACH   = 10065
	WSAHOST_NOT_FOUND = 11001
	WSATRY_AGAIN      = 11002
	WSANO_DATA        = 11004
)

// TLS problems recorded in Fault.TLS and TLSFacts.Problem.
const (
	TLSNotTLS       = "not-tls"       // the peer answered in plain text
	TLSUntrusted    = "untrusted"     // unknown authority or self-signed
	TLSExpired      = "expired"       // certificate expired
	TLSNotYetValid  = "not-yet-valid" // certificate not valid yet
	TLSNameMismatch = "name-mismatch" // certificate does not name the host
	TLSHandshake    = "handshake"     // other handshake failure (alert, reset, EOF)
	TLSVersion      = "version"       // no common protocol version or cipher
)

// Fault is a classified failure: what kind, the WinSock code a Windows
// client would show, and the stage of the conversation.
type Fault struct {
	Kind    FaultKind `json:"kind"`
	WinSock int       `json:"winsock,omitempty"`
	Stage   Stage     `json:"stage"`
	Detail  string    `json:"detail,omitempty"`
	// Code and Reply hold the server's reply for protocol, auth and busy
	// faults (e.g. 421 and its text).
	Code  int    `json:"code,omitempty"`
	Reply string `json:"reply,omitempty"`
	// TLS names the TLS problem for kind tls (TLSNotTLS, TLSExpired, ...).
	TLS string `json:"tls,omitempty"`
	// Offset is the byte offset reached in a data transfer when it failed.
	Offset int64 `json:"offset,omitempty"`
	// Err is the error the fault was classified from.
	Err error `json:"-"`
}

func (f *Fault) Error() string {
	s := fmt.Sprintf("%s at %s", f.Kind, f.Stage)
	if f.WinSock != 0 {
		s += fmt.Sprintf(" (%d)", f.WinSock)
	}
	if f.Detail != "" {
		s += ": " + f.Detail
	}
	return s
}

// Unwrap returns the underlying error.
func (f *Fault) Unwrap() error { return f.Err }

// ReplyError is a negative or unexpected protocol reply: an SMTP or FTP
// code, a POP3 "-ERR", an IMAP "NO"/"BAD".
type ReplyError struct {
	Code   int    // numeric reply code (SMTP, FTP); 0 for POP3/IMAP
	Status string // "-ERR", "NO", "BAD", "BYE" for POP3/IMAP
	Line   string // the reply as received
	// Auth marks a reply to a login command, so that a refusal is an auth fault.
	Auth bool
	// Busy marks a reply the protocol defines as temporary unavailability
	// (POP3 [IN-USE]/[SYS/TEMP], IMAP BYE greeting or [UNAVAILABLE]/[INUSE]).
	Busy bool
}

func (e *ReplyError) Error() string { return "unexpected reply: " + e.Line }

// ErrLineTooLong is returned when a peer sends a line longer than MaxLine.
var ErrLineTooLong = errors.New("reply line too long")

// ErrReplyTooLong is returned when one step reads more than MaxReply bytes
// or MaxReplyLines lines of text (an endless multi-line reply).
var ErrReplyTooLong = errors.New("reply too long (too many lines)")

// ErrUnsafeCredentials is returned, before anything is sent, for a user
// name or password holding a line break or NUL: sent, it would end the
// login command and start another.
var ErrUnsafeCredentials = errors.New("the user name or password contains a line break or NUL")

// errTLSInjection: bytes arrived after the server accepted STARTTLS (STLS,
// AUTH TLS) and before the TLS handshake: garbage, or a command injected in
// plain text to be taken as part of the encrypted session.
var errTLSInjection = errors.New("data arrived before the TLS handshake started")

// tlsInjection is errTLSInjection as the fault it is: the handshake's (it
// cannot start), a protocol fault since the bytes are no TLS either.
func tlsInjection() error {
	return &Fault{Kind: FaultProtocol, Stage: StageTLSHandshake, Detail: errTLSInjection.Error(), Err: errTLSInjection}
}

// ErrNotGreeting is returned when a peer's first bytes are not the service's greeting.
var ErrNotGreeting = errors.New("not a greeting of this service")

// Classify turns an error into a Fault at the given stage. It is the one
// place that maps errors to faults, by type, never by message text. It
// returns nil for a nil error and returns an existing *Fault unchanged
// (filling the stage when it has none).
func Classify(err error, stage Stage) *Fault {
	if err == nil {
		return nil
	}
	var f *Fault
	if errors.As(err, &f) {
		if f.Stage == "" {
			f.Stage = stage
		}
		return f
	}
	f = &Fault{Stage: stage, Err: err, Detail: err.Error()}
	f.Kind, f.WinSock = classifyKind(err, f)
	return f
}

func classifyKind(err error, f *Fault) (FaultKind, int) {
	if errors.Is(err, context.Canceled) {
		return FaultCanceled, 0
	}
	if errors.Is(err, ErrLineTooLong) || errors.Is(err, ErrReplyTooLong) || errors.Is(err, errMailTooManyLines) ||
		errors.Is(err, bufio.ErrTooLong) {
		return FaultTooLong, 0
	}
	if errors.Is(err, ErrUnsafeCredentials) {
		return FaultLocal, 0
	}
	if k, ws, ok := replyKind(err, f); ok {
		return k, ws
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound:
			return FaultNotFound, WSAHOST_NOT_FOUND
		case dnsErr.IsTimeout:
			return FaultDNS, WSATRY_AGAIN
		}
		return FaultDNS, WSATRY_AGAIN
	}
	if k, ok := tlsKind(err, f); ok {
		return k, 0
	}
	// Errno first: a reset is not a timeout even where both might match.
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if k, ws, ok := errnoKind(errno); ok {
			return k, ws
		}
	}
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout()) {
		return FaultTimeout, WSAETIMEDOUT
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return FaultClosed, 0
	}
	if errors.As(err, &errno) {
		return FaultProtocol, int(errnoWinSock(errno))
	}
	return FaultProtocol, 0
}

// replyKind classifies protocol replies: 421 busy, 530/535 auth, and any
// refusal to a login command.
func replyKind(err error, f *Fault) (FaultKind, int, bool) {
	var code int
	var line string
	auth, busy := false, false
	var re *ReplyError
	var se *smtp.SMTPError
	var te *textproto.Error
	switch {
	case errors.As(err, &re):
		code, line, auth, busy = re.Code, re.Line, re.Auth, re.Busy
	case errors.As(err, &se):
		code, line = se.Code, se.Message
	case errors.As(err, &te):
		code, line = te.Code, te.Msg
	default:
		return "", 0, false
	}
	f.Code, f.Reply = code, line
	switch {
	case code == 421 || busy:
		return FaultBusy, 0, true
	case code == 530 || code == 535 || code == 534 || auth:
		return FaultAuth, 0, true
	}
	return FaultProtocol, 0, true
}

// tlsKind classifies handshake and certificate errors.
func tlsKind(err error, f *Fault) (FaultKind, bool) {
	var rh tls.RecordHeaderError
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var he x509.HostnameError
	var alert tls.AlertError
	var ve *tls.CertificateVerificationError
	var op *net.OpError
	switch {
	case errors.As(err, &rh):
		f.TLS = TLSNotTLS
	case errors.As(err, &ua):
		f.TLS = TLSUntrusted
	case errors.As(err, &he):
		f.TLS = TLSNameMismatch
	case errors.As(err, &ci):
		switch ci.Reason {
		case x509.Expired:
			f.TLS = TLSExpired
			if ci.Cert != nil && ci.Cert.NotBefore.After(timeNow()) {
				f.TLS = TLSNotYetValid
			}
		default:
			f.TLS = TLSUntrusted
		}
	case errors.As(err, &ve):
		f.TLS = TLSUntrusted
	case errors.As(err, &alert):
		f.TLS = alertProblem(uint8(alert))
	case errors.As(err, &op) && op.Op == "remote error":
		// An alert received from the peer arrives as an *net.OpError whose
		// Err is crypto/tls's unexported alert type, a uint8.
		f.TLS = TLSHandshake
		if v := reflect.ValueOf(op.Err); v.IsValid() && v.Kind() == reflect.Uint8 {
			f.TLS = alertProblem(uint8(v.Uint()))
		}
	default:
		return "", false
	}
	return FaultTLS, true
}

// alertProblem names the TLS problem a handshake alert reports:
// handshake_failure (40), protocol_version (70) and insufficient_security
// (71) mean no common version or cipher suite.
func alertProblem(code uint8) string {
	switch code {
	case 40, 70, 71:
		return TLSVersion
	}
	return TLSHandshake
}
