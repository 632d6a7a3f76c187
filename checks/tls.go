package checks

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"time"
)

// TLS modes recorded in TLSFacts.Mode.
const (
	TLSModeImplicit = "implicit"
	TLSModeExplicit = "starttls"
)

// TLSConfig is the client configuration for the target: the host's name for
// SNI and verification, a session cache (vsftpd requires TLS session reuse
// on FTP data connections), and certificate checks done by Handshake's
// verifier so that a bad certificate is described, not just refused.
func (s *Session) TLSConfig(facts *TLSFacts) *tls.Config {
	host := s.Target.Host
	cache := s.tlsCache
	if cache == nil {
		cache = tls.NewLRUClientSessionCache(8)
	}
	cfg := &tls.Config{
		ServerName:         host,
		ClientSessionCache: cache,
		InsecureSkipVerify: true, // verification is done below, with the details kept
	}
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		return verifyPeer(cs, host, s.opt.RootCAs, facts, s.Now())
	}
	return cfg
}

// verifyPeer checks the peer's certificate as a mail client would, records
// what it found in facts, and returns the x509 error for the first problem
// (expired or not yet valid, then untrusted, then name mismatch). now is
// this computer's clock, the one a mail program judges validity by.
func verifyPeer(cs tls.ConnectionState, host string, roots *x509.CertPool, facts *TLSFacts, now time.Time) error {
	if len(cs.PeerCertificates) == 0 {
		facts.Problem = TLSUntrusted
		return x509.UnknownAuthorityError{}
	}
	leaf := cs.PeerCertificates[0]
	facts.Subject = leaf.Subject.String()
	facts.Issuer = leaf.Issuer.String()
	facts.DNSNames = leaf.DNSNames
	facts.NotBefore, facts.NotAfter = leaf.NotBefore, leaf.NotAfter
	facts.SelfSigned = leaf.Subject.String() == leaf.Issuer.String() && leaf.CheckSignatureFrom(leaf) == nil

	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	// Trust is judged at a moment the certificate is valid, so an expired
	// but otherwise trusted certificate is reported as expired, not untrusted.
	_, trustErr := leaf.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, CurrentTime: leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2),
	})
	facts.Trusted = trustErr == nil
	nameErr := leaf.VerifyHostname(strings.TrimSuffix(host, "."))
	facts.NameMatch = nameErr == nil
	facts.CheckedAt = now
	switch {
	case now.After(leaf.NotAfter):
		facts.Problem = TLSExpired
		return x509.CertificateInvalidError{Cert: leaf, Reason: x509.Expired}
	case now.Before(leaf.NotBefore):
		facts.Problem = TLSNotYetValid
		return x509.CertificateInvalidError{Cert: leaf, Reason: x509.Expired}
	case trustErr != nil:
		facts.Problem = TLSUntrusted
		return trustErr
	case nameErr != nil:
		facts.Problem = TLSNameMismatch
		return nameErr
	}
	return nil
}

// Handshake upgrades c to TLS as the tls check: it begins that check,
// records version, cipher and certificate facts, classifies a failure at
// stage tls-handshake, and ends the check. mode is TLSModeImplicit or
// TLSModeExplicit. The returned error is the recorded fault.
func (s *Session) Handshake(c *Conn, mode string) error {
	rec := s.Begin(CheckTLS)
	defer s.End(CheckTLS)
	facts := &TLSFacts{Mode: mode, Offered: true}
	st, err := c.StartTLS(s.TLSConfig(facts))
	if err != nil {
		if facts.Problem == "" {
			facts.Problem = TLSHandshake
		}
		f := rec.Fail(StageTLSHandshake, err)
		switch {
		case f.Kind == FaultTLS && (facts.Problem == TLSExpired || facts.Problem == TLSNotYetValid):
			f.TLS = facts.Problem // judged by the session's clock
		case f.Kind == FaultTLS && f.TLS != "":
			facts.Problem = f.TLS
		case f.Kind == FaultTLS:
			f.TLS = facts.Problem
		}
		rec.Facts(func(r *Result) { r.TLS = facts })
		return f
	}
	facts.Version = tls.VersionName(st.Version)
	facts.Cipher = tls.CipherSuiteName(st.CipherSuite)
	rec.Step("handshake", facts.Version+" "+facts.Cipher, nil)
	rec.Facts(func(r *Result) { r.TLS = facts })
	return nil
}
