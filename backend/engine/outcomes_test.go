package engine

import (
	"fmt"
	"os"
	"path/filepath"
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

// A run that spills its outcomes holds a few MB of them however many there are: the 4,400,000
// deletions of an import held for leaving out half of a state's schools took some 100 MB packed
// (1,000,000 here, 21 MB). They come back as they were added, spilled and held alike, and the file
// goes with the run.
func TestSpilledOutcomesComeBackAndHoldLittle(t *testing.T) {
	const n = 1000000
	deletion := func(i int) store.RunRecord {
		return store.RunRecord{Entity: "enrollments", SourcedID: fmt.Sprintf("enr-%07d", i), Action: ActionDelete, Status: "ok",
			Field: "dateLastModified", Before: "2026-12-02T10:25:10.623Z", Reason: "left_selection"}
	}
	o := &outcomes{spill: func() (*os.File, error) { return os.CreateTemp(t.TempDir(), "spill-*") }}
	before := heap()
	for i := range n {
		o.add(deletion(i))
	}
	if per := float64(heap()-before) / n; per > 8 {
		t.Errorf("%.1f bytes an outcome held, want at most 8", per)
	}
	i := 0
	for r := range o.all() {
		if r != deletion(i) {
			t.Fatalf("outcome %d came back as %+v", i, r)
		}
		i++
	}
	if i != n || o.err != nil {
		t.Fatalf("%d outcomes came back of %d (%v)", i, n, o.err)
	}
	if p := o.plan(Plan{}); len(p.Records) != planRecords || p.More != n-planRecords || p.Records[7] != deletion(7) {
		t.Fatalf("plan lists %d, more %d, the 8th %+v", len(p.Records), p.More, p.Records[7])
	}
	if o.file == nil {
		t.Fatal("nothing was spilled")
	}
	name := o.file.Name()
	o.close()
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the spilled outcomes stay in %s (%v)", name, err)
	}
}

// A run spills its outcomes (record ids, values before and after) beside the workspace, in its
// staging folder, readable by this user alone: not in the system's temporary folder, where they went
// before. The file goes with the run.
func TestSpilledOutcomesStayBesideTheWorkspace(t *testing.T) {
	f := newFixture(t, district())
	o := &outcomes{spill: f.st.CreateSpill}
	for i := 0; o.file == nil; i++ {
		if i == 1000000 {
			t.Fatal("1,000,000 outcomes and nothing spilled")
		}
		o.add(store.RunRecord{Entity: "users", SourcedID: fmt.Sprintf("u%07d", i), Action: ActionDelete, Status: "ok", Before: "2026-12-02T10:25:10.623Z"})
	}
	name := o.file.Name()
	if dir := filepath.Dir(name); dir != store.StagingDir(f.st.Path()) {
		t.Errorf("the outcomes spilled to %s, want the workspace's staging folder %s", dir, store.StagingDir(f.st.Path()))
	}
	if info, err := os.Stat(name); err != nil {
		t.Error(err)
	} else if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("the spilled outcomes' file is %v, want readable and writable by this user alone", info.Mode())
	}
	o.close()
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the spilled outcomes stay in %s (%v)", name, err)
	}
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
