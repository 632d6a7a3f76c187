// Package checks probes mail and FTP servers over the network and reports
// facts: what each step did, how long it took, the conversation it had and,
// when something went wrong, a typed Fault (kind, WinSock code, stage).
//
// It knows the network and nothing about words: it never gives advice. The
// package wizard turns its results into findings, texts and reports.
//
// Every check implements Probe and records into its own Recorder. Run plays
// the checks in the order Plan gives, with a deadline on every network step
// (Target.Timeout) and cancellation through the context.
package checks
