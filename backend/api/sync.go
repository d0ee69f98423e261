package api

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// SyncAPI starts fetches and imports as background jobs with progress and cancel, and runs the other
// changes to the roster (the order of the sources, removing a source).
type SyncAPI struct {
	ws     *workspace.Workspace
	engine *engine.Engine
	jobs   *jobs.Jobs
}

// NewSyncAPI returns the facade.
func NewSyncAPI(ws *workspace.Workspace, j *jobs.Jobs) *SyncAPI {
	return &SyncAPI{ws: ws, engine: ws.Engine, jobs: j}
}

// SetPrecedence puts the given sources first in the reconciliation order and applies it to the
// roster at once, in a recorded run.
func (a *SyncAPI) SetPrecedence(ids []int64) (store.Run, error) {
	return a.engine.SetPrecedence(context.Background(), ids)
}

// RemovalImpact counts the records a connection alone supplies and those other sources supply too,
// for the question asked before removing it.
func (a *SyncAPI) RemovalImpact(connectionID int64) (store.Supply, error) {
	return a.ws.Store.Supply(context.Background(), connectionID)
}

// StartRemoveConnection removes a connection in the background and returns the job id; the records
// a source alone supplied are kept as they are (keepRecords) or marked tobedeleted in a recorded
// run, the job's result. Cancelled, it changes nothing and the connection stays.
func (a *SyncAPI) StartRemoveConnection(connectionID int64, keepRecords bool) string {
	return a.jobs.Start("remove", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.ws.RemoveConnection(ctx, connectionID, keepRecords, rep)
	})
}

// StartFetch stages a source in the background and returns the job id; the job's result is an
// engine.FetchResult.
func (a *SyncAPI) StartFetch(connectionID int64) string {
	return a.startFetch(connectionID, a.engine.Fetch)
}

// StartFetchChanges is StartFetch asking only for what changed since the last import (Kind.Delta).
func (a *SyncAPI) StartFetchChanges(connectionID int64) string {
	return a.startFetch(connectionID, a.engine.FetchChanges)
}

// startFetch runs a fetch as a job, then, in the window only, works out the new fetch's shape in the
// background: the selection wizard chooses from it next. (Not in the engine's fetch: a command ends
// right after it, and would cut that work off halfway.)
func (a *SyncAPI) startFetch(connectionID int64, fetch func(context.Context, int64, events.Reporter) (engine.FetchResult, error)) string {
	return a.jobs.Start("fetch", func(ctx context.Context, rep events.Reporter) (any, error) {
		res, err := fetch(ctx, connectionID, rep)
		if err == nil {
			a.engine.WarmShape(connectionID)
		}
		return res, err
	})
}

// StartImport applies the last fetch to the roster in the background; the job's result is the run.
// overrideHold applies a run the safety hold would stop, after the registrar reviewed its plan.
func (a *SyncAPI) StartImport(connectionID int64, overrideHold bool) string {
	return a.jobs.Start("import", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.Import(ctx, connectionID, engine.RunOptions{OverrideHold: overrideHold}, rep)
	})
}

// StartPlanImport computes what an import would do, changing nothing; the job's result is an engine.Plan.
func (a *SyncAPI) StartPlanImport(connectionID int64) string {
	return a.jobs.Start("plan", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.PlanImport(ctx, connectionID, engine.RunOptions{}, rep)
	})
}

// StartExport sends the roster to a target in the background; mode is "" (the connection's), bulk
// or delta. The job's result is the run.
func (a *SyncAPI) StartExport(connectionID int64, mode string, overrideHold bool) string {
	return a.jobs.Start("export", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.Export(ctx, connectionID, engine.RunOptions{Mode: mode, OverrideHold: overrideHold}, rep)
	})
}

// StartPlanExport computes what an export would send, changing nothing; the job's result is an engine.Plan.
func (a *SyncAPI) StartPlanExport(connectionID int64, mode string) string {
	return a.jobs.Start("plan", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.PlanExport(ctx, connectionID, engine.RunOptions{Mode: mode}, rep)
	})
}

// Cancel asks a job to stop. A cancelled run changes nothing.
func (a *SyncAPI) Cancel(jobID string) bool { return a.jobs.Cancel(jobID) }

// Job returns the state of a job (for a window that missed its events).
func (a *SyncAPI) Job(jobID string) (jobs.Job, error) {
	j, ok := a.jobs.Get(jobID)
	if !ok {
		return j, apperr.New(apperr.CodeNotFound, "That job is unknown.")
	}
	return j, nil
}

// Test checks that a connection can be reached and read; the outcome is also kept for its card.
// trustKey is "" or a server key the user confirmed after a test reported it (hostKey).
func (a *SyncAPI) Test(connectionID int64, trustKey string) (engine.TestResult, error) {
	return a.engine.Test(context.Background(), connectionID, trustKey)
}

// LastFetch returns the counts and validation report of the connection's last fetch.
func (a *SyncAPI) LastFetch(connectionID int64) (engine.FetchResult, error) {
	return a.engine.LastFetch(context.Background(), connectionID)
}

// StartSendRecords sends a target just these records (orgs, classes or users) with what they depend
// on, in the background (the roster browser's Send to…); the job's result is the store.Run.
func (a *SyncAPI) StartSendRecords(connectionID int64, entity string, ids []string) string {
	return a.jobs.Start("export", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.SendRecords(ctx, connectionID, roster.Entity(entity), ids, rep)
	})
}
