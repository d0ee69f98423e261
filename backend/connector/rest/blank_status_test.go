package rest

import (
	"context"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// An API record without a status, among the changes since the last import, is a user of status
// Blank: counted so in the users step, and let through only when Blank is chosen.
func TestChangedRecordsWithoutAStatusAreBlank(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{})
	st, eng, conn := engineOn(t, p)
	ctx := context.Background()
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
		own, err := st.OwnIntegration(ctx, conn.ID, store.DirectionImport)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SaveSelection(ctx, own, sel); err != nil {
			t.Fatal(err)
		}
		plan, err := eng.PlanImport(ctx, conn.ID, engine.RunOptions{}, events.Discard)
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
