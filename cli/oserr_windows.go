package cli

import "syscall"

// osErrorsPlatform adds Windows codes that syscall's Unix names do not
// match: ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL, ERROR_WRITE_PROTECT,
// ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_DIRECTORY.
var osErrorsPlatform = []struct {
	err error
	key string
}{
	{syscall.Errno(112), "cli2.os.no_space"},
	{syscall.Errno(39), "cli2.os.no_space"},
	{syscall.Errno(19), "cli2.os.read_only"},
	{syscall.Errno(32), "cli2.os.in_use"},
	{syscall.Errno(33), "cli2.os.in_use"},
	{syscall.Errno(267), "cli2.os.not_dir"},
}
