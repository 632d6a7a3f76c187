package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/wizard"
)

// resultPage shows the most likely cause large, the other findings, the
// checks, and what to do with the report.
type resultPage struct {
	content fyne.CanvasObject
	rows    []*checkRow
	// message shows a failed save (the session's Error) or a done notice.
	message                    *widget.Label
	format                     *escSelect
	save, copy, again, setting *escButton
	newCheck                   *escButton
	findings                   []fyne.CanvasObject
}

func (w *Window) newResultPage(st wizard.State) *resultPage {
	l := st.Lang
	p := &resultPage{message: messageLabel()}
	body := container.NewVBox()
	var results []checks.Result
	if rep := st.Report; rep != nil {
		results = rep.Results
		// The diagnosis always names at least one finding (no-problem-found).
		if len(rep.Findings) > 0 {
			p.findings = append(p.findings, topFinding(rep.Findings[0], l))
			body.Add(p.findings[0])
		}
		if len(rep.Findings) > 1 {
			others := widget.NewAccordion()
			for _, f := range rep.Findings[1:] {
				others.Append(widget.NewAccordionItem(f.Title(l), findingBody(f, l)))
			}
			body.Add(sectionLabel(l.T("ui.result.others")))
			body.Add(others)
			p.findings = append(p.findings, others)
		}
	}
	if c := comparisonCard(st.Report, l); c != nil {
		body.Add(c)
	}
	body.Add(sectionLabel(l.T("ui.result.checks")))
	for _, res := range results {
		if _, set := w.open[res.ID]; !set && res.Status == checks.StatusFail {
			w.open[res.ID] = true
		}
		r := w.newCheckRow(res.ID, l)
		r.set(res, l)
		p.rows = append(p.rows, r)
		body.Add(r.content)
	}
	if len(st.Timeline) > 1 {
		body.Add(timeline(st))
	}

	names := make([]string, len(wizard.Formats))
	for i, f := range wizard.Formats {
		names[i] = l.T("ui.format." + string(f))
	}
	p.format = w.newSelect(names)
	p.format.SetSelected(l.T("ui.format." + string(w.format)))
	p.format.OnChanged = func(string) { w.format = wizard.Formats[max(p.format.SelectedIndex(), 0)] }
	p.save = w.newButton(l.T("ui.result.save"), theme.DocumentSaveIcon(), w.onSave)
	p.copy = w.newButton(l.T("ui.result.copy"), theme.ContentCopyIcon(), w.onCopy)
	p.again = w.newButton(l.T("ui.result.again"), theme.ViewRefreshIcon(), w.onRun)
	p.setting = w.newButton(l.T("ui.result.settings"), theme.SettingsIcon(), w.onBack)
	p.newCheck = w.newButton(l.T("window.result.new"), theme.ContentAddIcon(), w.onNew)
	p.save.Importance = widget.HighImportance
	if st.Report == nil {
		p.save.Disable()
		p.copy.Disable()
	}
	// Two rows, so that the longer Russian labels never widen the window.
	report := container.NewHBox(widget.NewLabel(l.T("ui.result.format")), p.format, p.save, p.copy)
	next := container.NewHBox(p.newCheck, p.setting, p.again)
	buttons := container.NewVBox(report, container.NewBorder(nil, nil, nil, next))
	var top fyne.CanvasObject
	if st.Simulated != nil {
		top = practiceBanner(st.Simulated, l)
	}
	p.content = container.NewBorder(top, container.NewVBox(widget.NewSeparator(), p.message, buttons), nil, nil, container.NewVScroll(body))
	return p
}

// update shows a failed save (the session's error) or the notice of the
// last action.
func (p *resultPage) update(st wizard.State, notice string) {
	switch {
	case st.Error != "":
		showMessage(p.message, st.Error, widget.DangerImportance)
	default:
		showMessage(p.message, notice, widget.SuccessImportance)
	}
}

// topFinding is the most likely cause, large: title, explanation and the
// numbered steps to fix it.
func topFinding(f wizard.Finding, l wizard.Lang) fyne.CanvasObject {
	kicker := widget.NewLabelWithStyle(l.T("ui.result.likely"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	return widget.NewCard("", "", container.NewVBox(kicker, headingLabel(f.Title(l)), findingBody(f, l)))
}

// findingBody is a finding's explanation and numbered steps.
func findingBody(f wizard.Finding, l wizard.Lang) fyne.CanvasObject {
	ex := widget.NewLabel(f.Explanation(l))
	ex.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(ex)
	if steps := f.Remediation(l); len(steps) > 0 {
		box.Add(sectionLabel(l.T("ui.result.fix")))
		for i, s := range steps {
			step := widget.NewLabel(fmt.Sprintf("%d. %s", i+1, s))
			step.Wrapping = fyne.TextWrapWord
			box.Add(step)
		}
	}
	// The user's program's steps come first; the others fold away.
	if others := f.OtherPrograms(l); len(others) > 0 {
		text := widget.NewLabel(strings.Join(others, "\n"))
		text.Wrapping = fyne.TextWrapWord
		box.Add(widget.NewAccordion(widget.NewAccordionItem(l.T("ui.result.other_programs"), text)))
	}
	return box
}

// saveTo writes the report in the chosen format; a failure shows as the
// session's error.
func (w *Window) saveTo(path string) {
	if w.s.SaveReport(path, w.format) == nil {
		w.notice = w.s.State().Lang.T("ui.result.saved", "path", path)
	}
	w.refresh()
}

// onCopy puts the report in the chosen format on the clipboard.
func (w *Window) onCopy() {
	data, err := w.s.Render(w.format)
	if err != nil {
		return
	}
	w.app.Clipboard().SetContent(string(data))
	w.s.ClearError()
	l := w.s.State().Lang
	w.notice = l.T("window.result.copied", "format", l.T("ui.format."+string(w.format)))
	w.refresh()
}

// reportFileName is the report's default file name: service, host and
// date ("report-smtp.example.com-2026-12-01.md"), the host cleaned to
// the characters of a name and shortened.
func reportFileName(st wizard.State, f wizard.Format, now time.Time) string {
	host := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return -1
	}, st.Form.Host)
	if len(host) > 60 {
		host = host[:60]
	}
	name := "report"
	if st.Practice != "" {
		name = "practice-report"
	}
	if host != "" {
		name += "-" + host
	}
	return name + "-" + now.Format("2006-01-02") + f.Ext()
}

// practiceBanner marks a practice run, on the checks and the result page:
// the servers are simulated on this computer and the result belongs in no
// ticket.
func practiceBanner(p *wizard.Practice, l wizard.Lang) fyne.CanvasObject {
	text := widget.NewLabelWithStyle(p.Banner(l), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	text.Importance = widget.WarningImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.InfoIcon())), nil, text)
}
