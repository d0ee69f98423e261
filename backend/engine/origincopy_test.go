package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/events"
)

// Every copy of origins read in these tests is compared with the workspace (store/origincopy.go).
func init() { os.Setenv("ROSTERDESK_CHECK_COPIES", "1") }

// A plan keeps copies of the origins it read for the next plan or import (store/origincopy.go).
// Whatever writes origins after it (an import, an undo, a merge of duplicates, another source's
// import, releasing that source, removing it) leaves the next plan what a plan without copies plans;
// in tests every copy read is compared with the workspace too, which fails a plan on a stale copy.
func TestAPlanAfterEachWriterOfOriginsPlansAsWithoutCopies(t *testing.T) {
	f, pair := onePair(t)
	ctx := context.Background()
	copies := filepath.Join(StagingDir(f.st.Path()), "origins")
	check := func(step string) {
		t.Helper()
		f.fetchFiles(renamed("ana@example.org", "ana@example.net")) // something to plan
		first := f.plan()                                           // from the copies of the plan before, when current
		if err := os.RemoveAll(copies); err != nil {
			t.Fatal(err)
		}
		fresh := f.plan() // from the workspace, copied again
		if !reflect.DeepEqual(first.Counts, fresh.Counts) || !reflect.DeepEqual(first.Records, fresh.Records) || first.Hold != fresh.Hold {
			t.Fatalf("after %s, a plan planned\n%+v\n%+v\nand without the copies\n%+v\n%+v", step, first.Counts, first.Records, fresh.Counts, fresh.Records)
		}
		if left, _ := os.ReadDir(copies); len(left) == 0 {
			t.Fatalf("after %s, the plan kept no copies", step)
		}
	}
	check("the first import")
	f.plan()
	check("a plan")
	f.resolve(pair.ID, Decision{Primary: "u1", Outcome: OutcomeDelete, Values: map[string]string{"givenName": "Anita"}})
	check("a merge of duplicates")
	changed := f.importFiles(renamed("ana@example.org", "ana@example.com"))
	check("an import")
	f.undo(changed)
	check("an undo")
	second := f.addSourceAndImport("Second", otherSystemFeed(), nil)
	check("another source's import")
	if _, err := f.eng.ReleaseSource(ctx, second.ID, true, events.Discard); err != nil {
		t.Fatal(err)
	}
	check("releasing the other source")
	third := f.addSourceAndImport("Third", otherSystemFeed(), nil)
	check("a third source's import")
	if err := f.st.RemoveConnection(ctx, third.ID); err != nil {
		t.Fatal(err)
	}
	check("removing the third source")
}

// After an import, the window brings the copies up to date behind it (WarmOrigins, after every job
// and at its start): the first plan reads them, leaving them as they are, and finds what the
// workspace holds.
func TestTheFirstPlanAfterAnImportReadsTheCopiesMadeBehindTheWindow(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	f.plan()
	f.importFiles(renamed("ana@example.org", "ana@example.com")) // the plan's copies are stale now
	f.eng.warmOrigins(context.Background())
	path := filepath.Join(StagingDir(f.st.Path()), "origins", fmt.Sprintf("%d-users.bin", f.conn.ID))
	made, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f.fetchFiles(district())
	if p := f.plan(); p.Counts["users"].Updated != 1 || p.Counts["users"].Unchanged != 2 {
		t.Fatalf("the plan after the import: %+v", p.Counts["users"])
	}
	if after, err := os.Stat(path); err != nil || !os.SameFile(made, after) {
		t.Fatalf("the plan did not read the copies made after the import (%v)", err)
	}
}

// Close waits for the work in the background, and none starts after it: nothing is written beside a
// workspace once it is closed.
func TestCloseWaitsForTheWarmUpsAndStopsNewOnes(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	copies := filepath.Join(StagingDir(f.st.Path()), "origins")
	list := func() string {
		entries, _ := os.ReadDir(copies)
		names := ""
		for _, e := range entries {
			names += e.Name() + " "
		}
		return names
	}
	f.eng.WarmShape(f.conn.ID)
	f.eng.Close()
	before := list()
	time.Sleep(200 * time.Millisecond)
	if after := list(); after != before {
		t.Fatalf("copies written after Close returned: %q, then %q", before, after)
	}
	if err := os.RemoveAll(copies); err != nil {
		t.Fatal(err)
	}
	f.eng.WarmOrigins()
	f.eng.WarmShape(f.conn.ID)
	time.Sleep(200 * time.Millisecond)
	if after := list(); after != "" {
		t.Fatalf("a warm-up started after Close: %q", after)
	}
}

// A job starting stops the warm-ups asked for before it (the window calls StopWarmingOrigins), even
// one still waiting to run; a warm-up asked for after it makes the copies.
func TestStopWarmingOriginsStopsTheWarmUpsAskedForBefore(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	copies := filepath.Join(StagingDir(f.st.Path()), "origins")
	if err := os.RemoveAll(copies); err != nil {
		t.Fatal(err)
	}
	f.eng.warming.Lock() // the warm-up waits for it, as behind one under way
	f.eng.WarmOrigins()
	f.eng.StopWarmingOrigins()
	f.eng.warming.Unlock()
	f.eng.behind.work.Wait()
	if left, _ := os.ReadDir(copies); len(left) != 0 {
		t.Fatalf("a stopped warm-up made %d copies", len(left))
	}
	f.eng.WarmOrigins()
	f.eng.behind.work.Wait()
	if left, _ := os.ReadDir(copies); len(left) == 0 {
		t.Fatal("the warm-up after the stop made no copies")
	}
}
