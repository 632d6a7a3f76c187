package wizard

import "strings"

// PastedSummary is the one line the window shows above nothing else about a
// pasted message: which program wrote it and its codes ("From the pasted
// Outlook message: error 0x800CCC0E, socket error 10054"). It speaks of
// the message, not of the form, so it never goes stale while the user
// edits the form; it holds no cause IDs and no command line.
func PastedSummary(d Decoded, l Lang) string {
	var what []string
	if d.HostMissing() {
		what = append(what, l.T("window.pasted.no_server"))
	}
	if d.ErrorCode != "" {
		what = append(what, l.T("window.pasted.error_code", "code", d.ErrorCode))
	}
	if d.SocketError != 0 {
		what = append(what, l.T("window.pasted.socket_error", "code", d.SocketError))
	}
	if len(what) == 0 {
		what = append(what, l.T("window.pasted.settings"))
	}
	if d.Client != "" {
		return l.T("window.pasted.summary.client", "client", l.T("decode.client."+d.Client), "what", strings.Join(what, ", "))
	}
	return l.T("window.pasted.summary", "what", strings.Join(what, ", "))
}

// PastedDetails are the lines of the window's Details about a pasted
// message: its fields as it states them, what its codes mean and the
// likely causes in words (Explain without cause IDs and command lines,
// which are for the terminal).
func PastedDetails(d Decoded, l Lang) []string {
	out := []string{l.T("window.pasted.fields")}
	for _, f := range explainFields(d, l) {
		out = append(out, "  "+f)
	}
	if len(d.Codes) > 0 {
		out = append(out, l.T("decode.heading.codes"))
		for _, c := range d.Codes {
			info, _ := LookupCode(c)
			name := c
			if info.Kind == KindMessage || info.Kind == KindReply {
				name = l.T("decode.kind." + string(info.Kind))
			}
			out = append(out, "  "+name+" — "+info.Meaning(l))
		}
	}
	if causes := d.Causes(); len(causes) > 0 {
		out = append(out, l.T("decode.heading.causes"))
		for _, c := range causes {
			out = append(out, "  "+l.T("decode.cause."+string(c)))
		}
	}
	return out
}
