package selection_test

import (
	"reflect"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// A filter that shed its graph's links keeps and trims every record as before, and the graph holds
// at least the 12 bytes of each enrollment less: an export writes a state's rows beside its filter.
func TestAShedFilterKeepsWhatItKeptAndHoldsLess(t *testing.T) {
	g, records := generated(t, 2000)
	schools := schoolsOf(records)
	enrollments := 0
	for _, rec := range records {
		if rec.Entity == roster.Enrollments {
			enrollments++
		}
	}
	f := g.Closure(saved(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, schools[:len(schools)/2] }))
	want := kept(f, records)
	before := hostile.InUse()
	f.Shed()
	freed := before - hostile.InUse()
	if got := kept(f, records); !reflect.DeepEqual(got, want) {
		t.Error("the shed filter keeps or trims other records than before")
	}
	if freed < int64(12*enrollments) {
		t.Errorf("shedding freed %d bytes, want at least the %d of the %d enrollments", freed, 12*enrollments, enrollments)
	}
	defer func() {
		if recover() == nil {
			t.Error("Totals of a shed filter counted without the graph's links")
		}
	}()
	f.Totals()
}
