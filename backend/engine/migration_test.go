package engine_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/demo"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// loadRelease writes the workspace that release 7009069 left, kept as a SQL dump in
// backend/store/testdata, to dir/workspace.db with {{DIR}} in it standing for dir, and opens it:
// the migrations it lacks run.
func loadRelease(t *testing.T, dump, dir string) *store.Store {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "store", "testdata", dump))
	if err != nil {
		t.Fatal(err)
	}
	quoted, _ := json.Marshal(filepath.ToSlash(dir)) // the paths sit in JSON settings
	path := filepath.Join(dir, "workspace.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(strings.ReplaceAll(string(text), "{{DIR}}", string(quoted[1:len(quoted)-1])))
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(path)
	if err != nil {
		t.Fatalf("opening the release's workspace: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func engineFor(t *testing.T, st *store.Store, dir string) *engine.Engine {
	t.Helper()
	vault, err := secrets.NewFile(filepath.Join(dir, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	return engine.New(st, connector.NewRegistry(csvzip.Kind()), vault, engine.StagingDir(st.Path()), "registrar", slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// released copies to path a district file (in testdata) written by the generator of the release's
// time, as its workspace was fed: the generator has changed since, so a file written now would
// differ. It returns the sourcedIds of each entity in it and its users.
func released(t *testing.T, path, file string) (map[roster.Entity]map[string]bool, map[string]roster.Record) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err == nil {
		err = os.WriteFile(path, data, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	ids, users := map[roster.Entity]map[string]bool{}, map[string]roster.Record{}
	_, err = pkg.Read(context.Background(), func(r roster.Record) error {
		if ids[r.Entity] == nil {
			ids[r.Entity] = map[string]bool{}
		}
		ids[r.Entity][r.SourcedID()] = true
		if r.Entity == roster.Users {
			users[r.SourcedID()] = r
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ids, users
}

func fetchAndImport(t *testing.T, eng *engine.Engine, id int64) store.Run {
	t.Helper()
	ctx := context.Background()
	if _, err := eng.Fetch(ctx, id, events.Discard); err != nil {
		t.Fatal(err)
	}
	run, err := eng.Import(ctx, id, engine.RunOptions{}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("import: %+v %v", run, err)
	}
	return run
}

// A workspace of the release before issue 11 (one source imported, a target exported to once, a
// second source added but never imported) opens with migration 006: sources get precedence in the
// order they were added, every origin still links its record, re-importing the source changes
// nothing, the target is sent nothing new, and a second source sharing ids creates only the
// records of the people it does not share, counting the shared ones updated.
func TestReleaseWorkspaceMigrates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, firstUsers := released(t, filepath.Join(dir, "district.zip"), "release-7009069-district.zip") // 30 students, seed 7
	second, secondUsers := released(t, filepath.Join(dir, "second.zip"), "release-7009069-second.zip")   // the same with --other-ids 0.5
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o700); err != nil {
		t.Fatal(err)
	}
	st := loadRelease(t, "workspace-7009069.sql", dir)
	db := st.DB()

	var version int
	latest, _ := filepath.Glob("../store/migrations/*.sql")
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != len(latest) {
		t.Fatalf("user_version = %d (%v), want %d (every migration)", version, err, len(latest))
	}
	sources, err := st.Sources(ctx)
	if err != nil || len(sources) != 2 || sources[0].Name != "SIS" || sources[1].Name != "SIS 2" || sources[0].Precedence >= sources[1].Precedence {
		t.Fatalf("sources in reconciliation order: %+v %v", sources, err)
	}
	var origins, unlinked, rosterRecords int
	for _, e := range roster.Entities {
		var n, lost, recs int
		err := db.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM roster_`+string(e)+` r
			WHERE r."sourcedId" = COALESCE(o.record, o.source_id))), (SELECT COUNT(*) FROM roster_`+string(e)+`)
			FROM origins o WHERE entity = ?`, string(e)).Scan(&n, &lost, &recs)
		if err != nil {
			t.Fatal(err)
		}
		origins, unlinked, rosterRecords = origins+n, unlinked+lost, rosterRecords+recs
	}
	if origins != 334 || unlinked != 0 || rosterRecords != 334 {
		t.Fatalf("after the migration: %d origins (want 334), %d linking no record, %d roster records", origins, unlinked, rosterRecords)
	}

	eng := engineFor(t, st, dir)
	run := fetchAndImport(t, eng, sources[0].ID)
	for e, c := range run.Counts {
		if c.Created+c.Updated+c.Deleted+c.Failed != 0 || c.Unchanged != len(first[roster.Entity(e)]) {
			t.Errorf("re-import of the same source, %s: %+v", e, c)
		}
	}
	vendor, err := st.ConnectionByName(ctx, "Vendor")
	if err != nil {
		t.Fatal(err)
	}
	run, err = eng.Export(ctx, vendor.ID, engine.RunOptions{Mode: "delta"}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("export: %+v %v", run, err)
	}
	for e, c := range run.Counts {
		if c.Created+c.Updated+c.Deleted != 0 {
			t.Errorf("the target is sent %s it already has: %+v", e, c)
		}
	}

	// The second feed's own-ids people keep their master IDs: an import ending with a duplicates scan
	// would merge them into the first feed's (tested in duplicates_test.go); here they stay apart.
	if err := st.SetScanAfterImport(ctx, false); err != nil {
		t.Fatal(err)
	}
	run = fetchAndImport(t, eng, sources[1].ID)
	for _, e := range roster.Entities {
		var shared, own int
		for id := range second[e] {
			if first[e][id] {
				shared++
			} else {
				own++
			}
		}
		if c := run.Counts[string(e)]; c.Created != own || c.Updated != shared || c.Deleted+c.Failed+c.Unchanged != 0 {
			t.Errorf("second source, %s: %+v, want %d created (its own ids), %d updated (shared)", e, c, own, shared)
		}
	}
	// Where the sources disagree, the first added (higher precedence) keeps its value.
	disagree := 0
	for id, u := range secondUsers {
		if f, ok := firstUsers[id]; ok && f.Get("email") != u.Get("email") {
			disagree++
			var email string
			if err := db.QueryRow(`SELECT email FROM roster_users WHERE "sourcedId" = ?`, id).Scan(&email); err != nil || email != f.Get("email") {
				t.Errorf("user %s: e-mail %q (%v), want the first source's %q", id, email, err, f.Get("email"))
			}
		}
	}
	if disagree == 0 {
		t.Fatal("the two feeds disagree nowhere: the test shows nothing about precedence")
	}
	// The target gets the new people, under the ids they came with, and nothing else.
	run, err = eng.Export(ctx, vendor.ID, engine.RunOptions{Mode: "delta"}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("export: %+v %v", run, err)
	}
	var sent, sentOther int
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE sourced_id LIKE 'sis2-%') FROM sent WHERE created_run = ?`,
		run.ID).Scan(&sent, &sentOther); err != nil {
		t.Fatal(err)
	}
	for e, c := range run.Counts {
		if c.Updated+c.Deleted != 0 {
			t.Errorf("after the second source the target is sent changes to %s: %+v", e, c)
		}
	}
	created := 0
	for _, c := range run.Counts {
		created += c.Created
	}
	if sent == 0 || sent != sentOther || sent != created {
		t.Errorf("after the second source the target is sent %d new records, %d of them the second source's people: %+v", sent, sentOther, run.Counts)
	}
}

// A workspace the release fed from two sources with the same ids (the SFTP and the REST feed of one
// SIS) keeps, once migrated, both origins of each record: re-importing either changes nothing, and
// when one feed's next bulk file no longer carries a student, the other still supplies them, so the
// student stays in the roster.
func TestReleaseWorkspaceWithTwoSourcesMigrates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, _ := released(t, filepath.Join(dir, "sftp.zip"), "release-7009069-district.zip")
	released(t, filepath.Join(dir, "rest.zip"), "release-7009069-district.zip")
	st := loadRelease(t, "two-sources-7009069.sql", dir)
	sources, err := st.Sources(ctx)
	if err != nil || len(sources) != 2 || sources[0].Name != "SIS SFTP" || sources[1].Name != "SIS REST" || sources[0].Precedence >= sources[1].Precedence {
		t.Fatalf("sources in reconciliation order: %+v %v", sources, err)
	}
	eng := engineFor(t, st, dir)
	for _, src := range sources {
		run := fetchAndImport(t, eng, src.ID)
		for e, c := range run.Counts {
			if c.Created+c.Updated+c.Deleted+c.Failed != 0 || c.Unchanged != len(first[roster.Entity(e)]) {
				t.Errorf("re-import of %s, %s: %+v", src.Name, e, c)
			}
		}
	}
	// The REST feed's next file has 29 students: the 30th, with their role, demographics and
	// enrollments, is only in the SFTP feed now.
	released(t, filepath.Join(dir, "rest.zip"), "release-7009069-district-29.zip")
	fetchAndImport(t, eng, sources[1].ID)
	var status string
	if err := st.DB().QueryRow(`SELECT status FROM roster_users WHERE "sourcedId" = 'usr-000030'`).Scan(&status); err != nil || status == string(roster.StatusToBeDeleted) {
		t.Fatalf("a student the first source still supplies is %q (%v) once the second leaves them out", status, err)
	}
}

// The demo workspace the window opens (`make run`), written by the release, still works once
// migrated: loading the demo again finds the same district, every record under its id. The
// generator has made its people more realistic since (birth dates on any day, other names), so
// that load updates them, enough to be held for review; applied, a further load changes nothing.
func TestReleaseDemoWorkspaceMigrates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := loadRelease(t, "demo-7009069.sql", dir)
	eng := engineFor(t, st, dir)
	run, err := demo.Load(ctx, st, eng, 30, events.Discard)
	if err == nil && run.Status == store.RunHeld {
		run, err = eng.Import(ctx, run.ConnectionID, engine.RunOptions{OverrideHold: true}, events.Discard)
	}
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("demo: %+v %v", run, err)
	}
	for e, c := range run.Counts {
		if c.Created+c.Deleted+c.Failed != 0 || c.Unchanged+c.Updated == 0 {
			t.Errorf("demo loaded again, %s: %+v", e, c)
		}
	}
	run, err = demo.Load(ctx, st, eng, 30, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("demo: %+v %v", run, err)
	}
	for e, c := range run.Counts {
		if c.Created+c.Updated+c.Deleted+c.Failed != 0 || c.Unchanged == 0 {
			t.Errorf("demo loaded a third time, %s: %+v", e, c)
		}
	}
}
