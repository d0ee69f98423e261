package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// Migration 014 on the workspaces of an older release: each connection's selection goes to every
// integration on it, the runs and their records stay, and the database is sound.
func TestMigration014OnOlderWorkspaces(t *testing.T) {
	ctx := context.Background()
	for _, dump := range []string{"workspace-7009069.sql", "two-sources-7009069.sql", "demo-7009069.sql"} {
		t.Run(dump, func(t *testing.T) {
			path := loadDump(t, dump, t.TempDir())
			old, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
			if err != nil {
				t.Fatal(err)
			}
			before := map[int64]string{} // connection → its selection, as text
			rows, err := old.Query(`SELECT s.connection_id, s.orgs_all || s.classes_all || s.statuses || s.without_enrollments || s.hold_delete || s.hold_change ||
				COALESCE((SELECT group_concat(entity || sourced_id) FROM (SELECT * FROM selection_ids i WHERE i.connection_id = s.connection_id ORDER BY entity, sourced_id)), '')
				FROM selections s`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				var text string
				if err := rows.Scan(&id, &text); err != nil {
					t.Fatal(err)
				}
				before[id] = text
			}
			rows.Close()
			runs, records := count(t, old, `SELECT COUNT(*) FROM runs`), count(t, old, `SELECT COUNT(*) FROM run_records`)
			old.Close()

			st, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			db := st.DB()
			var check string
			if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
				t.Fatalf("integrity_check: %q %v", check, err)
			}
			if n, m := count(t, db, `SELECT COUNT(*) FROM runs`), count(t, db, `SELECT COUNT(*) FROM run_records`); n != runs || m != records {
				t.Fatalf("runs %d → %d, run records %d → %d", runs, n, records, m)
			}
			ins, err := st.Integrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			saved := 0
			for _, in := range ins {
				sel, err := st.Selection(ctx, in.ID)
				if err != nil {
					t.Fatal(err)
				}
				want, had := before[in.ConnectionID]
				if sel.Saved != had {
					t.Errorf("%s: saved %v, its connection had a selection: %v", in.Name, sel.Saved, had)
				}
				if had {
					saved++
					var text string
					db.QueryRow(`SELECT s.orgs_all || s.classes_all || s.statuses || s.without_enrollments || s.hold_delete || s.hold_change ||
						COALESCE((SELECT group_concat(entity || sourced_id) FROM (SELECT * FROM selection_ids i WHERE i.integration_id = s.integration_id ORDER BY entity, sourced_id)), '')
						FROM selections s WHERE integration_id = ?`, in.ID).Scan(&text)
					if text != want {
						t.Errorf("%s: selection %q, its connection's was %q", in.Name, text, want)
					}
				}
			}
			if len(before) > 0 && saved == 0 {
				t.Error("no integration got its connection's selection")
			}
		})
	}
}

// openAtVersion makes a workspace of the schema of migration version, filling it with fill after
// migration 010 (before 011 gives each connection its integrations), then opens it with every
// migration.
func openAtVersion(t *testing.T, version int, before11, after func(db *sql.DB)) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "workspace.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= version; n++ {
		names, _ := filepath.Glob(filepath.Join("migrations", fmt.Sprintf("%03d", n)+"_*.sql"))
		if len(names) != 1 {
			t.Fatalf("migration %d: %v", n, names)
		}
		body, err := migrations.ReadFile("migrations/" + filepath.Base(names[0]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("migration %d: %v", n, err)
		}
		if n == 10 {
			before11(db)
		}
	}
	after(db)
	if _, err := db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, version)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func execAll(t *testing.T, db *sql.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A workspace of version 13 with a saved selection and mapping: after migration 014 every
// integration on the connection has them (a connection that is both: its import and its export,
// and a second export added at version 13), and the other connection's integrations have none.
func TestMigration014CopiesEachConnectionsSetupToItsIntegrations(t *testing.T) {
	ctx := context.Background()
	st := openAtVersion(t, 13, func(db *sql.DB) {
		execAll(t, db,
			`INSERT INTO connections (id, name, kind, role, created_at) VALUES (1, 'Drop', 'oneroster-csv', 'both', '2026-01-01T00:00:00Z'), (2, 'SIS', 'oneroster-csv', 'source', '2026-01-01T00:00:00Z')`,
			`INSERT INTO selections (connection_id, orgs_all, classes_all, statuses, without_enrollments, hold_delete, hold_change, guardians) VALUES (1, 0, 1, 'active,blank', 1, 5, 50, 1)`,
			`INSERT INTO selection_ids (connection_id, entity, sourced_id) VALUES (1, 'orgs', 'school-2'), (1, 'orgs', 'school-1')`,
			`INSERT INTO mappings (connection_id, entity, mapping, saved_at, operator) VALUES (1, 'users', '{"entity":"users"}', '2026-01-02T00:00:00Z', 'ann')`)
	}, func(db *sql.DB) {
		execAll(t, db, `INSERT INTO integrations (name, type, connection_id, created_at, due_from) VALUES ('Nightly export', 'export', 1, '', '')`)
	})
	ins, err := st.Integrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := selection.Selection{Saved: true, Orgs: []string{"school-1", "school-2"}, ClassesAll: true, Statuses: []selection.Status{"active", "blank"},
		WithoutEnrollments: true, Guardians: true, HoldDelete: 5, HoldChange: 50}
	onDrop := 0
	for _, in := range ins {
		sel, err := st.Selection(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, mapped, err := st.Mapping(ctx, in.ID, roster.Users)
		if err != nil {
			t.Fatal(err)
		}
		if in.ConnectionID == 2 {
			if sel.Saved || mapped {
				t.Errorf("%s got another connection's setup: %+v %v", in.Name, sel, mapped)
			}
			continue
		}
		onDrop++
		if !reflect.DeepEqual(sel, want) || raw != `{"entity":"users"}` {
			t.Errorf("%s: %+v mapping %q", in.Name, sel, raw)
		}
	}
	if onDrop != 3 {
		t.Fatalf("%d integrations on Drop, want its import, its export and Nightly export: %+v", onDrop, ins)
	}
	var check string
	if err := st.DB().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
}

// A connection's own integration of a direction is the first of it (a sync counts for both); its
// setup copies to another, goes with the integration removed, and ConnectionSelections lists what
// fetches from the connection.
func TestOwnIntegrationSetupCopyAndCascade(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	c, err := st.AddConnection(ctx, Connection{Name: "Drop", Kind: "oneroster-csv", Role: "both"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OwnIntegration(ctx, c.ID, DirectionImport); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no integration yet: %v", err)
	}
	sync, err := st.AddIntegration(ctx, Integration{Name: "Sync", Type: IntegrationSync, ConnectionID: c.ID, Schedule: "manual", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := st.AddDefaultIntegrations(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{DirectionImport, DirectionExport} {
		if id, err := st.OwnIntegration(ctx, c.ID, d); err != nil || id != sync.ID {
			t.Errorf("own %s: %d %v, want the sync %d", d, id, err, sync.ID)
		}
	}
	sel := selection.Default()
	sel.Saved, sel.OrgsAll, sel.Orgs, sel.HoldDelete = true, false, []string{"s1"}, 3
	if err := st.SaveSelection(ctx, sync.ID, sel); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveMapping(ctx, sync.ID, roster.Users, `{"entity":"users"}`, "ann"); err != nil {
		t.Fatal(err)
	}
	other := defaults[1].ID
	if err := st.CopySetup(ctx, sync.ID, other); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Selection(ctx, other)
	if mapped, _ := st.MappedEntities(ctx, other); !reflect.DeepEqual(got, sel) || !reflect.DeepEqual(mapped, []string{"users"}) {
		t.Fatalf("copy: %+v %v", got, mapped)
	}
	// The copy is the integration's own: changing it leaves the one copied alone.
	if err := st.SetHolds(ctx, other, 20, 30); err != nil {
		t.Fatal(err)
	}
	if a, b := must(st.Selection(ctx, sync.ID)), must(st.Selection(ctx, other)); a.HoldDelete != 3 || b.HoldDelete != 20 || b.HoldChange != 30 || len(b.Orgs) != 1 {
		t.Fatalf("holds: %+v / %+v", a, b)
	}
	// An integration nobody chose for keeps letting everything through when its thresholds are set.
	if err := st.SetHolds(ctx, defaults[0].ID, 1, 2); err != nil {
		t.Fatal(err)
	}
	if s := must(st.Selection(ctx, defaults[0].ID)); !s.Full() || s.HoldDelete != 1 || s.HoldChange != 2 {
		t.Fatalf("thresholds of a selection not chosen: %+v", s)
	}
	// What fetches from the connection: the sync and the import (the export does not).
	if sels, err := st.ConnectionSelections(ctx, c.ID); err != nil || len(sels) != 2 {
		t.Fatalf("connection selections: %+v %v", sels, err)
	}
	if err := st.RemoveIntegration(ctx, other); err != nil {
		t.Fatal(err)
	}
	if n := count(t, st.DB(), `SELECT (SELECT COUNT(*) FROM selections WHERE integration_id = ?1) + (SELECT COUNT(*) FROM selection_ids WHERE integration_id = ?1) + (SELECT COUNT(*) FROM mappings WHERE integration_id = ?1)`, other); n != 0 {
		t.Fatalf("%d rows of a removed integration's setup stay", n)
	}
	if err := st.RemoveIntegration(ctx, sync.ID); err != nil {
		t.Fatal(err)
	}
	if id, err := st.OwnIntegration(ctx, c.ID, DirectionImport); err != nil || id != defaults[0].ID {
		t.Fatalf("once the sync is removed the import is the connection's own: %d %v", id, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
