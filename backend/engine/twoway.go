package engine

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Conflict policies of a sync: which side a field both sides changed takes.
const (
	PolicyWorkspace = "workspace" // the roster's value wins
	PolicyExternal  = "external"  // the connection's value wins
	PolicyNewest    = "newest"    // the record with the later dateLastModified wins; a tie keeps the roster's
	PolicyAsk       = "ask"       // both sides keep theirs until a registrar chooses (SyncConflicts)
)

// ActionConflict is the outcome of a field both sides of a sync changed: how it was resolved.
const ActionConflict = "conflict"

// SyncOptions change how Sync runs.
type SyncOptions struct {
	Policy string // PolicyWorkspace (default), PolicyExternal, PolicyNewest or PolicyAsk
	// Initial is the side that is the starting truth of a first sync when both sides hold data:
	// workspace (the connection gets the roster's selection) or external (the roster takes the
	// connection's data, as an import would). A first sync into an empty side needs none.
	Initial      string
	Entities     []string // entity tasks, as RunOptions.Entities
	PlanOnly     bool     // compute what the sync would do and change nothing
	OverrideHold bool     // apply even when a safety hold would stop the run: its plan was reviewed
	// IntegrationID is the integration running the sync, recorded on the run (0: none).
	IntegrationID int64
	Trigger       string // as RunOptions.Trigger
}

// Sync runs a two-way sync with a connection that is both source and target: it compares, field by
// field, the roster as the connection's export would send it (its selection) with the connection's
// current data (read fresh) and with the baseline both held after the last sync. A change on one
// side flows to the other; a field both sides changed to different values is resolved by the policy;
// a deletion on one side goes to the other unless the other side changed the record (then it is a
// conflict of the whole record). Safety holds apply to each side against its own records.
//
// Applying writes the connection's side first, as one whole package (a folder's files one by one,
// each under a temporary name then renamed), and only when something on it changes; then the roster
// changes, the conflicts waiting and the new baseline in one transaction, recorded as a run of
// direction sync. Should the roster's transaction fail after the connection was written, the next
// sync finds both sides changed to the same values and only stores the baseline. A cancelled or
// failed sync before that point changes nothing.
func (e *Engine) Sync(ctx context.Context, connectionID int64, opts SyncOptions, rep events.Reporter) (store.Run, Plan, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return store.Run{}, Plan{}, notFound(err, "connection")
	}
	if err := checkSync(conn, &opts); err != nil {
		return store.Run{}, Plan{}, err
	}
	work, err := parseTasks(opts.Entities)
	if err != nil {
		return store.Run{}, Plan{}, err
	}
	target, records, err := e.openTarget(conn)
	if err != nil {
		return store.Run{}, Plan{}, err
	}
	if records != nil {
		return store.Run{}, Plan{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s takes records one at a time: a two-way sync needs a connection holding a whole OneRoster package (a folder, a ZIP or an SFTP drop).", conn.Name))
	}
	if !e.writer.TryLock() {
		return store.Run{}, Plan{}, busy()
	}
	defer e.writer.Unlock()
	sel, err := e.runSelection(ctx, conn.ID, opts.IntegrationID)
	if err != nil {
		return store.Run{}, Plan{}, err
	}
	run := store.Run{ConnectionID: conn.ID, ConnectionName: conn.Name, Direction: "sync", Mode: runMode(sel), Operator: e.operator, IntegrationID: opts.IntegrationID, Trigger: opts.Trigger}
	if !opts.PlanOnly {
		if run, err = e.store.StartRun(ctx, run); err != nil {
			return run, Plan{}, err
		}
	}
	start := time.Now()
	s := &syncRun{e: e, conn: conn, target: target, runID: run.ID, sel: sel, tasks: work, opts: opts, rep: rep}
	res, err := s.pass(ctx)
	if opts.PlanOnly {
		if err != nil {
			return run, Plan{}, err
		}
		return run, res.plan(run), nil
	}
	nothing := "nothing was changed."
	if s.delivered {
		nothing = "the new data went to " + conn.Name + " but not into the roster; the next sync brings the roster level."
	}
	err = e.conclude(ctx, &run, res.pass, res.message, err, nothing, start)
	return run, Plan{}, err
}

// checkSync refuses a connection that is not both a source and a target, and options no sync takes;
// a blank policy is the default.
func checkSync(conn store.Connection, opts *SyncOptions) error {
	if conn.Role != connector.RoleBoth {
		return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s is not both a source and a target: a two-way sync reads from it and writes to it. Edit it and choose the role both.", conn.Name))
	}
	if opts.Policy == "" {
		opts.Policy = PolicyWorkspace
	}
	switch opts.Policy {
	case PolicyWorkspace, PolicyExternal, PolicyNewest, PolicyAsk:
	default:
		return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The conflict policy is workspace, external, newest or ask, not %q.", opts.Policy))
	}
	switch opts.Initial {
	case "", store.SideWorkspace, store.SideExternal:
	default:
		return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The starting truth of a first sync is workspace or external, not %q.", opts.Initial))
	}
	return nil
}

// ResolveConflict records which side a conflict of a sync connection takes (take: workspace or
// external): entity, sourcedID and field name it as store.SyncConflicts lists it. The next sync applies
// the choice, unless a side changed that field again meanwhile (then it asks again).
func (e *Engine) ResolveConflict(ctx context.Context, connectionID int64, entity, sourcedID, field, take string) error {
	err := e.store.ResolveSyncConflict(ctx, connectionID, store.ConflictKey(entity, field, sourcedID), take, e.operator)
	if err == nil {
		e.log.Info("sync conflict resolved", "connection", connectionID, "entity", entity, "field", field, "take", take, "operator", e.operator)
	}
	return notFound(err, "waiting conflict of "+entity+" "+sourcedID)
}

func baselineEmpty(base map[roster.Entity]map[string]int64) bool {
	for _, m := range base {
		if len(m) > 0 {
			return false
		}
	}
	return true
}

// syncRun is one sync while it runs.
type syncRun struct {
	e         *Engine
	conn      store.Connection
	target    connector.Target
	runID     int64
	sel       selection.Selection
	tasks     tasks
	opts      SyncOptions
	rep       events.Reporter
	delivered bool // the connection has the new data
}

// synced is the outcome of a sync's pass, with what its run says when it succeeds.
type synced struct {
	pass
	message string
}

// pass reads both sides and the baseline, merges them and, unless planning or held, applies it.
func (s *syncRun) pass(ctx context.Context) (synced, error) {
	sizes, err := s.e.store.RosterCounts(ctx) // for room in the maps of each side: rehashing them took seconds
	if err != nil {
		return synced{}, err
	}
	// The two sides are read side by side, on two cores: the roster from the workspace, the
	// connection's package from its files.
	var ws rosterView
	var ext external
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		ws, err = s.e.rosterSide(gctx, s.conn.ID, s.sel, sizes, s.rep)
		return err
	})
	g.Go(func() (err error) {
		ext, err = s.e.externalSide(gctx, s.conn, s.opts.IntegrationID, sizes.Active, s.rep)
		return err
	})
	err = g.Wait()
	defer ext.discard()
	if err != nil {
		return synced{}, err
	}
	if ext.version == "1.1" {
		fit11(ws.records, ext.records)
	}
	base, err := s.e.store.BaselineHashes(ctx, s.conn.ID, sizes.Active)
	if err != nil {
		return synced{}, err
	}
	open, err := s.e.store.SyncConflicts(ctx, s.conn.ID)
	if err != nil {
		return synced{}, err
	}
	initial := s.opts.Initial
	if ext.missing != nil && !baselineEmpty(base) {
		return synced{}, ext.missing // a package gone after a sync is not a side whose records were all deleted
	}
	if baselineEmpty(base) {
		switch {
		case ext.records.empty():
			initial = store.SideWorkspace // an empty or missing side is simply filled
		case ws.records.empty():
			initial = store.SideExternal
		case initial == "":
			e := apperr.New(apperr.CodeInvalid, fmt.Sprintf("This is the first sync with %s and both it and the roster hold data. Choose the starting truth: run it with --initial workspace (%s gets the roster's selection) or --initial external (the roster takes %s's data).",
				s.conn.Name, s.conn.Name, s.conn.Name))
			e.Details = map[string]string{"needs": "initial"} // the window asks the question instead
			return synced{}, e
		}
	} else {
		initial = ""
	}
	m := newMerge(s.conn.Name, s.opts.Policy, initial, open, s.tasks, ws, ext.records, base, func(ent roster.Entity, id string) (*roster.Record, error) {
		r, err := s.e.store.BaselineRecord(ctx, s.conn.ID, ent, id)
		return &roster.Record{Entity: ent, Values: r.Values.V, Metadata: metadataOf(r.Values.M)}, err
	})
	if err := m.run(); err != nil {
		return synced{}, err
	}
	res := synced{pass: pass{counts: countsOut(m.roster), log: m.log}}
	if s.opts.PlanOnly || !s.opts.OverrideHold {
		res.hold = holdReason(m.roster, ws.records.counts(), s.sel, "roster")
		if res.hold == "" {
			res.hold = holdReason(m.external, ext.records.counts(), s.sel, s.conn.Name+" data")
		}
	}
	if s.opts.PlanOnly || res.hold != "" {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.message = m.summary()
	if m.externalChanged() {
		where, err := s.deliver(ctx, ext, m)
		if err != nil {
			return res, err
		}
		s.delivered = true
		res.message += " Wrote " + where + "."
		ctx = context.WithoutCancel(ctx) // the roster follows what the connection now has
	}
	return res, s.e.applySync(ctx, s.conn.ID, s.runID, m)
}
