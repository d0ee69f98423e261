package api

import (
	"context"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/dedupe"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// DuplicatesAPI is the review queue of duplicate people, the side-by-side merge, undo, and the
// domains of uniqueness that find the pairs.
type DuplicatesAPI struct {
	store  *store.Store
	engine *engine.Engine
	jobs   *jobs.Jobs
}

// NewDuplicatesAPI returns the facade. Its scan runs as a job of j, so SyncAPI's Job and Cancel
// follow it like any other.
func NewDuplicatesAPI(st *store.Store, e *engine.Engine, j *jobs.Jobs) *DuplicatesAPI {
	return &DuplicatesAPI{store: st, engine: e, jobs: j}
}

// PairsRequest asks for a page of the queue: status "" for every status, domain and school "" for
// all, search in the records' ids and names.
type PairsRequest struct {
	Status string `json:"status"`
	Domain string `json:"domain"`
	School string `json:"school"`
	Search string `json:"search"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

var pairStatuses = []string{"", "pending", "merged", "ignored", "new"}

// Pairs returns a page of pairs, highest score first, with the domains, schools and counts per
// status the filters offer.
func (a *DuplicatesAPI) Pairs(req PairsRequest) (store.PairPage, error) {
	if !slices.Contains(pairStatuses, req.Status) {
		return store.PairPage{}, apperr.New(apperr.CodeInvalid, "A pair's status is pending, merged, ignored or new (not a duplicate).")
	}
	if req.Limit <= 0 || req.Limit > 500 {
		req.Limit = 50
	}
	return a.store.DuplicatePairs(context.Background(), store.PairQuery{Status: req.Status, Domain: req.Domain, School: req.School,
		Search: strings.TrimSpace(req.Search), Offset: max(req.Offset, 0), Limit: req.Limit})
}

// Pair returns one pair with its evidence.
func (a *DuplicatesAPI) Pair(id int64) (store.DuplicatePair, error) {
	return a.store.DuplicatePair(context.Background(), id)
}

// StartScan looks for duplicate people in the roster in the background and returns the job id; the
// job's result is an engine.DuplicateScan. Cancelled, it saves nothing.
func (a *DuplicatesAPI) StartScan() string {
	return a.jobs.Start("duplicates", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.engine.ScanDuplicates(ctx, rep)
	})
}

// Domains returns the workspace's domains of uniqueness in priority order.
func (a *DuplicatesAPI) Domains() (dedupe.Config, error) {
	return a.engine.DuplicateDomains(context.Background())
}

// DefaultDomains returns the domains a new workspace starts with, for "Restore the defaults".
func (a *DuplicatesAPI) DefaultDomains() dedupe.Config { return dedupe.Defaults() }

// SetDomains reads domains written as JSON (the format of `duplicates domains set --file`), saves
// them and returns them as saved. A mistake is refused with what to fix and nothing is saved.
func (a *DuplicatesAPI) SetDomains(text string) (dedupe.Config, error) {
	ctx := context.Background()
	cfg, err := dedupe.Parse([]byte(text))
	if err != nil {
		return dedupe.Config{}, invalid(err)
	}
	if err := a.engine.SetDuplicateDomains(ctx, cfg); err != nil {
		return dedupe.Config{}, err
	}
	return a.engine.DuplicateDomains(ctx)
}

// invalid makes a parse error the registrar's to fix (CodeInvalid), keeping an apperr's own code
// and details.
func invalid(err error) error {
	if e, ok := err.(*apperr.Error); ok {
		return e
	}
	e := apperr.From(err)
	e.Code = apperr.CodeInvalid
	return e
}

// ScanAfterImport reports whether every import ends with a scan for duplicates.
func (a *DuplicatesAPI) ScanAfterImport() (bool, error) {
	return a.engine.ScanAfterImport(context.Background())
}

// SetScanAfterImport turns the scan after every import on or off.
func (a *DuplicatesAPI) SetScanAfterImport(on bool) error {
	return a.engine.SetScanAfterImport(context.Background(), on)
}

// MergeView puts a pair's records side by side, field by field, with what would move to the primary.
// records is the order wanted (the chosen primary first) and may add records to merge as a group
// with the pair's two; blanks and repeats are dropped.
func (a *DuplicatesAPI) MergeView(pairID int64, records []string) (engine.MergeView, error) {
	return a.engine.MergeView(context.Background(), pairID, cleanIDs(records))
}

// Resolve records the registrar's decision on a pair in a run: merge it (the secondary deleted or
// ignored) or mark it not a duplicate (new).
func (a *DuplicatesAPI) Resolve(pairID int64, d engine.Decision) (store.Run, error) {
	d.Primary = strings.TrimSpace(d.Primary)
	d.Secondaries = cleanIDs(d.Secondaries)
	return a.engine.ResolveDuplicate(context.Background(), pairID, d)
}

// Undo puts back both records of a decided pair as they were, moved enrollments included, in a
// recorded run; the pair returns to the queue.
func (a *DuplicatesAPI) Undo(pairID int64) (store.Run, error) {
	return a.engine.UndoDuplicate(context.Background(), pairID)
}

// cleanIDs trims sourcedIds and drops blanks and repeats, keeping the order; nil stays nil (the
// engine's default).
func cleanIDs(ids []string) []string {
	if ids == nil {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
