package cli

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"assistant/wizard"
)

// osErrors maps what the operating system says about a file to a catalog
// text, by error type, so that a Russian message never ends in English
// ("no space left on device") and never names a temporary file. The first
// match wins; syscall's names stand for the same conditions on Windows,
// where extra codes are added by osErrorsPlatform.
var osErrors = []struct {
	err error
	key string
}{
	{os.ErrDeadlineExceeded, "cli2.os.timeout"},
	{syscall.EISDIR, "cli2.os.is_dir"},
	{syscall.ENOTDIR, "cli2.os.not_dir"},
	{fs.ErrNotExist, "cli2.os.not_exist"},
	{syscall.EROFS, "cli2.os.read_only"},
	{fs.ErrPermission, "cli2.os.permission"},
	{syscall.ENOSPC, "cli2.os.no_space"},
	{syscall.EDQUOT, "cli2.os.no_space"},
	{syscall.EFBIG, "cli2.os.too_big"},
	{syscall.ENAMETOOLONG, "cli2.os.name_too_long"},
	{syscall.ELOOP, "cli2.os.loop"},
	{syscall.EIO, "cli2.os.io"},
	{syscall.ENXIO, "cli2.os.no_device"},
	{syscall.ENODEV, "cli2.os.no_device"},
	{syscall.EPIPE, "cli2.os.closed"},
	{fs.ErrClosed, "cli2.os.closed"},
}

// osText says in the user's language what went wrong with a file. An error
// of no known type is shown by its system text alone, without the path
// (which may be a temporary name the user never typed).
func osText(err error, lang wizard.Lang) string {
	for _, e := range append(osErrors, osErrorsPlatform...) {
		if errors.Is(err, e.err) {
			return lang.T(e.key)
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return lang.T("cli2.os.other", "error", err.Error())
}
