package store

import (
	"context"
	"database/sql"
	"testing"
)

// A workspace of version 16 takes undo runs after migration 018: the runs CHECK accepts mode undo,
// its runs and their logs are kept (rebuilding the table would have cascaded to run_records), and a
// run names the undo that undid it.
func TestMigration018TakesUndoRunsOnAnOlderWorkspace(t *testing.T) {
	st := openAtVersion(t, 16, func(*sql.DB) {}, func(db *sql.DB) {
		execAll(t, db,
			`INSERT INTO connections (id, name, kind, role, created_at) VALUES (1, 'SIS', 'oneroster-csv', 'source', '2026-01-01T00:00:00.000Z')`,
			`INSERT INTO runs (id, connection_id, connection_name, direction, mode, operator, status, started_at) VALUES (7, 1, 'SIS', 'import', 'full', 'ana', 'succeeded', '2026-01-01T00:00:00.000Z')`,
			`INSERT INTO run_records (run_id, entity, sourced_id, action, status, field, "before", "after") VALUES (7, 'users', 'u1', 'update', 'ok', 'email', 'a@x', 'b@x')`)
	})
	ctx := context.Background()
	undo, err := st.StartRun(ctx, Run{ConnectionID: 1, ConnectionName: "SIS", Direction: "import", Mode: ModeUndo, Operator: "ana", UndoOf: 7})
	if err != nil {
		t.Fatalf("an undo run on a migrated workspace: %v", err)
	}
	undo.Status = RunSucceeded
	if err := st.FinishRun(&undo); err != nil {
		t.Fatal(err)
	}
	undone, err := st.Run(ctx, 7)
	if err != nil || undone.UndoneBy != undo.ID {
		t.Fatalf("run 7 %+v %v", undone, err)
	}
	if got, _ := st.Run(ctx, undo.ID); got.UndoOf != 7 || got.Mode != ModeUndo {
		t.Fatalf("undo run %+v", got)
	}
	if recs, _ := st.RunRecords(ctx, 7, 0, 10); len(recs) != 1 || recs[0].Before != "a@x" {
		t.Fatalf("run 7's log after the migration: %+v", recs)
	}
	if _, err := st.StartRun(ctx, Run{ConnectionName: "SIS", Direction: "import", Mode: "sideways", Operator: "ana"}); err == nil {
		t.Fatal("the CHECK on the mode is gone")
	}
}

// Extension values logged by an import read back in either form: name=value pairs or JSON.
func TestParseMetadataLine(t *testing.T) {
	for _, line := range []string{"house=Red; locker=12", `{"locker":"12","house":"Red"}`} {
		m, err := parseMetadataLine(line)
		if err != nil || len(m) != 2 || m[0].Name != "house" || m[0].Value != "Red" || m[1].Value != "12" {
			t.Errorf("%q: %+v %v", line, m, err)
		}
	}
	if m, err := parseMetadataLine(""); err != nil || m != nil {
		t.Errorf("blank: %+v %v", m, err)
	}
	if _, err := parseMetadataLine("house"); err == nil {
		t.Error("a pair without = read")
	}
}
