package api

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/history"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// HistoryAPI shows past runs, writes their reports, undoes import runs and clears the history.
type HistoryAPI struct {
	store    *store.Store
	engine   *engine.Engine
	jobs     *jobs.Jobs
	operator string
}

// NewHistoryAPI returns the facade; undoing a run is a job of j.
func NewHistoryAPI(ws *workspace.Workspace, j *jobs.Jobs) *HistoryAPI {
	return &HistoryAPI{store: ws.Store, engine: ws.Engine, jobs: j, operator: ws.Operator}
}

// RunDetail is a run with a page of its per-record outcomes (failures first); More counts the logged
// outcomes not in the page (the downloaded log has them all).
type RunDetail struct {
	Run     store.Run         `json:"run"`
	Records []store.RunRecord `json:"records"`
	More    int               `json:"more"`
}

// Find lists the runs a query matches (connection, direction, status, dates, a run's number or a
// record's ID in its log), most recent first.
func (a *HistoryAPI) Find(q store.RunQuery) ([]store.Run, error) {
	q.Limit = min(max(q.Limit, 0), 10000) // a window lists at most this many
	return a.store.FindRuns(context.Background(), q)
}

// Run returns one run with up to 500 of its records.
func (a *HistoryAPI) Run(id int64) (RunDetail, error) {
	ctx := context.Background()
	run, err := a.run(ctx, id)
	if err != nil {
		return RunDetail{}, err
	}
	records, err := a.store.RunRecords(ctx, id, 0, 500)
	if err != nil {
		return RunDetail{}, err
	}
	total, err := a.store.CountRunRecords(ctx, id)
	return RunDetail{Run: run, Records: records, More: total - len(records)}, err
}

// Records returns the page of a run's logged outcomes that a filter (entity, action, status, part of a
// record's ID) matches, failures first, with how many match in all.
func (a *HistoryAPI) Records(runID int64, q store.RecordQuery) (store.RecordPage, error) {
	q.Limit = min(max(q.Limit, 1), 500)
	return a.store.FindRunRecords(context.Background(), runID, q)
}

// RecordChoices lists the entities, actions and statuses a run's log has, to filter it by.
func (a *HistoryAPI) RecordChoices(runID int64) (store.RecordChoices, error) {
	return a.store.RunRecordChoices(context.Background(), runID)
}

// DownloadLog writes a run's report, one row per record (entity, sourcedId, action, status, field,
// message), as "csv", "xlsx" or "pdf" (with the run's summary) into the Downloads folder and returns
// its path.
func (a *HistoryAPI) DownloadLog(runID int64, format string) (string, error) {
	ctx := context.Background()
	if err := history.CheckFormat(format); err != nil {
		return "", err
	}
	run, err := a.run(ctx, runID)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("Rosterdesk run %d - %s %s.%s", run.ID, run.ConnectionName, run.Direction, format)
	return settings.SaveDownload(name, func(w io.Writer) error { return history.Write(ctx, a.store, run, format, w) })
}

// ClearPreview says what Clear would do now: the runs it deletes and those it keeps.
func (a *HistoryAPI) ClearPreview() (store.HistoryCounts, error) {
	c, _, err := history.WouldClear(context.Background(), a.store)
	return c, err
}

// Clear deletes the history's runs and their records, keeping those still running or held for review,
// and returns the run that records who cleared it and when.
func (a *HistoryAPI) Clear() (store.Run, error) {
	run, _, err := history.Clear(context.Background(), a.store, a.operator)
	return run, err
}

// UndoPreview says what undoing an import run would do, per entity, or why it cannot be undone.
func (a *HistoryAPI) UndoPreview(runID int64) (engine.UndoPreview, error) {
	return a.engine.UndoPreview(context.Background(), runID)
}

// StartUndo undoes an import run in the background and returns the job id; the job's result is the
// undo's run. A refusal is the job's error; cancelled, the undo changes nothing.
func (a *HistoryAPI) StartUndo(runID int64) string {
	return a.jobs.Start("undo", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.Undo(ctx, runID, engine.RunOptions{}, rep)
	})
}

func (a *HistoryAPI) run(ctx context.Context, id int64) (store.Run, error) {
	run, err := a.store.Run(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return run, apperr.New(apperr.CodeNotFound, "That run is not in the history.")
	}
	return run, err
}
