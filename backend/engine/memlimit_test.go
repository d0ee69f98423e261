package engine

import (
	"runtime/debug"
	"testing"
)

// Two imports whose runs overlap and end out of order give the process its own limit back.
func TestOverlappingRunsRestoreTheMemoryLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	own := debug.SetMemoryLimit(-1)
	first := limitMemory()
	second := limitMemory()
	first()
	if got := debug.SetMemoryLimit(-1); got != runMemory {
		t.Errorf("while the second run goes on the limit is %d, want %d", got, runMemory)
	}
	second()
	second() // a restore called twice changes nothing more
	if got := debug.SetMemoryLimit(-1); got != own {
		t.Errorf("after both runs the limit is %d, want the process's own %d", got, own)
	}
}
