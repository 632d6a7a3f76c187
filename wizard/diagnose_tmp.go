package wizard

import (
	"time"

	"assistant/checks"
)

// diagnose is replaced by the diagnosis at merge.
func diagnose(t checks.Target, runs [][]checks.Result, started []time.Time) []Finding { return nil }
