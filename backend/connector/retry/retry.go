// Package retry holds what every network source needs between two tries of a request: how long
// the server asked it to wait, and a wait that ends early when the user cancels.
package retry

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// After reads a Retry-After header, given in seconds or as an HTTP date; ok is false when there is
// none or it cannot be read.
func After(v string, now time.Time) (wait time.Duration, ok bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Sleep waits d, or returns the context's error as soon as it is cancelled.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
