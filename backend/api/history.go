package api

import (
	"context"
	"errors"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// HistoryAPI shows past runs.
type HistoryAPI struct{ store *store.Store }

// NewHistoryAPI returns the facade.
func NewHistoryAPI(st *store.Store) *HistoryAPI { return &HistoryAPI{store: st} }

// RunDetail is a run with a page of its per-record outcomes (failures first).
type RunDetail struct {
	Run     store.Run         `json:"run"`
	Records []store.RunRecord `json:"records"`
}

// Runs lists recent runs, newest first.
func (a *HistoryAPI) Runs(limit int) ([]store.Run, error) {
	if limit <= 0 {
		limit = 100
	}
	return a.store.Runs(context.Background(), 0, limit)
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
	return RunDetail{Run: run, Records: records}, err
}
