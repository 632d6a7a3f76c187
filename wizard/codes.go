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

// codeCatalog lists every code the decoder explains, each checked against
// a primary source:
//   - [imnxport] the Outlook Express / Windows Mail transport header
//     imnxport.h, "General Imnxport Return Values" and the SMTP, POP3 and IMAP
//     tables (HR_E(n) = 0x800C0000|n, FACILITY_INTERNET), as published in the
//     Windows Server 2003 source tree, public/sdk/inc/imnxport.h
//     (github.com/selfrender/Windows-Server-2003), and the transport code
//     there that raises them (IXP_E_SECURE_CONNECT_FAILED on AE_CLOSE while
//     AS_HANDSHAKING);
//   - [winsock] Microsoft, "Windows Sockets Error Codes",
//     https://learn.microsoft.com/windows/win32/winsock/windows-sockets-error-codes-2,
//     and ws2tcpip.h (EAI_NONAME = WSAHOST_NOT_FOUND, EAI_NODATA = EAI_NONAME,
//     EAI_FAIL = WSANO_RECOVERY);
//   - [gnutls] GnuTLS lib/includes/gnutls/gnutls.h.in and lib/errors.c
//     (github.com/gnutls/gnutls, commit f8971291), lib/record.c (a record
//     header cut short is -9, nothing at all -110);
//   - [filezilla] FileZilla's engine and libfilezilla sources: tls_layer_impl
//     ::failure logs "Server did not properly shut down TLS connection" for
//     -9 and -110 at end of file, log_alert "Received TLS alert from the
//     server", the pull error "GnuTLS could not read from socket", the
//     transfer socket "The data connection could not be established", the
//     passive-mode code "Server sent passive reply with unroutable address.
//     Using server address instead."
var codeCatalog = []CodeInfo{
	// Outlook, Outlook Express, Windows Mail [imnxport].
	{Code: "0x800CCC01", Kind: KindOutlook, Causes: []Cause{TLSCertificate, TLSIntercepted}},                                                   // IXP_E_INVALID_CERT_CN
	{Code: "0x800CCC02", Kind: KindOutlook, Causes: []Cause{TLSCertificate}},                                                                   // IXP_E_INVALID_CERT_DATE
	{Code: "0x800CCC0B", Kind: KindOutlook, Causes: []Cause{ServerBusy, Intermittent}},                                                         // IXP_E_BUSY
	{Code: "0x800CCC0D", Kind: KindOutlook, Causes: []Cause{DNSNotFound, HostMalformed, DNSFailure, NetworkUnreachable}},                       // IXP_E_CANT_FIND_HOST
	{Code: "0x800CCC0E", Kind: KindOutlook, Causes: []Cause{PortBlocked, ServiceDown, WrongPort, SecurityMismatch, NetworkUnreachable}},        // IXP_E_FAILED_TO_CONNECT
	{Code: "0x800CCC0F", Kind: KindOutlook, Causes: []Cause{ConnectionReset, ConnectionAborted, SecurityMismatch, TLSIntercepted, ServerBusy}}, // IXP_E_CONNECTION_DROPPED
	{Code: "0x800CCC13", Kind: KindOutlook, Causes: []Cause{NetworkUnreachable, ConnectionAborted, TLSIntercepted}},                            // IXP_E_SOCKET_WRITE_ERROR
	{Code: "0x800CCC15", Kind: KindOutlook, Causes: []Cause{PortBlocked, ServiceDown, NetworkUnreachable}},                                     // IXP_E_SOCKET_CONNECT_ERROR
	{Code: "0x800CCC18", Kind: KindOutlook, Causes: []Cause{AuthFailed}},                                                                       // IXP_E_SICILY_LOGON_FAILED
	{Code: "0x800CCC19", Kind: KindOutlook, Causes: []Cause{GreetingTimeout, PortBlocked, NetworkUnreachable}},                                 // IXP_E_TIMEOUT
	// IXP_E_SECURE_CONNECT_FAILED: the connection closed during the TLS
	// handshake. Plain text on an SSL port cannot produce it (that times out).
	{Code: "0x800CCC1A", Kind: KindOutlook, Causes: []Cause{TLSHandshake, TLSIntercepted, SecurityMismatch}},
	{Code: "0x800CCC60", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired, ServerBusy}},                    // IXP_E_SMTP_RESPONSE_ERROR
	{Code: "0x800CCC67", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{ServerBusy, PortBlocked, TLSIntercepted}},     // IXP_E_SMTP_421_NOT_AVAILABLE
	{Code: "0x800CCC69", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired}},                                // IXP_E_SMTP_550_MAILBOX_NOT_FOUND
	{Code: "0x800CCC6A", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{ServerBusy, Intermittent}},                    // IXP_E_SMTP_451_ERROR_PROCESSING
	{Code: "0x800CCC6D", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{TransferInterrupted}},                         // IXP_E_SMTP_552_STORAGE_OVERFLOW
	{Code: "0x800CCC6E", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired}},                                // IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX
	{Code: "0x800CCC6F", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired, ServerBusy}},                    // IXP_E_SMTP_554_TRANSACT_FAILED
	{Code: "0x800CCC78", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired, AuthFailed}},                    // IXP_E_SMTP_REJECTED_SENDER
	{Code: "0x800CCC79", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{AuthRequired, AuthFailed}},                    // IXP_E_SMTP_REJECTED_RECIPIENTS
	{Code: "0x800CCC7C", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{SecurityMismatch}},                            // IXP_E_SMTP_530_STARTTLS_REQUIRED
	{Code: "0x800CCC7D", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{StartTLSUnavailable, SecurityMismatch}},       // IXP_E_SMTP_NO_STARTTLS_SUPPORT
	{Code: "0x800CCC7F", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{TLSHandshake, TLSIntercepted}},                // IXP_E_SMTP_454_STARTTLS_FAILED
	{Code: "0x800CCC90", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{AuthFailed, ServerBusy}},                      // IXP_E_POP3_RESPONSE_ERROR
	{Code: "0x800CCC91", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{AuthFailed}},                                  // IXP_E_POP3_INVALID_USER_NAME
	{Code: "0x800CCC92", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{AuthFailed}},                                  // IXP_E_POP3_INVALID_PASSWORD
	{Code: "0x800CCC93", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{WrongPort, SecurityMismatch, TLSIntercepted}}, // IXP_E_POP3_PARSE_FAILURE
	{Code: "0x800CCCD1", Kind: KindOutlook, Service: checks.IMAP, Causes: []Cause{AuthFailed}},                                  // IXP_E_IMAP_LOGINFAILURE
	{Code: "0x800CCCD2", Kind: KindOutlook, Service: checks.IMAP, Causes: []Cause{AuthFailed, ServerBusy}},                      // IXP_E_IMAP_TAGGED_NO_RESPONSE
	{Code: "0x800CCCD5", Kind: KindOutlook, Service: checks.IMAP, Causes: []Cause{WrongPort, SecurityMismatch}},                 // IXP_E_IMAP_NOTIMAPSERVER
	{Code: "0x800CCCD9", Kind: KindOutlook, Service: checks.IMAP, Causes: []Cause{ServerBusy}},                                  // IXP_E_IMAP_CONNECTION_REFUSED (BYE on greeting)
	{Code: "0x800CCCDD", Kind: KindOutlook, Service: checks.IMAP, Causes: []Cause{ConnectionAborted, ServerBusy}},               // IXP_E_IMAP_UNSOLICITED_BYE
	{Code: "0x800CCCDF", Kind: KindOutlook, Service: checks.IMAP, Causes: []Cause{AuthUnavailable}},                             // IXP_E_IMAP_AUTH_NOT_POSSIBLE
	{Code: "0x800CCCE0", Kind: KindOutlook, Service: checks.IMAP, Causes: []Cause{AuthUnavailable, AuthFailed}},                 // IXP_E_IMAP_OUT_OF_AUTH_METHODS
	// Outlook 2000-2003 MAPI transport codes (0x8004210x): kept from the first
	// catalog; no primary source was found to re-check them against.
	{Code: "0x80042108", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{NetworkUnreachable, PortBlocked, ServiceDown, SecurityMismatch}},
	{Code: "0x80042109", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{PortBlocked, WrongPort, ServiceDown, NetworkUnreachable}},
	{Code: "0x8004210A", Kind: KindOutlook, Service: checks.POP3, Causes: []Cause{GreetingTimeout, SecurityMismatch, TLSIntercepted, NetworkUnreachable}},
	{Code: "0x8004210B", Kind: KindOutlook, Service: checks.SMTP, Causes: []Cause{GreetingTimeout, PortBlocked, SecurityMismatch, TLSIntercepted}},

	// WinSock [winsock], with the Unix errno names of the same condition.
	{Code: "10013", Kind: KindWinSock, Names: []string{"WSAEACCES", "EACCES"}, Causes: []Cause{PortBlocked}},
	{Code: "10048", Kind: KindWinSock, Names: []string{"WSAEADDRINUSE", "EADDRINUSE"}, Causes: []Cause{FTPActiveBlocked, Intermittent}},
	{Code: "10049", Kind: KindWinSock, Names: []string{"WSAEADDRNOTAVAIL", "EADDRNOTAVAIL"}, Causes: []Cause{HostMalformed, NetworkUnreachable}},
	{Code: "10050", Kind: KindWinSock, Names: []string{"WSAENETDOWN", "ENETDOWN"}, Causes: []Cause{NetworkUnreachable}},
	{Code: "10051", Kind: KindWinSock, Names: []string{"WSAENETUNREACH", "ENETUNREACH"}, Causes: []Cause{NetworkUnreachable}},
	{Code: "10052", Kind: KindWinSock, Names: []string{"WSAENETRESET", "ENETRESET"}, Causes: []Cause{ConnectionReset, Intermittent}},
	// "An established connection was aborted by the software in your host
	// computer, possibly due to a data transmission time-out or protocol error."
	{Code: "10053", Kind: KindWinSock, Names: []string{"WSAECONNABORTED", "ECONNABORTED"}, Causes: []Cause{ConnectionAborted, TLSIntercepted, SecurityMismatch}},
	{Code: "10054", Kind: KindWinSock, Names: []string{"WSAECONNRESET", "ECONNRESET"}, Causes: []Cause{ConnectionReset, SecurityMismatch, TLSIntercepted}},
	{Code: "10055", Kind: KindWinSock, Names: []string{"WSAENOBUFS", "ENOBUFS"}, Causes: []Cause{Intermittent}},
	{Code: "10057", Kind: KindWinSock, Names: []string{"WSAENOTCONN", "ENOTCONN"}, Causes: []Cause{ConnectionAborted}},
	{Code: "10058", Kind: KindWinSock, Names: []string{"WSAESHUTDOWN", "ESHUTDOWN"}, Causes: []Cause{ConnectionAborted}},
	{Code: "10060", Kind: KindWinSock, Names: []string{"WSAETIMEDOUT", "ETIMEDOUT"}, Causes: []Cause{PortBlocked, NetworkUnreachable, SecurityMismatch}},
	{Code: "10061", Kind: KindWinSock, Names: []string{"WSAECONNREFUSED", "ECONNREFUSED"}, Causes: []Cause{ServiceDown, WrongPort}},
	{Code: "10064", Kind: KindWinSock, Names: []string{"WSAEHOSTDOWN", "EHOSTDOWN"}, Causes: []Cause{NetworkUnreachable}},
	{Code: "10065", Kind: KindWinSock, Names: []string{"WSAEHOSTUNREACH", "EHOSTUNREACH"}, Causes: []Cause{NetworkUnreachable}},
	// WSAHOST_NOT_FOUND; Windows defines EAI_NONAME and EAI_NODATA as it.
	// Microsoft KB Q181129 puts "no Internet connection" first for 0x800CCC0D.
	{Code: "11001", Kind: KindWinSock, Names: []string{"WSAHOST_NOT_FOUND", "EAI_NONAME"}, Causes: []Cause{DNSNotFound, HostMalformed, DNSFailure, NetworkUnreachable}},
	{Code: "11002", Kind: KindWinSock, Names: []string{"WSATRY_AGAIN", "EAI_AGAIN"}, Causes: []Cause{DNSFailure}},
	{Code: "11003", Kind: KindWinSock, Names: []string{"WSANO_RECOVERY", "EAI_FAIL"}, Causes: []Cause{DNSFailure}},
	// WSANO_DATA. glibc's EAI_NODATA (-5) means the same, but on Windows
	// EAI_NODATA is EAI_NONAME (11001), so the name is not taken as 11004.
	{Code: "11004", Kind: KindWinSock, Names: []string{"WSANO_DATA"}, Causes: []Cause{DNSNotFound}},
	// EPIPE: writing to a connection whose local end has been shut down
	// (POSIX write()); the peer's close or reset is the usual reason.
	{Code: "EPIPE", Kind: KindErrno, Causes: []Cause{ConnectionAborted, ConnectionReset, TransferInterrupted}},

	// GnuTLS errors as FileZilla shows them ("GnuTLS error -15 in gnutls_record_recv") [gnutls].
	{Code: "GNUTLS-8", Kind: KindGnuTLS, Causes: []Cause{TLSHandshake, SecurityMismatch}}, // GNUTLS_E_UNSUPPORTED_VERSION_PACKET
	// GNUTLS_E_UNEXPECTED_PACKET_LENGTH: the peer closed within a record
	// header; FileZilla then says "Server did not properly shut down TLS connection".
	{Code: "GNUTLS-9", Kind: KindGnuTLS, Causes: []Cause{ConnectionAborted, TransferInterrupted, TLSIntercepted}},
	{Code: "GNUTLS-12", Kind: KindGnuTLS, Causes: []Cause{TLSHandshake, TLSCertificate}},                          // GNUTLS_E_FATAL_ALERT_RECEIVED
	{Code: "GNUTLS-15", Kind: KindGnuTLS, Causes: []Cause{SecurityMismatch, TLSIntercepted, TLSHandshake}},        // GNUTLS_E_UNEXPECTED_PACKET
	{Code: "GNUTLS-19", Kind: KindGnuTLS, Causes: []Cause{TLSHandshake, TLSIntercepted}},                          // GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET
	{Code: "GNUTLS-21", Kind: KindGnuTLS, Causes: []Cause{TLSHandshake}},                                          // GNUTLS_E_UNKNOWN_CIPHER_SUITE
	{Code: "GNUTLS-24", Kind: KindGnuTLS, Causes: []Cause{TLSIntercepted, TLSHandshake}},                          // GNUTLS_E_DECRYPTION_FAILED
	{Code: "GNUTLS-50", Kind: KindGnuTLS, Causes: []Cause{TLSHandshake}},                                          // GNUTLS_E_INVALID_REQUEST
	{Code: "GNUTLS-53", Kind: KindGnuTLS, Causes: []Cause{ConnectionReset, TLSIntercepted}},                       // GNUTLS_E_PUSH_ERROR
	{Code: "GNUTLS-54", Kind: KindGnuTLS, Causes: []Cause{ConnectionReset, TLSIntercepted}},                       // GNUTLS_E_PULL_ERROR
	{Code: "GNUTLS-110", Kind: KindGnuTLS, Causes: []Cause{ConnectionAborted, TransferInterrupted, TLSHandshake}}, // GNUTLS_E_PREMATURE_TERMINATION

	// Client messages without a number.
	{Code: "filezilla-inactivity", Kind: KindMessage, Service: checks.FTP, Causes: []Cause{FTPPassiveBlocked, GreetingTimeout, SecurityMismatch, TransferInterrupted}},
	{Code: "closed-by-server", Kind: KindMessage, Causes: []Cause{ConnectionAborted, ServerBusy, AuthFailed}},
	{Code: "connect-failed", Kind: KindMessage, Causes: []Cause{ServiceDown, PortBlocked, WrongPort, NetworkUnreachable}},
	// Thunderbird / NSS: "The certificate is not trusted because it is self-signed."
	{Code: "cert-untrusted", Kind: KindMessage, Causes: []Cause{TLSCertificate, TLSIntercepted}},
	// FileZilla: "The data connection could not be established: ECONNREFUSED - Connection refused by server" [filezilla].
	{Code: "filezilla-data-connection", Kind: KindMessage, Service: checks.FTP, Causes: []Cause{FTPPassiveBlocked, FTPActiveBlocked, FTPPasvAddress}},
	// FileZilla: "Server sent passive reply with unroutable address. Using server address instead." [filezilla].
	{Code: "filezilla-unroutable", Kind: KindMessage, Service: checks.FTP, Causes: []Cause{FTPPasvAddress}},

	// Kinds of server replies quoted in the message.
	{Code: "reply-421", Kind: KindReply, Causes: []Cause{ServerBusy}},
	{Code: "reply-starttls", Kind: KindReply, Causes: []Cause{SecurityMismatch}},
	{Code: "reply-relay", Kind: KindReply, Causes: []Cause{AuthRequired}},
	{Code: "reply-auth", Kind: KindReply, Causes: []Cause{AuthFailed}},
	// A provider's refusal of the pattern table (policy.go).
	{Code: "reply-app-password-required", Kind: KindReply, Causes: []Cause{AppPasswordRequired}},
	{Code: "reply-oauth-required", Kind: KindReply, Causes: []Cause{OAuthRequired}},
	{Code: "reply-access-disabled", Kind: KindReply, Causes: []Cause{AccessDisabled}},
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
