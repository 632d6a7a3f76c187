package checks

import "context"

// probeFTP is not written yet.
func probeFTP(ctx context.Context, s *Session) {}
