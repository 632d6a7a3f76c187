package wizard

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"assistant/accounts"
	"assistant/checks"
	"assistant/practice"
)

// Step is a page of the wizard.
type Step int

// The wizard's pages, in order.
const (
	StepStart   Step = iota // what are you fixing? / paste the error
	StepAccount             // host, port, security, credentials
	StepChecks              // the checks running, live
	StepResult              // the likely cause and the report
)

// Prefs stores remembered settings; fyne.Preferences satisfies it. The
// password is never stored.
type Prefs interface {
	String(key string) string
	SetString(key, value string)
}

// Form is the account as the user typed it.
type Form struct {
	Service  checks.Service
	Host     string
	Port     string
	Security checks.Security
	FTPMode  checks.FTPMode
	User     string
	// Email is the account's e-mail address (mail services): the provider's
	// documented settings are looked up from it; the default user name.
	Email string
	// Program is the user's mail or FTP program, chosen on the Account
	// page ("My program"): the steps speak of it first.
	Program Program
	// Password is held for the run only: never stored, never reported.
	Password     string
	TransferSize string
	// PortSet is true once the user typed a port: it then no longer follows
	// the security choice.
	PortSet bool
}

// Field names used for validation messages.
const (
	FieldHost = "host"
	FieldPort = "port"
	FieldSize = "transfer_size"
)

// Validate parses the form. Problems maps a field to a message in l; the
// port, the size and an invalid host block a run: an empty host is what
// the user has (a pasted Outlook message with an empty server), and the checks
// diagnose it.
func (f Form) Validate(l Lang) (t checks.Target, problems map[string]string, ok bool) {
	problems = map[string]string{}
	t = checks.Target{Service: f.Service, Host: f.Host, Security: f.Security, FTPMode: f.FTPMode, User: strings.TrimSpace(f.User),
		Secret: checks.NewSecret(f.Password), Timeout: checks.DefaultTimeout}
	if f.Service != checks.FTP {
		t.Email = strings.TrimSpace(f.Email)
		if t.User == "" {
			t.User = t.Email
		}
	}
	ok = true
	if p := strings.TrimSpace(f.Port); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			problems[FieldPort] = l.T("form.port.invalid", "value", p)
			ok = false
		}
		t.Port = n
	}
	if s := strings.TrimSpace(f.TransferSize); s != "" {
		n, err := ParseSize(s)
		if err != nil {
			problems[FieldSize] = l.T("form.size.invalid", "value", s)
			ok = false
		}
		t.TransferSize = n
	} else if t.User != "" {
		t.TransferSize = checks.DefaultTransferSize
	}
	if strings.TrimSpace(f.Host) == "" {
		problems[FieldHost] = l.T("form.host.empty")
	} else if host, _, changes, problem := checks.CleanHost(f.Host); problem != "" {
		problems[FieldHost] = hostProblem(f.Host, l)
		ok = false
	} else if len(changes) == 1 && changes[0] == checks.ChangeIDN {
		problems[FieldHost] = l.T("window.host.idn", "host", host)
	} else if len(changes) > 0 {
		problems[FieldHost] = l.T("form.host.cleaned", "host", host)
	}
	return t, problems, ok
}

// HostError reports whether the form's host problem blocks a run (an
// invalid name) rather than being a note (cleaned) or what the checks
// diagnose (empty).
func (f Form) HostError() bool {
	_, _, _, problem := checks.CleanHost(f.Host)
	return problem == checks.InputInvalid
}

// hostProblem says in l why a host cannot be used.
func hostProblem(raw string, l Lang) string {
	reason, suggestion, n := checks.HostTrouble(raw)
	switch {
	case reason == checks.HostSpace && suggestion != "":
		return l.T("window.host.space.suggest", "host", suggestion)
	case reason == checks.HostSpace:
		return l.T("window.host.space")
	case reason == checks.HostTooLong:
		return l.T("window.host.too_long", "n", n, "max", checks.MaxHostLength)
	case reason == checks.HostLabelTooLong:
		return l.T("window.host.label_too_long", "n", n, "max", checks.MaxLabelLength)
	}
	return l.T("form.host.invalid")
}

// CheckView is one line of the checks page.
type CheckView struct {
	ID     checks.CheckID
	Result checks.Result
}

// TimelineRun is one run of watch mode: when it started, each check's
// status and the fault of each that failed.
type TimelineRun struct {
	Started  time.Time
	Statuses map[checks.CheckID]checks.Status
	Faults   map[checks.CheckID]*checks.Fault
}

// State is a snapshot of the wizard for the window to show.
type State struct {
	Lang     Lang
	Step     Step
	Form     Form
	Pasted   *Decoded
	Checks   []CheckView
	Running  bool
	Report   *Report
	Watch    bool
	Interval time.Duration
	Timeline []TimelineRun
	// NextRun is when watch mode runs the checks again (zero while a run is
	// under way).
	NextRun time.Time
	// Done and Total count finished and planned checks of the current run.
	Done, Total int
	// Error is a message in Lang when the last action failed (e.g. saving).
	Error string
	// Practice is the practice scenario whose servers the checks run
	// against, or "" for the user's own server; Simulated says which
	// standard ports its servers stand in for.
	Practice  practice.ID
	Simulated *Practice
	// Accounts are the accounts the programs on this computer have
	// (LoadAccounts); Account is the one the form was filled from.
	Accounts accounts.List
	Account  *AccountOrigin
}

// Session holds the wizard's state and runs the checks. Every method is
// safe to call from any goroutine; listeners registered with OnChange are
// called (from any goroutine) after each change and must hand the work to
// the UI thread themselves.
type Session struct {
	mu        sync.Mutex
	st        State
	prefs     Prefs
	tool      Tool
	opt       checks.Options
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	listeners []func()
	// lab is the running practice scenario, if any.
	lab *practice.Lab
}

// Preference keys.
const (
	prefLang     = "lang"
	prefService  = "service"
	prefHost     = "host"
	prefPort     = "port"
	prefSecurity = "security"
	prefFTPMode  = "ftp_mode"
	prefUser     = "user"
	prefSize     = "transfer_size"
)

// NewSession starts a wizard with the remembered settings (prefs may be nil).
func NewSession(prefs Prefs, tool Tool, opt checks.Options) *Session {
	s := &Session{prefs: prefs, tool: tool, opt: opt}
	s.st = State{Lang: EnvLang(), Interval: 30 * time.Second,
		Form: Form{Service: checks.SMTP, Security: checks.SecurityNone, FTPMode: checks.FTPBoth}}
	if prefs != nil {
		if l, ok := ParseLang(prefs.String(prefLang)); ok {
			s.st.Lang = l
		}
		f := &s.st.Form
		if v := checks.Service(prefs.String(prefService)); v != "" {
			f.Service = v
		}
		f.Host, f.User, f.TransferSize = prefs.String(prefHost), prefs.String(prefUser), prefs.String(prefSize)
		if v := prefs.String(prefPort); v != "" {
			f.Port, f.PortSet = v, true
		}
		if v := checks.Security(prefs.String(prefSecurity)); v != "" {
			f.Security = v
		}
		if v := checks.FTPMode(prefs.String(prefFTPMode)); v != "" {
			f.FTPMode = v
		}
	}
	s.followPort()
	return s
}

// OnChange registers a listener for state changes.
func (s *Session) OnChange(f func()) {
	s.mu.Lock()
	s.listeners = append(s.listeners, f)
	s.mu.Unlock()
}

// State returns a snapshot of the wizard.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	st.Checks = append([]CheckView(nil), s.st.Checks...)
	st.Timeline = append([]TimelineRun(nil), s.st.Timeline...)
	return st
}

// update changes the state under the lock and tells the listeners.
func (s *Session) update(f func(st *State)) {
	s.mu.Lock()
	f(&s.st)
	ls := append([]func(){}, s.listeners...)
	s.mu.Unlock()
	for _, l := range ls {
		l()
	}
}

// SetLang switches the language; everything shown is re-rendered from the
// same state, so nothing typed or found is lost.
func (s *Session) SetLang(l Lang) {
	s.update(func(st *State) { st.Lang, st.Error = l, "" })
	if s.prefs != nil {
		s.prefs.SetString(prefLang, string(l))
	}
}

// Choose picks the service on the start page and moves to the account page.
func (s *Session) Choose(svc checks.Service) {
	s.stopPractice()
	s.update(func(st *State) {
		st.Form.Service, st.Step, st.Pasted, st.Account, st.Error = svc, StepAccount, nil, nil, ""
	})
	s.followPort()
}

// Paste decodes a pasted error message, prefills the form from it and
// moves to the account page. It reports whether anything was recognised.
func (s *Session) Paste(text string) bool {
	s.stopPractice()
	d := Decode(text)
	if !d.Recognised() {
		s.update(func(st *State) { st.Error = st.Lang.T("form.paste.nothing") })
		return false
	}
	s.update(func(st *State) {
		f := &st.Form
		port, _ := strconv.Atoi(f.Port)
		t := d.Target(checks.Target{Service: f.Service, Host: f.Host, Port: port, Security: f.Security}, Explicit{})
		f.Service, f.Host, f.Security = t.Service, t.Host, t.Security
		if t.Port != port {
			f.Port, f.PortSet = strconv.Itoa(t.Port), t.Port != 0
		}
		st.Pasted, st.Account, st.Step, st.Error = &d, nil, StepAccount, ""
	})
	s.followPort()
	return true
}

// SetForm replaces the typed values. The port follows the service and
// security until the user types one.
func (s *Session) SetForm(f Form) {
	s.update(func(st *State) { st.Form, st.Error = f, "" })
	s.followPort()
}

func (s *Session) followPort() {
	s.update(func(st *State) {
		if !st.Form.PortSet && st.Form.Service != "" {
			st.Form.Port = strconv.Itoa(checks.DefaultPort(st.Form.Service, st.Form.Security))
		}
	})
}

// Back returns to the previous page (from the checks or result page: the
// account page, cancelling a run).
func (s *Session) Back() {
	s.Cancel()
	s.update(func(st *State) {
		if st.Step > StepStart {
			st.Step--
		}
		if st.Step == StepChecks {
			st.Step = StepAccount
		}
	})
}

// GoTo returns to a step already visited: the start page (what was
// recognised and any practice servers are dropped, the form is kept) or
// the account page. A run is cancelled first; a later step is refused.
func (s *Session) GoTo(step Step) {
	if step > StepAccount || step >= s.State().Step {
		return
	}
	s.Cancel()
	s.Wait()
	if step == StepStart {
		s.stopPractice()
	}
	s.update(func(st *State) {
		st.Step, st.Error = step, ""
		if step == StepStart {
			st.Pasted, st.Report, st.Checks, st.Timeline = nil, nil, nil, nil
		}
	})
}

// SetWatch turns watch mode on or off: the checks repeat every interval
// until stopped, and the timeline grows a column per run.
func (s *Session) SetWatch(on bool, interval time.Duration) {
	s.update(func(st *State) {
		st.Watch = on
		if interval > 0 {
			st.Interval = interval
		}
	})
}

// Start validates the form and runs the checks in the background; the
// state changes live as each check starts and ends. It returns false (with
// the problems shown on the account page) when the form is unusable.
func (s *Session) Start() bool {
	st := s.State()
	t, _, ok := st.Form.Validate(st.Lang)
	if !ok || st.Running {
		return false
	}
	opt := s.opt
	s.mu.Lock()
	if s.lab != nil {
		// The practice scenario's own CA and stand-ins for the other ports.
		opt.RootCAs, opt.Ports, opt.SSHPort = s.lab.Options.RootCAs, s.lab.Options.Ports, s.lab.Options.SSHPort
		t.Timeout, t.IdleTest = s.lab.Target.Timeout, s.lab.Target.IdleTest
		// A provider scenario's own DNS zone, autoconfig site and address.
		opt.HTTPSPort, t.Resolver = s.lab.Options.HTTPSPort, s.lab.Target.Resolver
		if t.Email == "" {
			t.Email = s.lab.Target.Email
		}
	}
	s.mu.Unlock()
	if st.Watch {
		t.IdleTest = max(t.IdleTest, st.Interval) // watch mode also looks for an idle timeout
	}
	if st.Practice == "" {
		s.remember(st.Form)
	}
	ctx, cancel := context.WithCancel(context.Background())
	plan := checks.Plan(t)
	s.update(func(st *State) {
		st.Step, st.Running, st.Report, st.Error, st.Timeline = StepChecks, true, nil, "", nil
		st.Checks = make([]CheckView, len(plan))
		for i, id := range plan {
			st.Checks[i] = CheckView{ID: id, Result: checks.Result{ID: id, Status: checks.StatusPending}}
		}
		st.Done, st.Total = 0, len(plan)
	})
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		s.loop(ctx, t, opt, st.Pasted, st.Account)
	}()
	return true
}

// Practice starts a practice scenario's servers on 127.0.0.1, fills the
// form with its account and runs the checks against it. The servers stop
// when the user picks a service, pastes an error, starts another scenario
// or the session closes.
func (s *Session) Practice(id practice.ID) error {
	s.stopPractice()
	lab, err := practice.Start(id)
	if err != nil {
		s.update(func(st *State) { st.Error = st.Lang.T("form.practice.failed", "error", err.Error()) })
		return err
	}
	s.mu.Lock()
	s.lab = lab
	s.mu.Unlock()
	t := lab.Target.WithDefaults()
	s.update(func(st *State) {
		st.Form = Form{Service: t.Service, Host: t.Host, Port: strconv.Itoa(t.Port), PortSet: true,
			Security: t.Security, FTPMode: checks.FTPBoth, User: t.User, Email: t.Email, Password: t.Secret.Reveal()}
		if t.TransferSize > 0 {
			st.Form.TransferSize = sizeField(t.TransferSize)
		}
		st.Practice, st.Simulated, st.Pasted, st.Account, st.Error = id, simulate(lab), nil, nil, ""
	})
	s.Start()
	return nil
}

// sizeField writes a size for the form's size field with its unit, as
// ParseSize reads it back: "4MiB", "512KiB", "1000" (bytes).
func sizeField(n int64) string {
	switch {
	case n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

// stopPractice cancels a run and stops the practice servers, if any.
func (s *Session) stopPractice() {
	s.mu.Lock()
	lab := s.lab
	s.lab = nil
	s.mu.Unlock()
	if lab == nil {
		return
	}
	s.Cancel()
	s.Wait()
	lab.Close()
	s.update(func(st *State) { st.Practice, st.Simulated = "", nil })
}

// Close stops everything the session runs: the checks and any practice
// servers. The window calls it when it closes.
func (s *Session) Close() {
	s.Cancel()
	s.Wait()
	s.stopPractice()
}

// loop runs the checks once, or repeatedly in watch mode, until ctx ends.
func (s *Session) loop(ctx context.Context, t checks.Target, opt checks.Options, pasted *Decoded, origin *AccountOrigin) {
	opt.Observer = s.observe
	var runs [][]checks.Result
	var started []time.Time
	for {
		now := time.Now()
		s.update(func(st *State) {
			st.Done = 0
			for i := range st.Checks {
				st.Checks[i].Result = checks.Result{ID: st.Checks[i].ID, Status: checks.StatusPending}
			}
		})
		res, err := checks.Run(ctx, t, opt)
		if err != nil {
			break
		}
		runs, started = append(runs, res), append(started, now)
		rep := newReport(s.tool, started[0], t, pasted, runs, started)
		rep.setAccount(origin)
		cur := s.State()
		if p := cur.Form.Program; p != ProgramUnknown {
			rep.SetProgram(p)
		}
		if sim := cur.Simulated; sim != nil {
			rep.Practice = sim
			sim.speakStandard(rep)
		}
		watch, interval := false, time.Duration(0)
		s.update(func(st *State) {
			st.Report = rep
			st.Timeline = append(st.Timeline, timelineRun(now, res))
			watch, interval = st.Watch, st.Interval
			if !watch || ctx.Err() != nil {
				st.Step = StepResult
			}
		})
		if !watch || ctx.Err() != nil {
			break
		}
		s.update(func(st *State) { st.NextRun = time.Now().Add(interval) })
		select {
		case <-ctx.Done():
		case <-time.After(interval):
		}
		s.update(func(st *State) { st.NextRun = time.Time{} })
		if ctx.Err() != nil {
			s.update(func(st *State) { st.Step = StepResult })
			break
		}
	}
	s.update(func(st *State) { st.Running = false })
}

func timelineRun(started time.Time, res []checks.Result) TimelineRun {
	tr := TimelineRun{Started: started, Statuses: map[checks.CheckID]checks.Status{}, Faults: map[checks.CheckID]*checks.Fault{}}
	for _, r := range res {
		tr.Statuses[r.ID] = r.Status
		if r.Fault != nil {
			tr.Faults[r.ID] = r.Fault
		}
	}
	return tr
}

// observe records live progress from the checks.
func (s *Session) observe(r checks.Result) {
	s.update(func(st *State) {
		for i := range st.Checks {
			if st.Checks[i].ID == r.ID {
				st.Checks[i].Result = r
			}
		}
		st.Done = 0
		for _, c := range st.Checks {
			switch c.Result.Status {
			case checks.StatusPending, checks.StatusRunning:
			default:
				st.Done++
			}
		}
	})
}

// Cancel stops a run; the checks end within their cancellation, and what
// was found so far becomes the result.
func (s *Session) Cancel() {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Wait blocks until the background run has ended.
func (s *Session) Wait() { s.wg.Wait() }

// Render returns the current report in the session's language.
func (s *Session) Render(f Format) ([]byte, error) {
	st := s.State()
	if st.Report == nil {
		return nil, errNoReport
	}
	return st.Report.Render(st.Lang, f)
}

// SaveReport writes the report to path atomically; a failure is also shown
// in the state's Error, in the user's language, until a save succeeds.
func (s *Session) SaveReport(path string, f Format) error {
	data, err := s.Render(f)
	if err == nil {
		err = WriteFile(path, data)
	}
	s.update(func(st *State) {
		st.Error = ""
		if err != nil {
			st.Error = st.Lang.T("form.save.failed", "path", path, "error", err.Error())
		}
	})
	return err
}

// ClearError forgets the message of the last failed action (a later action
// succeeded).
func (s *Session) ClearError() { s.update(func(st *State) { st.Error = "" }) }

type reportError string

func (e reportError) Error() string { return string(e) }

const errNoReport = reportError("no report yet")

// remember stores the form, without the password.
func (s *Session) remember(f Form) {
	if s.prefs == nil {
		return
	}
	s.prefs.SetString(prefService, string(f.Service))
	s.prefs.SetString(prefHost, f.Host)
	port := ""
	if f.PortSet {
		port = f.Port
	}
	s.prefs.SetString(prefPort, port)
	s.prefs.SetString(prefSecurity, string(f.Security))
	s.prefs.SetString(prefFTPMode, string(f.FTPMode))
	s.prefs.SetString(prefUser, f.User)
	s.prefs.SetString(prefSize, f.TransferSize)
}
