package store

import (
	"context"
	"errors"
	"iter"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func TestBaselineChangesWithTheRunAndGoesWithItsConnection(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	c, err := st.AddConnection(ctx, Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	rec := roster.NewRecord(roster.Orgs)
	rec.Values[0], rec.Values[3] = "o1", "North High"
	row := BaselineRow{Entity: roster.Orgs, SourcedID: "o1", Values: reconcile.Of(rec), Hash: 42}

	tx, _ := beginImport(t, st, c)
	if err := tx.PutBaseline(rowsOf(row)); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if got := baselineOf(t, st, c.ID); len(got) != 0 {
		t.Fatalf("a rolled-back run kept its baseline: %v", got)
	}

	tx, _ = beginImport(t, st, c)
	if err := tx.PutBaseline(rowsOf(row)); err != nil {
		t.Fatal(err)
	}
	row.Values.V[3], row.Hash = "North High School", 43
	if err := tx.PutBaseline(rowsOf(row)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	got := baselineOf(t, st, c.ID)
	if len(got) != 1 || got["o1"] != 43 {
		t.Fatalf("baseline = %+v", got)
	}
	if r, err := st.BaselineRecord(ctx, c.ID, roster.Orgs, "o1"); err != nil || r.Values.V[3] != "North High School" || r.Hash != 43 {
		t.Fatalf("baseline of o1 = %+v, %v", r, err)
	}
	if _, err := st.BaselineRecord(ctx, c.ID, roster.Orgs, "o2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("baseline of a record without one: %v", err)
	}

	tx, _ = beginImport(t, st, c)
	if err := tx.PutBaseline(rowsOf(BaselineRow{Entity: row.Entity, SourcedID: row.SourcedID, Gone: true})); err != nil {
		t.Fatal(err)
	}
	if got := baselineOf(t, st, c.ID); len(got) != 1 {
		t.Fatalf("dropped before the commit: %v", got)
	}
	tx.Commit()
	if got := baselineOf(t, st, c.ID); len(got) != 0 {
		t.Fatalf("not dropped: %v", got)
	}
	tx, _ = beginImport(t, st, c)
	if err := tx.PutBaseline(rowsOf(row)); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	if err := st.RemoveConnection(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if got := baselineOf(t, st, c.ID); len(got) != 0 {
		t.Fatalf("the baseline outlived its connection: %v", got)
	}
}

func rowsOf(rows ...BaselineRow) iter.Seq2[BaselineRow, error] {
	return func(yield func(BaselineRow, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// baselineOf is the hashes of a connection's baseline of orgs; it says whether the baseline is empty.
func baselineOf(t *testing.T, st *Store, id int64) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := st.EachBaseline(context.Background(), id, roster.Orgs, func(sourcedID string, hash int64) error {
		out[sourcedID] = hash
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if empty, err := st.BaselineEmpty(context.Background(), id); err != nil || empty != (len(out) == 0) {
		t.Fatalf("BaselineEmpty = %v, %v with %d rows", empty, err, len(out))
	}
	return out
}

func TestConflictWaitsUntilChosenAndAChoiceOnOldValuesIsAskedAgain(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	c, err := st.AddConnection(ctx, Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	put := func(ws, ext string) {
		t.Helper()
		tx, _ := beginImport(t, st, c)
		if err := tx.PutConflict(SyncConflict{Entity: "users", SourcedID: "u/1", Field: "givenName", Baseline: "Ann", Workspace: ws, External: ext}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	put("Anne", "Annie")
	open, err := st.SyncConflicts(ctx, c.ID)
	if err != nil || len(open) != 1 || open[0].Resolution != "" || open[0].Key != "users/givenName/u/1" || open[0].WorkspaceGone {
		t.Fatalf("open = %+v, %v", open, err)
	}
	if err := st.ResolveSyncConflict(ctx, c.ID, "users/givenName/u/2", SideExternal, "pat"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown key: %v", err)
	}
	if err := st.ResolveSyncConflict(ctx, c.ID, open[0].Key, "both", "pat"); apperr.From(err).Code != apperr.CodeInvalid {
		t.Fatalf("a choice of neither side: %v", err)
	}
	if err := st.ResolveSyncConflict(ctx, c.ID, open[0].Key, SideExternal, "pat"); err != nil {
		t.Fatal(err)
	}
	put("Anne", "Annie") // the same values found again: the choice stands
	if open, _ = st.SyncConflicts(ctx, c.ID); len(open) != 1 || open[0].Resolution != SideExternal || open[0].ResolvedBy != "pat" {
		t.Fatalf("after the same values: %+v", open)
	}
	put("Anne", "Ann-Marie") // the external side changed again: asked again
	if open, _ = st.SyncConflicts(ctx, c.ID); len(open) != 1 || open[0].Resolution != "" || open[0].External != "Ann-Marie" {
		t.Fatalf("after new values: %+v", open)
	}

	tx, _ := beginImport(t, st, c)
	if err := tx.ConflictApplied(open[0].ID); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	if open, _ = st.SyncConflicts(ctx, c.ID); len(open) != 0 {
		t.Fatalf("an applied conflict is still open: %+v", open)
	}
	put("Anne", "Annie") // a new conflict of the same field opens again
	if open, _ = st.SyncConflicts(ctx, c.ID); len(open) != 1 {
		t.Fatalf("open = %+v", open)
	}
}
