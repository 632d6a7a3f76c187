//go:build !windows

package cli

// osErrorsPlatform adds the codes of this system that have no syscall name.
var osErrorsPlatform []struct {
	err error
	key string
}
