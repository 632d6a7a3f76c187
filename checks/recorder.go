package checks

import (
	"sync"
	"time"
)

// timeNow is the clock; one place so every duration is measured the same way.
var timeNow = time.Now

// Observer receives live progress: a Result with StatusRunning when a check
// starts and the final Result when it ends. It may be called from several
// goroutines at once (the ports check runs beside the others) and must not
// block for long.
type Observer func(Result)

// Recorder collects one check's steps, transcript and fault. A check's code
// calls Step after each action, Fail on the first fault, and the runner
// finishes the result. It is safe for use by one check goroutine plus the
// transcript writers of that check's connections.
type Recorder struct {
	mu     sync.Mutex
	res    Result
	mark   time.Time
	redact *redactor
	obs    Observer
	done   bool
}

func newRecorder(id CheckID, red *redactor, obs Observer) *Recorder {
	return &Recorder{res: Result{ID: id, Status: StatusPending}, redact: red, obs: obs}
}

// ID is the check this recorder belongs to.
func (r *Recorder) ID() CheckID { return r.res.ID }

// begin marks the check as running and tells the observer.
func (r *Recorder) begin() {
	r.mu.Lock()
	now := timeNow()
	r.res.Status, r.res.Started, r.mark = StatusRunning, now, now
	snap := r.snapshotLocked()
	r.mu.Unlock()
	r.notify(snap)
}

// Step records a finished action: its name, how long since the previous
// step (or the check's start), and a detail. A non-nil err marks it failed.
func (r *Recorder) Step(name, detail string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := timeNow()
	st := Step{Name: name, Status: StatusPass, Duration: now.Sub(r.mark), Detail: r.redact.line(detail)}
	if err != nil {
		st.Status = StatusFail
		if st.Detail == "" {
			st.Detail = r.redact.line(err.Error())
		}
	}
	r.mark = now
	r.res.Steps = append(r.res.Steps, st)
}

// Fail classifies err at stage, records it as the check's fault (the first
// fault wins) and a failed step, and returns the fault.
func (r *Recorder) Fail(stage Stage, err error) *Fault {
	f := Classify(err, stage)
	if f == nil {
		return nil
	}
	f.Detail = r.redact.line(f.Detail)
	f.Reply = r.redact.line(f.Reply)
	// A check that already recorded the failed action as a step does not
	// get a second step for the same failure.
	r.mu.Lock()
	n := len(r.res.Steps)
	recorded := n > 0 && r.res.Steps[n-1].Status == StatusFail
	r.mu.Unlock()
	if !recorded {
		r.Step(string(stage), f.Detail, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.res.Fault == nil {
		r.res.Fault = f
	}
	r.res.Status = StatusFail
	return f
}

// Warn marks the check as passed with a reservation, named by a code.
func (r *Recorder) Warn(code string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Warnings = append(r.res.Warnings, code)
	if r.res.Status != StatusFail {
		r.res.Status = StatusWarn
	}
}

// Skip marks the check as not run, with the reason.
func (r *Recorder) Skip(why SkipReason) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Status, r.res.Skipped = StatusSkip, why
}

// Facts lets a check fill its facts while holding the recorder's lock.
func (r *Recorder) Facts(fill func(*Result)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fill(&r.res)
}

// Line appends one transcript line ("C: ..." or "S: ..."), redacted.
func (r *Recorder) Line(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.res.Transcript) >= maxTranscript {
		return
	}
	r.res.Transcript = append(r.res.Transcript, r.redact.line(line))
}

// maxTranscript bounds a transcript so a chatty or hostile peer cannot fill memory.
const maxTranscript = 500

// Failed reports whether the check has failed so far.
func (r *Recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.res.Status == StatusFail
}

// Fault returns the check's fault so far, or nil.
func (r *Recorder) Fault() *Fault {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.res.Fault
}

// finish sets the final status and duration and tells the observer; later
// calls do nothing.
func (r *Recorder) finish() Result {
	r.mu.Lock()
	if r.done {
		r.redact.result(&r.res) // facts filled after the end are redacted too
		snap := r.snapshotLocked()
		r.mu.Unlock()
		return snap
	}
	r.done = true
	switch r.res.Status {
	case StatusRunning:
		r.res.Status = StatusPass
	case StatusPending:
		r.res.Status, r.res.Skipped = StatusSkip, SkipDependency
	}
	if !r.res.Started.IsZero() {
		r.res.Duration = timeNow().Sub(r.res.Started)
	}
	r.redact.result(&r.res)
	snap := r.snapshotLocked()
	r.mu.Unlock()
	r.notify(snap)
	return snap
}

func (r *Recorder) notify(res Result) {
	if r.obs != nil {
		r.obs(res)
	}
}

// snapshot returns a copy of the result so far.
func (r *Recorder) snapshot() Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshotLocked()
}

// snapshotLocked copies the result so observers never share slices with a
// check that is still writing.
func (r *Recorder) snapshotLocked() Result {
	res := r.res
	res.Steps = append([]Step(nil), r.res.Steps...)
	res.Transcript = append([]string(nil), r.res.Transcript...)
	res.Warnings = append([]string(nil), r.res.Warnings...)
	if r.res.Ports != nil {
		res.Ports = append([]PortFacts{}, r.res.Ports...) // empty but set: the check ran
	}
	return res
}
