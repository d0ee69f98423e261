package engine

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Export sends the roster to a target as a OneRoster ZIP in the connection's version: what its
// selection lets through, referentially complete. Bulk sends all of it; delta sends what changed
// since the last export (new and changed records as active rows, records sent before and now gone
// or no longer selected as tobedeleted rows), and writes no file when nothing changed. The file is
// written in the staging folder, then the target puts it in place under a temporary name and
// renames it. The roster is read in one read transaction, which locks nobody out, also while the
// file is delivered; what the target has is recorded only once it has the file, in one short write
// transaction with the run's records, so a failed, cancelled or interrupted export changes nothing
// and the next one converges. Holds apply as for imports.
func (e *Engine) Export(ctx context.Context, connectionID int64, opts RunOptions, rep events.Reporter) (store.Run, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Exports, rights.Write); err != nil {
		return store.Run{}, err
	}
	run, _, err := e.runExport(ctx, connectionID, opts, false, rep)
	return run, err
}

// PlanExport computes what Export would send now; nothing is written and no run is recorded.
func (e *Engine) PlanExport(ctx context.Context, connectionID int64, opts RunOptions, rep events.Reporter) (Plan, error) {
	_, plan, err := e.runExport(ctx, connectionID, opts, true, rep)
	return plan, err
}

// exportSettings are what an export needs of its connection: a target that takes files, or one
// that takes records one at a time (records).
type exportSettings struct {
	conn    store.Connection
	target  connector.Target
	records connector.RecordTarget
	version string
	delta   bool
	tasks   tasks // the run's entity tasks
	// integration is the run's integration, whose mapping an API target's records are sent with (0:
	// the target's own export integration).
	integration int64
}

func (e *Engine) exportSettings(ctx context.Context, connectionID int64, opts RunOptions) (exportSettings, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return exportSettings{}, notFound(err, "connection")
	}
	work, err := parseTasks(opts.Entities)
	if err != nil {
		return exportSettings{}, err
	}
	target, records, err := e.openTarget(conn)
	if err != nil {
		return exportSettings{}, err
	}
	if records != nil {
		return exportSettings{conn: conn, records: records, tasks: work, integration: opts.IntegrationID}, nil
	}
	mode := opts.Mode
	if mode == "" {
		mode = conn.Settings["mode"]
	}
	switch mode {
	case "", "bulk", "delta":
	default:
		return exportSettings{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The export mode is bulk or delta, not %q.", mode))
	}
	version := conn.Settings["version"]
	if version == "" {
		version = "1.2"
	}
	// A bulk file holding some kinds of users would tell the target the others are gone: those go as
	// a delta, which changes only what it lists.
	return exportSettings{conn: conn, target: target, version: version, delta: mode == "delta" || work.anyByRole(), tasks: work}, nil
}

// openTarget opens a connection's target: one that takes files, or else one that takes records.
func (e *Engine) openTarget(conn store.Connection) (connector.Target, connector.RecordTarget, error) {
	kind, values, err := e.kind(conn, func(k connector.Kind) bool {
		return (k.NewTarget != nil || k.NewRecordTarget != nil) && conn.Role != connector.RoleSource
	}, "%s is not a target: Rosterdesk does not send data to it. Edit it and choose the role target (or both) to export to it.")
	if err != nil {
		return nil, nil, err
	}
	if kind.NewRecordTarget != nil {
		records, err := kind.NewRecordTarget(conn.Settings, values)
		return nil, records, err
	}
	target, err := kind.NewTarget(conn.Settings, values)
	return target, nil, err
}

func (e *Engine) runExport(ctx context.Context, connectionID int64, opts RunOptions, planOnly bool, rep events.Reporter) (store.Run, Plan, error) {
	xs, err := e.exportSettings(ctx, connectionID, opts)
	if err != nil {
		return store.Run{}, Plan{}, err
	}
	if !e.writer.TryLock() {
		return store.Run{}, Plan{}, busy()
	}
	defer e.writer.Unlock()
	// The roster's shape is a few hundred MB at a state's size: a bulk export of 1,000,000 students
	// left to the collector's default peaked at 770 MB.
	defer limitMemory()()
	sel, err := e.runSelection(ctx, xs.conn.ID, opts.IntegrationID, store.DirectionExport)
	if err != nil {
		return store.Run{}, Plan{}, err
	}
	run := store.Run{ConnectionID: xs.conn.ID, ConnectionName: xs.conn.Name, Direction: "export", Mode: runMode(sel), Operator: e.operator, IntegrationID: opts.IntegrationID, Trigger: opts.Trigger}
	if !planOnly {
		if run, err = e.store.StartRun(ctx, run); err != nil {
			return run, Plan{}, err
		}
	}
	start := time.Now()
	hold := planOnly || !opts.OverrideHold
	var res sent
	if xs.records != nil {
		res, err = e.push(ctx, xs, run.ID, sel, pushRun{planOnly: planOnly, hold: hold}, rep)
	} else {
		res, err = e.send(ctx, xs, run.ID, sel, nil, planOnly, hold, rep)
	}
	defer res.log.close()
	if planOnly {
		if err != nil {
			return run, Plan{}, err
		}
		return run, res.plan(run), nil
	}
	run.Counts = res.counts // also when it fails: an API may have taken some records
	err = e.conclude(ctx, &run, res.pass, res.message, err, unsent(res), start)
	return run, Plan{}, err
}

// unsent says what an export that failed or was cancelled left as it was: nothing for a file;
// for an API, the records it took before are recorded and the rest wait for the next export.
func unsent(res sent) string {
	delivered := 0
	for _, c := range res.counts {
		delivered += c.Created + c.Updated + c.Deleted
	}
	if delivered == 0 {
		return "nothing was sent."
	}
	return words.Sprintf("the %d records the target took before that are recorded (%s); exporting again sends the rest.", delivered, summary(res.counts))
}

// sent is the outcome of one export pass, with what its run says when it succeeds.
type sent struct {
	pass
	message string
}

// send compares the roster with what the target has, writes the file and delivers it. only, when
// set, limits the file to those records (a run of just some records): it is then a delta that
// deletes nothing.
func (e *Engine) send(ctx context.Context, xs exportSettings, runID int64, sel selection.Selection, only func(*store.Send) (*selection.Filter, error),
	planOnly, hold bool, rep events.Reporter) (sent, error) {
	x, err := e.store.BeginSend(ctx, xs.conn.ID, runID)
	if err != nil {
		return sent{}, err
	}
	defer x.Rollback()
	var filter *selection.Filter
	if only != nil {
		filter, err = only(x)
		xs.delta = true
	} else {
		filter, err = selectRoster(ctx, x, sel, rep)
	}
	if err != nil {
		return sent{}, err
	}
	opts := oneroster.WriteOptions{Version: xs.version, Delta: xs.delta, SystemName: "Rosterdesk", SystemCode: xs.conn.Name}
	if xs.version == "1.1" {
		if opts.Roles11, err = roles11(ctx, x, filter); err != nil {
			return sent{}, err
		}
	}
	scope, err := rosterScope(xs.tasks, x)
	if err != nil {
		return sent{}, err
	}
	c := &comparer{x: x, filter: filter, scope: scope, delta: xs.delta, partial: only != nil, roles11: opts.Roles11, now: timestamp(), counts: newCounts(), existing: map[roster.Entity]int{}, log: &outcomes{spill: e.store.CreateSpill}}
	// The log (a bulk export that no longer sends half a state's roster logs millions of deletions)
	// spills beside the workspace as an import's does; it goes with the result, which the caller closes.
	kept := false
	defer func() {
		if !kept {
			c.log.close()
		}
	}()
	var file *os.File
	if !planOnly { // a plan compares only: no file to write
		if err := os.MkdirAll(e.staging, 0o700); err != nil {
			return sent{}, err
		}
		if file, err = scratch.CreateTemp(e.staging, "export-*.zip"); err != nil {
			return sent{}, err
		}
		defer os.Remove(file.Name())
		defer file.Close()
		if c.w, err = oneroster.NewWriter(file, opts); err != nil {
			return sent{}, err
		}
	}
	for i, ent := range roster.Entities {
		rep.Report(events.Progress{Stage: "exporting " + string(ent), Done: int64(i), Total: int64(len(roster.Entities)), Unit: "files"})
		if err := c.entity(ctx, ent); err != nil {
			return sent{}, err
		}
	}
	if c.w != nil {
		if err := c.w.Close(); err != nil {
			return sent{}, err
		}
	}
	res := sent{pass: pass{counts: countsOut(c.counts), log: c.log}}
	if hold {
		res.hold = holdReason(c.counts, c.existing, sel, "target")
	}
	if planOnly || res.hold != "" {
		kept = true
		return res, nil
	}
	if err := file.Close(); err != nil {
		return sent{}, err
	}
	if err := x.EndRead(); err != nil { // nobody waits on this export while the file is delivered
		return sent{}, err
	}
	if xs.delta && c.changes == 0 {
		res.message = "Nothing changed since the last export; no file was written."
	} else {
		name := fmt.Sprintf("oneroster-%s-%s-%s-run%d.zip", xs.version, mode(xs.delta), time.Now().Format("20060102-150405"), runID)
		where, err := xs.target.Deliver(ctx, file.Name(), name, rep)
		if err != nil {
			return sent{}, err
		}
		res.message = words.Sprintf("Sent %d records to %s: %s", c.written, where, summary(res.counts))
	}
	if err := x.Commit(c.log.all()); err != nil {
		// The target has the file but the baseline is as before: the next delta sends these changes again.
		return sent{}, fmt.Errorf("the file was delivered but Rosterdesk could not record it (the next export sends the same changes again): %w", err)
	}
	kept = true
	if c.log.err != nil {
		return res, fmt.Errorf("the file was delivered and recorded, but not every record of its log: %w", c.log.err)
	}
	return res, nil
}

func mode(delta bool) string {
	if delta {
		return "delta"
	}
	return "bulk"
}

// selectRoster learns the shape of the roster's live records and returns what sel lets through:
// with a selection that takes everything, every record whose references are sent too.
func selectRoster(ctx context.Context, x *store.Send, sel selection.Selection, rep events.Reporter) (*selection.Filter, error) {
	g, err := rosterGraph(ctx, x, rep)
	if err != nil {
		return nil, err
	}
	var f *selection.Filter
	if sel.Full() {
		f = g.Complete()
	} else {
		f = g.Closure(sel)
	}
	f.Shed()
	return f, nil
}

// rosterGraph learns the shape of the roster's live records, given room for them first: grown as
// they came, the enrollments of a state were copied whole at each step, both copies held at once.
func rosterGraph(ctx context.Context, x *store.Send, rep events.Reporter) (*selection.Graph, error) {
	g := selection.NewGraph()
	sizes, err := x.Sizes()
	if err != nil {
		return nil, err
	}
	g.Reserve(sizes)
	return g, addRoster(ctx, g, x.EachPartial, nil, rep)
}

// roles11 gathers, for a 1.1 file, each user's orgs and role from the roles that go through.
func roles11(ctx context.Context, x *store.Send, filter *selection.Filter) (func(string) ([]string, string), error) {
	type userRoles struct {
		orgs    []string
		role    string
		primary bool
	}
	byUser := map[string]*userRoles{}
	err := x.Each(ctx, roster.Roles, func(rec roster.Record) error {
		if rec.Status() == roster.StatusToBeDeleted || !filter.Keep(rec) {
			return nil
		}
		u := byUser[rec.Get("userSourcedId")]
		if u == nil {
			u = &userRoles{}
			byUser[rec.Get("userSourcedId")] = u
		}
		u.orgs = append(u.orgs, rec.Get("orgSourcedId"))
		if primary := rec.Get("roleType") == "primary"; u.role == "" || (primary && !u.primary) {
			u.role, u.primary = rec.Get("role"), primary
		}
		return nil
	})
	return func(id string) ([]string, string) {
		if u := byUser[id]; u != nil {
			return u.orgs, u.role
		}
		return nil, ""
	}, err
}

// comparer walks the roster entity by entity against what the target was last sent.
type comparer struct {
	x        *store.Send
	w        *oneroster.Writer // nil for a plan
	filter   *selection.Filter
	scope    scope
	delta    bool
	partial  bool                            // a run of just some records: others are neither counted nor deleted
	roles11  func(string) ([]string, string) // set for a 1.1 file, whose user rows carry their orgs and role
	now      string
	counts   map[roster.Entity]*store.EntityCounts
	existing map[roster.Entity]int
	log      *outcomes
	changes  int      // records created, updated or deleted
	written  int      // rows in the file
	meta     []string // the extension columns of the entity being written
	begun    bool     // its file is started
}

func (c *comparer) entity(ctx context.Context, ent roster.Entity) error {
	if !c.scope.tasks.has(ent) {
		return nil // no file: the target keeps what it has
	}
	counts := c.counts[ent]
	before, err := c.scope.sentInOrder(c.x, ent, func(id string) error {
		if c.partial {
			return nil // a run of just some records deletes nothing
		}
		counts.Deleted++
		c.changes++
		return c.x.Gone(ent, id)
	})
	if err != nil {
		return err
	}
	defer before.close()
	c.begun = false
	if c.w != nil {
		if c.meta, err = c.x.MetadataNames(ent); err != nil {
			return err
		}
		if !c.delta { // every file of a bulk export, even an empty one: the target then has none left
			if err := c.begin(ent); err != nil {
				return err
			}
		}
	}
	err = c.x.Each(ctx, ent, func(rec roster.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if rec.Status() == roster.StatusToBeDeleted {
			return nil // sent before? then the walk of before passes it and it is deleted
		}
		id := rec.SourcedID()
		if !c.scope.keepsRoster(ent, id) {
			return nil
		}
		prev, known, err := before.find(id)
		if err != nil {
			return err
		}
		if !c.filter.Keep(rec) {
			if !known && !c.partial {
				counts.Skipped++ // one sent before is counted as deleted
			}
			return nil
		}
		before.take()
		c.filter.Trim(rec)
		h := c.hash(rec)
		switch {
		case !known:
			counts.Created++
		case prev != h:
			counts.Updated++
			if err := c.logUpdate(rec); err != nil {
				return err
			}
		default:
			counts.Unchanged++
			if c.delta {
				return nil
			}
			return c.writeActive(rec)
		}
		c.changes++
		if err := c.x.Put(rec, h); err != nil {
			return err
		}
		return c.writeActive(rec)
	})
	if err == nil {
		err = before.finish()
	}
	c.existing[ent] = before.n
	if err != nil || counts.Deleted == 0 {
		return err
	}
	// The rows of the records gone follow the roster's, as the walk found them.
	rows := c.w != nil && c.delta
	return c.x.EachGone(ent, rows, func(rec roster.Record) error {
		c.log.add(store.RunRecord{Entity: string(ent), SourcedID: rec.SourcedID(), Action: ActionDelete, Status: "ok", Reason: outcome.NoLongerSent})
		if rows {
			rec.Values[1], rec.Values[2] = string(roster.StatusToBeDeleted), c.now
			return c.write(rec)
		}
		return nil
	})
}

// hash is a record's content hash as the target sees it: in 1.1 a user's row also carries the orgs
// and role of its roles, so a changed role changes the user.
func (c *comparer) hash(rec roster.Record) int64 {
	if c.roles11 == nil || rec.Entity != roster.Users {
		return contentHash(rec)
	}
	orgs, role := c.roles11(rec.SourcedID())
	with := roster.Record{Entity: rec.Entity, Values: append(slices.Clone(rec.Values), strings.Join(orgs, ","), role), Metadata: rec.Metadata}
	return contentHash(with)
}

// begin starts an entity's file once, with a column for every extension any of its records has.
func (c *comparer) begin(ent roster.Entity) error {
	if c.begun {
		return nil
	}
	c.begun = true
	return c.w.Begin(ent, c.meta)
}

// write adds a row to the file (none for a plan).
func (c *comparer) write(rec roster.Record) error {
	if c.w == nil {
		return nil
	}
	if err := c.begin(rec.Entity); err != nil {
		return err
	}
	c.written++
	return c.w.Write(rec)
}

// writeActive writes a record the target should have.
func (c *comparer) writeActive(rec roster.Record) error {
	if c.delta {
		rec.Values[1] = string(roster.StatusActive)
	}
	return c.write(rec)
}

// logUpdate records the fields of a record that changed since the target was sent it.
func (c *comparer) logUpdate(rec roster.Record) error {
	vals, err := c.x.Prior(rec.Entity, rec.SourcedID())
	if err != nil {
		return err
	}
	before := roster.Record{Entity: rec.Entity, Values: vals}
	if c.log.updated(before, rec) == 0 { // a 1.1 user whose roles changed
		c.log.add(store.RunRecord{Entity: string(rec.Entity), SourcedID: rec.SourcedID(), Action: ActionUpdate, Status: "ok",
			Field: "orgSourcedIds, role", Reason: outcome.OrgsOrRoleChanged})
	}
	return nil
}

// sentWalk goes through what the target was last sent of an entity beside the roster, both in
// sourcedId order, holding one record of it at a time: a record sent before that the roster does not
// send again by the time the walk passes it is gone.
type sentWalk struct {
	rows  *store.SentRows
	ent   roster.Entity
	scope scope
	gone  func(id string) error
	on    bool   // rows is at a record
	taken bool   // ... which the roster sends again
	last  string // the roster's sourcedId asked for last
	n     int    // the records sent before within the run's scope
}

// sentInOrder starts the walk of what the target was sent of ent within the scope: what an export
// may delete there. gone is called with each record the roster no longer sends.
func (s scope) sentInOrder(x *store.Send, ent roster.Entity, gone func(id string) error) (*sentWalk, error) {
	rows, err := x.SentInOrder(ent)
	if err != nil {
		return nil, err
	}
	w := &sentWalk{rows: rows, ent: ent, scope: s, gone: gone}
	w.next()
	return w, nil
}

// next moves to the next record sent within the scope.
func (w *sentWalk) next() {
	w.taken = false
	for w.on = w.rows.Next(); w.on; w.on = w.rows.Next() {
		if !w.scope.tasks.byRole(w.ent) || w.scope.keepsRoster(w.ent, w.rows.ID) {
			w.n++
			return
		}
	}
}

// find moves the walk to the roster's record id, which must come after the one asked for before,
// and returns the content hash the target was sent of it, if it was.
func (w *sentWalk) find(id string) (int64, bool, error) {
	if w.last != "" && id <= w.last {
		return 0, false, fmt.Errorf("the roster's %s came out of order (%q after %q): the export cannot compare them with what the target has", w.ent, id, w.last)
	}
	w.last = id
	for w.on && w.rows.ID < id {
		if err := w.pass(); err != nil {
			return 0, false, err
		}
	}
	if w.on && w.rows.ID == id {
		return w.rows.Hash, true, nil
	}
	return 0, false, nil
}

// take says the roster sends the record find found again.
func (w *sentWalk) take() { w.taken = w.on && w.rows.ID == w.last }

// pass leaves the record the walk is at, gone unless taken.
func (w *sentWalk) pass() error {
	if !w.taken {
		if err := w.gone(w.rows.ID); err != nil {
			return err
		}
	}
	w.next()
	return nil
}

// finish passes the records after the roster's last: all gone.
func (w *sentWalk) finish() error {
	for w.on {
		if err := w.pass(); err != nil {
			return err
		}
	}
	return w.rows.Err()
}

func (w *sentWalk) close() { w.rows.Close() }
