//go:build !linux

package practice

// startPortBlocked is unavailable here: imitating a filtered port without
// a firewall relies on Linux dropping SYNs to a full accept queue.
var startPortBlocked func(l *Lab) error
