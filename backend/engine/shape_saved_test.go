package engine

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
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

// writeStored writes files as a ZIP whose entries are stored, not compressed: a value changed for
// another of the same length leaves the file the same size.
func writeStored(t *testing.T, path string, files map[string]string) {
	t.Helper()
	names := slices.Sorted(maps.Keys(files))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) plan() Plan {
	f.t.Helper()
	p, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// renamed is the district with one value changed for another of the same length.
func renamed(from, to string) map[string]string {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], from, to, 1)
	return files
}

func TestAPlanReadsTheRecordsAReadOfTheSnapshotSaved(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	// A new fetch changes a name, adds a user and deletes another, with a column of its own.
	next := district()
	next["users.csv"] = strings.Replace(strings.Replace(next["users.csv"], "Ana,Lopez", "Ann,Lopez", 1), "u2,,,true,ben", "u4,,,true,dee", 1)
	next["users.csv"] = strings.Replace(next["users.csv"], "pronouns\n", "pronouns,metadata.house\n", 1)
	next["users.csv"] = strings.ReplaceAll(next["users.csv"], ",s1,\n", ",s1,,Red\n")
	writeStored(t, f.source, next)
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	snap := f.snapshot()
	fromPackage := f.plan()
	if _, err := os.Stat(savedFile(snap)); err != nil {
		t.Fatalf("the plan saved no records: %v", err)
	}
	fromSaved := f.plan()
	if !reflect.DeepEqual(fromSaved, fromPackage) {
		t.Fatalf("from the saved records\n%+v\nfrom the package\n%+v", fromSaved, fromPackage)
	}
	if c := fromSaved.Counts["users"]; c.Created != 1 || c.Updated != 2 || c.Deleted != 1 {
		t.Fatalf("users %+v", c)
	}
	// The snapshot now says another name, the file the same size: the saved records still answer,
	// so they are what the plan read.
	next["users.csv"] = strings.Replace(next["users.csv"], "Ann,Lopez", "Anx,Lopez", 1)
	writeStored(t, snap.Path, next)
	if p := f.plan(); !reflect.DeepEqual(p, fromPackage) {
		t.Fatalf("the plan did not read the saved records: %+v", p)
	}
	// Without them, the package is read again (and saved anew).
	if err := os.Remove(savedFile(snap)); err != nil {
		t.Fatal(err)
	}
	planned := f.plan()
	if !strings.Contains(fmt.Sprintf("%+v", planned.Records), `After:Anx`) {
		t.Fatalf("the package was not read: %+v", planned.Records)
	}
	// The import, reading the records saved again, applies what the plan said.
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{OverrideHold: true}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(run.Counts, planned.Counts) {
		t.Fatalf("import %+v, plan %+v", run.Counts, planned.Counts)
	}
}

func TestSavedRecordsOfAnotherSnapshotOrDamagedAreNotRead(t *testing.T) {
	f := newFixture(t, district())
	writeStored(t, f.source, renamed("Ana,Lopez", "Ann,Lopez"))
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	f.plan()
	old := must(os.ReadFile(savedFile(f.snapshot())))
	// Another fetch of the same size: the first one's records in its folder are not its own.
	writeStored(t, f.source, renamed("Ana,Lopez", "Anx,Lopez"))
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	snap := f.snapshot()
	if err := os.WriteFile(savedFile(snap), old, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := f.eng.openSaved(snap); ok {
		t.Fatal("the records saved of another fetch were taken for this one's")
	}
	if p := f.plan(); p.Counts["users"].Created != 3 {
		t.Fatalf("plan %+v", p.Counts)
	}
	// Damaged: read from the package, said in the log, saved anew.
	b := must(os.ReadFile(savedFile(snap)))
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(savedFile(snap), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if p := f.plan(); p.Counts["users"].Created != 3 {
		t.Fatalf("plan %+v", p.Counts)
	}
	if !strings.Contains(f.log.String(), "saved records") {
		t.Fatalf("the damage is not logged: %s", f.log.String())
	}
	if _, _, ok := f.eng.openSaved(snap); !ok {
		t.Fatal("the damaged records were not saved anew")
	}
}

func TestNoRecordsAreSavedOfAReadWhereARowFailed(t *testing.T) {
	files := district()
	files["users.csv"] += "u9,,,maybe,zed,,Zed,Ray,,,,,,,03,,,,,,s1,\n" // enabledUser is true or false
	f := newFixture(t, files)
	f.fetchFiles(files)
	if p := f.plan(); p.Counts["users"].Failed != 1 {
		t.Fatalf("plan %+v", p.Counts["users"])
	}
	if _, err := os.Stat(savedFile(f.snapshot())); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("records saved of a read where a row failed: %v", err)
	}
}
