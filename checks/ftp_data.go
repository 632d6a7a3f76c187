package checks

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// FTP data modes recorded in DataFacts.Mode and TransferFacts.Mode.
const (
	modePassive = "passive"
	modeActive  = "active"
)

// dataChecks runs the planned ftp-passive and ftp-active checks and reports
// whether the passive one passed (the upload test needs it).
func (f *ftpClient) dataChecks() (passive bool) {
	if f.s.Planned(CheckFTPPassive) {
		passive = f.listCheck(CheckFTPPassive, modePassive)
	}
	if f.s.Planned(CheckFTPActive) && f.synced {
		f.listCheck(CheckFTPActive, modeActive)
	}
	return passive
}

// listCheck opens a data connection in one mode, lists the current
// directory over it and records the DataFacts of the check id.
func (f *ftpClient) listCheck(id CheckID, mode string) bool {
	rec := f.s.Begin(id)
	defer f.s.End(id)
	f.c.Record(rec)
	facts := &DataFacts{Mode: mode, Server: f.server.String()}
	defer rec.Facts(func(r *Result) { r.Data = facts })

	dc := f.openData(rec, mode, "LIST", facts)
	if facts.Foreign {
		rec.Warn("pasv-foreign-address")
	}
	if dc == nil {
		return false
	}
	n, err := countLines(dc)
	// The listing was read to the server's own end (EOF, after its
	// close_notify on TLS), so closing leaves nothing unread that could
	// turn into a reset: unlike an upload (transferData.Close), no wait
	// for the server is needed here.
	dc.Close()
	facts.Entries = n
	if err != nil {
		if flt := rec.Fail(StageDataTransfer, err); flt.Kind == FaultTimeout {
			// A listing that stalled: a server that holds its data
			// connection open owes its reply no sooner, and waiting for it
			// would be a second timeout. The control connection is given up.
			f.synced = false
			return false
		}
		f.drain()
		return false
	}
	rec.Step("listing", fmt.Sprintf("%d entries", n), nil)
	return f.finishData(rec)
}

// finishData reads the reply that closes a data transfer (226/250).
func (f *ftpClient) finishData(rec *Recorder) bool {
	code, msg, err := f.reply()
	if err == nil && code/100 != 2 {
		err = replyErr(code, msg)
	}
	if err != nil {
		rec.Fail(StageDataTransfer, err)
		return false
	}
	rec.Step("transfer complete", replyLine(code, msg), nil)
	return true
}

// countLines reads a listing to its end and counts the non-empty lines.
// Each read is a step of its own (a long listing fails after one timeout
// without progress), and the whole listing gets one timeout plus the time
// its bytes take at transferMinRate: a listing dripped a byte at a time
// ends after about one timeout too.
func countLines(dc *Conn) (int, error) {
	sc := bufio.NewScanner(&boundedReader{c: dc, end: timeNow().Add(dc.Timeout())})
	sc.Buffer(make([]byte, 4096), MaxLine)
	n := 0
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			n++
		}
	}
	return n, sc.Err()
}

// boundedReader starts a new step before each read, within a total bound
// that each byte read extends by 1/transferMinRate seconds.
type boundedReader struct {
	c   *Conn
	end time.Time
}

func (r *boundedReader) Read(p []byte) (int, error) {
	r.c.ArmFor(min(r.c.Timeout(), r.end.Sub(timeNow())))
	n, err := r.c.Read(p)
	r.end = r.end.Add(time.Duration(n) * time.Second / transferMinRate)
	return n, err
}

// openData prepares a data connection in mode, sends cmd (LIST, STOR ...)
// and returns the data connection once the server's 1xx reply came,
// encrypted when PROT P is on. On failure it records the fault in rec and
// returns nil.
func (f *ftpClient) openData(rec *Recorder, mode, cmd string, facts *DataFacts) *Conn {
	if mode == modeActive {
		return f.openActive(rec, cmd, facts)
	}
	return f.openPassive(rec, cmd, facts)
}

// openPassive asks for a passive port (PASV on IPv4 as FileZilla does,
// EPSV when PASV is not implemented or on IPv6) and connects to it, never
// to an announced address that is not the server's own.
func (f *ftpClient) openPassive(rec *Recorder, cmd string, facts *DataFacts) *Conn {
	verbs := []string{"PASV", "EPSV"}
	if f.server.To4() == nil {
		verbs = verbs[1:]
	}
	var code int
	var msg string
	var err error
	for _, v := range verbs {
		facts.Command = v
		code, msg, err = f.cmd("%s", v)
		if err != nil || (code != 500 && code != 502) {
			break
		}
	}
	if err != nil {
		rec.Fail(StageCommand, err)
		return nil
	}
	facts.Code, facts.Reply = code, replyLine(code, msg)
	if code != 227 && code != 229 {
		rec.Fail(StageCommand, replyErr(code, msg))
		return nil
	}
	ip, port, err := parsePassive(code, msg, f.server)
	if err != nil {
		rec.Fail(StageCommand, err)
		return nil
	}
	facts.Announced = net.JoinHostPort(ip.String(), strconv.Itoa(port))
	facts.Foreign = !ip.Equal(f.server)
	facts.Used = facts.Announced
	if facts.Foreign && !f.s.Target.AllowForeignData {
		facts.Used = net.JoinHostPort(f.server.String(), strconv.Itoa(port))
	}
	rec.Step(facts.Command, facts.Reply, nil)

	dc, err := f.s.Dial(f.ctx, facts.Used, nil)
	if err != nil {
		rec.Fail(StageDataConnect, err)
		return nil
	}
	facts.Connected = true
	rec.Step("data connect", facts.Used, nil)
	return f.startTransfer(rec, cmd, dc, nil)
}

// openActive listens on the control connection's local address, announces
// it with PORT (IPv4) or EPRT (IPv6), sends cmd and accepts the server's
// connection within the step timeout.
func (f *ftpClient) openActive(rec *Recorder, cmd string, facts *DataFacts) *Conn {
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: f.local})
	if err != nil {
		rec.Fail(StageDataConnect, err)
		return nil
	}
	defer ln.Close()
	addr := ln.Addr().(*net.TCPAddr)
	facts.Used = addr.String()
	var arg string
	if ip4 := addr.IP.To4(); ip4 != nil {
		facts.Command = "PORT"
		arg = fmt.Sprintf("%d,%d,%d,%d,%d,%d", ip4[0], ip4[1], ip4[2], ip4[3], addr.Port>>8, addr.Port&0xff)
	} else {
		facts.Command = "EPRT"
		arg = fmt.Sprintf("|2|%s|%d|", addr.IP, addr.Port)
	}
	code, msg, err := f.cmd("%s %s", facts.Command, arg)
	if err != nil {
		rec.Fail(StageCommand, err)
		return nil
	}
	facts.Code, facts.Reply = code, replyLine(code, msg)
	if code/100 != 2 {
		rec.Fail(StageCommand, replyErr(code, msg))
		return nil
	}
	rec.Step(facts.Command, facts.Reply, nil)
	return f.startTransfer(rec, cmd, nil, func() (*Conn, error) {
		raw, err := acceptWithin(f.ctx, ln, f.c.Timeout())
		if err != nil {
			return nil, err
		}
		facts.Connected = true
		return wrapConn(f.ctx, raw, f.c.Timeout(), nil), nil
	})
}

// acceptWithin accepts one connection before the timeout or ctx ends.
func acceptWithin(ctx context.Context, ln *net.TCPListener, timeout time.Duration) (net.Conn, error) {
	_ = ln.SetDeadline(timeNow().Add(timeout))
	stop := context.AfterFunc(ctx, func() { _ = ln.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := ln.AcceptTCP()
	if err != nil && ctx.Err() != nil {
		return nil, errors.Join(context.Canceled, err)
	}
	return c, err
}

// startTransfer sends cmd and reads the server's 1xx reply, then takes the
// data connection: dc, already connected in passive mode, or the one
// accept returns in active mode; it starts TLS on it when PROT P is on.
// On failure it records the fault, closes the data connection, reads the
// reply the server may still owe, and returns nil. A 425/426 reply or no
// reply at all means the data connection could not be opened (stage
// data-connect); other refusals are stage command.
func (f *ftpClient) startTransfer(rec *Recorder, cmd string, dc *Conn, accept func() (*Conn, error)) *Conn {
	code, msg, err := f.cmd("%s", cmd)
	if err == nil && code/100 != 1 {
		err = replyErr(code, msg)
	}
	if err == nil {
		rec.Step(strings.Fields(cmd)[0], replyLine(code, msg), nil)
		if accept != nil {
			dc, err = accept()
		}
		if err == nil && f.dataTLS != nil {
			_, err = dc.StartTLS(f.dataTLS)
		}
		if err == nil {
			return dc
		}
	}
	stage := StageDataConnect
	if code != 0 && code/100 != 1 && code != 425 && code != 426 {
		stage = StageCommand
	}
	rec.Fail(stage, err)
	if dc != nil {
		dc.Close()
	}
	if code == 0 || code/100 == 1 {
		f.drain()
	}
	return nil
}

// drain reads the reply a server still owes after a data connection
// failed; when none comes the control connection is out of step.
func (f *ftpClient) drain() {
	if f.ctx.Err() != nil {
		f.synced = false
		return
	}
	_, _, _ = f.reply()
}

// pasvRe finds the six numbers of a 227 reply, with or without parentheses.
var pasvRe = regexp.MustCompile(`(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})`)

// parsePassive reads the address of a 227 reply, or the port of a 229
// reply (whose address is the server's own).
func parsePassive(code int, msg string, server net.IP) (net.IP, int, error) {
	bad := &ReplyError{Code: code, Line: replyLine(code, msg)}
	if code == 229 {
		// 229 Entering Extended Passive Mode (|||port|)
		i := strings.IndexByte(msg, '(')
		j := strings.LastIndexByte(msg, ')')
		if i < 0 || j < i+5 {
			return nil, 0, bad
		}
		inner := msg[i+1 : j]
		d := inner[:1]
		parts := strings.Split(inner, d)
		if len(parts) != 5 {
			return nil, 0, bad
		}
		port, err := strconv.Atoi(parts[3])
		if err != nil || port < 1 || port > 65535 {
			return nil, 0, bad
		}
		return server, port, nil
	}
	m := pasvRe.FindStringSubmatch(msg)
	if m == nil {
		return nil, 0, bad
	}
	var n [6]int
	for i := range n {
		v, err := strconv.Atoi(m[i+1])
		if err != nil || v > 255 {
			return nil, 0, bad
		}
		n[i] = v
	}
	port := n[4]<<8 | n[5]
	if port == 0 {
		return nil, 0, bad
	}
	return net.IPv4(byte(n[0]), byte(n[1]), byte(n[2]), byte(n[3])), port, nil
}
