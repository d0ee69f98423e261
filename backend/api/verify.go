package api

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/sheets"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// VerifyAPI runs the verification summary and re-sync by IDs as background jobs.
type VerifyAPI struct {
	engine  *engine.Engine
	store   *store.Store
	jobs    *jobs.Jobs
	staging string
	// last holds every difference of the last verification, which Save writes out; the window
	// holds the first MaxVerifyRows of them.
	mu   sync.Mutex
	last *engine.Differences
	// result is the last verification's result, for a window that comes back to it.
	result VerifyResult
}

// NewVerifyAPI returns the facade.
func NewVerifyAPI(ws *workspace.Workspace, j *jobs.Jobs) *VerifyAPI {
	return &VerifyAPI{engine: ws.Engine, store: ws.Store, jobs: j, staging: engine.StagingDir(ws.Store.Path())}
}

// MaxVerifyRows is how many differences a verification hands the window; the saved file has all.
const MaxVerifyRows = 20000

// VerifyResult is a verification with its first differences.
type VerifyResult struct {
	Verification engine.Verification `json:"verification"`
	Rows         []engine.Difference `json:"rows"`
	// Shown is len(Rows): fewer than the differences when there are more than MaxVerifyRows.
	Shown int `json:"shown"`
}

// forget removes the last verification's scratch file.
func (a *VerifyAPI) forget() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.last != nil {
		a.last.Remove()
		a.last = nil
	}
}

// StartVerify compares the roster with a connection, or with an integration's connection through
// the integration's selection, mapping and tasks (integrationID not 0); entity "" verifies all.
// The job's result is a VerifyResult.
func (a *VerifyAPI) StartVerify(connectionID, integrationID int64, entity string) string {
	return a.jobs.Start("verify", func(ctx context.Context, rep events.Reporter) (any, error) {
		opts := engine.VerifyOptions{IntegrationID: integrationID, Entity: roster.Entity(entity)}
		if integrationID != 0 {
			in, err := a.store.Integration(ctx, integrationID)
			if err != nil {
				return nil, err
			}
			connectionID, opts.Entities = in.ConnectionID, in.Entities
		}
		res := VerifyResult{Rows: []engine.Difference{}}
		v, diffs, err := a.engine.VerifyToFile(ctx, connectionID, opts, a.staging, rep, func(d engine.Difference) {
			if len(res.Rows) < MaxVerifyRows {
				res.Rows = append(res.Rows, d)
			}
		})
		if err != nil {
			return nil, err
		}
		res.Verification = v
		res.Shown = len(res.Rows)
		a.forget()
		a.mu.Lock()
		a.last, a.result = diffs, res
		a.mu.Unlock()
		return res, nil
	})
}

// Last returns the last verification's result; not_found before the first.
func (a *VerifyAPI) Last() (VerifyResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.last == nil {
		return VerifyResult{}, apperr.New(apperr.CodeNotFound, "No verification has run since the window opened.")
	}
	return a.result, nil
}

// VerifyFilter picks the differences to save: of one entity and kind ("" for any), whose
// sourcedId contains Search (any case).
type VerifyFilter struct {
	Entity string `json:"entity"`
	Kind   string `json:"kind"`
	Search string `json:"search"`
}

func (f VerifyFilter) keeps(d engine.Difference) bool {
	return (f.Entity == "" || d.Entity == f.Entity) && (f.Kind == "" || d.Kind == f.Kind) &&
		(f.Search == "" || strings.Contains(strings.ToLower(d.SourcedID+" "+d.RosterID), strings.ToLower(strings.TrimSpace(f.Search))))
}

// verifyHeader is the saved file's header: one row per field that differs, one per missing record.
var verifyHeader = []string{"entity", "sourcedId", "rosterId", "difference", "field", "roster value", "connection value"}

// SaveVerification writes the last verification's differences that filter keeps (all of them, not
// only those the window holds) as "xlsx" or "csv" in the Downloads folder, and returns its path.
func (a *VerifyAPI) SaveVerification(filter VerifyFilter, format string) (string, error) {
	if format != "xlsx" && format != "csv" {
		return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a format to save in; use xlsx or csv.", format))
	}
	a.mu.Lock()
	diffs := a.last
	a.mu.Unlock()
	if diffs == nil {
		return "", apperr.New(apperr.CodeInvalid, "Run a verification first, then save its differences.")
	}
	name := fmt.Sprintf("Rosterdesk verification %s.%s", store.Now()[:10], format)
	return settings.SaveDownload(name, func(w io.Writer) error {
		return sheets.WriteQuery(w, format, "Differences", verifyHeader, func(emit func([]string) error) error {
			return diffs.Each(func(d engine.Difference) error {
				if !filter.keeps(d) {
					return nil
				}
				if len(d.Fields) == 0 {
					d.Fields = []engine.FieldDifference{{}}
				}
				for _, fd := range d.Fields {
					if err := emit([]string{d.Entity, d.SourcedID, d.RosterID, d.Kind, fd.Field, fd.Roster, fd.Connection}); err != nil {
						return err
					}
				}
				return nil
			})
		})
	})
}

// StartResync sends a target just the records of object (users, enrollments, classes or orgs)
// whose IDs the text lists (one per line or comma-separated), with the records they depend on when
// withDependencies, or re-pulls them from a source (a fetch, then an import of those records). The
// job's result is an engine.Resynced: the run (mode "ids") and the IDs not found.
func (a *VerifyAPI) StartResync(connectionID int64, object, ids string, withDependencies bool) string {
	return a.jobs.Start("resync", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.Resync(ctx, connectionID, roster.Entity(object), engine.ParseIDs(ids), withDependencies, rep)
	})
}

// CountIDs says how many distinct IDs a pasted text holds, as a re-sync reads it.
func (a *VerifyAPI) CountIDs(ids string) int { return len(engine.ParseIDs(ids)) }
