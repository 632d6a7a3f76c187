//go:build linux

package checks_test

import (
	"slices"
	"testing"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

func init() { netnsScenarios["provider-yandex"] = netnsProviderYandex }

// netnsProviderYandex: an account with Yandex's old settings (smtp.yandex.ru,
// port 25, no encryption) and the bundled database's entry for yandex.ru
// (smtp.yandex.com, 465, SSL). Inside the namespace the test zone resolves
// both names to 127.0.0.1 and a test peer with a certificate for
// smtp.yandex.com listens on 465: nothing reaches Yandex.
func netnsProviderYandex(t *testing.T, setup func(map[string]string)) any {
	l := newProvLab(t)
	l.add(t, "smtp.yandex.com. 60 IN A 127.0.0.1", "smtp.yandex.ru. 60 IN A 127.0.0.1")
	peer, err := faultpeer.SMTPAt("127.0.0.1:465", faultpeer.SMTPOptions{TLS: l.tlsFor(t, "smtp.yandex.com"), Implicit: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	setup(nil)
	return netRun(t, checks.Target{Service: checks.SMTP, Host: "smtp.yandex.ru", Port: 25, Security: checks.SecurityNone,
		Email: "ann@yandex.ru", User: "ann", Secret: checks.NewSecret("not-the-password"), Timeout: 2 * time.Second,
		Resolver: l.dns.Addr}, l.opt)
}

func TestNetnsProviderDatabase(t *testing.T) {
	var res []checks.Result
	runInNetns(t, "provider-yandex", nil, &res)
	wantFaultOf(t, res, checks.CheckTCP, checks.FaultRefused, checks.StageConnect, checks.WSAECONNREFUSED)
	f := netResult(t, res, checks.CheckProvider).Provider
	if f == nil || f.Source != checks.SourceISPDB || f.Name != "Yandex Mail" || f.Documented == nil {
		t.Fatalf("provider %+v", f)
	}
	d := f.Documented
	if d.Host != "smtp.yandex.com" || d.Port != 465 || d.Security != "tls" || f.User != "ann@yandex.ru" {
		t.Errorf("documented %+v user %q", d, f.User)
	}
	if !slices.Equal(f.Differs, []string{"host", "port", "security", "user"}) {
		t.Errorf("differs %v", f.Differs)
	}
	// The documented server answers with TLS; the peer refuses this account.
	if f.Probe == nil || !f.Probe.TLS || f.Probe.Login != "refused" || f.Probe.FailedCheck != checks.CheckAuth {
		t.Errorf("probe %+v", f.Probe)
	}
}
