package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExplainFlags(t *testing.T) {
	msg := "Account: 'ann', Server: 'smtp.example.com', Protocol: SMTP, Port: 25, Secure(SSL): No, Socket Error: 10061, Error Number: 0x800CCC0E"
	code, out, errs := run(t, "", nil, "explain", "--format", "json", "--lang", "ru", msg)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var e struct {
		Pasted       map[string]any `json:"pasted_error"`
		Meanings     []struct{ Code, Kind, Meaning string }
		LikelyCauses []struct{ Cause, Text string } `json:"likely_causes"`
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if e.Pasted["text"] != msg || e.Pasted["server"] != "smtp.example.com" || e.Pasted["error_code"] != "0x800CCC0E" {
		t.Fatalf("pasted_error: %v", e.Pasted)
	}
	if len(e.Meanings) != 2 || e.Meanings[0].Code != "10061" || !strings.Contains(e.Meanings[0].Meaning, "отказ") {
		t.Fatalf("meanings (Russian): %+v", e.Meanings)
	}
	if len(e.LikelyCauses) == 0 || e.LikelyCauses[0].Cause != "service-down" {
		t.Fatalf("likely_causes: %+v", e.LikelyCauses)
	}
	// The flags are no part of the message, in any order and spelling.
	code, out, _ = run(t, msg, nil, "explain", "--format=text", "--lang=en", "-")
	if code != ExitOK || strings.Contains(out, "--format") || !strings.Contains(out, "assistant check --service smtp --host smtp.example.com") {
		t.Fatalf("text: exit %d\n%s", code, out)
	}
	// A message that starts with a dash stays a message.
	if code, out, _ = run(t, "", nil, "explain", "-ERR", "Authentication", "failed"); code != ExitOK || strings.Contains(out, "--") && strings.Contains(out, "flag") {
		t.Fatalf("dash text: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"explain", "--format", "xml", msg}, {"explain", "--formt", "json", msg}, {"explain", "--format"}} {
		if code, _, errs := run(t, "", nil, args...); code != ExitUsage || errs == "" {
			t.Errorf("%q: exit %d %q", args, code, errs)
		}
	}
}

// TestCheckFromErrorWithoutServer: a message that does not name its server
// is no empty server: the check asks for --host instead of naming host-missing.
func TestCheckFromErrorWithoutServer(t *testing.T) {
	code, out, errs := run(t, "", nil, "check", "--from-error", "Task 'Work - Sending' reported error (0x800CCC0E) : 'Cannot connect to the server.'", "--lang", "en")
	if code != ExitUsage || !strings.Contains(errs, "--host") || strings.Contains(out, "host-missing") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
}

// TestCheckFromErrorUnchecked: an SFTP log or a webmail account is said to
// be outside the check, in the user's language.
func TestCheckFromErrorUnchecked(t *testing.T) {
	sftp := "Status:\tConnecting to 192.0.2.7...\nResponse:\tfzSftp started, protocol_version=11\nCommand:\topen \"ann@192.0.2.7\" 22\nError:\tCould not connect to server"
	code, _, errs := run(t, "", nil, "check", "--from-error", sftp, "--lang", "ru")
	if code != ExitUsage || !strings.Contains(errs, "SFTP") || !strings.Contains(errs, "SFTP - SSH File Transfer Protocol") {
		t.Fatalf("sftp: exit %d %q", code, errs)
	}
	web := "Account: 'Hotmail', Server: 'http://mail.services.live.com/DeltaSync_v2.0.0/Sync.aspx', Error Number: 0x8DE00005"
	if code, _, errs = run(t, "", nil, "check", "--from-error", web); code != ExitUsage || !strings.Contains(errs, "HTTP") {
		t.Fatalf("webmail: exit %d %q", code, errs)
	}
}
