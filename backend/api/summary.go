package api

import (
	"context"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// RosterSummary is what the dashboard says of the roster: its records per entity (those being
// deleted left out), the last import from a source, and the work waiting for the registrar.
type RosterSummary struct {
	Counts     map[roster.Entity]int `json:"counts"`
	LastImport *store.Run            `json:"lastImport"` // nil: nothing imported yet
	Conflicts  int                   `json:"conflicts"`  // fields the sources disagree on
	Duplicates int                   `json:"duplicates"` // pairs waiting for review
}

// summaryCounts keeps the roster's counts while it is unchanged: counting a district (a million
// records) takes a quarter of a second, asked each time the dashboard shows. Only a succeeded run
// into the roster (an import, a merge, a new order of the sources, a removal) changes it.
type summaryCounts struct {
	mu     sync.Mutex
	run    int64 // the last succeeded run into the roster when counted
	counts map[roster.Entity]int
}

// lastImports is how far back Summary looks for an import from a source among the runs into the
// roster (merges and reorders are runs into the roster too).
const lastImports = 50

// Summary returns the roster's summary for the dashboard.
func (a *RosterAPI) Summary() (RosterSummary, error) {
	ctx := context.Background()
	out := RosterSummary{}
	imports, err := a.store.FindRuns(ctx, store.RunQuery{Direction: "import", Limit: lastImports})
	if err != nil {
		return out, err
	}
	for i := range imports {
		if imports[i].ConnectionID != 0 {
			out.LastImport = &imports[i]
			break
		}
	}
	changed, err := a.store.FindRuns(ctx, store.RunQuery{Direction: "import", Status: store.RunSucceeded, Limit: 1})
	if err != nil {
		return out, err
	}
	var last int64 // the last run that changed the roster
	if len(changed) > 0 {
		last = changed[0].ID
	}
	if out.Counts, err = a.summary.get(ctx, a.store, last); err != nil {
		return out, err
	}
	conflicts, err := a.conflicts.Conflicts(ctx, a.store, store.ConflictQuery{})
	if err != nil {
		return out, err
	}
	pairs, err := a.store.DuplicatePairs(ctx, store.PairQuery{Status: "pending", Limit: 1})
	if err != nil {
		return out, err
	}
	out.Conflicts, out.Duplicates = conflicts.Total, pairs.Total
	return out, nil
}

func (c *summaryCounts) get(ctx context.Context, st *store.Store, run int64) (map[roster.Entity]int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts != nil && c.run == run {
		return c.counts, nil
	}
	counts, err := st.RosterCounts(ctx)
	if err != nil {
		return nil, err
	}
	c.run, c.counts = run, counts.Active
	return c.counts, nil
}
