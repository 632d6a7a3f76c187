package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"assistant/checks"
	"assistant/practice"
	"assistant/wizard"
)

// checkFlags are the values of `check`'s flags as given.
type checkFlags struct {
	service, host, security, ftpMode, user, size, timeout, interval, resolver string
	fromError, fromErrorFile, lang, format, output, practice                  string
	account                                                                   string
	port, repeat                                                              int
	passwordStdin                                                             bool
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
	if err := fs.Parse(args); err != nil {
		return usage(env, lang, lang.T("cli.bad_flag", "error", err.Error()))
	}
	if fs.NArg() > 0 {
		return usage(env, lang, lang.T("cli.extra_args", "args", strings.Join(fs.Args(), " ")))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	if f.practice != "" {
		lab, err := practice.Start(practice.ID(f.practice))
		if err != nil {
			return usage(env, lang, lang.T("cli.practice_unknown", "id", f.practice, "ids", practiceIDs()))
		}
		defer lab.Close()
		f.service, f.host, f.port = string(lab.Target.Service), lab.Target.Host, lab.Target.Port
		f.security, f.user = string(lab.Target.Security), lab.Target.User
		if lab.Target.TransferSize > 0 {
			f.size = strconv.FormatInt(lab.Target.TransferSize, 10)
		}
		env.Options.RootCAs, env.Options.Ports = lab.Options.RootCAs, lab.Options.Ports
		if !set["timeout"] {
			f.timeout = lab.Target.Timeout.String()
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
	if f.output != "" {
		if err := writable(f.output); err != nil {
			return usage(env, lang, lang.T("cli.output_unwritable", "path", f.output, "error", err.Error()))
		}
	}
	if isTerminal(env.Stderr) {
		spec.Options.Observer = progress(env.Stderr, lang)
	}
	rep, err := wizard.Check(ctx, spec)
	var inErr *checks.InputError
	switch {
	case errors.As(err, &inErr):
		return usage(env, lang, inputMessage(inErr, lang))
	case rep == nil:
		fmt.Fprintln(env.Stderr, lang.T("cli.failed", "error", err))
		return ExitInternal
	case err != nil:
		fmt.Fprintln(env.Stderr, lang.T("cli.canceled"))
	}
	data, rerr := rep.Render(lang, format)
	if rerr != nil {
		fmt.Fprintln(env.Stderr, lang.T("cli.failed", "error", rerr))
		return ExitInternal
	}
	if f.output != "" {
		if werr := wizard.WriteFile(f.output, data); werr != nil {
			fmt.Fprintln(env.Stderr, lang.T("cli.output_unwritable", "path", f.output, "error", werr.Error()))
			return ExitInternal
		}
	} else if _, werr := env.Stdout.Write(data); werr != nil {
		return ExitInternal
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
		User: f.user, Resolver: f.resolver,
	}
	if set["from-error"] || set["from-error-file"] {
		text := f.fromError
		if set["from-error-file"] {
			data, err := readInput(f.fromErrorFile, env.Stdin)
			if err != nil {
				return spec, lang.T("cli.from_error_unreadable", "path", f.fromErrorFile, "error", err.Error())
			}
			text = data
		}
		d := wizard.Decode(text)
		spec.Pasted = &d
		t = d.Target(t, wizard.Explicit{Service: set["service"], Host: set["host"], Port: set["port"], Security: set["security"]})
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
	if set["port"] && (f.port < 1 || f.port > 65535) {
		return spec, lang.T("cli.bad_port", "value", f.port)
	}
	var err error
	if t.Timeout, err = time.ParseDuration(f.timeout); err != nil || t.Timeout <= 0 {
		return spec, lang.T("cli.bad_value", "flag", "--timeout", "value", f.timeout)
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
	if pw := env.Getenv("ASSISTANT_PASSWORD"); pw != "" {
		t.Secret = checks.NewSecret(pw)
	}
	if f.passwordStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return spec, lang.T("cli.password_stdin")
		}
		t.Secret = checks.NewSecret(strings.TrimRight(line, "\r\n"))
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
	fmt.Fprintln(env.Stderr, msg)
	fmt.Fprintln(env.Stderr, lang.T("cli.see_help"))
	return ExitUsage
}

// readInput reads a file, or standard input for "-".
func readInput(path string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, 1<<20))
	} else {
		data, err = os.ReadFile(path)
	}
	return string(data), err
}

// writable checks before the run that the report can be written there, so
// that a long run does not end in an unwritable path.
func writable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return errors.New("is a directory")
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".assistant-probe-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
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
		fmt.Fprintf(w, "%-8s %s: %s\n", wizard.StatusText(r.Status, lang), wizard.CheckTitle(r.ID, lang), wizard.CheckSummary(r, lang))
	}
}
