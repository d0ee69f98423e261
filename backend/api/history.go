package api

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/runlog"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// HistoryAPI shows past runs.
type HistoryAPI struct{ store *store.Store }

// NewHistoryAPI returns the facade.
func NewHistoryAPI(st *store.Store) *HistoryAPI { return &HistoryAPI{store: st} }

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
	run, err := a.store.Run(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return RunDetail{}, apperr.New(apperr.CodeNotFound, "That run is not in the history.")
	} else if err != nil {
		return RunDetail{}, err
	}
	records, err := a.store.RunRecords(ctx, id, 0, 500)
	if err != nil {
		return RunDetail{}, err
	}
	total, err := a.store.CountRunRecords(ctx, id)
	return RunDetail{Run: run, Records: records, More: total - len(records)}, err
}

// DownloadLog writes a run's log, one row per record (entity, sourcedId, action, status, field,
// message), as "csv" or "xlsx" into the Downloads folder and returns its path.
func (a *HistoryAPI) DownloadLog(runID int64, format string) (string, error) {
	ctx := context.Background()
	if format != "csv" && format != "xlsx" {
		return "", apperr.New(apperr.CodeInvalid, "A log is downloaded as csv or xlsx.")
	}
	run, err := a.store.Run(ctx, runID)
	if errors.Is(err, store.ErrNotFound) {
		return "", apperr.New(apperr.CodeNotFound, "That run is not in the history.")
	} else if err != nil {
		return "", err
	}
	name := fmt.Sprintf("Rosterdesk run %d - %s %s.%s", run.ID, run.ConnectionName, run.Direction, format)
	return settings.SaveDownload(name, func(w io.Writer) error { return runlog.Write(ctx, a.store, run, format, w) })
}
