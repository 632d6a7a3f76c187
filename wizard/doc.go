// Package wizard turns check results into findings, texts and reports and
// holds the state of the wizard the window shows. It knows the words, in
// English and Russian, and the causes of causes.md; it knows nothing about
// widgets, and it leaves the network to package checks.
package wizard
