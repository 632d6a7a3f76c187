package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"assistant/checks"
	"assistant/practice"
	"assistant/wizard"
)

// checkFlags are the values of `check`'s flags as given.
type checkFlags struct {
	service, host, security, ftpMode, user, size, timeout, interval, resolver   string
	account, email                                                              string
	fromError, fromErrorFile, lang, format, output, practice, program, idleTest string
	port, repeat                                                                int
	passwordStdin                                                               bool
}

func check(ctx context.Context, args []string, env Env, lang wizard.Lang) int {
	var f checkFlags
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.service, "service", "", "")
	fs.StringVar(&f.host, "host", "", "")
	fs.IntVar(&f.port, "port", 0, "")
	fs.StringVar(&f.security, "security", "", "")
	fs.StringVar(&f.ftpMode, "ftp-mode", "", "")
	fs.StringVar(&f.user, "user", "", "")
	fs.StringVar(&f.email, "email", "", "")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "")
	fs.StringVar(&f.size, "transfer-size", "", "")
	fs.StringVar(&f.timeout, "timeout", "10s", "")
	fs.IntVar(&f.repeat, "repeat", 1, "")
	fs.StringVar(&f.interval, "interval", "30s", "")
	fs.StringVar(&f.resolver, "resolver", "", "")
	fs.StringVar(&f.fromError, "from-error", "", "")
	fs.StringVar(&f.fromErrorFile, "from-error-file", "", "")
	fs.StringVar(&f.lang, "lang", "", "")
	fs.StringVar(&f.format, "format", "text", "")
	fs.StringVar(&f.output, "output", "", "")
	fs.StringVar(&f.practice, "practice", "", "")
	fs.StringVar(&f.account, "account", "", "")
	fs.StringVar(&f.program, "program", "", "")
	fs.StringVar(&f.idleTest, "idle-test", "0", "")
	if msg, help := parseFlags(fs, args, lang); help || msg != "" {
		if help {
			return printOut(env, lang, lang.T("cli.usage")+"\n")
		}
		return usage(env, lang, msg)
	}
	if fs.NArg() > 0 {
		return usage(env, lang, lang.T("cli.extra_args", "args", strings.Join(fs.Args(), " ")))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	if f.practice != "" {
		lab, err := practice.Start(practice.ID(f.practice))
		if err != nil {
			return practiceFailed(env, lang, practice.ID(f.practice), err)
		}
		defer lab.Close()
		f.service, f.host, f.port = string(lab.Target.Service), lab.Target.Host, lab.Target.Port
		f.security, f.user = string(lab.Target.Security), lab.Target.User
		if lab.Target.TransferSize > 0 {
			f.size = strconv.FormatInt(lab.Target.TransferSize, 10)
		}
		env.Options.RootCAs, env.Options.Ports, env.Options.SSHPort = lab.Options.RootCAs, lab.Options.Ports, lab.Options.SSHPort
		env.Options.HTTPSPort = lab.Options.HTTPSPort
		if f.email == "" {
			f.email = lab.Target.Email
		}
		if lab.Target.Resolver != "" && !set["resolver"] {
			f.resolver = lab.Target.Resolver
		}
		if !set["timeout"] {
			f.timeout = lab.Target.Timeout.String()
		}
		if !set["idle-test"] && lab.Target.IdleTest > 0 {
			f.idleTest = lab.Target.IdleTest.String()
		}
		if lab.Target.Secret.Given() {
			getenv := env.Getenv
			env.Getenv = func(k string) string {
				if k == "ASSISTANT_PASSWORD" {
					return lab.Target.Secret.Reveal()
				}
				return getenv(k)
			}
		}
	}
	spec, msg := buildSpec(f, set, env, lang)
	if msg != "" {
		return usage(env, lang, msg)
	}
	format, ok := wizard.ParseFormat(f.format)
	if !ok {
		return usage(env, lang, lang.T("cli.bad_value", "flag", "--format", "value", f.format))
	}
	if f.output == "-" {
		f.output = ""
	}
	if f.output != "" {
		if err := wizard.CheckWritable(f.output); err != nil {
			return usage(env, lang, lang.T("cli.output_unwritable", "path", f.output, "error", osText(err, lang)))
		}
	}
	if note := emailNote(spec.Target, lang); note != "" {
		fmt.Fprintln(env.Stderr, note)
	}
	if isTerminal(env.Stderr) {
		spec.Options.Observer = progress(env.Stderr, lang)
	}
	if spec.Repeat > 1 {
		spec.OnRunDone = runLine(env.Stderr, spec.Repeat, lang)
	}
	rep, err := wizard.Check(ctx, spec)
	var inErr *checks.InputError
	switch {
	case errors.As(err, &inErr):
		return usage(env, lang, inputMessage(inErr, lang))
	case rep == nil:
		printErr(env, lang.T("cli.failed", "error", err))
		return ExitInternal
	case err != nil:
		printErr(env, lang.T("cli.canceled"))
	}
	data, rerr := rep.Render(lang, format)
	if rerr != nil {
		printErr(env, lang.T("cli.failed", "error", rerr))
		return ExitInternal
	}
	if f.output != "" {
		if werr := wizard.WriteFile(f.output, data); werr != nil {
			printErr(env, lang.T("cli2.output_failed", "path", f.output, "error", osText(werr, lang)))
			return ExitInternal
		}
	} else if code := writeOut(env, lang, data); code != ExitOK {
		return code
	}
	if err != nil {
		return ExitInternal
	}
	if rep.Problem() {
		return ExitProblem
	}
	return ExitOK
}

// buildSpec turns the flags into a run; a non-empty message means the input
// is unusable.
func buildSpec(f checkFlags, set map[string]bool, env Env, lang wizard.Lang) (wizard.RunSpec, string) {
	spec := wizard.RunSpec{Repeat: f.repeat, Tool: wizard.Tool{Name: Name, Version: Version}, Options: env.Options}
	t := checks.Target{
		Service: checks.Service(strings.ToLower(f.service)), Host: f.host, Port: f.port,
		Security: checks.Security(strings.ToLower(f.security)), FTPMode: checks.FTPMode(strings.ToLower(f.ftpMode)),
		User: f.user, Resolver: f.resolver, Email: strings.TrimSpace(f.email),
	}
	var err error
	if t.Timeout, err = time.ParseDuration(f.timeout); err != nil || t.Timeout <= 0 {
		return spec, lang.T("cli.bad_value", "flag", "--timeout", "value", f.timeout)
	}
	if set["from-error"] || set["from-error-file"] {
		text := f.fromError
		if set["from-error-file"] {
			data, err := readInput(f.fromErrorFile, env.Stdin, min(t.Timeout, MaxTimeout))
			if err != nil {
				return spec, lang.T("cli.from_error_unreadable", "path", f.fromErrorFile, "error", osText(err, lang))
			}
			text = data
		}
		d := wizard.Decode(text)
		spec.Pasted = &d
		t = d.Target(t, wizard.Explicit{Service: set["service"], Host: set["host"], Port: set["port"], Security: set["security"]})
		if t.Service == "" && d.Unchecked() != "" {
			// SFTP or webmail: say so rather than ask for a service.
			return spec, d.UncheckedNote(lang)
		}
		if !set["host"] && t.Host == "" && !d.HostMissing() {
			// Only a message that shows an empty server means host-missing.
			return spec, lang.T("decode.check.no_server")
		}
	}
	if f.account != "" {
		origin, msg := applyAccount(&t, f.account, set, env, lang)
		if msg != "" {
			return spec, msg
		}
		spec.Account = origin
	}
	if t.Service == "" {
		return spec, lang.T("cli.service_required")
	}
	if set["program"] {
		p, ok := wizard.ParseProgram(f.program)
		if !ok {
			return spec, lang.T("cli.bad_value", "flag", "--program", "value", f.program)
		}
		spec.Program = p
	}
	if set["port"] && (f.port < 1 || f.port > 65535) {
		return spec, lang.T("cli.bad_port", "value", f.port)
	}
	if t.IdleTest, err = time.ParseDuration(f.idleTest); err != nil || t.IdleTest < 0 {
		return spec, lang.T("cli.bad_value", "flag", "--idle-test", "value", f.idleTest)
	}
	if spec.Interval, err = time.ParseDuration(f.interval); err != nil || spec.Interval < 0 {
		return spec, lang.T("cli.bad_value", "flag", "--interval", "value", f.interval)
	}
	if f.repeat < 1 {
		return spec, lang.T("cli.bad_value", "flag", "--repeat", "value", strconv.Itoa(f.repeat))
	}
	if f.size != "" {
		if t.TransferSize, err = wizard.ParseSize(f.size); err != nil {
			return spec, lang.T("cli.bad_value", "flag", "--transfer-size", "value", f.size)
		}
	} else if t.User != "" {
		t.TransferSize = checks.DefaultTransferSize
	}
	if msg := limitMessage(t, f.repeat, spec.Interval, lang); msg != "" {
		return spec, msg
	}
	if set["resolver"] && !validResolver(f.resolver) {
		return spec, lang.T("cli2.bad_resolver", "value", f.resolver)
	}
	if pw := env.Getenv("ASSISTANT_PASSWORD"); pw != "" {
		t.Secret = checks.NewSecret(pw)
	}
	if f.passwordStdin {
		line, err := bufio.NewReader(io.LimitReader(env.Stdin, maxPasswordLine)).ReadString('\n')
		if err != nil && line == "" {
			return spec, lang.T("cli.password_stdin")
		}
		if len(line) == maxPasswordLine && !strings.HasSuffix(line, "\n") {
			return spec, lang.T("cli2.password_too_long", "max", maxPasswordLine-2)
		}
		t.Secret = checks.NewSecret(strings.TrimRight(line, "\r\n"))
	}
	if t.User == "" && t.Service != checks.FTP {
		t.User = t.Email // the address is the default user name
	}
	spec.Target = t
	if err := t.Validate(); err != nil {
		var inErr *checks.InputError
		errors.As(err, &inErr)
		return spec, inputMessage(inErr, lang)
	}
	return spec, ""
}

// inputMessage says in the user's language what is unusable.
func inputMessage(e *checks.InputError, lang wizard.Lang) string {
	if e.Field == "service" {
		return lang.T("cli.bad_service", "value", e.Value)
	}
	return lang.T("cli.bad_value", "flag", "--"+e.Field, "value", e.Value)
}

func usage(env Env, lang wizard.Lang, msg string) int {
	printErr(env, msg)
	printErr(env, lang.T("cli.see_help"))
	return ExitUsage
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress prints each finished check on a terminal.
func progress(w io.Writer, lang wizard.Lang) checks.Observer {
	return func(r checks.Result) {
		if r.Status == checks.StatusRunning || r.Status == checks.StatusPending {
			return
		}
		fmt.Fprint(w, wizard.TermSafe(fmt.Sprintf("%-8s %s: %s\n", wizard.StatusText(r.Status, lang), wizard.CheckTitle(r.ID, lang), wizard.CheckSummary(r, lang))))
	}
}

// emailNote says what is wrong with a typed e-mail address (the check still
// runs on the typed settings), or "" for a usable address or none.
func emailNote(t checks.Target, lang wizard.Lang) string {
	if t.Email == "" || t.Service == checks.FTP {
		return ""
	}
	_, _, _, problem := checks.ParseEmail(t.Email)
	if problem == "" {
		return ""
	}
	return wizard.EmailProblem(lang, t.Email, problem)
}
