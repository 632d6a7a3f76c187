package wizard

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"assistant/checks"
)

// view is a report rendered into one language: every format prints the
// same view, so the formats never disagree.
type view struct {
	Lang     Lang
	Heading  string
	Created  string
	Findings []viewFinding
	Target   []row
	Pasted   []row
	Checks   []viewCheck
	Runs     []viewRun
	Env      []row
	Label    func(key string) string
}

type row struct{ Key, Value string }

type viewFinding struct {
	Cause Cause
	// OK marks a plain no-problem-found: every check passed (not a
	// cancelled run, no test file left), shown in green.
	OK          bool
	Title       string
	Confidence  string
	Explanation string
	Steps       []string
	Evidence    string
	Missing     []string
}

type viewCheck struct {
	ID         checks.CheckID
	Status     checks.Status
	StatusText string
	Title      string
	Summary    string
	Duration   string
	Fault      string
	Steps      []row
	Transcript []string
}

type viewRun struct {
	Time   string
	Status checks.Status
	Text   string
	Faults string
}

func (r *Report) view(l Lang) view {
	t := r.checkedTarget()
	v := view{Lang: l, Label: func(k string) string { return l.T("report." + k) }}
	v.Heading = l.T("report.heading", "service", strings.ToUpper(string(t.Service)), "host", displayHost(r.Target.Host, l), "port", t.Port)
	if r.Practice != nil {
		v.Heading = r.Practice.Banner(l) + " " + v.Heading
	}
	v.Created = r.Created.Format("2006-01-02 15:04:05 MST")
	for _, f := range r.Findings {
		vf := viewFinding{Cause: f.Cause, OK: f.Cause == NoProblemFound && f.Variant == "", Title: f.Title(l), Confidence: l.T("confidence." + string(f.Confidence)),
			Explanation: f.Explanation(l), Steps: f.Remediation(l), Evidence: evidenceWords(f.Evidence, l)}
		for _, m := range f.Missing {
			vf.Missing = append(vf.Missing, l.T(m))
		}
		v.Findings = append(v.Findings, vf)
	}
	pw := l.T("report.password.none")
	if t.Secret.Given() {
		pw = l.T("report.password.given")
	}
	v.Target = []row{
		{l.T("report.service"), strings.ToUpper(string(t.Service))},
		{l.T("report.host"), displayHost(r.Target.Host, l)},
		{l.T("report.port"), strconv.Itoa(t.Port)},
		{l.T("report.security"), l.T("security." + string(t.Security))},
	}
	if t.Service == checks.FTP {
		v.Target = append(v.Target, row{l.T("report.ftp_mode"), l.T("ftpmode." + string(t.FTPMode))})
	}
	if t.User != "" {
		v.Target = append(v.Target, row{l.T("report.user"), t.User}, row{l.T("report.password"), pw})
	}
	v.Target = append(v.Target, providerRows(r.Results, l)...)
	v.Target = append(v.Target, row{l.T("report.timeout"), t.Timeout.String()}, row{l.T("report.program"), r.stepsFor(l)})
	v.Target = append(v.Target, r.Account.rows(l)...)
	if r.Pasted != nil {
		v.Pasted = pastedRows(r.Pasted, l)
	}
	for _, res := range r.Results {
		vc := viewCheck{ID: res.ID, Status: res.Status, StatusText: StatusText(res.Status, l), Title: CheckTitle(res.ID, l),
			Summary: CheckSummary(res, l), Duration: ms(res.Duration), Transcript: res.Transcript}
		if res.Fault != nil {
			vc.Fault = faultLine(res.Fault)
		}
		for _, s := range res.Steps {
			vc.Steps = append(vc.Steps, row{s.Name, fmt.Sprintf("%s, %s%s", StatusText(s.Status, l), ms(s.Duration), prefixed(": ", s.Detail))})
		}
		v.Checks = append(v.Checks, vc)
	}
	v.Runs = timeline(r.Runs, l)
	v.Env = []row{
		{l.T("report.tool"), r.Tool.Name + " " + r.Tool.Version},
		{l.T("report.system"), r.Env.OS + "/" + r.Env.Arch + ", " + r.Env.Go},
		{l.T("report.created"), v.Created},
		{l.T("report.timezone"), r.Env.TimeZone},
	}
	return v
}

// timeline is the compact form of a repeated check's runs: one row for all
// of them (how many, how many failed, first and last start) and one per
// fault (how many runs had it, first and last time), in the order the
// faults first appeared; a thousand runs stay a few lines.
func timeline(runs []RunRecord, l Lang) []viewRun {
	if len(runs) == 0 {
		return nil
	}
	span := func(first, last time.Time) string {
		if first.Equal(last) {
			return first.Format("15:04:05")
		}
		return first.Format("15:04:05") + "–" + last.Format("15:04:05")
	}
	type tally struct {
		n           int
		first, last time.Time
	}
	failed := 0
	var order []string
	faults := map[string]*tally{}
	for _, run := range runs {
		if run.Status == checks.StatusFail {
			failed++
		}
		for _, f := range run.Faults {
			t := faults[f]
			if t == nil {
				t = &tally{first: run.Started}
				faults[f] = t
				order = append(order, f)
			}
			t.n++
			t.last = run.Started
		}
	}
	all := viewRun{Time: span(runs[0].Started, runs[len(runs)-1].Started), Status: checks.StatusPass,
		Text: l.T("cli2.runs.total", "runs", len(runs), "failed", failed)}
	if failed > 0 {
		all.Status = checks.StatusFail
	}
	rows := []viewRun{all}
	for _, f := range order {
		t := faults[f]
		rows = append(rows, viewRun{Time: span(t.first, t.last), Status: checks.StatusFail,
			Text: l.T("cli2.runs.fault", "count", t.n), Faults: faultWords(f, l)})
	}
	return rows
}

// evidenceWords names the checks a finding rests on by their titles.
func evidenceWords(ids []string, l Lang) string {
	titles := make([]string, len(ids))
	for i, id := range ids {
		titles[i] = CheckTitle(checks.CheckID(id), l)
	}
	return strings.Join(titles, ", ")
}

// faultWords says a run's "check:kind" fault in words: the check's title
// and what happened ("Connection to the port: reset by the peer").
func faultWords(f string, l Lang) string {
	id, kind, _ := strings.Cut(f, ":")
	what := kind
	if key := "fact.kind." + kind; l.Has(key) {
		what = l.T(key)
	}
	return CheckTitle(checks.CheckID(id), l) + ": " + what
}

// TermSafe makes text safe to print on a terminal: control characters
// (except newline and tab), DEL, C1 controls, line separators and the
// bidirectional overrides that reorder what is shown become visible escapes
// (\x1b, \u202e), and bytes that are not UTF-8 become \xNN. Every text
// the tool prints (the text and Markdown reports, explain, progress and
// messages) passes through it, so a server's greeting or a pasted message
// cannot move the cursor, retitle the window or hide what follows.
func TermSafe(s string) string {
	i := 0
	for i < len(s) && (s[i] >= 0x20 && s[i] < 0x7f || s[i] == '\n' || s[i] == '\t') {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for s = s[i:]; s != ""; s = s[i:] {
		r, n := utf8.DecodeRuneInString(s)
		i = n
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "\\x%02x", s[0])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r >= 0x80 && r <= 0x9f, unsafeFormat(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[:n])
		}
	}
	return b.String()
}

// unsafeFormat reports the invisible runes that change how a terminal
// shows the text around them: the bidirectional marks, embeddings,
// overrides and isolates, and the line and paragraph separators.
func unsafeFormat(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x2028 && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// faultLine is the fault's technical form: kind, stage, WinSock code, detail.
func faultLine(f *checks.Fault) string {
	s := string(f.Kind) + " @ " + string(f.Stage)
	if f.WinSock != 0 {
		s += fmt.Sprintf(" (WinSock %d)", f.WinSock)
	}
	if f.Detail != "" {
		s += ": " + f.Detail
	}
	return s
}

func displayHost(h string, l Lang) string {
	if strings.TrimSpace(h) == "" {
		return l.T("report.host.empty")
	}
	return h
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

var statusMark = map[checks.Status]string{
	checks.StatusPass: "[ OK ]", checks.StatusWarn: "[WARN]", checks.StatusFail: "[FAIL]",
	checks.StatusSkip: "[SKIP]", checks.StatusRunning: "[ .. ]", checks.StatusPending: "[    ]",
}

func renderText(v view) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	line("%s", v.Heading)
	line("%s", strings.Repeat("=", len([]rune(v.Heading))))
	line("")
	for i, f := range v.Findings {
		if i == 0 {
			line("%s: %s (%s)", v.Label("likely_cause"), f.Title, f.Confidence)
		} else {
			if i == 1 {
				line("%s:", v.Label("other_findings"))
			}
			line("- %s (%s)", f.Title, f.Confidence)
		}
		line("  %s", f.Explanation)
		for j, s := range f.Steps {
			line("  %d. %s", j+1, s)
		}
		for _, m := range f.Missing {
			line("  %s: %s", v.Label("missing"), m)
		}
		line("  %s: %s [%s]", v.Label("evidence"), f.Evidence, f.Cause)
		line("")
	}
	section := func(title string, rows []row) {
		if len(rows) == 0 {
			return
		}
		line("%s", title)
		for _, r := range rows {
			line("  %s: %s", r.Key, r.Value)
		}
		line("")
	}
	section(v.Label("target"), v.Target)
	section(v.Label("pasted"), v.Pasted)
	line("%s", v.Label("checks"))
	for _, c := range v.Checks {
		line("%s %-28s %8s  %s", statusMark[c.Status], c.Title, c.Duration, c.Summary)
		if c.Fault != "" {
			line("       %s", c.Fault)
		}
		for _, t := range c.Transcript {
			line("       | %s", t)
		}
	}
	line("")
	if len(v.Runs) > 0 {
		line("%s", v.Label("runs"))
		for _, r := range v.Runs {
			line("  %s %s %s%s", r.Time, statusMark[r.Status], r.Text, prefixed(": ", r.Faults))
		}
		line("")
	}
	section(v.Label("env"), v.Env)
	return b.String()
}

// mdEscape keeps table cells and inline text from breaking Markdown.
func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;").Replace(s)
}

func renderMarkdown(v view) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	line("# %s", mdEscape(v.Heading))
	line("")
	for i, f := range v.Findings {
		if i == 0 {
			line("## %s: %s", v.Label("likely_cause"), mdEscape(f.Title))
		} else {
			if i == 1 {
				line("## %s", v.Label("other_findings"))
			}
			line("### %s", mdEscape(f.Title))
		}
		line("")
		line("%s", mdEscape(f.Explanation))
		line("")
		for j, s := range f.Steps {
			line("%d. %s", j+1, mdEscape(s))
		}
		line("")
		line("*%s: %s · %s: %s · `%s`*", v.Label("confidence"), f.Confidence, v.Label("evidence"), f.Evidence, f.Cause)
		for _, m := range f.Missing {
			line("")
			line("> %s: %s", v.Label("missing"), mdEscape(m))
		}
		line("")
	}
	table := func(title string, rows []row) {
		if len(rows) == 0 {
			return
		}
		line("## %s", title)
		line("")
		line("| | |")
		line("|---|---|")
		for _, r := range rows {
			line("| %s | %s |", mdEscape(r.Key), mdEscape(r.Value))
		}
		line("")
	}
	table(v.Label("target"), v.Target)
	table(v.Label("pasted"), v.Pasted)
	line("## %s", v.Label("checks"))
	line("")
	line("| %s | %s | %s | %s |", v.Label("check"), v.Label("status"), v.Label("time"), v.Label("result"))
	line("|---|---|---|---|")
	for _, c := range v.Checks {
		line("| %s | %s | %s | %s |", mdEscape(c.Title), c.StatusText, c.Duration, mdEscape(c.Summary))
	}
	line("")
	for _, c := range v.Checks {
		if c.Fault == "" && len(c.Transcript) == 0 {
			continue
		}
		line("<details><summary>%s (%s)</summary>", mdEscape(c.Title), c.ID)
		line("")
		line("```")
		if c.Fault != "" {
			line("%s", c.Fault)
		}
		for _, t := range c.Transcript {
			line("%s", strings.ReplaceAll(t, "```", "'''"))
		}
		line("```")
		line("")
		line("</details>")
		line("")
	}
	if len(v.Runs) > 0 {
		line("## %s", v.Label("runs"))
		line("")
		line("| %s | %s | %s |", v.Label("time"), v.Label("status"), v.Label("faults"))
		line("|---|---|---|")
		for _, r := range v.Runs {
			line("| %s | %s | %s |", r.Time, r.Text, mdEscape(r.Faults))
		}
		line("")
	}
	table(v.Label("env"), v.Env)
	return b.String()
}

var htmlTmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde2ea;padding-bottom:.2rem}
.cause{border-left:5px solid #c62828;background:#fdf3f3;padding:.6rem 1rem;margin:1rem 0;border-radius:4px}
.cause.ok{border-color:#2e7d32;background:#f1f8f1}.cause h3{margin:.2rem 0}.meta{color:#5a6475;font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #dde2ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f9}.pass{color:#2e7d32}.warn{color:#b26a00}.fail{color:#c62828;font-weight:600}.skip{color:#7a8394}
pre{background:#f4f6f9;padding:.5rem;overflow-x:auto;white-space:pre-wrap;font-size:.8rem}
details{margin:.3rem 0}td.time{white-space:nowrap}@media print{details{display:block}details>*{display:block}body{margin:0}}
</style></head><body>
<h1>{{.Heading}}</h1><div class="meta">{{.Created}}</div>
{{range $i, $f := .Findings}}
{{if eq $i 1}}<h2>{{call $.Label "other_findings"}}</h2>{{end}}
<div class="cause{{if $f.OK}} ok{{end}}">
<h3>{{if eq $i 0}}{{call $.Label "likely_cause"}}: {{end}}{{$f.Title}}</h3>
<p>{{$f.Explanation}}</p>
<ol>{{range $f.Steps}}<li>{{.}}</li>{{end}}</ol>
{{range $f.Missing}}<p class="meta">{{call $.Label "missing"}}: {{.}}</p>{{end}}
<div class="meta">{{call $.Label "confidence"}}: {{$f.Confidence}} · {{call $.Label "evidence"}}: {{$f.Evidence}}</div>
</div>{{end}}
<h2>{{call .Label "target"}}</h2><table>{{range .Target}}<tr><th>{{.Key}}</th><td>{{.Value}}</td></tr>{{end}}</table>
{{if .Pasted}}<h2>{{call .Label "pasted"}}</h2><table>{{range .Pasted}}<tr><th>{{.Key}}</th><td>{{.Value}}</td></tr>{{end}}</table>{{end}}
<h2>{{call .Label "checks"}}</h2>
<table><tr><th>{{call .Label "check"}}</th><th>{{call .Label "status"}}</th><th>{{call .Label "time"}}</th><th>{{call .Label "result"}}</th></tr>
{{range .Checks}}<tr><td>{{.Title}}</td><td class="{{.Status}}">{{.StatusText}}</td><td class="time">{{.Duration}}</td><td>{{.Summary}}
{{if or .Fault .Transcript}}<details><summary>{{call $.Label "transcript"}}: {{.Title}}</summary><pre>{{if .Fault}}{{.Fault}}
{{end}}{{range .Transcript}}{{.}}
{{end}}</pre></details>{{end}}</td></tr>{{end}}</table>
{{if .Runs}}<h2>{{call .Label "runs"}}</h2><table><tr><th>{{call .Label "time"}}</th><th>{{call .Label "status"}}</th><th>{{call .Label "faults"}}</th></tr>
{{range .Runs}}<tr><td class="time">{{.Time}}</td><td class="{{.Status}}">{{.Text}}</td><td>{{.Faults}}</td></tr>{{end}}</table>{{end}}
<h2>{{call .Label "env"}}</h2><table>{{range .Env}}<tr><th>{{.Key}}</th><td>{{.Value}}</td></tr>{{end}}</table>
</body></html>
`))

func renderHTML(v view) ([]byte, error) {
	var b bytes.Buffer
	if err := htmlTmpl.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// pastedRows lists what the decoder recognised in a pasted message.
func pastedRows(d *Decoded, l Lang) []row {
	return []row{{l.T("report.pasted.text"), d.Text}}
}

// stepsFor names the programs the report's steps speak of: the user's, or
// the service's common ones when it was not named.
func (r *Report) stepsFor(l Lang) string {
	svc := r.Target.WithDefaults().Service
	if r.Program.ForService(svc) {
		return r.Program.Name(l)
	}
	var names []string
	for _, p := range commonPrograms(svc) {
		names = append(names, p.Name(l))
	}
	return l.T("report.program.common", "programs", strings.Join(names, ", "))
}
