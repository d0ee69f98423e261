package history

import (
	"context"
	"fmt"

	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Clear deletes the runs of the history and their records in one transaction, keeping those still
// running and those held for review, and leaves one line saying who cleared it and when. It needs
// the Delete right on History.
func Clear(ctx context.Context, st *store.Store, operator string) (store.Run, store.HistoryCounts, error) {
	if err := rights.Need(ctx, st, operator, rights.History, rights.Delete); err != nil {
		return store.Run{}, store.HistoryCounts{}, err
	}
	return st.ClearHistory(ctx, operator, func(c store.HistoryCounts) string {
		msg := fmt.Sprintf("History cleared by %s: %s", operator, runs(c.Cleared))
		if c.Kept > 0 {
			msg += fmt.Sprintf("; %s kept (still running or held for review)", runs(c.Kept))
		}
		return msg + "."
	})
}

// WouldClear says what clearing the history would do now, for a confirmation.
func WouldClear(ctx context.Context, st *store.Store) (store.HistoryCounts, string, error) {
	c, err := st.CountHistory(ctx)
	if err != nil {
		return c, "", err
	}
	msg := fmt.Sprintf("Clearing the history deletes %s and their records", runs(c.Cleared))
	if c.Cleared == 1 {
		msg = "Clearing the history deletes 1 run and its records"
	}
	switch {
	case c.Kept == 1:
		msg += "; 1 run still running or held for review stays"
	case c.Kept > 1:
		msg += fmt.Sprintf("; %d runs still running or held for review stay", c.Kept)
	}
	return c, msg + ".", nil
}

func runs(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}
