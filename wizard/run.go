package wizard

import (
	"context"
	"time"

	"assistant/checks"
)

// RunSpec describes a diagnosis to run: the target, how often, and where
// live progress goes.
type RunSpec struct {
	Target checks.Target
	Pasted *Decoded
	// Program is the user's mail or FTP program, whose steps the report
	// gives first; ProgramUnknown takes it from the pasted message.
	Program Program
	// Repeat runs the whole sequence this many times (at least once),
	// Interval apart, to catch intermittent failures.
	Repeat   int
	Interval time.Duration
	Options  checks.Options
	Tool     Tool
	// Account is the program account the target came from (check --account).
	Account *AccountOrigin
	// OnRun is told when run i (from 0) starts; may be nil.
	OnRun func(i int, started time.Time)
	// OnRunDone is told each run's outcome as it ends; may be nil.
	OnRunDone func(i int, rec RunRecord)
}

// Check runs the checks as the spec says and returns the report with its
// diagnosis. It returns early, with what was done so far, when ctx is
// cancelled; the error is an *checks.InputError for unusable input, or
// ctx's error after a cancellation.
func Check(ctx context.Context, spec RunSpec) (*Report, error) {
	n := max(spec.Repeat, 1)
	created := time.Now()
	var runs [][]checks.Result
	var started []time.Time
	for i := 0; i < n; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(spec.Interval):
			}
		}
		if ctx.Err() != nil {
			break
		}
		now := time.Now()
		if spec.OnRun != nil {
			spec.OnRun(i, now)
		}
		res, err := checks.Run(ctx, spec.Target, spec.Options)
		if err != nil {
			return nil, err
		}
		runs = append(runs, res)
		started = append(started, now)
		if spec.OnRunDone != nil {
			spec.OnRunDone(i, NewRunRecord(now, res))
		}
	}
	rep := newReport(spec.Tool, created, spec.Target, spec.Pasted, runs, started)
	rep.setAccount(spec.Account)
	if spec.Program != ProgramUnknown {
		rep.SetProgram(spec.Program)
	}
	return rep, ctx.Err()
}

// newReport builds the report of one or more runs: the last run's checks,
// the timeline when there were several, and the diagnosis of them all.
func newReport(tool Tool, created time.Time, t checks.Target, pasted *Decoded, runs [][]checks.Result, started []time.Time) *Report {
	rep := &Report{Tool: tool, Created: created, Target: t, Pasted: pasted, Env: CurrentEnv(created)}
	if len(runs) > 0 {
		rep.Results = runs[len(runs)-1]
	}
	if len(runs) > 1 {
		for i, res := range runs {
			rep.Runs = append(rep.Runs, NewRunRecord(started[i], res))
		}
	}
	rep.Findings = DiagnoseRuns(t, runs, started)
	if pasted != nil {
		p, _ := ParseProgram(pasted.Client)
		rep.SetProgram(p)
	}
	return rep
}

// SetProgram makes the report's steps speak of the user's program first.
func (r *Report) SetProgram(p Program) {
	r.Program = p
	for i := range r.Findings {
		r.Findings[i].Program = p
	}
}
