package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// beginImport starts an import run of connection c and opens its transaction.
func beginImport(t *testing.T, st *Store, c Connection) (*Apply, Run) {
	t.Helper()
	run, err := st.StartRun(context.Background(), Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: "import", Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.BeginApply(context.Background(), c.ID, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tx, run
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	st, err := Open(filepath.Join(t.TempDir(), "ws", "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestOpenAppliesMigrationsAndPragmas(t *testing.T) {
	st := openTemp(t)
	var version, fk, page int
	var mode string
	if err := st.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRow(`PRAGMA page_size`).Scan(&page); err != nil {
		t.Fatal(err)
	}
	migrated, _ := fs.Glob(migrations, "migrations/*.sql")
	if version != len(migrated) || mode != "wal" || fk != 1 || page != pageSize {
		t.Fatalf("user_version=%d journal_mode=%s foreign_keys=%d page_size=%d", version, mode, fk, page)
	}
	for _, e := range roster.Entities {
		if _, err := st.db.Exec(`SELECT COUNT(*) FROM ` + table(e)); err != nil {
			t.Errorf("roster table for %s: %v", e, err)
		}
	}
}

// A workspace of an older Rosterdesk (SQLite's default page size, no application id, only the first
// migration) opens: it keeps its page size, is upgraded and gets the mark.
func TestOlderWorkspaceWithoutTheMarkOpensAndKeepsItsPageSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workspace.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := migrations.ReadFile("migrations/001_init.sql")
	for _, q := range []string{`PRAGMA journal_mode = WAL`, string(first), `PRAGMA user_version = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var page, id int
	if err := st.db.QueryRow(`PRAGMA page_size`).Scan(&page); err != nil || page != 4096 {
		t.Fatalf("page_size = %d, %v", page, err)
	}
	if err := st.db.QueryRow(`PRAGMA application_id`).Scan(&id); err != nil || id != applicationID {
		t.Fatalf("application_id = %#x, %v", id, err)
	}
	if _, err := st.AddConnection(context.Background(), Connection{Name: "A", Kind: "k", Role: "source"}); err != nil {
		t.Fatal(err)
	}
}

func TestNewerWorkspaceIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workspace.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := Open(path); !errors.Is(err, ErrNewerWorkspace) {
		t.Fatalf("want ErrNewerWorkspace, got %v", err)
	}
}

func TestConnectionsAreUniqueByNameIgnoringCase(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, err := st.AddConnection(ctx, Connection{Name: "North SIS", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{"path": "a.zip"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddConnection(ctx, Connection{Name: "north sis", Kind: "oneroster-csv", Role: "source"}); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("want ErrNameTaken, got %v", err)
	}
	got, err := st.ConnectionByName(ctx, "NORTH SIS")
	if err != nil || got.ID != c.ID || got.Settings["path"] != "a.zip" {
		t.Fatalf("ConnectionByName = %+v, %v", got, err)
	}
	if err := st.RemoveConnection(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveConnection(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second remove: want ErrNotFound, got %v", err)
	}
}

func TestPutSnapshotReturnsTheOneItReplaces(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	one, two := stagedFile(t, st, "c1-1/one.zip"), stagedFile(t, st, "c1-2/two.zip")
	prev, err := st.PutSnapshot(ctx, Snapshot{ConnectionID: c.ID, FetchedAt: Now(), Path: one, Report: []byte(`{}`)})
	if err != nil || prev != "" {
		t.Fatalf("first snapshot: prev=%q err=%v", prev, err)
	}
	prev, err = st.PutSnapshot(ctx, Snapshot{ConnectionID: c.ID, FetchedAt: Now(), Path: two, Report: []byte(`{"version":"1.2"}`)})
	if err != nil || prev != one {
		t.Fatalf("second snapshot: prev=%q err=%v", prev, err)
	}
	snap, err := st.Snapshot(ctx, c.ID)
	if err != nil || snap.Path != two || string(snap.Report) != `{"version":"1.2"}` {
		t.Fatalf("Snapshot = %+v, %v", snap, err)
	}
	for _, outside := range []string{filepath.Join(t.TempDir(), "c1-3", "x.zip"), filepath.Join(StagingDir(st.Path()), "x.zip"), StagingDir(st.Path())} {
		if _, err := st.PutSnapshot(ctx, Snapshot{ConnectionID: c.ID, FetchedAt: Now(), Path: outside, Report: []byte(`{}`)}); err == nil {
			t.Errorf("a snapshot at %s was kept", outside)
		}
	}
}

func TestRunLeftRunningIsMarkedInterruptedOnReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workspace.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	run, err := st.StartRun(context.Background(), Run{ConnectionName: "A", Direction: "import", Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	// A second process opening the workspace while this one still runs leaves the run alone.
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := other.Run(context.Background(), run.ID); got.Status != RunRunning {
		t.Fatalf("a live run was marked %s", got.Status)
	}
	other.Close()
	st.Close()
	// As if the process had been killed mid-run: its pid is gone.
	if err := setPID(path, run.ID, 0); err != nil {
		t.Fatal(err)
	}
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Run(context.Background(), run.ID)
	if err != nil || got.Status != RunInterrupted || got.FinishedAt == "" {
		t.Fatalf("run after reopen = %+v, %v", got, err)
	}
}

func TestQueryRosterSearchesAndPages(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	tx, _ := beginImport(t, st, c)
	for i, name := range []string{"Ana", "Bo", "Anton", "Cy_"} {
		rec := roster.NewRecord(roster.Users)
		rec.Set("sourcedId", string(rune('a'+i)))
		rec.Set("givenName", name)
		if err := tx.Upsert(rec, "", int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	q := RosterQuery{Entity: roster.Users, Columns: []string{"sourcedId", "givenName"}, In: []string{"givenName"}, Limit: 1}
	q.Search = "an"
	page, err := st.QueryRoster(ctx, q)
	n, _ := st.CountRoster(ctx, q)
	if err != nil || n != 2 || len(page.Rows) != 1 || page.Rows[0][1] != "Ana" {
		t.Fatalf("search an: %+v %d %v", page, n, err)
	}
	q.Search, q.Limit = "_", 10 // LIKE wildcards are matched literally
	if page, _ := st.QueryRoster(ctx, q); page.Total != 1 || page.Rows[0][1] != "Cy_" {
		t.Fatalf("search _: %+v", page)
	}
	q.Columns = []string{"nope"}
	if _, err := st.QueryRoster(ctx, q); err == nil {
		t.Fatal("an unknown column must be refused")
	}
}

// An import keeps its statement journals in memory and foreign keys off only while it applies: the
// connection goes back to the pool as the others are, and an export's temporary table on the same
// connection is made again after an import dropped it.
func TestApplyRestoresTemporaryStorage(t *testing.T) {
	st := openTemp(t)
	st.db.SetMaxOpenConns(1) // every step below on the same connection
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "both"})
	for i := 1; i <= 2; i++ {
		send, err := st.BeginSend(ctx, c.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		send.Rollback()
		tx, _ := beginImport(t, st, c)
		var during int
		if err := tx.tx.QueryRow(`PRAGMA temp_store`).Scan(&during); err != nil || during != 2 {
			t.Fatalf("temp_store while applying = %d, %v", during, err)
		}
		rec := roster.NewRecord(roster.Orgs)
		rec.Set("sourcedId", "org-"+strconv.Itoa(i))
		if err := tx.Upsert(rec, "", 1); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		var after, fk int
		if err := st.db.QueryRow(`PRAGMA temp_store`).Scan(&after); err != nil || after != 0 {
			t.Fatalf("temp_store after applying = %d, %v", after, err)
		}
		if err := st.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Fatalf("foreign_keys after applying = %d, %v", fk, err)
		}
	}
	var status string
	var n int
	if err := st.db.QueryRow(`SELECT status, (SELECT COUNT(*) FROM roster_orgs) FROM roster_orgs`).Scan(&status, &n); err != nil || status != "active" || n != 1 {
		t.Fatalf("roster after one commit and one rollback: %s %d %v", status, n, err)
	}
}

// Records are held back and written sorted by sourcedId; whatever order they come in, across more than
// one run of SortRows and with two entities interleaved, each row keeps its own values and origin.
func TestUpsertsInAnyOrderKeepTheirValues(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	tx, run := beginImport(t, st, c)
	n := SortRows + SortRows/2
	for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(n) {
		user := roster.NewRecord(roster.Users)
		user.Set("sourcedId", fmt.Sprintf("u%06d", i))
		user.Set("givenName", fmt.Sprintf("name %d", i))
		role := roster.NewRecord(roster.Roles)
		role.Set("sourcedId", fmt.Sprintf("r%06d", i))
		role.Set("userSourcedId", fmt.Sprintf("u%06d", i))
		if err := tx.Upsert(user, "", int64(i+1)); err != nil {
			t.Fatal(err)
		}
		if err := tx.Upsert(role, "", int64(-i-1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var users, roles, wrong int
	err := st.db.QueryRow(`SELECT (SELECT COUNT(*) FROM roster_users), (SELECT COUNT(*) FROM roster_roles),
		(SELECT COUNT(*) FROM roster_users u JOIN origins o ON o.entity = 'users' AND o.source_id = u."sourcedId"
			WHERE 'u' || printf('%06d', o.hash - 1) != u."sourcedId" OR 'name ' || (o.hash - 1) != u."givenName" OR o.created_run != ?)
		+ (SELECT COUNT(*) FROM roster_roles r JOIN origins o ON o.entity = 'roles' AND o.source_id = r."sourcedId"
			WHERE 'u' || printf('%06d', -o.hash - 1) != r."userSourcedId")`, run.ID).Scan(&users, &roles, &wrong)
	if err != nil || users != n || roles != n || wrong != 0 {
		t.Fatalf("%d users, %d roles of %d, %d rows with another's values: %v", users, roles, n, wrong, err)
	}
}

// Foreign keys are off while a run applies; a connection removed meanwhile (here before the run's
// first write) makes the commit fail and leaves no provenance rows naming it.
func TestApplyForAConnectionRemovedMeanwhileChangesNothing(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	run, err := st.StartRun(ctx, Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: "import", Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	// Removed after the run started and before its transaction: once that has begun, it holds the
	// write lock and a removal waits for it.
	if _, err := st.db.Exec(`DELETE FROM connections WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	tx, err := st.BeginApply(ctx, c.ID, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rec := roster.NewRecord(roster.Orgs)
	rec.Set("sourcedId", "org-1")
	if err := tx.Upsert(rec, "", 1); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); !errors.Is(err, ErrConnectionGone) {
		t.Fatalf("commit: %v", err)
	}
	tx.Rollback()
	var origins, orgs int
	st.db.QueryRow(`SELECT (SELECT COUNT(*) FROM origins), (SELECT COUNT(*) FROM roster_orgs)`).Scan(&origins, &orgs)
	if origins != 0 || orgs != 0 {
		t.Fatalf("%d provenance rows, %d orgs after the failed commit", origins, orgs)
	}
}

func setPID(path string, runID int64, pid int) error {
	st, err := Open(path)
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = st.db.Exec(`UPDATE runs SET pid = ? WHERE id = ?`, pid, runID)
	return err
}

func TestOlderWorkspaceIsUpgradedKeepingItsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workspace.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.AddConnection(ctx, Connection{Name: "North", Kind: "oneroster-csv", Role: "source"}); err != nil {
		t.Fatal(err)
	}
	// Turn it back into a version-1 workspace: without what the later migrations add.
	for _, q := range []string{`DROP TABLE origins_stamp`, `DROP INDEX runs_undo_of`, `DROP INDEX origins_joined`, `ALTER TABLE runs DROP COLUMN undo_of`, `DROP TABLE operators`, `ALTER TABLE run_records DROP COLUMN reason`, `ALTER TABLE run_records DROP COLUMN "before"`, `ALTER TABLE run_records DROP COLUMN "after"`, `DROP TABLE sync_conflicts`, `DROP TABLE sync_baseline`, `DROP TABLE integrations`, `DROP INDEX runs_integration`, `ALTER TABLE runs DROP COLUMN integration_id`, `ALTER TABLE runs DROP COLUMN trigger`, `DROP INDEX roster_roles_user`, `DROP TABLE mappings`, `DROP TABLE pins`, `DROP TABLE merges`, `DROP TABLE duplicate_pairs`, `DROP TABLE duplicate_settings`, `DROP TABLE retired`, `DROP INDEX origins_record`, `DROP INDEX origins_shared`, `ALTER TABLE origins DROP COLUMN record`, `ALTER TABLE origins DROP COLUMN vals`,
		`ALTER TABLE connections DROP COLUMN precedence`, `DROP TABLE selections`, `DROP TABLE selection_ids`, `DROP TABLE sent`, `ALTER TABLE connections DROP COLUMN last_test_at`, `ALTER TABLE connections DROP COLUMN last_test_ok`,
		`ALTER TABLE connections DROP COLUMN last_test_message`, `ALTER TABLE connections DROP COLUMN secret_ref`, `ALTER TABLE connections DROP COLUMN applied_at`, `PRAGMA user_version = 1`} {
		if _, err := st.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.ConnectionByName(ctx, "North")
	if err != nil || c.LastTest.At != "" || len(c.SecretRef) != 32 {
		t.Fatalf("after upgrade: %+v %v", c, err)
	}
	if err := st.RecordTest(ctx, c.ID, TestOutcome{At: Now(), OK: true, Message: "fine"}); err != nil {
		t.Fatal(err)
	}
}

func TestSetPrecedencePutsTheGivenConnectionsFirstInOrder(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var ids []int64
	for _, name := range []string{"A", "B", "C", "D"} {
		c, err := st.AddConnection(ctx, Connection{Name: name, Kind: "oneroster-csv", Role: "source"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	order := func() string {
		sources, err := st.Sources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range sources {
			names = append(names, fmt.Sprintf("%s%d", c.Name, c.Precedence))
		}
		return strings.Join(names, " ")
	}
	if got := order(); got != "A1 B2 C3 D4" {
		t.Fatalf("first added first: %s", got)
	}
	for _, tc := range []struct {
		first []int64
		want  string
	}{
		{[]int64{ids[1], ids[0], ids[2]}, "B1 A2 C3 D4"},
		{[]int64{ids[3]}, "D1 B2 A3 C4"},
		{[]int64{ids[2], ids[1], ids[0], ids[3]}, "C1 B2 A3 D4"},
	} {
		if err := st.setPrecedence(ctx, tc.first); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != tc.want {
			t.Errorf("after %v: %s, want %s", tc.first, got, tc.want)
		}
	}
	c, err := st.AddConnection(ctx, Connection{Name: "E", Kind: "oneroster-csv", Role: "source"})
	if err != nil || c.ID == 0 {
		t.Fatal(err)
	}
	if got := order(); got != "C1 B2 A3 D4 E5" {
		t.Errorf("a new connection comes last: %s", got)
	}
	if err := st.setPrecedence(ctx, []int64{9999}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown connection: %v", err)
	}
}
