package engine

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/store"
)

// A run's outcomes come back as they were added, blanks and repeats included.
func TestOutcomesComeBackAsAdded(t *testing.T) {
	in := []store.RunRecord{
		{Entity: "users", SourcedID: "u1", Action: ActionDelete, Status: "ok", Message: "no longer in the selection"},
		{Entity: "users", SourcedID: "u2", Action: ActionDelete, Status: "ok", Message: "no longer in the selection"},
		{Entity: "users", SourcedID: "u2", Action: ActionUpdate, Status: "ok", Field: "givenName", Message: `"Ana" → (blank)`},
		{Entity: "users", SourcedID: "", Action: ActionUpdate, Status: "ok", Field: "givenName", Message: ""},
		{},
		{Entity: "enrollments", SourcedID: "e1", Action: ActionRead, Status: "failed", Field: "role", Message: strings.Repeat("long ", 100)},
	}
	o := &outcomes{}
	for _, r := range in {
		o.add(r)
	}
	if got := slices.Collect(o.all()); !slices.Equal(got, in) {
		t.Fatalf("got %v, want %v", got, in)
	}
	if p := o.plan(Plan{}); len(p.Records) != len(in) || p.More != 0 {
		t.Fatalf("plan lists %d, more %d", len(p.Records), p.More)
	}
}

// The outcomes of a run held for deleting 200,000 records take a few bytes each, and do not hold on
// to the lines of the file their ids were read from: a held import of a district kept about 200
// bytes an outcome.
func TestOutcomesOfAHeldRunAreSmall(t *testing.T) {
	const n = 200000
	o := &outcomes{}
	before := heap()
	for i := range n {
		line := fmt.Sprintf("enr-%07d,active,2026-01-01,cls-0001-0-001,sch-0001,usr-%06d,student,false,2026-08-15,2027-06-15", i, i)
		o.add(store.RunRecord{Entity: "enrollments", SourcedID: line[:11], Action: ActionDelete, Status: "ok", Message: "no longer in the selection"})
	}
	if per := float64(heap()-before) / n; per > 24 {
		t.Fatalf("%.0f bytes an outcome, want at most 24", per)
	}
	if p := o.plan(Plan{}); len(p.Records) != planRecords || p.More != n-planRecords || p.Records[7].SourcedID != "enr-0000007" {
		t.Fatalf("plan lists %d, more %d, the 8th %q", len(p.Records), p.More, p.Records[7].SourcedID)
	}
	runtime.KeepAlive(o)
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
