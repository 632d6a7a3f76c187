package wizard

// Rules of the transfer and the session: server-busy, greeting-timeout, transfer-interrupted, transfer-slow, connection-reset, connection-aborted,
// and the test file the transfer could not delete.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"assistant/checks"
)

// busy: server-busy from a 421, IMAP BYE or POP3 [IN-USE] in any check.
func (d *diag) busy() {
	for _, x := range d.faults() {
		if x.f.Kind != checks.FaultBusy {
			continue
		}
		f := d.finding(ServerBusy, High, x.id)
		f.Facts["stage"], f.Facts["reply"] = string(x.f.Stage), replyLine(x.f)
		if d.t.Service == checks.FTP {
			f.Steps = steps(ServerBusy, "cause.server-busy.connections")
		}
		d.add(f, x.f)
	}
}

// greeting: greeting-timeout, and wrong-port when the configured port is
// silent or speaks something else while a standard port answered.
func (d *diag) greeting() {
	flt := d.fault(d.proto())
	if flt == nil || d.explained[flt] || flt.Stage != checks.StageGreeting ||
		(flt.Kind != checks.FaultTimeout && flt.Kind != checks.FaultProtocol) {
		return
	}
	standard := slices.ContainsFunc(checks.StandardPorts(d.t.Service), func(p checks.StandardPort) bool { return p.Port == d.t.Port })
	if p, sec, ok := d.altPort(); ok {
		w := d.finding(WrongPort, High, checks.CheckTCP, d.proto())
		w.Variant = "silent"
		if flt.Kind == checks.FaultProtocol {
			w.Variant = "other"
		}
		if standard {
			w.Confidence, w.Missing = Medium, []string{"missing.nonstandard"}
		}
		w.Steps = steps(WrongPort, d.measured(&w, p, sec)...)
		d.add(w, flt)
	}
	if flt.Kind != checks.FaultTimeout {
		return
	}
	f := d.finding(GreetingTimeout, High, d.proto())
	f.Facts["timeout"] = strconv.Itoa(int(d.t.Timeout.Seconds()))
	if d.named(WrongPort) && !standard {
		f.Confidence, f.Missing = Medium, []string{"missing.alt-answered"}
	}
	d.add(f, flt)
}

// transfer: transfer-interrupted, transfer-slow.
func (d *diag) transfer() {
	r := d.facts(checks.CheckTransfer)
	if r == nil {
		return
	}
	tf := r.Transfer
	if tf == nil {
		tf = &checks.TransferFacts{}
	}
	flt := d.fault(checks.CheckTransfer)
	if flt != nil && !d.explained[flt] && (flt.Offset > 0 || flt.Stage == checks.StageDataTransfer) {
		f := d.finding(TransferInterrupted, High, checks.CheckTransfer)
		offset := flt.Offset
		if offset == 0 {
			offset = tf.Sent
		}
		f.Facts["offset"], f.Facts["size"] = Bytes(offset), Bytes(tf.Size)
		f.Facts["percent"] = "0"
		if tf.Size > 0 {
			f.Facts["percent"] = strconv.FormatInt(offset*100/tf.Size, 10)
		}
		f.Facts["kind"], f.Facts["stage"], f.Facts["reply"] = string(flt.Kind), string(flt.Stage), replyLine(flt)
		dataOK := d.passed(checks.CheckFTPPassive) || d.passed(checks.CheckFTPActive)
		if d.passed(checks.CheckFTP) && dataOK {
			f.Evidence = appendID(appendID(f.Evidence, checks.CheckFTP), dataCheck(d))
		} else {
			f.Confidence, f.Missing = Medium, []string{"missing.control"}
		}
		d.add(f, flt)
	}
	if tf.BytesPerSecond > 0 && tf.BytesPerSecond < SlowBytesPerSecond {
		f := d.finding(TransferSlow, High, checks.CheckTransfer)
		f.Facts["rate"] = strconv.FormatFloat(tf.BytesPerSecond/1024, 'f', 0, 64)
		f.Facts["planned"] = strconv.Itoa(PlannedTransfer >> 20)
		f.Facts["timeout"] = strconv.Itoa(int(ClientTimeout.Seconds()))
		f.Facts["minutes"] = fmt.Sprintf("%.0f", float64(PlannedTransfer)/tf.BytesPerSecond/60+0.5)
		if flt != nil {
			f.Confidence, f.Missing = Medium, []string{"missing.transfer-done"}
		}
		d.add(f)
	}
}

// dataCheck is the data check that passed (passive first).
func dataCheck(d *diag) checks.CheckID {
	if d.passed(checks.CheckFTPPassive) {
		return checks.CheckFTPPassive
	}
	return checks.CheckFTPActive
}

// session: connection-reset and connection-aborted for the faults no more
// specific cause explains.
func (d *diag) session() {
	for _, x := range d.faults() {
		switch x.f.Kind {
		case checks.FaultReset:
			f := d.finding(ConnectionReset, High, x.id)
			f.Facts["stage"], f.Facts["winsock"] = string(x.f.Stage), winsock(x.f, checks.WSAECONNRESET)
			d.add(f, x.f)
		case checks.FaultAborted, checks.FaultClosed:
			f := d.finding(ConnectionAborted, High, x.id)
			d.lastReply(&f, x)
			d.add(f, x.f)
		}
	}
}

// lastReply quotes the fault's reply or the last server line of the
// check's transcript, and the stage.
func (d *diag) lastReply(f *Finding, x idFault) {
	f.Facts["stage"] = string(x.f.Stage)
	reply := replyLine(x.f)
	if reply == "" {
		if r := d.facts(x.id); r != nil {
			for i := len(r.Transcript) - 1; i >= 0; i-- {
				if s, ok := strings.CutPrefix(r.Transcript[i], "S: "); ok {
					reply = s
					break
				}
			}
		}
	}
	f.Facts["reply"] = reply
	if reply != "" {
		f.Variant = "reply"
	}
}

// fileLeftStep is the remediation step that names a test file left on the
// server; a report whose findings carry it names a problem (exit 1).
const fileLeftStep = "cause.transfer.file-left.step"

// fileLeft: a test file the transfer check could not delete is named in
// the first finding, whatever it is: its name and the server's reply, and
// a first step to delete it by hand. A run that would otherwise say
// no-problem-found says so in its title and explanation (variant
// file-left, medium confidence: the check itself left something behind).
// With --repeat every run's file is named, not only the diagnosed run's.
func fileLeft(out []Finding, runs ...[]checks.Result) {
	var names, replies []string
	for _, run := range runs {
		if r := checks.Find(run, checks.CheckTransfer); r != nil && r.Transfer != nil && r.Transfer.Left &&
			!slices.Contains(names, r.Transfer.RemoteName) {
			names, replies = append(names, r.Transfer.RemoteName), append(replies, r.Transfer.DeleteReply)
		}
	}
	if len(names) == 0 || len(out) == 0 {
		return
	}
	f := &out[0]
	f.Facts["file"], f.Facts["delete_reply"] = strings.Join(names, ", "), replies[len(replies)-1]
	f.Evidence = appendID(f.Evidence, checks.CheckTransfer)
	if len(f.Steps) == 0 {
		f.Steps = steps(f.Cause)
	}
	if !slices.Contains(f.Steps, fileLeftStep) {
		f.Steps = append([]string{fileLeftStep}, f.Steps...)
	}
	if f.Cause == NoProblemFound && f.Variant == "" {
		f.Variant = "file-left"
		if f.Confidence == High {
			f.Confidence = Medium
		}
	}
}

// leavesFile reports whether a finding names a test file left on the server.
func (f Finding) leavesFile() bool { return slices.Contains(f.Steps, fileLeftStep) }
