package selection_test

import (
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// A compact filter keeps and trims every record as its filter does, whatever is chosen: the
// deletions that go through without their user (a user who left the chosen classes, one of a status
// not chosen, one the roster no longer holds) too.
func TestACompactFilterKeepsWhatItsFilterKeeps(t *testing.T) {
	g, records := deltaDistrict(t, 2000)
	r := rand.New(rand.NewPCG(3, 17))
	for round := range 60 {
		sel := randomSelection(r, g)
		if round == 0 {
			sel = selection.Everything()
		}
		f := g.Closure(sel)
		if want, got := kept(f, records), kept(f.Compact(), records); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: the compact filter lets other records through than its filter; selection %+v", round, sel)
		}
	}
	small, few := schoolDelta()
	f := small.Closure(saved(func(s *selection.Selection) {
		s.OrgsAll, s.Orgs = false, []string{"s1"}
		s.Statuses = []selection.Status{selection.Active, selection.Inactive, selection.Blank}
	}))
	if want, got := kept(f, few), kept(f.Compact(), few); !reflect.DeepEqual(got, want) {
		t.Errorf("the compact filter of one school of a delta lets %v through, its filter %v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("Totals of a compact filter counted without a graph")
		}
	}()
	f.Compact().Totals()
}

// An import of half a district's schools streams the records past a filter that holds the ids of
// what it keeps, not the district's shape: some 40 bytes a student of the district (a state's
// 1,000,000 students: 40 MB, where the shape took some 200 MB), 225 with the shape.
func TestACompactFilterHoldsWhatItKeepsNotTheShape(t *testing.T) {
	const students = 20000
	_, records := generated(t, students)
	schools := schoolsOf(records)
	before := hostile.InUse()
	g := selection.NewGraph()
	for _, rec := range records {
		g.Add(rec, false)
	}
	f := g.Closure(saved(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, schools[:len(schools)/2] })).Compact()
	per := (hostile.InUse() - before) / students
	if !f.Keep(records[0]) {
		t.Fatalf("the district %s goes through", records[0].SourcedID())
	}
	if per >= 48 {
		t.Errorf("the compact filter holds %d bytes a student (want < 48)", per)
	} else {
		t.Logf("%d bytes a student", per)
	}
	runtime.KeepAlive(f)
}
