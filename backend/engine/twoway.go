package engine

import (
	"context"
	"fmt"
	"iter"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/rights"
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
// conflict of the whole record). Safety holds apply to each side against its own records. The three
// are read in one order and merged as a join, so a sync holds a few records of each side at a time.
//
// Applying writes the connection's side first, as one whole package (a folder's files one by one,
// each under a temporary name then renamed), and only when something on it changes; then the roster
// changes, the conflicts waiting and the new baseline in one transaction, recorded as a run of
// direction sync. Should the roster's transaction fail after the connection was written, the next
// sync finds both sides changed to the same values and only stores the baseline. A cancelled or
// failed sync before that point changes nothing.
func (e *Engine) Sync(ctx context.Context, connectionID int64, opts SyncOptions, rep events.Reporter) (store.Run, Plan, error) {
	if !opts.PlanOnly {
		if err := rights.Need(ctx, e.store, e.operator, rights.Exports, rights.Write); err != nil {
			return store.Run{}, Plan{}, err
		}
	}
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
	if !opts.PlanOnly { // as an import: the collector keeps the heap near what the sync holds
		defer limitMemory()()
	}
	sel, err := e.runSelection(ctx, conn.ID, opts.IntegrationID, store.DirectionImport)
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
	if err := rights.Need(ctx, e.store, e.operator, rights.Exports, rights.Write); err != nil {
		return err
	}
	err := e.store.ResolveSyncConflict(ctx, connectionID, store.ConflictKey(entity, field, sourcedID), take, e.operator)
	if err == nil {
		e.log.Info("sync conflict resolved", "connection", connectionID, "entity", entity, "field", field, "take", take, "operator", e.operator)
	}
	return notFound(err, "waiting conflict of "+entity+" "+sourcedID)
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
	dir       string // a scratch folder for the merge's spools and the package it writes
	delivered bool   // the connection has the new data
}

// synced is the outcome of a sync's pass, with what its run says when it succeeds.
type synced struct {
	pass
	message string
}

// pass reads both sides and the baseline, merges them and, unless planning or held, applies it.
func (s *syncRun) pass(ctx context.Context) (synced, error) {
	// The two sides are made ready side by side, on two cores: the roster's selection from the
	// workspace (its read transaction lives on, so it is begun with ctx), the connection's package
	// read and sorted from its files.
	var rx *store.Send
	var filter *selection.Filter
	var ext *external
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		rx, filter, err = s.e.rosterSide(ctx, s.conn.ID, s.sel, s.rep)
		return err
	})
	g.Go(func() (err error) {
		ext, err = s.e.externalSide(gctx, s.conn, s.opts.IntegrationID, s.tasks.anyByRole(), s.rep)
		return err
	})
	err := g.Wait()
	if rx != nil {
		defer rx.Rollback()
	}
	if ext != nil {
		defer ext.discard()
	}
	if err != nil {
		return synced{}, err
	}
	firstSync, err := s.e.store.BaselineEmpty(ctx, s.conn.ID)
	if err != nil {
		return synced{}, err
	}
	open, err := s.e.store.SyncConflicts(ctx, s.conn.ID)
	if err != nil {
		return synced{}, err
	}
	if ext.missing != nil && !firstSync {
		return synced{}, ext.missing // a package gone after a sync is not a side whose records were all deleted
	}
	if path := s.conn.Settings["path"]; ext.missing != nil && path != "" {
		if err := checkPlace(path); err != nil {
			return synced{}, err
		}
	}
	initial, err := s.initial(ctx, firstSync, ext, rx, filter)
	if err != nil {
		return synced{}, err
	}
	role := ext.roles.of
	if s.tasks.anyByRole() {
		if err := eachRole(ctx, rx, filter, ext.roles.add); err != nil {
			return synced{}, err
		}
	}
	if ext.version == "1.1" && ext.srt != nil {
		if err := ext.rekey11(ctx, rx, filter); err != nil {
			return synced{}, err
		}
	}
	if err := os.MkdirAll(s.e.staging, 0o700); err != nil {
		return synced{}, err
	}
	if s.dir, err = scratch.MkdirTemp(s.e.staging, "sync-"); err != nil {
		return synced{}, err
	}
	defer os.RemoveAll(s.dir)
	m, err := newMerge(s.conn.Name, s.opts.Policy, initial, open, s.tasks, role, syncSides{
		roster:   rosterRows(ctx, rx, filter, s.rep),
		external: ext.rows,
		baseline: func(ent roster.Entity) iter.Seq2[baseHash, error] {
			return seqOf(func(fn func(baseHash) error) error {
				return s.e.store.EachBaseline(ctx, s.conn.ID, ent, func(id string, h int64) error { return fn(baseHash{id, h}) })
			})
		},
		loadBase: func(ent roster.Entity, id string) (*roster.Record, error) {
			r, err := s.e.store.BaselineRecord(ctx, s.conn.ID, ent, id)
			return &roster.Record{Entity: ent, Values: r.Values.V, Metadata: metadataOf(r.Values.M)}, err
		},
		v11: ext.version == "1.1",
	}, s.dir)
	if err != nil {
		return synced{}, err
	}
	defer m.close()
	if err := m.run(); err != nil {
		return synced{}, err
	}
	rx.Rollback() // the roster's side is read: the roster need not stay as it was
	res := synced{pass: pass{counts: countsOut(m.roster), log: m.log}}
	if s.opts.PlanOnly || !s.opts.OverrideHold {
		res.hold = holdReason(m.roster, m.held["roster"], s.sel, "roster")
		if res.hold == "" {
			res.hold = holdReason(m.external, m.held["external"], s.sel, s.conn.Name+" data")
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

// initial is the starting truth of a first sync: the side holding data when the other is empty or
// missing (simply filled), else the one the options chose; none (the baseline decides) after one.
func (s *syncRun) initial(ctx context.Context, firstSync bool, ext *external, rx *store.Send, filter *selection.Filter) (string, error) {
	if !firstSync {
		return "", nil
	}
	if ext.empty() {
		return store.SideWorkspace, nil // an empty or missing side is simply filled
	}
	empty, err := rosterEmpty(ctx, rx, filter)
	switch {
	case err != nil:
		return "", err
	case empty:
		return store.SideExternal, nil
	case s.opts.Initial == "":
		e := apperr.New(apperr.CodeInvalid, fmt.Sprintf("This is the first sync with %s and both it and the roster hold data. Choose the starting truth: run it with --initial workspace (%s gets the roster's selection) or --initial external (the roster takes %s's data).",
			s.conn.Name, s.conn.Name, s.conn.Name))
		e.Details = map[string]string{"needs": "initial"} // the window asks the question instead
		return "", e
	}
	return s.opts.Initial, nil
}
