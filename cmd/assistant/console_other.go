//go:build !windows

package main

// useParentConsole does nothing outside Windows: programs there always
// keep the standard streams of the terminal that started them.
func useParentConsole() {}
