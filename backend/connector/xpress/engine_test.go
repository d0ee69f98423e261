package xpress

import (
	"context"
	"log/slog"
	"maps"
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	secretstore "github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Fetch changes through the engine, from a RIC One-style service: the deletion it announces is applied,
// the change updates, and the repeats an inclusive marker brings are found unchanged.
func TestFetchChangesThroughTheEngine(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vault, err := secretstore.NewFile(filepath.Join(dir, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := connector.NewRegistry(Kind())
	eng := engine.New(st, kinds, vault, engine.StagingDir(st.Path()), "registrar", slog.New(slog.DiscardHandler))
	p := newProvider(t, district.Options{Students: 60, Seed: 1})
	p.ricOne = true
	ctx := context.Background()
	conn, err := connections.New(st, kinds, vault, "").Add(ctx, connections.Request{Name: "RIC", Kind: "xpress", Settings: p.loginSettings(), Secrets: p.secrets()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Fetch(ctx, conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	if run, err := eng.Import(ctx, conn.ID, engine.RunOptions{}, events.Discard); err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("first import: %+v %v", run, err)
	}

	var changed map[string]any
	for _, it := range p.objects["xStudents"] {
		if it.body["refId"] == "usr-000001" {
			changed = maps.Clone(it.body)
		}
	}
	changed["name"] = map[string]any{"givenName": "Renamed", "familyName": "Student"}
	p.changes = map[string][]map[string]any{"xStudents": {changed, {"refId": "usr-000002"}, changed}}
	for i, want := range []store.EntityCounts{{Updated: 1, Deleted: 1}, {Unchanged: 2}} {
		res, err := eng.FetchChanges(ctx, conn.ID, events.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if res.Modes["users"] != "delta" || len(res.Errors) > 0 {
			t.Fatalf("changes-only fetch %d: modes %v, errors %v", i+1, res.Modes, res.Errors)
		}
		run, err := eng.Import(ctx, conn.ID, engine.RunOptions{}, events.Discard)
		if err != nil || run.Status != store.RunSucceeded {
			t.Fatalf("importing changes %d: %+v %v", i+1, run, err)
		}
		if run.Counts["users"] != want {
			t.Errorf("importing changes %d: users %+v, want %+v", i+1, run.Counts["users"], want)
		}
		if roles := run.Counts["roles"]; roles.Deleted+roles.Unchanged != 2 {
			t.Errorf("importing changes %d: roles %+v", i+1, roles)
		}
	}
}
