package rest

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	secretstore "github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// An API record without a status, among the changes since the last import, is a user of status
// Blank: counted so in the users step, and let through only when Blank is chosen.
func TestChangedRecordsWithoutAStatusAreBlank(t *testing.T) {
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
	p := newProvider(t, "1.2", false, 60, quirks{})
	ctx := context.Background()
	conn, err := connections.New(st, kinds, vault).Add(ctx, connections.Request{Name: "API", Kind: "oneroster-rest", Settings: p.settings(), Secrets: secrets()})
	if err != nil {
		t.Fatal(err)
	}
	if run, err := eng.Import(ctx, conn.ID, engine.RunOptions{}, events.Discard); err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("first import: %+v %v", run, err)
	}

	p.mu.Lock()
	student := p.data["enrollments"][0].rec.Get("userSourcedId")
	p.mu.Unlock()
	p.touch("users", store.Now(), "", student)
	res, err := eng.FetchChanges(ctx, conn.ID, events.Discard)
	if err != nil || res.Counts["users"] != 1 || len(res.Errors) != 0 || len(res.Warnings) == 0 || res.Warnings[0].Column != "status" {
		t.Fatalf("changes-only fetch: %+v %v", res, err)
	}
	shape, err := eng.Shape(ctx, conn.ID, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	sel := selection.Default()
	sel.Saved = true
	blank := 0
	for _, c := range shape.Graph.UserCounts(sel) {
		if c.Status == selection.Blank {
			blank += c.Count
		}
	}
	if blank != 1 {
		t.Fatalf("users of status Blank: %d, want 1", blank)
	}

	choose := func(statuses ...selection.Status) store.EntityCounts {
		t.Helper()
		sel.Statuses = statuses
		if err := st.SaveSelection(ctx, conn.ID, sel); err != nil {
			t.Fatal(err)
		}
		plan, err := eng.PlanImport(ctx, conn.ID, events.Discard)
		if err != nil {
			t.Fatal(err)
		}
		return plan.Counts["users"]
	}
	if c := choose(selection.Active); c.Skipped != 1 || c.Unchanged != 0 {
		t.Fatalf("without Blank: %+v", c)
	}
	if c := choose(selection.Active, selection.Blank); c.Skipped != 0 || c.Unchanged != 1 {
		t.Fatalf("with Blank: %+v", c)
	}
}
