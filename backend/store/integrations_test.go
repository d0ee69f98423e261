package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// loadDump writes a workspace an older release left (a SQL dump in testdata) to dir and returns its path.
func loadDump(t *testing.T, dump, dir string) string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", dump))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "workspace.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(strings.ReplaceAll(string(text), "{{DIR}}", filepath.ToSlash(dir)))
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Migration 011 on workspaces of an older release: every connection gets its integration(s), the
// runs and their records survive the in-place edit of runs' CHECK, which now takes skipped, also
// on a connection that was open before the migration.
func TestMigration011OnOlderWorkspaces(t *testing.T) {
	ctx := context.Background()
	for _, dump := range []string{"workspace-7009069.sql", "two-sources-7009069.sql", "demo-7009069.sql"} {
		t.Run(dump, func(t *testing.T) {
			path := loadDump(t, dump, t.TempDir())
			old, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
			if err != nil {
				t.Fatal(err)
			}
			defer old.Close()
			runs, records := count(t, old, `SELECT COUNT(*) FROM runs`), count(t, old, `SELECT COUNT(*) FROM run_records`)
			if runs == 0 {
				t.Fatal("the dump has no runs to keep")
			}
			st, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			db := st.DB()
			if n, m := count(t, db, `SELECT COUNT(*) FROM runs`), count(t, db, `SELECT COUNT(*) FROM run_records`); n != runs || m != records {
				t.Fatalf("runs %d → %d, run records %d → %d", runs, n, records, m)
			}
			var check string
			if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
				t.Fatalf("integrity_check: %q %v", check, err)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM runs WHERE integration_id IS NOT NULL`); n != 0 {
				t.Errorf("%d runs from before got an integration", n)
			}
			conns, err := st.Connections(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ins, err := st.Integrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int64{}
			for _, c := range conns {
				if c.Role != "target" {
					want["Import from "+c.Name] = c.ID
				}
				if c.Role != "source" {
					want["Export to "+c.Name] = c.ID
				}
			}
			if len(ins) != len(want) {
				t.Fatalf("integrations %+v, want %v", ins, want)
			}
			for _, in := range ins {
				if want[in.Name] != in.ConnectionID || in.Schedule != "manual" || !in.Enabled || len(in.Entities) != 0 || in.Type != map[bool]string{true: "import", false: "export"}[strings.HasPrefix(in.Name, "Import")] {
					t.Errorf("integration %+v", in)
				}
			}
			// The connection opened before the migration sees the new CHECK and column.
			for _, q := range []string{`INSERT INTO runs (connection_name, direction, mode, operator, status, started_at, integration_id) VALUES ('x', 'import', 'full', 'me', 'skipped', '', ?)`} {
				if _, err := old.Exec(q, ins[0].ID); err != nil {
					t.Fatalf("a skipped run: %v", err)
				}
			}
			if _, err := old.Exec(`UPDATE runs SET status = 'bogus' WHERE id = 1`); err == nil {
				t.Error("the CHECK on runs.status is gone")
			}
		})
	}
}

func testStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestIntegrationsFollowTheirConnection(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	taken, err := st.AddConnection(ctx, Connection{Name: "Other", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddIntegration(ctx, Integration{Name: "import from SIS", Type: "import", ConnectionID: taken.ID, Schedule: "manual"}); err != nil {
		t.Fatal(err)
	}
	c, err := st.AddConnection(ctx, Connection{Name: "SIS", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := st.AddDefaultIntegrations(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 || ins[0].Name != "Import from SIS (2)" || ins[1].Name != "Export to SIS" || ins[1].Type != "export" {
		t.Fatalf("defaults %+v", ins)
	}
	if _, err := st.AddIntegration(ctx, Integration{Name: "EXPORT TO sis", Type: "export", ConnectionID: c.ID}); !errors.Is(err, ErrIntegrationNameTaken) {
		t.Errorf("a name taken in other case: %v", err)
	}
	run, err := st.StartRun(ctx, Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: "import", Mode: "full", Operator: "me", IntegrationID: ins[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	run.Status = RunHeld
	if err := st.FinishRun(&run); err != nil {
		t.Fatal(err)
	}
	got, err := st.Integration(ctx, ins[0].ID)
	if err != nil || got.LastRunID != run.ID || got.LastResult != RunHeld || got.LastRunAt != run.StartedAt {
		t.Fatalf("last run of %+v: %v", got, err)
	}
	if err := st.RemoveConnection(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	left, err := st.Integrations(ctx)
	if err != nil || len(left) != 1 || left[0].ConnectionID != taken.ID {
		t.Fatalf("after removing SIS: %+v %v", left, err)
	}
	if r, err := st.Run(ctx, run.ID); err != nil || r.ID != run.ID {
		t.Errorf("the run went with the integration: %v", err)
	}
}

// Of goroutines racing for one integration's lock exactly one gets it; a lock left by a process
// that is gone is free.
func TestIntegrationLock(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	c, err := st.AddConnection(ctx, Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := st.AddDefaultIntegrations(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	id := ins[0].ID
	var wg sync.WaitGroup
	var mu sync.Mutex
	var got []*IntegrationLock
	var refused int
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := st.LockIntegration(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			var running ErrIntegrationRunning
			switch {
			case err == nil:
				got = append(got, l)
			case errors.As(err, &running) && strings.HasPrefix(err.Error(), "already running (since "):
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(got) != 1 || refused != 7 {
		t.Fatalf("%d took the lock, %d were refused", len(got), refused)
	}
	if in, _ := st.Integration(ctx, id); !in.Running {
		t.Error("a locked integration is not shown running")
	}
	run, err := st.StartRun(ctx, Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: "import", Mode: "full", Operator: "me"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LockIntegration(ctx, id); err == nil || !strings.Contains(err.Error(), "(run "+strconv.FormatInt(run.ID, 10)+", since ") {
		t.Errorf("while run %d: %v", run.ID, err)
	}
	if err := got[0].Release(); err != nil {
		t.Fatal(err)
	}
	l, err := st.LockIntegration(ctx, id)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l.Release()
	// A process that is gone left its lock.
	if _, err := st.DB().Exec(`UPDATE integrations SET lock_token = 'left', lock_pid = ?, lock_since = ? WHERE id = ?`, deadPID(t), Now(), id); err != nil {
		t.Fatal(err)
	}
	if in, _ := st.Integration(ctx, id); in.Running {
		t.Error("a dead process's lock shows running")
	}
	if _, err := st.LockIntegration(ctx, id); err != nil {
		t.Errorf("a dead process's lock: %v", err)
	}
}

// deadPID is the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}
