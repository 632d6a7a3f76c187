//go:build !windows

package wizard

import (
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives the new file the owner and group of the one it replaces
// (an administrator's run does not take a user's report away from them).
// Only root may give a file away; for anyone else the owner is already
// theirs, or the group is kept where permitted, so failures are ignored.
func keepOwner(f *os.File, old fs.FileInfo) {
	st, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	_ = f.Chown(int(st.Uid), int(st.Gid))
}
