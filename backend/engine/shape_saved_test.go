package engine

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// schoolsOfShape asks a freshly started engine (nothing cached) for the source's shape and counts
// the orgs it lists.
func (f *fixture) schoolsOfShape() int {
	f.t.Helper()
	f.eng.shapes.mu.Lock() // a fetch warms the shape in the background meanwhile
	f.eng.shapes.shape = Shape{}
	f.eng.shapes.mu.Unlock()
	shape, err := f.eng.Shape(context.Background(), f.conn.ID, events.Discard)
	if err != nil {
		f.t.Fatal(err)
	}
	return len(shape.Graph.Orgs(selection.Default()))
}

func (f *fixture) snapshot() store.Snapshot {
	f.t.Helper()
	snap, err := f.st.Snapshot(context.Background(), f.conn.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return snap
}

// blank overwrites a file with as many zeros: the same size, nothing readable.
func blank(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, make([]byte, fi.Size()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestTheShapeSavedBesideTheSnapshotIsReadAtTheNextStart(t *testing.T) {
	f := newFixture(t, district())
	f.fetchFiles(district())
	if n := f.schoolsOfShape(); n != 2 {
		t.Fatalf("%d orgs", n)
	}
	snap := f.snapshot()
	if _, err := os.Stat(shapeFile(snap)); err != nil {
		t.Fatalf("no shape saved: %v", err)
	}
	// The snapshot unreadable: only the saved shape can answer.
	blank(t, snap.Path)
	if n := f.schoolsOfShape(); n != 2 {
		t.Fatalf("%d orgs from the saved shape", n)
	}
}

func TestASavedShapeOfAnotherSnapshotIsNotTrusted(t *testing.T) {
	f := newFixture(t, district())
	f.fetchFiles(district())
	f.schoolsOfShape()
	snap := f.snapshot()
	old, err := os.ReadFile(shapeFile(snap))
	if err != nil {
		t.Fatal(err)
	}
	f.fetchFiles(twoSchools()) // a new snapshot, in a folder of its own
	snap = f.snapshot()
	// The old snapshot's shape where the new one's would be: its key is another fetch's.
	if err := os.WriteFile(shapeFile(snap), old, 0o600); err != nil {
		t.Fatal(err)
	}
	if n := f.schoolsOfShape(); n != 3 {
		t.Fatalf("%d orgs: the stale shape was used", n)
	}
	if now, _ := os.ReadFile(shapeFile(snap)); string(now) == string(old) {
		t.Fatal("the stale shape was not replaced")
	}
	// The same fetch time with another size is another snapshot too.
	if err := os.WriteFile(snap.Path, append(must(os.ReadFile(snap.Path)), 0), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.eng.loadShape(snap); ok {
		t.Fatal("the shape of a snapshot whose file changed size was read")
	}
}

func TestADamagedSavedShapeIsIgnored(t *testing.T) {
	f := newFixture(t, district())
	f.fetchFiles(district())
	f.schoolsOfShape()
	path := shapeFile(f.snapshot())
	b := must(os.ReadFile(path))
	b[len(b)-3] ^= 0xff
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if n := f.schoolsOfShape(); n != 2 {
		t.Fatalf("%d orgs", n)
	}
	if !strings.Contains(f.log.String(), "damaged") {
		t.Fatalf("the damage is not logged: %s", f.log.String())
	}
	if now := must(os.ReadFile(path)); string(now) == string(b) {
		t.Fatal("the damaged shape was not saved anew")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
