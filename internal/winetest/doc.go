// Package winetest holds the Windows test tier: tests (build tag `wine`)
// that run the Windows build, assistant.exe, under Wine against the fault
// peers of package faultpeer on loopback and assert the WinSock codes of
// its JSON report — the Windows error mapping exercised by a Windows
// binary — and write Outlook profiles and WinSCP sessions into the
// prefix's registry (wine reg add) for `assistant.exe accounts` to list:
// the registry reader of package accounts on a real registry API.
// scripts/wine-test builds the exe, prepares the Wine prefix and runs them:
//
//	go test -tags wine ./internal/winetest/
//
// Without the tag the package is empty.
package winetest
