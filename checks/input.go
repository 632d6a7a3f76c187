package checks

import "context"

// probeInput is not written yet.
func probeInput(ctx context.Context, s *Session) {}

// CleanHost is replaced at merge.
func CleanHost(raw string) (host string, port int, changes []string, problem string) {
	return raw, 0, nil, ""
}
