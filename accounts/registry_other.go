//go:build !windows

package accounts

// currentUser is nil: there is no registry outside Windows.
func currentUser() Key { return nil }
