package wizard

import (
	"strings"

	"assistant/checks"
)

// Confidence says how sure a finding is.
type Confidence string

// Confidence levels of the JSON report contract.
const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// Finding is one likely cause named by the diagnosis, with the evidence it
// rests on. Its texts are rendered on demand in either language, so a
// language switch needs no new diagnosis.
type Finding struct {
	Cause      Cause
	Confidence Confidence
	// Evidence lists the IDs of the checks the finding rests on.
	Evidence []string
	// Facts fill the texts' {placeholders}: host, port, stage, reply, code,
	// alt_port, alt_security, offset, ... Values are plain data, never words
	// of one language.
	Facts map[string]string
	// Variant selects a case-specific explanation, cause.<id>.explanation.<variant>
	// (e.g. "expired" for tls-certificate); empty means cause.<id>.explanation.
	Variant string
	// Missing names evidence that was not observed, for lower confidence
	// (text keys, rendered in the report's language).
	Missing []string
	// Steps are the text keys of the remediation steps chosen for this
	// case (Outlook or FileZilla wording, the port that answered, ...).
	// Empty means the cause's default steps: cause.<id>.step1, step2, ...
	// A key without a text of its own is program-specific: its texts are
	// <key>.<program>, and Program picks which are shown.
	Steps []string
	// Program is the user's mail or FTP program, whose steps come first;
	// ProgramUnknown shows the steps of the service's common programs.
	Program Program
}

// args turns the facts into T's name, value pairs for a text of program
// p (ProgramUnknown for one that speaks of no program). A value that has a
// text fact.<name>.<value> in l (a stage, a security mode) is shown in its
// words, the program's own first (fact.set_security.tls.outlook: "SSL/TLS
// (Outlook 2010/2013: SSL)"), then the service's (fact.stage.hello.ftp:
// FTP's hello stage is FEAT/SYST, not EHLO).
func (f Finding) args(l Lang, p Program) []any {
	out := make([]any, 0, 2*len(f.Facts))
	svc := strings.ToLower(f.Facts["service"])
	for k, v := range f.Facts {
		base := "fact." + k + "." + v
		for _, key := range []string{base + "." + string(p), base + "." + svc, base} {
			if !strings.HasSuffix(key, ".") && l.Has(key) {
				v = l.T(key)
				break
			}
		}
		out = append(out, k, v)
	}
	return out
}

// Title is the finding's short title in l: the variant's own title,
// cause.<id>.title.<variant>, where it has one.
func (f Finding) Title(l Lang) string {
	key := "cause." + string(f.Cause) + ".title"
	if f.Variant != "" && l.Has(key+"."+f.Variant) {
		key += "." + f.Variant
	}
	return l.T(key, f.args(l, ProgramUnknown)...)
}

// Explanation is the plain-language explanation quoting the evidence, in l.
func (f Finding) Explanation(l Lang) string {
	key := "cause." + string(f.Cause) + ".explanation"
	if f.Variant != "" {
		key += "." + f.Variant
	}
	return l.T(key, f.args(l, ProgramUnknown)...)
}

// Gaps renders Missing in l: the evidence that was not observed.
func (f Finding) Gaps(l Lang) []string {
	out := make([]string, 0, len(f.Missing))
	for _, key := range f.Missing {
		out = append(out, l.T(key, f.args(l, ProgramUnknown)...))
	}
	return out
}

// Remediation is the numbered list of steps to fix it, in l (without
// numbers). A program-specific step gives the user's program's text or,
// when the program is unknown or has no text for it, one step for each of
// the service's common programs.
func (f Finding) Remediation(l Lang) []string {
	var out []string
	for _, key := range f.stepKeys(l) {
		if l.Has(key) {
			out = append(out, l.T(key, f.args(l, ProgramUnknown)...))
			continue
		}
		for _, p := range f.programs(l, key) {
			out = append(out, l.T(key+"."+string(p), f.args(l, p)...))
		}
	}
	return out
}

// OtherPrograms is what the program-specific steps say for the service's
// other programs, when the user's program is known: the window folds them
// away under the steps for the user's program.
func (f Finding) OtherPrograms(l Lang) []string {
	if f.Program == ProgramUnknown {
		return nil
	}
	shown := map[string]bool{}
	for _, key := range f.stepKeys(l) {
		for _, p := range f.programs(l, key) {
			shown[key+"."+string(p)] = true
		}
	}
	var out []string
	for _, key := range f.stepKeys(l) {
		for _, p := range Programs {
			k := key + "." + string(p)
			if !shown[k] && p.ForService(f.service()) && l.Has(k) {
				out = append(out, l.T(k, f.args(l, p)...))
			}
		}
	}
	return out
}

// stepKeys are the finding's step keys: Steps, or the cause's defaults.
func (f Finding) stepKeys(l Lang) []string {
	if len(f.Steps) > 0 {
		return f.Steps
	}
	var keys []string
	for i := 1; ; i++ {
		key := "cause." + string(f.Cause) + ".step" + itoa(i)
		if !l.HasStep(key) {
			return keys
		}
		keys = append(keys, key)
	}
}

// programs are the programs whose text of a program-specific step is
// shown: the user's program when it has one, else the common ones.
func (f Finding) programs(l Lang, key string) []Program {
	if f.Program != ProgramUnknown && l.Has(key+"."+string(f.Program)) {
		return []Program{f.Program}
	}
	var out []Program
	for _, p := range commonPrograms(f.service()) {
		if l.Has(key + "." + string(p)) {
			out = append(out, p)
		}
	}
	return out
}

// service is the service the finding is about (its "service" fact).
func (f Finding) service() checks.Service {
	return checks.Service(strings.ToLower(f.Facts["service"]))
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
