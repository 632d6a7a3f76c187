package wizard

// Rules of the FTP data connections: ftp-passive-blocked, ftp-active-blocked, ftp-pasv-address, ftp-mode-refused.

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"

	"assistant/checks"
)

// ftpData: ftp-pasv-address, ftp-mode-refused, ftp-passive-blocked,
// ftp-active-blocked.
func (d *diag) ftpData() {
	if d.t.Service != checks.FTP {
		return
	}
	for _, id := range []checks.CheckID{checks.CheckFTPPassive, checks.CheckFTPActive} {
		r := d.facts(id)
		if r == nil {
			continue
		}
		mode, other, otherID := "passive", "active", checks.CheckFTPActive
		if id == checks.CheckFTPActive {
			mode, other, otherID = "active", "passive", checks.CheckFTPPassive
		}
		data := r.Data
		if data == nil {
			data = &checks.DataFacts{}
		}
		if data.Foreign || slices.Contains(r.Warnings, "pasv-foreign-address") {
			f := d.finding(FTPPasvAddress, High, id)
			f.Facts["announced"], f.Facts["server"], f.Facts["reply"] = data.Announced, data.Server, data.Reply
			// FileZilla replaces only a private (or loopback) announced
			// address with the server's own by default; any other foreign
			// address needs active mode.
			client := "cause.ftp-pasv-address.client.public"
			if ip := announcedIP(data.Announced); ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
				client = "cause.ftp-pasv-address.client.private"
			}
			f.Steps = []string{"cause.ftp-pasv-address.step1", client}
			d.add(f, d.fault(id))
		}
		flt := d.fault(id)
		if flt == nil || d.explained[flt] {
			continue
		}
		code := flt.Code
		if code == 0 {
			code = data.Code
		}
		var first []string
		if d.passed(otherID) {
			first = append(first, "measured.mode."+other)
		}
		f := d.finding(FTPModeRefused, High, id)
		f.Facts["mode"], f.Facts["set_mode"] = mode, other
		f.Facts["command"] = data.Command
		if f.Facts["command"] == "" {
			f.Facts["command"] = map[string]string{"passive": "PASV", "active": "PORT"}[mode]
		}
		f.Facts["code"], f.Facts["reply"] = strconv.Itoa(code), replyLine(flt)
		if f.Facts["reply"] == "" {
			f.Facts["reply"] = data.Reply
		}
		switch {
		case flt.Stage == checks.StageCommand && (code == 500 || code == 502 || code == 550):
			f.Steps = steps(FTPModeRefused, append(first, "setting.ftp-mode")...)
			d.add(f, flt)
		case flt.Stage == checks.StageDataConnect || code == 425:
			f.Cause = FTPPassiveBlocked
			if mode == "active" {
				f.Cause = FTPActiveBlocked
			}
			f.Facts["winsock"] = winsock(flt, 0)
			f.Facts["kind"] = string(flt.Kind)
			f.Facts["address"] = cmp.Or(data.Used, data.Announced, data.Server, d.t.Host)
			if f.Cause == FTPActiveBlocked && f.Facts["reply"] != "" {
				f.Variant = "reply"
			}
			d.dataBlockedConfidence(&f, otherID)
			f.Steps = steps(f.Cause, append(first, "setting.ftp-mode")...)
			d.add(f, flt)
		}
	}
}

// dataBlockedConfidence: a blocked data connection is sure when the control
// connection works, and for active mode when passive works.
func (d *diag) dataBlockedConfidence(f *Finding, otherID checks.CheckID) {
	if !d.passed(checks.CheckFTP) {
		f.Confidence, f.Missing = Medium, append(f.Missing, "missing.control")
	} else {
		f.Evidence = appendID(f.Evidence, checks.CheckFTP)
	}
	if f.Cause != FTPActiveBlocked {
		return
	}
	if d.passed(otherID) {
		f.Evidence = appendID(f.Evidence, otherID)
	} else {
		f.Confidence, f.Missing = Medium, append(f.Missing, "missing.passive")
	}
}

// announcedIP is the address of a 227/229 reply's "host:port" (or bare
// host); the zero Addr when it is neither.
func announcedIP(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr()
	}
	ip, _ := netip.ParseAddr(s)
	return ip
}
