package checks

import "context"

// probeIMAP is not written yet.
func probeIMAP(ctx context.Context, s *Session) {}
