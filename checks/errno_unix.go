//go:build !windows

package checks

import "syscall"

// errnoKind maps a Unix errno to a fault kind and the WinSock code a Windows
// client would see for the same event.
func errnoKind(e syscall.Errno) (FaultKind, int, bool) {
	switch e {
	case syscall.ECONNREFUSED:
		return FaultRefused, WSAECONNREFUSED, true
	case syscall.ECONNRESET:
		return FaultReset, WSAECONNRESET, true
	case syscall.ECONNABORTED, syscall.EPIPE, syscall.ESHUTDOWN:
		return FaultAborted, WSAECONNABORTED, true
	case syscall.ETIMEDOUT:
		return FaultTimeout, WSAETIMEDOUT, true
	case syscall.EHOSTUNREACH:
		return FaultUnreachable, WSAEHOSTUNREACH, true
	case syscall.EHOSTDOWN:
		return FaultUnreachable, WSAEHOSTDOWN, true
	case syscall.ENETUNREACH:
		return FaultUnreachable, WSAENETUNREACH, true
	case syscall.ENETDOWN:
		return FaultUnreachable, WSAENETDOWN, true
	case syscall.EACCES, syscall.EPERM:
		// A local firewall (OUTPUT DROP/REJECT) refuses the send.
		return FaultUnreachable, WSAEACCES, true
	}
	return "", 0, false
}

// errnoWinSock is the WinSock code for an errno errnoKind does not classify.
func errnoWinSock(e syscall.Errno) int {
	if e == syscall.EADDRINUSE {
		return WSAEADDRINUSE
	}
	return 0
}
