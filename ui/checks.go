package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"assistant/checks"
	"assistant/wizard"
)

// checksPage shows the planned checks live while they run.
type checksPage struct {
	content  fyne.CanvasObject
	rows     []*checkRow
	status   *widget.Label
	progress *widget.ProgressBar
	cancel   *escButton
	watch    *watchControl
	timeline *fyne.Container
	runs     int // the runs the timeline shows
	lang     wizard.Lang
}

func (w *Window) newChecksPage(st wizard.State) *checksPage {
	l := st.Lang
	p := &checksPage{lang: l, timeline: container.NewVBox()}
	list := container.NewVBox()
	for _, c := range st.Checks {
		r := w.newCheckRow(c.ID, l)
		p.rows = append(p.rows, r)
		list.Add(r.content)
		list.Add(widget.NewSeparator())
	}
	p.status = widget.NewLabel("")
	p.progress = widget.NewProgressBar()
	p.cancel = w.newButton(l.T("ui.checks.cancel"), theme.CancelIcon(), w.onCancel)
	p.cancel.Importance = widget.DangerImportance
	p.watch = w.newWatchControl(st)
	f := st.Form
	heading := l.T("ui.checks.heading", "service", serviceName(l, f.Service), "host", shorten(f.Host), "port", f.Port)
	if sim := st.Simulated; sim != nil {
		heading = l.T("window.checks.practice_heading", "service", serviceName(l, f.Service), "port", sim.Ports[0].Port, "address", sim.Ports[0].Address)
	}
	top := container.NewVBox(headingLabel(heading), p.status)
	if st.Simulated != nil {
		top.Objects = append([]fyne.CanvasObject{practiceBanner(st.Simulated, l)}, top.Objects...)
	}
	bottom := container.NewVBox(p.progress, container.NewBorder(nil, nil, p.watch.content, p.cancel))
	p.content = container.NewBorder(top, bottom, nil, nil, container.NewVScroll(container.NewVBox(p.timeline, list)))
	return p
}

func (p *checksPage) update(st wizard.State) {
	l := st.Lang
	for i, r := range p.rows {
		if i < len(st.Checks) {
			r.set(st.Checks[i].Result, l)
		}
	}
	p.progress.Max = float64(max(st.Total, 1))
	p.progress.TextFormatter = func() string { return l.T("ui.checks.progress", "done", st.Done, "total", st.Total) }
	p.progress.SetValue(float64(st.Done))
	switch {
	case st.Watch && len(st.Timeline) > 0:
		status := l.T("ui.checks.watching", "runs", len(st.Timeline), "interval", intervalText(l, st.Interval))
		if !st.NextRun.IsZero() {
			status += " " + l.T("window.watch.next", "time", st.NextRun.Format("15:04:05"))
		}
		p.status.SetText(status)
	case st.Running:
		p.status.SetText(l.T("ui.checks.running"))
	default:
		p.status.SetText(l.T("ui.checks.stopped"))
	}
	if st.Watch {
		p.cancel.SetText(l.T("ui.checks.stop"))
	} else {
		p.cancel.SetText(l.T("ui.checks.cancel"))
	}
	p.watch.update(st)
	// The timeline, live at the top, is redrawn when a run was added.
	if len(st.Timeline) != p.runs {
		p.runs = len(st.Timeline)
		p.timeline.Objects = nil
		if len(st.Timeline) > 0 {
			p.timeline.Objects = []fyne.CanvasObject{timeline(st), widget.NewSeparator()}
		}
		p.timeline.Refresh()
	}
}

// stop ends the spinners' animations when the page is replaced.
func (p *checksPage) stop() {
	for _, r := range p.rows {
		r.spin.Stop()
	}
}

// checkRow is one check: status icon (a spinner while it runs), title,
// one-line result and time; it expands to the steps and transcript.
type checkRow struct {
	content fyne.CanvasObject
	id      checks.CheckID
	icon    *widget.Icon
	spin    *widget.Activity
	title   *widget.Label
	summary *widget.Label
	took    *widget.Label
	more    *widget.Button
	details *fyne.Container
	status  checks.Status
	res     checks.Result
	open    func() bool
}

func (w *Window) newCheckRow(id checks.CheckID, l wizard.Lang) *checkRow {
	r := &checkRow{id: id, icon: widget.NewIcon(statusIcon(checks.StatusPending)), spin: widget.NewActivity(),
		title:   widget.NewLabelWithStyle(wizard.CheckTitle(id, l), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		summary: widget.NewLabel(""), took: widget.NewLabel(""), details: container.NewVBox(),
		open: func() bool { return w.open[id] }}
	r.summary.Truncation = fyne.TextTruncateEllipsis
	r.spin.Hide()
	r.details.Hide()
	r.more = widget.NewButtonWithIcon("", theme.MenuExpandIcon(), func() {
		w.open[id] = !w.open[id]
		r.set(r.res, l)
	})
	r.more.Importance = widget.LowImportance
	left := container.NewHBox(container.NewStack(r.icon, r.spin), fixedWidth(r.title, 230))
	head := container.NewBorder(nil, nil, left, container.NewHBox(r.took, r.more), r.summary)
	r.content = container.NewVBox(head, r.details)
	return r
}

// set shows a check's result in l.
func (r *checkRow) set(res checks.Result, l wizard.Lang) {
	r.res = res
	if res.Status != r.status {
		r.status = res.Status
		r.icon.SetResource(statusIcon(res.Status))
		if res.Status == checks.StatusRunning {
			r.spin.Show()
			r.spin.Start()
		} else {
			r.spin.Stop()
			r.spin.Hide()
		}
	}
	r.summary.SetText(wizard.CheckSummary(res, l))
	r.took.SetText(durationText(l, res.Duration))
	if !r.open() {
		r.more.SetIcon(theme.MenuExpandIcon())
		r.details.Hide()
		return
	}
	r.more.SetIcon(theme.MenuDropUpIcon())
	r.details.Objects = details(res, l)
	r.details.Show()
	r.details.Refresh()
}

// details are the full result, the steps and the transcript of a check.
func details(res checks.Result, l wizard.Lang) []fyne.CanvasObject {
	full := widget.NewLabel(wizard.CheckSummary(res, l))
	full.Wrapping = fyne.TextWrapWord
	out := []fyne.CanvasObject{full}
	if len(res.Steps) > 0 {
		var b strings.Builder
		for i, s := range res.Steps {
			fmt.Fprintf(&b, "%d. %s — %s", i+1, stepName(s.Name, l), wizard.StatusText(s.Status, l))
			if d := durationText(l, s.Duration); d != "" {
				fmt.Fprintf(&b, " (%s)", d)
			}
			if d := stepDetail(s, res, l); d != "" {
				b.WriteString(": " + d)
			}
			b.WriteByte('\n')
		}
		steps := monoLabel(strings.TrimSuffix(b.String(), "\n"))
		steps.Wrapping = fyne.TextWrapWord // sentences, unlike the transcript's lines
		out = append(out, sectionLabel(l.T("ui.checks.steps")), steps)
	}
	if len(res.Transcript) > 0 {
		out = append(out, sectionLabel(l.T("ui.checks.transcript")), monoLabel(strings.Join(res.Transcript, "\n")))
	}
	if len(out) == 1 {
		out = append(out, hintLabel(l.T("ui.checks.nodetails")))
	}
	return []fyne.CanvasObject{container.NewPadded(container.NewVBox(out...))}
}

func sectionLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func monoLabel(text string) *widget.Label {
	m := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	m.Wrapping = fyne.TextWrapBreak
	m.Selectable = true
	return m
}

// statusIcon is the icon of a status, in the theme's status colours.
func statusIcon(s checks.Status) fyne.Resource {
	switch s {
	case checks.StatusPass:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case checks.StatusWarn:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case checks.StatusFail:
		return theme.NewErrorThemedResource(theme.CancelIcon())
	case checks.StatusSkip:
		return theme.NewDisabledResource(theme.MediaSkipNextIcon())
	}
	return theme.NewDisabledResource(theme.RadioButtonIcon())
}

// statusColor is a status's colour name in the theme.
func statusColor(s checks.Status) fyne.ThemeColorName {
	switch s {
	case checks.StatusPass:
		return theme.ColorNameSuccess
	case checks.StatusWarn:
		return theme.ColorNameWarning
	case checks.StatusFail:
		return theme.ColorNameError
	}
	return theme.ColorNameDisabled
}

// maxTimelineRuns bounds the timeline's width: the newest runs are shown.
const maxTimelineRuns = 40

// timeline draws the runs of watch mode: a row per check, a coloured cell
// per run, newest on the right.
func timeline(st wizard.State) fyne.CanvasObject {
	l := st.Lang
	runs := st.Timeline
	if len(runs) > maxTimelineRuns {
		runs = runs[len(runs)-maxTimelineRuns:]
	}
	grid := container.NewVBox()
	hover := hintLabel(l.T("window.timeline.hover"))
	for _, c := range st.Checks {
		cells := container.NewHBox()
		for _, run := range runs {
			status, ok := run.Statuses[c.ID]
			if !ok {
				status = checks.StatusSkip
			}
			text := l.T("window.timeline.cell", "time", run.Started.Format("15:04:05"), "check", wizard.CheckTitle(c.ID, l), "status", wizard.StatusText(status, l))
			if f := run.Faults[c.ID]; f != nil {
				text += " " + wizard.FaultText(f, l)
			}
			cells.Add(newTimelineCell(status, text, hover))
		}
		middle := container.NewVBox(layout.NewSpacer(), cells, layout.NewSpacer())
		grid.Add(container.NewBorder(nil, nil, fixedWidth(widget.NewLabel(wizard.CheckTitle(c.ID, l)), 230), nil, middle))
	}
	first, last := runs[0].Started.Format("15:04:05"), runs[len(runs)-1].Started.Format("15:04:05")
	return container.NewVBox(sectionLabel(l.T("ui.timeline.heading")), hintLabel(l.T("ui.timeline.hint", "first", first, "last", last)), grid, timelineLegend(l), hover)
}

// timelineCell is one run of one check in the timeline: a square in the
// status's colour that, pointed at (or tapped), says in words under the
// timeline when that run was, its status and its fault.
type timelineCell struct {
	widget.BaseWidget
	rect  *canvas.Rectangle
	text  string
	hover *widget.Label
}

func newTimelineCell(s checks.Status, text string, hover *widget.Label) *timelineCell {
	c := &timelineCell{rect: canvas.NewRectangle(theme.Color(statusColor(s))), text: text, hover: hover}
	c.rect.SetMinSize(fyne.NewSquareSize(16))
	c.rect.CornerRadius = 3
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer draws the square.
func (c *timelineCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.rect) }

// MouseIn says what the cell stands for.
func (c *timelineCell) MouseIn(*desktop.MouseEvent) { c.hover.SetText(c.text) }

// MouseMoved is part of desktop.Hoverable.
func (c *timelineCell) MouseMoved(*desktop.MouseEvent) {}

// MouseOut keeps the last text: the user may still be reading it.
func (c *timelineCell) MouseOut() {}

// Tapped says what the cell stands for, on a touch screen too.
func (c *timelineCell) Tapped(*fyne.PointEvent) { c.hover.SetText(c.text) }

// timelineLegend names the colours of the timeline, so that they are not
// the only way to tell a failure.
func timelineLegend(l wizard.Lang) fyne.CanvasObject {
	box := container.NewHBox(widget.NewLabel(l.T("window.timeline.legend")))
	for _, s := range []checks.Status{checks.StatusPass, checks.StatusWarn, checks.StatusFail, checks.StatusSkip} {
		cell := canvas.NewRectangle(theme.Color(statusColor(s)))
		cell.SetMinSize(fyne.NewSquareSize(14))
		cell.CornerRadius = 3
		box.Add(container.NewCenter(cell))
		box.Add(widget.NewLabel(wizard.StatusText(s, l)))
	}
	return box
}

// fixedWidth gives an object at least width w, so that columns line up.
func fixedWidth(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.New(minWidth(w), o)
}

type minWidth float32

func (m minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(max(s.Width, float32(m)), s.Height)
}

func (m minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
