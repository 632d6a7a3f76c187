package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is ATTACH_PARENT_PROCESS ((DWORD)-1) of AttachConsole.
const attachParentProcess = ^uint32(0)

// useParentConsole lets a command-line run (`assistant.exe check ...`)
// print to the console it was started from. The Windows build is a GUI
// program (-H=windowsgui, so no console window opens beside the wizard),
// and Windows connects no console to such a program: standard handles the
// parent redirected (pipes, files) stay as they are, the missing ones are
// opened on the parent's console if there is one.
func useParentConsole() {
	out, errOut := validStdHandle(windows.STD_OUTPUT_HANDLE), validStdHandle(windows.STD_ERROR_HANDLE)
	if out && errOut {
		return
	}
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(uintptr(attachParentProcess)); ok == 0 {
		return // started without a console (Explorer, a shortcut): nowhere to print
	}
	name, err := windows.UTF16PtrFromString("CONOUT$")
	if err != nil {
		return
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return
	}
	console := os.NewFile(uintptr(h), "CONOUT$")
	if !out {
		os.Stdout = console
		_ = windows.SetStdHandle(windows.STD_OUTPUT_HANDLE, h)
	}
	if !errOut {
		os.Stderr = console
		_ = windows.SetStdHandle(windows.STD_ERROR_HANDLE, h)
	}
}

// validStdHandle reports whether the standard handle which (STD_OUTPUT_HANDLE,
// STD_ERROR_HANDLE) refers to something writable: a console, pipe or file.
func validStdHandle(which uint32) bool {
	h, err := windows.GetStdHandle(which)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
