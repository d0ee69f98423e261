package engine

import (
	"context"
	"runtime/debug"
	"slices"
	"testing"

	generated "github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
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

// A plan, and an export, run under the run's memory limit as an import does: at 1,000,000 students
// a plan peaked at 438 MB without it, and a bulk export at 770 MB.
func TestPlanRunsUnderTheMemoryLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	f := newFixture(t, map[string]string{"manifest.csv": ""}) // replaced by the generated district
	if _, err := generated.GenerateFile(context.Background(), f.source, generated.Options{Students: 20, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var limits []int64
	rep := events.ReporterFunc(func(events.Progress) { limits = append(limits, debug.SetMemoryLimit(-1)) })
	if _, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, rep); err != nil {
		t.Fatal(err)
	}
	if len(limits) == 0 || slices.ContainsFunc(limits, func(l int64) bool { return l != runMemory }) {
		t.Fatalf("memory limits while planning: %v, want %d throughout", limits, int64(runMemory))
	}
	f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	vendor, _ := f.target(nil)
	limits = nil
	if _, err := f.eng.Export(context.Background(), vendor.ID, RunOptions{}, rep); err != nil {
		t.Fatal(err)
	}
	if len(limits) == 0 || slices.ContainsFunc(limits, func(l int64) bool { return l != runMemory }) {
		t.Fatalf("memory limits while exporting: %v, want %d throughout", limits, int64(runMemory))
	}
}
