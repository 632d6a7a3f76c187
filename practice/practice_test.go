package practice_test

import (
	"context"
	"errors"
	"testing"

	"assistant/practice"
	"assistant/wizard"
)

// expected is the cause each scenario must lead to.
var expected = map[practice.ID]wizard.Cause{
	practice.SMTPPortBlocked:    wizard.PortBlocked,
	practice.SMTPWrongSSL:       wizard.SecurityMismatch,
	practice.SMTPReset:          wizard.ConnectionReset,
	practice.SMTPAntivirus:      wizard.TLSIntercepted,
	practice.SMTPStartTLSAbsent: wizard.StartTLSUnavailable,
	practice.SMTPServiceDown:    wizard.ServiceDown,
	practice.POP3WrongPassword:  wizard.AuthFailed,
	practice.IMAPHealthy:        wizard.NoProblemFound,
	practice.FTPBusy:            wizard.ServerBusy,
	practice.FTPPassiveBlocked:  wizard.FTPPassiveBlocked,
	practice.FTPUploadReset:     wizard.TransferInterrupted,
	practice.FTPForeignPassive:  wizard.FTPPasvAddress,
	practice.SMTPProviderServer: wizard.SettingsDiffer,
	practice.FTPServerRestarted: wizard.IdleTimeout,
}

// TestScenariosLeadToTheirCause runs every scenario's real checks and
// asserts the top finding, and that each has texts in both languages.
func TestScenariosLeadToTheirCause(t *testing.T) {
	if len(practice.IDs()) < len(expected)-1 {
		t.Fatalf("only %d scenarios", len(practice.IDs()))
	}
	for _, id := range practice.IDs() {
		t.Run(string(id), func(t *testing.T) {
			t.Parallel()
			want, ok := expected[id]
			if !ok {
				t.Fatalf("no expected cause for %s", id)
			}
			for _, l := range wizard.Langs {
				if !l.Has("practice."+string(id)+".title") || !l.Has("practice."+string(id)+".about") {
					t.Errorf("%s: texts missing in %s", id, l)
				}
			}
			lab, err := practice.Start(id)
			if err != nil {
				t.Fatal(err)
			}
			defer lab.Close()
			if practice.Service(id) != lab.Target.Service {
				t.Errorf("service %s, lab checks %s", practice.Service(id), lab.Target.Service)
			}
			rep, err := wizard.Check(context.Background(), wizard.RunSpec{Target: lab.Target, Options: lab.Options})
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Findings[0].Cause; got != want {
				t.Fatalf("top finding %s, want %s (%+v)", got, want, rep.Findings)
			}
		})
	}
	if _, err := practice.Start("no-such"); err == nil {
		t.Error("unknown scenario started")
	}
}

// TestUnavailableScenariosSayWhy checks that every scenario has the text
// the window and the command line show where this system cannot run it,
// and that Start refuses it with ErrUnavailable rather than ErrUnknown.
func TestUnavailableScenariosSayWhy(t *testing.T) {
	if len(practice.All()) < len(practice.IDs()) {
		t.Fatal("All lists fewer scenarios than IDs")
	}
	for _, id := range practice.All() {
		if practice.Available(id) {
			continue
		}
		if _, err := practice.Start(id); !errors.Is(err, practice.ErrUnavailable) {
			t.Errorf("%s: Start: %v", id, err)
		}
	}
	for _, l := range wizard.Langs {
		if !l.Has("practice." + string(practice.SMTPPortBlocked) + ".unavailable") {
			t.Errorf("%s: no reason text for %s", l, practice.SMTPPortBlocked)
		}
	}
	if _, err := practice.Start("no-such"); !errors.Is(err, practice.ErrUnknown) {
		t.Errorf("unknown scenario: %v", err)
	}
}
