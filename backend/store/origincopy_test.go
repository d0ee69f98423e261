package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Every copy read in these tests is compared with the workspace.
func init() { os.Setenv("ROSTERDESK_CHECK_COPIES", "1") }

// copied holds a connection with origins of users (one renamed, one shared) and enrollments, and a
// plan's copies of them.
func copied(t *testing.T) (*Store, Connection) {
	t.Helper()
	st := openTemp(t)
	ctx := context.Background()
	c, err := st.AddConnection(ctx, Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source"})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]int64{}
	for _, id := range []string{"u1", "u2", "u3", "é-4"} {
		users[id] = int64(len(id))*1e15 - 7
	}
	imported(t, st, c, roster.Users, users)
	imported(t, st, c, roster.Enrollments, map[string]int64{"e1": 5})
	execAll(t, st.db, `UPDATE origins SET record = 'u2-roster' WHERE source_id = 'u2'`, `UPDATE origins SET vals = '' WHERE source_id = 'u3'`,
		`UPDATE origins_stamp SET stamp = randomblob(16)`)
	plan(t, st, c, nil)
	for _, e := range []roster.Entity{roster.Users, roster.Enrollments} {
		if _, err := os.Stat(copyFile(copiesDir(st.path), c.ID, e)); err != nil {
			t.Fatalf("the plan kept no copy of the %s origins: %v", e, err)
		}
	}
	return st, c
}

// imported commits an import of records of e, by id with their content hash.
func imported(t *testing.T, st *Store, c Connection, e roster.Entity, hashes map[string]int64) {
	t.Helper()
	tx, _ := beginImport(t, st, c)
	for id, hash := range hashes {
		rec := roster.NewRecord(e)
		rec.Values[0] = id
		if err := tx.Upsert(rec, "", hash); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// plan reads the users' and enrollments' origins as a plan does, rolls back and returns them (nil
// when reading fails, the error given to fail).
func plan(t *testing.T, st *Store, c Connection, fail func(error)) map[roster.Entity]Origins {
	t.Helper()
	tx, _ := beginImport(t, st, c)
	defer tx.Rollback()
	ents := []roster.Entity{roster.Users, roster.Enrollments}
	if err := tx.Prefetch(ents, true); err != nil {
		t.Fatal(err)
	}
	out := map[roster.Entity]Origins{}
	for _, e := range ents {
		o, err := tx.Origins(e)
		if err != nil {
			if fail == nil {
				t.Fatalf("%s: %v", e, err)
			}
			fail(err)
			return nil
		}
		out[e] = o
	}
	if err := tx.Rollback(); err != nil { // waits for the copies to be written
		t.Fatal(err)
	}
	return out
}

// The next plan reads the copy a plan kept, and finds what the workspace holds: hashes, renamed and
// shared origins, ids in another script.
func TestAPlanReadsTheCopyOfOriginsTheLastPlanKept(t *testing.T) {
	st, c := copied(t)
	stamp, _ := originStamp(context.Background(), st.db)
	cp, ok := openCopy(copiesDir(st.path), c.ID, roster.Users, stamp)
	if !ok || cp.n != 4 || cp.size != int64(len("u1u2u3é-4")) {
		t.Fatalf("the users' copy: %v %+v", ok, cp)
	}
	cp.close()
	got := plan(t, st, c, nil) // checkCopies compares each copy with the workspace
	users := got[roster.Users]
	if o, ok := users.Get("u2"); !ok || o.Record != "u2-roster" || o.Shared {
		t.Errorf("u2 %+v %v", o, ok)
	}
	if o, ok := users.Get("u3"); !ok || !o.Shared || !o.Alike || o.Hash != 2e15-7 {
		t.Errorf("u3 %+v %v", o, ok)
	}
	if o, ok := users.Get("é-4"); !ok || o.Hash != 4e15-7 {
		t.Errorf("é-4 %+v %v", o, ok)
	}
	if got[roster.Enrollments].Len() != 1 {
		t.Errorf("%d enrollments' origins", got[roster.Enrollments].Len())
	}
}

// A transaction that writes origins without renewing the stamp leaves the copies looking current:
// the plan after it reads them (the old hash), and with checkCopies, as in every test here, it fails
// saying so rather than planning from them.
func TestOriginsWrittenWithoutANewStampFailThePlan(t *testing.T) {
	st, c := copied(t)
	execAll(t, st.db, `UPDATE origins SET hash = 99 WHERE source_id = 'u1'`)
	var failed error
	plan(t, st, c, func(err error) { failed = err })
	if failed == nil || !strings.Contains(failed.Error(), "without renewing origins_stamp") {
		t.Fatalf("the plan after origins changed under the same stamp: %v", failed)
	}
	t.Setenv("ROSTERDESK_CHECK_COPIES", "")
	if o, _ := plan(t, st, c, nil)[roster.Users].Get("u1"); o.Hash != 2e15-7 {
		t.Fatalf("u1's hash %d: the plan did not read the copy", o.Hash)
	}
}

// Every transaction that writes origins renews the stamp as it commits, so no copy matches after it;
// a plan, rolled back, leaves it.
func TestWritersOfOriginsRenewTheStamp(t *testing.T) {
	st, c := copied(t)
	ctx := context.Background()
	stamp := func() []byte {
		s, err := originStamp(ctx, st.db)
		if err != nil || len(s) != 16 {
			t.Fatalf("stamp %x %v", s, err)
		}
		return s
	}
	before := stamp()
	plan(t, st, c, nil)
	if !bytes.Equal(stamp(), before) {
		t.Fatal("a plan renewed the stamp")
	}
	tx, _ := beginImport(t, st, c)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	after := stamp()
	if bytes.Equal(after, before) {
		t.Fatal("an import's commit kept the stamp")
	}
	if cp, ok := openCopy(copiesDir(st.path), c.ID, roster.Users, after); ok {
		cp.close()
		t.Fatal("a copy made before the import matches after it")
	}
	plan(t, st, c, nil) // copies again, at the new stamp
	if err := st.RemoveConnection(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(stamp(), after) {
		t.Fatal("removing a connection (its origins) kept the stamp")
	}
	if left, _ := filepath.Glob(filepath.Join(copiesDir(st.path), "*")); len(left) != 0 {
		t.Fatalf("a removed connection's copies stay: %v", left)
	}
}

// A damaged copy is not read: the origins come from the workspace, and counts claiming more than the
// file holds size nothing.
func TestADamagedCopyIsReadFromTheWorkspace(t *testing.T) {
	st, c := copied(t)
	path := copyFile(copiesDir(st.path), c.ID, roster.Users)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, damaged := range map[string][]byte{
		"a byte changed": func() []byte { b := bytes.Clone(good); b[len(b)-copyTail-8] ^= 0x20; return b }(),
		"cut short":      good[:len(good)-copyTail-1],
		"counting more origins than it holds": func() []byte {
			b := bytes.Clone(good)
			copy(b[len(b)-copyTail:], []byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			return b
		}(),
		"empty": {},
	} {
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		users := plan(t, st, c, nil)[roster.Users]
		if o, ok := users.Get("u1"); !ok || o.Hash != 2e15-7 || users.Len() != 4 {
			t.Errorf("%s: u1 %+v %v, %d origins", name, o, ok, users.Len())
		}
		if again, _ := os.ReadFile(path); !bytes.Equal(again, good) {
			t.Errorf("%s: the plan did not copy the origins again", name)
		}
	}
}

// Behind the window, the copies are made from the workspace after an import, at its new stamp; the
// next plan reads them (and leaves them as they are), and copies already current are left too.
func TestCopyOriginsMakesTheCopiesTheNextPlanReads(t *testing.T) {
	st, c := copied(t)
	ctx := context.Background()
	imported(t, st, c, roster.Users, map[string]int64{"u5": 55})
	if err := st.CopyOrigins(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	path := copyFile(copiesDir(st.path), c.ID, roster.Users)
	made, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	users := plan(t, st, c, nil)[roster.Users] // compared with the workspace as it is read
	if o, ok := users.Get("u5"); !ok || o.Hash != 55 || users.Len() != 5 {
		t.Fatalf("u5 %+v %v, %d users", o, ok, users.Len())
	}
	if o, _ := users.Get("u2"); o.Record != "u2-roster" {
		t.Fatalf("u2 %+v", o)
	}
	if err := st.CopyOrigins(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if after, err := os.Stat(path); err != nil || !os.SameFile(made, after) {
		t.Fatalf("the plan or a second CopyOrigins made the current copy again (%v)", err)
	}
}

// Origins are written only where the stamp is renewed as the transaction commits: in an Apply
// (apply.go, merge.go, sources.go; its Commit renews it), an undo (undo.go) or retire (sources.go);
// a migration from 019 on that writes them renews it itself. A statement writing origins anywhere else
// must renew the stamp too, and be let in here.
func TestOriginsAreWrittenOnlyWhereTheStampIsRenewed(t *testing.T) {
	writes := regexp.MustCompile(`(?i)\b(INTO|UPDATE|DELETE\s+FROM)\s+origins\b`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	migrations, _ := filepath.Glob("migrations/*.sql")
	let := map[string]bool{"apply.go": true, "merge.go": true, "sources.go": true, "undo.go": true}
	for _, f := range append(files, migrations...) {
		if strings.HasSuffix(f, "_test.go") || let[f] || (strings.HasPrefix(f, "migrations/") && f < "migrations/019") {
			continue
		}
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if writes.Match(text) && !(strings.HasPrefix(f, "migrations/") && bytes.Contains(text, []byte("origins_stamp"))) {
			t.Errorf("%s writes origins: renew origins_stamp in its transaction (renewStamp), then let it in here", f)
		}
	}
}
