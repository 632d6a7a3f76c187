package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// englishOS matches the English texts of Go's flag package and of the
// operating system that must never reach a Russian message.
var englishOS = regexp.MustCompile(`(?i)flag provided|invalid value|needs an argument|bad flag syntax|no such file|is a directory|permission denied|no space left|read-only file system|not a directory|parse error|\.assistant-probe|\.tmp-`)

// TestBadInputEveryCheckFlagBothLanguages gives every flag of check an
// unusable value, in both languages: exit 2, nothing on stdout, the
// message in the chosen language on stderr, no stack trace and no English
// text of the flag package or the system in the Russian messages.
func TestBadInputEveryCheckFlagBothLanguages(t *testing.T) {
	dir := t.TempDir()
	base := []string{"check", "--service", "smtp", "--host", "localhost"}
	cases := []struct {
		name   string
		args   []string
		en, ru string
	}{
		{"unknown flag", []string{"check", "--bogus"}, "There is no flag --bogus", "Флага --bogus нет"},
		{"single-dash unknown", []string{"check", "-bogus=1"}, "There is no flag -bogus=1", "Флага -bogus=1 нет"},
		{"bad syntax", []string{"check", "---x"}, "cannot be read as a flag", "не читается как флаг"},
		{"missing value", append(base, "--timeout"), "--timeout needs a value", "После флага --timeout нужно значение"},
		{"service", []string{"check", "--service", "gopher", "--host", "x"}, "Unknown service", "Неизвестная служба"},
		{"no service", []string{"check", "--host", "x"}, "--service", "Укажите тип сервера"},
		{"port word", append(base, "--port", "smtp"), "“smtp” of --port", "«smtp» для --port"},
		{"port range", append(base, "--port", "70000"), "outside 1–65535", "вне диапазона"},
		{"port zero", append(base, "--port", "0"), "outside 1–65535", "вне диапазона"},
		{"security", append(base, "--security", "ssl3"), "--security", "--security"},
		{"ftp-mode", []string{"check", "--service", "ftp", "--host", "x", "--ftp-mode", "sideways"}, "--ftp-mode", "--ftp-mode"},
		{"password-stdin", append(base, "--password-stdin=maybe"), "“maybe” of --password-stdin", "«maybe» для --password-stdin"},
		{"password-stdin empty", append(base, "--user", "ann", "--password-stdin"), "no password line", "нет строки с паролем"},
		{"transfer-size word", append(base, "--transfer-size", "lots"), "--transfer-size", "--transfer-size"},
		{"transfer-size huge", append(base, "--transfer-size", "1024GiB"), "at most 1GiB", "не больше 1GiB"},
		{"timeout word", append(base, "--timeout", "soon"), "--timeout", "не подходит"},
		{"timeout zero", append(base, "--timeout", "0s"), "--timeout", "не подходит"},
		{"timeout huge", append(base, "--timeout", "1000000h"), "at most 10m0s", "не больше 10m0s"},
		{"repeat word", append(base, "--repeat", "many"), "--repeat", "--repeat"},
		{"repeat zero", append(base, "--repeat", "0"), "--repeat", "--repeat"},
		{"repeat huge", append(base, "--repeat", "1000000", "--interval", "1s"), "at most 1000", "не больше 1000"},
		{"interval word", append(base, "--interval", "often"), "--interval", "--interval"},
		{"interval tiny", append(base, "--repeat", "3", "--interval", "0"), "at least 1s", "не меньше 1s"},
		{"resolver range", append(base, "--resolver", "300.1.1.1:99999"), "300.1.1.1:99999", "300.1.1.1:99999"},
		{"resolver bad ip", append(base, "--resolver", "300.1.1.1:53"), "--resolver", "--resolver"},
		{"resolver no port", append(base, "--resolver", "192.0.2.53"), "--resolver", "--resolver"},
		{"from-error-file missing", append(base, "--from-error-file", filepath.Join(dir, "nope.txt")), "there is no such file", "такого файла или папки нет"},
		{"from-error-file folder", append(base, "--from-error-file", dir), "it is a folder", "это папка"},
		{"lang", append(base, "--lang", "xx"), "Unknown language “xx”", "Неизвестный язык «xx»"},
		{"format", append(base, "--format", "pdf"), "“pdf” of --format", "«pdf» для --format"},
		{"output missing folder", append(base, "--output", filepath.Join(dir, "no", "r.txt")), "there is no such file", "такого файла или папки нет"},
		{"output folder", append(base, "--output", dir), "it is a folder", "это папка"},
		{"practice", []string{"check", "--practice", "no-such"}, "no-such", "no-such"},
		{"extra words", append(base, "surplus"), "surplus", "surplus"},
	}
	for _, c := range cases {
		for _, lang := range []string{"en", "ru"} {
			want := c.en
			args := append([]string{"check", "--lang=" + lang}, c.args[1:]...)
			if lang == "ru" {
				want = c.ru
			}
			code, out, errs := run(t, "", nil, args...)
			if code != ExitUsage || out != "" || !strings.Contains(errs, want) {
				t.Errorf("%s/%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.name, lang, code, out, errs, want)
			}
			if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic") {
				t.Errorf("%s/%s: stack trace: %s", c.name, lang, errs)
			}
			if lang == "ru" && (englishOS.MatchString(errs) || !regexp.MustCompile(`[а-яё]`).MatchString(errs)) {
				t.Errorf("%s/ru: English or no Russian in %q", c.name, errs)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("bad input left files behind: %v", entries)
	}
}

// TestGoodBoundsAreAccepted: the largest allowed values still run.
func TestGoodBoundsAreAccepted(t *testing.T) {
	for _, args := range [][]string{
		{"--transfer-size", "1GiB", "--timeout", "10m"},
		{"--resolver", "127.0.0.1:53"},
		{"--resolver", "[::1]:53"},
		{"--resolver", "localhost:5353"},
	} {
		code, _, errs := run(t, "", nil, append([]string{"check", "--service", "ftp", "--host", "", "--format", "json"}, args...)...)
		if code != ExitProblem {
			t.Errorf("%v: exit %d (%s), want 1 (host-missing)", args, code, errs)
		}
	}
}

// TestCheckHelpAndLanguageOfEveryCommand: check --help prints the usage
// (exit 0); an unknown --lang is unusable for every command.
func TestCheckHelpAndLanguageOfEveryCommand(t *testing.T) {
	if code, out, _ := run(t, "", nil, "check", "--help", "--lang", "ru"); code != ExitOK || !strings.Contains(out, "Использование") {
		t.Fatalf("check --help: exit %d, %q", code, out)
	}
	for _, cmd := range []string{"check", "explain", "version", "lab"} {
		if code, out, errs := run(t, "", nil, cmd, "--lang", "xx"); code != ExitUsage || out != "" || !strings.Contains(errs, "“xx”") {
			t.Errorf("%s --lang xx: exit %d, %q %q", cmd, code, out, errs)
		}
	}
}
