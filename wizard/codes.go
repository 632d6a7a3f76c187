package wizard

import (
	"strconv"
	"strings"

	"assistant/checks"
)

// CodeKind says where an error code comes from.
type CodeKind string

// The kinds of codes the decoder knows.
const (
	KindOutlook CodeKind = "outlook" // an Outlook / Outlook Express / Windows Mail HRESULT
	KindWinSock CodeKind = "winsock" // a WinSock error (and its Unix errno twin)
	KindErrno   CodeKind = "errno"   // a Unix errno without a WinSock twin
	KindGnuTLS  CodeKind = "gnutls"  // a GnuTLS error number (FileZilla)
	KindMessage CodeKind = "message" // a client message without a number (FileZilla, WinSCP, CuteFTP)
	KindReply   CodeKind = "reply"   // a kind of server reply quoted in the message
)

// CodeInfo is what the decoder knows about one code.
type CodeInfo struct {
	// Code is the canonical spelling: "0x800CCC0E", "10054", "EPIPE",
	// "GNUTLS-15", "filezilla-inactivity", "reply-421".
	Code string
	Kind CodeKind
	// Names are the other spellings: WSAE and Unix names, for WinSock codes.
	Names []string
	// Service is the service the code belongs to, when only one has it.
	Service checks.Service
	// Causes are the causes the code usually points to, most likely first.
	Causes []Cause
}

// Key is the text key of the code's meaning (texts/decode.*.json).
func (c CodeInfo) Key() string { return "decode.code." + c.Code }

// Meaning is the code's meaning in a language.
func (c CodeInfo) Meaning(l Lang) string { return l.T(c.Key()) }

// WinSock is the WinSock number of a WinSock code, else 0.
func (c CodeInfo) WinSock() int {
	if c.Kind != KindWinSock {
		return 0
	}
	n, _ := strconv.Atoi(c.Code)
	return n
}

// codeCatalog lists every code the decoder explains.
var codeCatalog = []CodeInfo{
	// Outlook, Outlook Express, Windows Mail (IXP_E_* and MAPI errors).
	{Code: "0x800CCC0B", Kind: KindOutlook, Causes: []Cause{ServerBusy, Intermittent}},
	{Code: "0x800CCC0D", Kind: KindOutlook, Causes: []Cause{DNSNotFound, HostMalformed, DNSFailure, NetworkUnreachable}},
	{Code: "0x800CCC0E", Kind: KindOutlook, Causes: []Cause{PortBlocked, ServiceDown, WrongPort, SecurityMismatch, NetworkUnreachable}},
	{Code: "0x800CCC0F", Kind: KindOutlook, Causes: []Cause{ConnectionReset, ConnectionAborted, SecurityMismatch, TLSIntercepted, ServerBusy}},
	{Code: "0x800CCC13", Kind: KindOutlook, Causes: []Cause{NetworkUnreachable, ConnectionAborted, TLSIntercepted}},
	{Code: "0x800CCC18", Kind: KindOutlook, Causes: []Cause{AuthFailed}},
	{Code: "0x800CCC1A", Kind: KindOutlook, Causes: []Cause{SecurityMismatch, TLSHandshake, TLSCertificate, TLSIntercepted}},
	{Code: "0x800CCC67", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{ServerBusy, PortBlocked, TLSIntercepted}},
	{Code: "0x800CCC78", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired, AuthFailed}},
	{Code: "0x800CCC79", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired, AuthFailed}},
	{Code: "0x800CCC7D", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{StartTLSUnavailable, SecurityMismatch}},
	{Code: "0x800CCC90", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{AuthFailed, ServerBusy}},
	{Code: "0x800CCC91", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{AuthFailed}},
	{Code: "0x800CCC92", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{AuthFailed}},
	{Code: "0x80042108", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{NetworkUnreachable, PortBlocked, ServiceDown, SecurityMismatch}},
	{Code: "0x80042109", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{PortBlocked, WrongPort, ServiceDown, NetworkUnreachable}},
	{Code: "0x8004210A", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{GreetingTimeout, SecurityMismatch, TLSIntercepted, NetworkUnreachable}},
	{Code: "0x8004210B", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{GreetingTimeout, PortBlocked, SecurityMismatch, TLSIntercepted}},

	// WinSock, with the Unix errno names of the same condition.
	{Code: "10013", Kind: KindWinSock, Names: []string{"WSAEACCES", "EACCES"}, Causes: []Cause{PortBlocked}},
	{Code: "10048", Kind: KindWinSock, Names: []string{"WSAEADDRINUSE", "EADDRINUSE"}, Causes: []Cause{FTPActiveBlocked, Intermittent}},
	{Code: "10050", Kind: KindWinSock, Names: []string{"WSAENETDOWN", "ENETDOWN"}, Causes: []Cause{NetworkUnreachable}},
	{Code: "10051", Kind: KindWinSock, Names: []string{"WSAENETUNREACH", "ENETUNREACH"}, Causes: []Cause{NetworkUnreachable}},
	{Code: "10053", Kind: KindWinSock, Names: []string{"WSAECONNABORTED", "ECONNABORTED"}, Causes: []Cause{ConnectionAborted, TLSIntercepted, SecurityMismatch}},
	{Code: "10054", Kind: KindWinSock, Names: []string{"WSAECONNRESET", "ECONNRESET"}, Causes: []Cause{ConnectionReset, SecurityMismatch, TLSIntercepted}},
	{Code: "10058", Kind: KindWinSock, Names: []string{"WSAESHUTDOWN", "ESHUTDOWN"}, Causes: []Cause{ConnectionAborted}},
	{Code: "10060", Kind: KindWinSock, Names: []string{"WSAETIMEDOUT", "ETIMEDOUT"}, Causes: []Cause{PortBlocked, NetworkUnreachable, SecurityMismatch}},
	{Code: "10061", Kind: KindWinSock, Names: []string{"WSAECONNREFUSED", "ECONNREFUSED"}, Causes: []Cause{ServiceDown, WrongPort}},
	{Code: "10064", Kind: KindWinSock, Names: []string{"WSAEHOSTDOWN", "EHOSTDOWN"}, Causes: []Cause{NetworkUnreachable}},
	{Code: "10065", Kind: KindWinSock, Names: []string{"WSAEHOSTUNREACH", "EHOSTUNREACH"}, Causes: []Cause{NetworkUnreachable}},
	{Code: "11001", Kind: KindWinSock, Names: []string{"WSAHOST_NOT_FOUND", "EAI_NONAME"}, Causes: []Cause{DNSNotFound, HostMalformed}},
	{Code: "11002", Kind: KindWinSock, Names: []string{"WSATRY_AGAIN", "EAI_AGAIN"}, Causes: []Cause{DNSFailure}},
	{Code: "11004", Kind: KindWinSock, Names: []string{"WSANO_DATA", "EAI_NODATA"}, Causes: []Cause{DNSNotFound}},
	{Code: "EPIPE", Kind: KindErrno, Causes: []Cause{ConnectionAborted, ConnectionReset, TransferInterrupted}},

	// GnuTLS errors as FileZilla shows them ("GnuTLS error -15 in gnutls_record_recv").
	{Code: "GNUTLS-9", Kind: KindGnuTLS, Causes: []Cause{SecurityMismatch, TLSHandshake}},
	{Code: "GNUTLS-12", Kind: KindGnuTLS, Causes: []Cause{TLSHandshake, TLSCertificate}},
	{Code: "GNUTLS-15", Kind: KindGnuTLS, Causes: []Cause{SecurityMismatch, TLSIntercepted, TLSHandshake}},
	{Code: "GNUTLS-53", Kind: KindGnuTLS, Causes: []Cause{ConnectionReset, TLSIntercepted}},
	{Code: "GNUTLS-54", Kind: KindGnuTLS, Causes: []Cause{ConnectionReset, TLSIntercepted}},
	{Code: "GNUTLS-110", Kind: KindGnuTLS, Causes: []Cause{ConnectionAborted, TransferInterrupted, TLSHandshake}},

	// Client messages without a number.
	{Code: "filezilla-inactivity", Kind: KindMessage, Service: checks.FTP, Causes: []Cause{FTPPassiveBlocked, GreetingTimeout, SecurityMismatch, TransferInterrupted}},
	{Code: "closed-by-server", Kind: KindMessage, Causes: []Cause{ConnectionAborted, ServerBusy, AuthFailed}},
	{Code: "connect-failed", Kind: KindMessage, Causes: []Cause{ServiceDown, PortBlocked, WrongPort, NetworkUnreachable}},
	// Thunderbird / NSS: "The certificate is not trusted because it is self-signed."
	{Code: "cert-untrusted", Kind: KindMessage, Causes: []Cause{TLSCertificate, TLSIntercepted}},
	// FileZilla: "The data connection could not be established: ECONNREFUSED - Connection refused by server".
	{Code: "filezilla-data-connection", Kind: KindMessage, Service: checks.FTP, Causes: []Cause{FTPPassiveBlocked, FTPActiveBlocked, FTPPasvAddress}},
	// FileZilla: "Server sent passive reply with unroutable address. Using server address instead."
	{Code: "filezilla-unroutable", Kind: KindMessage, Service: checks.FTP, Causes: []Cause{FTPPasvAddress}},

	// Kinds of server replies quoted in the message.
	{Code: "reply-421", Kind: KindReply, Causes: []Cause{ServerBusy}},
	{Code: "reply-starttls", Kind: KindReply, Causes: []Cause{SecurityMismatch}},
	{Code: "reply-relay", Kind: KindReply, Causes: []Cause{AuthRequired}},
	{Code: "reply-auth", Kind: KindReply, Causes: []Cause{AuthFailed}},
}

// codeIndex maps every accepted spelling, normalised by normCode, to its entry.
var codeIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range codeCatalog {
		m[normCode(c.Code)] = i
		for _, n := range c.Names {
			m[normCode(n)] = i
		}
	}
	return m
}()

// Codes lists the catalog, for the texts test and documentation.
func Codes() []CodeInfo { return append([]CodeInfo(nil), codeCatalog...) }

// LookupCode finds a code in any spelling: "0x800CCC0E", "800ccc0e",
// "10054", "#10054", "WSAECONNRESET", "econnreset", "GnuTLS error -15",
// "Socket error 10054".
func LookupCode(code string) (CodeInfo, bool) {
	i, ok := codeIndex[normCode(code)]
	if !ok {
		return CodeInfo{}, false
	}
	return codeCatalog[i], true
}

// normCode reduces a spelling to the index key: upper case, no "0x", no
// "#", no "socket error"/"error" words, GnuTLS as "GNUTLS-N".
func normCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 64 {
		return ""
	}
	for _, p := range []string{"SOCKET ERROR", "WINSOCK ERROR", "ERROR"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	s = strings.TrimLeft(s, ":=# ")
	if strings.HasPrefix(s, "GNUTLS") {
		n := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "GNUTLS"), " ERROR"))
		return "GNUTLS-" + strings.TrimPrefix(n, "-")
	}
	return strings.TrimPrefix(s, "0X")
}
