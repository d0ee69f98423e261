//go:build !linux

package connectortest

import "testing"

// AppearsWhole needs Linux's inotify to watch the folder; elsewhere the check is skipped.
func AppearsWhole(t *testing.T, _, _ string, _ func()) {
	t.Skip("watching a folder's changes needs Linux")
}
