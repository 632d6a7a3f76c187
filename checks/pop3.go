package checks

import "context"

// probePOP3 is not written yet.
func probePOP3(ctx context.Context, s *Session) {}
