//go:build windows

package checks

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// errnoKind maps a Windows error (the WinSock code itself, or a Win32 code
// that overlapped I/O reports) to a fault kind and its WinSock code.
func errnoKind(e syscall.Errno) (FaultKind, int, bool) {
	switch e {
	case windows.WSAECONNREFUSED, windows.ERROR_CONNECTION_REFUSED:
		return FaultRefused, WSAECONNREFUSED, true
	case windows.WSAECONNRESET, windows.ERROR_NETNAME_DELETED:
		return FaultReset, WSAECONNRESET, true
	case windows.WSAECONNABORTED, windows.ERROR_CONNECTION_ABORTED, windows.WSAESHUTDOWN:
		return FaultAborted, WSAECONNABORTED, true
	case windows.WSAETIMEDOUT, windows.ERROR_SEM_TIMEOUT:
		return FaultTimeout, WSAETIMEDOUT, true
	case windows.WSAEHOSTUNREACH, windows.ERROR_HOST_UNREACHABLE:
		return FaultUnreachable, WSAEHOSTUNREACH, true
	case windows.WSAEHOSTDOWN:
		return FaultUnreachable, WSAEHOSTDOWN, true
	case windows.WSAENETUNREACH, windows.ERROR_NETWORK_UNREACHABLE:
		return FaultUnreachable, WSAENETUNREACH, true
	case windows.WSAENETDOWN:
		return FaultUnreachable, WSAENETDOWN, true
	case windows.WSAEACCES:
		return FaultUnreachable, WSAEACCES, true
	}
	return "", 0, false
}

// errnoWinSock is the WinSock code for an error errnoKind does not classify.
func errnoWinSock(e syscall.Errno) int {
	if e >= 10000 && e < 12000 {
		return int(e)
	}
	return 0
}
