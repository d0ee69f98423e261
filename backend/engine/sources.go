package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// PrecedenceRun names the runs that apply a new order of the sources in the history.
const PrecedenceRun = "Source precedence"

// SetPrecedence puts the named sources first in the reconciliation order, in the order given, and
// works out again every record several sources supply, so the roster keeps the values of the new
// first source at once. It is a recorded run: the history says who changed the order and which
// values changed. The order and the records change together or not at all.
func (e *Engine) SetPrecedence(ctx context.Context, ids []int64) (store.Run, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Roster, rights.Write); err != nil {
		return store.Run{}, err
	}
	sources, err := e.store.Sources(ctx)
	if err != nil {
		return store.Run{}, err
	}
	names := map[int64]string{}
	for _, c := range sources {
		names[c.ID] = c.Name
	}
	order := make([]string, 0, len(ids))
	for _, id := range ids {
		name, ok := names[id]
		if !ok {
			return store.Run{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("Connection %d is not a source of this workspace; only sources have a place in the order.", id))
		}
		order = append(order, name)
	}
	if !e.writer.TryLock() {
		return store.Run{}, busy()
	}
	defer e.writer.Unlock()
	run, err := e.store.StartRun(ctx, store.Run{ConnectionName: PrecedenceRun, Direction: "import", Mode: "full", Operator: e.operator})
	if err != nil {
		return run, err
	}
	start := time.Now()
	a, err := e.changeRoster(ctx, 0, run.ID, func(a *applier) error { return a.tx.Reorder(ids) })
	message := "Order: " + strings.Join(order, ", ") + " first. " + summary(a.pass().counts)
	err = e.conclude(ctx, &run, a.pass(), message, err, "the order and the roster stay as they were.", start)
	return run, err
}

// ReleaseSource ends a source's supply of the roster before it is removed, in a recorded run:
// records other sources supply are worked out again from them; records it alone supplied are kept
// as they are (keepRecords) or marked tobedeleted. The caller then removes the connection. Cancelled,
// it changes nothing.
func (e *Engine) ReleaseSource(ctx context.Context, connectionID int64, keepRecords bool, rep events.Reporter) (store.Run, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return store.Run{}, notFound(err, "connection")
	}
	if !e.writer.TryLock() {
		return store.Run{}, busy()
	}
	defer e.writer.Unlock()
	run, err := e.store.StartRun(ctx, store.Run{ConnectionID: conn.ID, ConnectionName: conn.Name, Direction: "import", Mode: "full", Operator: e.operator})
	if err != nil {
		return run, err
	}
	start := time.Now()
	a, err := e.changeRoster(ctx, conn.ID, run.ID, func(a *applier) error {
		a.keepRecords = keepRecords
		kept, err := a.tx.Release(keepRecords, a.now, func(ent roster.Entity, id string, o store.Origin) error {
			return a.gone(ent, id, o, a.now, outcome.SourceRemoved)
		}, func(ent roster.Entity, record string) {
			a.counts[ent].Deleted++
			a.log.add(store.RunRecord{Entity: string(ent), SourcedID: record, Action: ActionDelete, Status: "ok", Reason: outcome.SourceRemoved})
		}, func(done, total int64) {
			rep.Report(events.Progress{Stage: "releasing", Done: done, Total: total, Unit: "records"})
		})
		a.kept += kept
		return err
	})
	message := "Removed the source " + conn.Name + ". " + summary(a.pass().counts)
	if a.kept > 0 {
		message += words.Sprintf(" %d records no other source supplies were kept as they are.", a.kept)
	}
	err = e.conclude(ctx, &run, a.pass(), message, err, "nothing was changed and the connection is still there.", start)
	return run, err
}

// changeRoster does work on the roster in run's transaction, with an applier that counts and logs
// what it does, and commits it; the applier is returned whatever happened, for the run's counts.
func (e *Engine) changeRoster(ctx context.Context, connectionID, runID int64, work func(*applier) error) (*applier, error) {
	a := &applier{now: timestamp(), log: &outcomes{}, counts: newCounts()}
	tx, err := e.store.BeginApply(ctx, connectionID, runID)
	if err != nil {
		return a, err
	}
	defer tx.Rollback()
	a.tx = tx
	tx.OnReconciled(a.reconciled)
	if err := work(a); err != nil {
		return a, err
	}
	return a, a.commit()
}

// pass is what the applier did, as a run concludes it.
func (a *applier) pass() pass { return pass{counts: countsOut(a.counts), log: a.log} }

// commit writes the run's log into its transaction and commits it.
func (a *applier) commit() error {
	if err := a.tx.Flush(); err != nil {
		return err
	}
	for r := range a.log.all() {
		if err := a.tx.Record(r); err != nil {
			return err
		}
	}
	if a.log.err != nil {
		return a.log.err
	}
	return a.tx.Commit()
}

func busy() error {
	return apperr.New(apperr.CodeBusy, "Another run is writing to this workspace. Wait for it to finish, then try again.")
}
