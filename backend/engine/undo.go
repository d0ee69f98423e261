package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// UndoPreview says what undoing a run would do, per entity, or why it cannot be undone.
type UndoPreview struct {
	Run     int64                       `json:"run"`
	Counts  map[string]store.UndoCounts `json:"counts"`
	Refused string                      `json:"refused"` // why it cannot be undone; "" when it can
}

// UndoPreview looks at what undoing an import run would do, changing nothing.
func (e *Engine) UndoPreview(ctx context.Context, runID int64) (UndoPreview, error) {
	out := UndoPreview{Run: runID, Counts: map[string]store.UndoCounts{}}
	target, err := e.store.Run(ctx, runID)
	if err != nil {
		return out, notFound(err, "run "+fmt.Sprint(runID))
	}
	u, err := e.store.BeginUndo(ctx, target, false)
	if err == nil {
		defer u.Rollback()
		if err = u.Check(); err == nil {
			out.Counts, err = u.Count()
			return out, err
		}
	}
	if refused := (*store.UndoRefusal)(nil); errors.As(err, &refused) {
		out.Refused = refused.Error()
		return out, nil
	}
	return out, err
}

// Undo undoes an import run in a recorded run of its own (mode undo): the records it created are
// removed with their origins, the fields it changed go back to their values before it, the records
// it marked tobedeleted are active again, and its source's supply of the records it joined ends.
// All in one transaction: a refused, failed or cancelled undo changes nothing. It is refused when
// anything changed the run's records since (store.Undo.Check). An undo cannot be undone.
func (e *Engine) Undo(ctx context.Context, runID int64, opts RunOptions, rep events.Reporter) (store.Run, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Imports, rights.Write); err != nil {
		return store.Run{}, err
	}
	target, err := e.store.Run(ctx, runID)
	if err != nil {
		return store.Run{}, notFound(err, "run "+fmt.Sprint(runID))
	}
	if !e.writer.TryLock() {
		return store.Run{}, busy()
	}
	defer e.writer.Unlock()
	// Refusals before anything is recorded: a run that cannot be undone leaves no trace.
	if err := e.checkUndo(ctx, target); err != nil {
		return store.Run{}, err
	}
	run, err := e.store.StartRun(ctx, store.Run{ConnectionID: target.ConnectionID, ConnectionName: target.ConnectionName, Direction: "import",
		Mode: store.ModeUndo, Operator: e.operator, IntegrationID: target.IntegrationID, Trigger: opts.Trigger, UndoOf: target.ID})
	if err != nil {
		return run, err
	}
	// Checked again under the write lock: another process may have changed the records in between.
	rep.Report(events.Progress{Stage: "checking", Unit: "records"})
	u, err := e.store.BeginUndo(ctx, target, true)
	if err == nil {
		defer u.Rollback()
		err = u.Check()
	}
	start := time.Now()
	var counts map[string]store.UndoCounts
	if err == nil {
		counts, err = u.Apply(run.ID, timestamp(), func(stage string, total int) {
			rep.Report(events.Progress{Stage: stage, Total: int64(total), Unit: "records"})
		})
	}
	if err == nil {
		err = u.Commit()
	}
	p := pass{counts: undoneCounts(counts), log: &outcomes{}}
	message := fmt.Sprintf("Undid run #%d. ", target.ID) + undoSummary(counts) +
		" The next import from " + target.ConnectionName + " applies what the source says again."
	err = e.conclude(ctx, &run, p, message, err, fmt.Sprintf("nothing was changed and run #%d stands.", target.ID), start)
	return run, err
}

// checkUndo refuses an undo of target, looking without the write lock.
func (e *Engine) checkUndo(ctx context.Context, target store.Run) error {
	u, err := e.store.BeginUndo(ctx, target, false)
	if err != nil {
		return err
	}
	defer u.Rollback()
	return u.Check()
}

// undoneCounts are an undo's counts as a run's: records removed count as deleted, records put back
// (fields, status, or a source's supply) as updated, records no longer in the roster as skipped.
func undoneCounts(in map[string]store.UndoCounts) map[string]store.EntityCounts {
	out := map[string]store.EntityCounts{}
	for ent, c := range in {
		out[ent] = store.EntityCounts{Deleted: c.Removed, Updated: c.Restored + c.Revived + c.Left, Skipped: c.Gone}
	}
	return out
}

// undoSummary says what an undo did, entity by entity.
func undoSummary(in map[string]store.UndoCounts) string {
	var parts []string
	for _, ent := range roster.Entities {
		c := in[string(ent)]
		var what []string
		if c.Removed > 0 {
			what = append(what, words.Sprintf("%d created removed", c.Removed))
		}
		if c.Restored > 0 {
			what = append(what, words.Sprintf("%d put back (%d fields)", c.Restored, c.Fields))
		}
		if c.Revived > 0 {
			what = append(what, words.Sprintf("%d deletions reverted", c.Revived))
		}
		if c.Left > 0 {
			what = append(what, words.Sprintf("%d no longer supplied by this source", c.Left))
		}
		if c.Gone > 0 {
			what = append(what, words.Sprintf("%d no longer in the roster, so not put back", c.Gone))
		}
		if len(what) > 0 {
			parts = append(parts, string(ent)+": "+strings.Join(what, ", "))
		}
	}
	if len(parts) == 0 {
		return "It had changed nothing in the roster."
	}
	return strings.Join(parts, "; ") + "."
}
