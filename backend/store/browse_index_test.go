package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// narrowed waits for the index to answer q (it is read in the background the first time).
func narrowed(t *testing.T, x *SearchIndex, st *Store, q RosterQuery) RosterQuery {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if n := x.Narrow(context.Background(), st, q); n.IDs != nil {
			return n
		}
	}
	t.Fatalf("the index never answered %q", q.Search)
	return q
}

// The search index answers a search with the IDs it matches, any case, giving the page SQL gives;
// once a run finishes it is not used until read again, so a renamed record is found by its new name.
func TestSearchIndexAnswersUntilARunFinishes(t *testing.T) {
	st := filterRoster(t)
	ctx := context.Background()
	var x SearchIndex
	q := RosterQuery{Entity: roster.Users, Columns: []string{"sourcedId", "givenName"}, Search: "NAME U2", In: []string{"sourcedId", "givenName"}, Limit: 10}
	n := narrowed(t, &x, st, q)
	if n.Search != "" || !slices.Equal(n.IDs, []string{"u2"}) {
		t.Fatalf("narrowed to %q %v", n.Search, n.IDs)
	}
	bySQL, _ := st.QueryRoster(ctx, q)
	byIndex, err := st.QueryRoster(ctx, n)
	if err != nil || !slices.EqualFunc(byIndex.Rows, bySQL.Rows, slices.Equal) || byIndex.Total != 1 {
		t.Fatalf("index %+v %v, SQL %+v", byIndex, err, bySQL)
	}
	if all := x.Narrow(ctx, st, RosterQuery{Entity: roster.Users, Search: "u", In: q.In}); !slices.Equal(all.IDs, []string{"u1", "u2", "u3", "u4", "u5", "u6"}) {
		t.Errorf("u: %v", all.IDs)
	}

	c, _ := st.ConnectionByName(ctx, "SIS")
	tx, run := beginImport(t, st, c)
	rec := roster.NewRecord(roster.Users)
	rec.Set("sourcedId", "u3")
	rec.Set("givenName", "Zed")
	if err := tx.Upsert(rec, "", 2); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	run.Status = RunSucceeded
	if err := st.FinishRun(&run); err != nil {
		t.Fatal(err)
	}
	q.Search = "zed"
	if stale := x.Narrow(ctx, st, q); stale.IDs != nil || stale.Search != "zed" {
		t.Errorf("an index read before the run answered: %+v", stale)
	}
	if n := narrowed(t, &x, st, q); !slices.Equal(n.IDs, []string{"u3"}) {
		t.Errorf("zed: %v", n.IDs)
	}
}
