package checks

import "context"

// probeSMTP is not written yet.
func probeSMTP(ctx context.Context, s *Session) {}
