package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Actions recorded per record.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionSkip   = "skip"
	ActionRead   = "read"
)

// Import applies the connection's last snapshot to the roster in one transaction: bulk files are the
// complete reference (records missing from them become tobedeleted), delta rows apply their status,
// and records whose content did not change are not rewritten. Only what the connection's selection
// lets through is taken; in a bulk file the rest counts as missing. A connection never fetched is
// staged and applied in one pass, its report kept as the snapshot's. A run that would delete or
// change more than the selection's hold thresholds stops as held, changing nothing, unless
// opts.OverrideHold. A failed or cancelled import changes nothing and is recorded as such.
func (e *Engine) Import(ctx context.Context, connectionID int64, opts RunOptions, rep events.Reporter) (store.Run, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Imports, rights.Write); err != nil {
		return store.Run{}, err
	}
	run, _, err := e.runImport(ctx, connectionID, opts, false, rep)
	return run, err
}

// PlanImport computes what Import would do now with opts, by doing it and rolling it back: nothing
// changes and no run is recorded.
func (e *Engine) PlanImport(ctx context.Context, connectionID int64, opts RunOptions, rep events.Reporter) (Plan, error) {
	_, plan, err := e.runImport(ctx, connectionID, opts, true, rep)
	return plan, err
}

func (e *Engine) runImport(ctx context.Context, connectionID int64, opts RunOptions, planOnly bool, rep events.Reporter) (store.Run, Plan, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return store.Run{}, Plan{}, notFound(err, "connection")
	}
	work, err := parseTasks(opts.Entities)
	if err != nil {
		return store.Run{}, Plan{}, err
	}
	if !e.writer.TryLock() {
		return store.Run{}, Plan{}, busy()
	}
	defer e.writer.Unlock()
	// A plan too: at 1,000,000 students one left to the collector's default peaked at 438 MB.
	defer limitMemory()()
	sel, err := e.runSelection(ctx, conn.ID, opts.IntegrationID, store.DirectionImport)
	if err != nil {
		return store.Run{}, Plan{}, err
	}
	scope := scope{tasks: work, integration: opts.IntegrationID}
	if work.anyByRole() {
		if scope.rosterRoles, err = e.store.UserRoles(ctx); err != nil {
			return store.Run{}, Plan{}, err
		}
	}
	var fresh *staged // set when this import stages the source itself
	path, fetchedAt := "", ""
	var checks oneroster.Visitor
	var applying *store.Snapshot // the snapshot applied, unless this import staged the package
	snap, err := e.store.Snapshot(ctx, connectionID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		st, err := e.stage(ctx, connectionID, connector.Pull{}, rep)
		if err != nil {
			return store.Run{}, Plan{}, err
		}
		fresh, path = &st, st.path
	case err != nil:
		return store.Run{}, Plan{}, err
	default:
		path, fetchedAt, checks, applying = snap.Path, snap.FetchedAt, fetchChecks(snap), &snap
	}

	run := store.Run{ConnectionID: conn.ID, ConnectionName: conn.Name, Direction: "import", Mode: runMode(sel), Operator: e.operator, IntegrationID: opts.IntegrationID, Trigger: opts.Trigger}
	if !planOnly {
		if run, err = e.store.StartRun(ctx, run); err != nil {
			if fresh != nil {
				fresh.discard()
			}
			return run, Plan{}, err
		}
	}
	start := time.Now()
	filter, role, err := e.selectIn(ctx, conn.ID, path, fresh != nil, sel, work.anyByRole(), rep)
	var res applied
	if err == nil {
		scope.sourceRole = role
		res, err = e.apply(ctx, conn.ID, run.ID, path, applying, checks, filter, scope, sel, planOnly || !opts.OverrideHold, planOnly, rep)
	}
	defer res.log.close()
	if fresh != nil {
		if err == nil {
			var kept FetchResult
			kept, err = e.keep(ctx, *fresh, res.report)
			fetchedAt = kept.FetchedAt
		} else {
			fresh.discard()
		}
	}
	if planOnly {
		if err != nil {
			return run, Plan{}, err
		}
		plan := res.plan(run)
		return run, plan, res.log.err
	}
	if err == nil && res.hold == "" {
		// The roster is committed by now; an older mark only makes the next changes-only fetch ask for more.
		if merr := e.store.MarkApplied(ctx, conn.ID, fetchedAt); merr != nil {
			e.log.Warn("cannot record what the import applied", "connection", conn.Name, "error", merr)
		}
	}
	err = e.conclude(ctx, &run, res.pass, summary(res.counts), err, "nothing was changed.", start)
	if err == nil && run.Status == store.RunSucceeded && peopleChanged(res.counts) {
		e.scanAfter(ctx, &run, rep)
	}
	return run, Plan{}, err
}

// fetchChecks are the checks an import of a fetched snapshot can skip, the fetch having read the
// same file: dangling references (they only warn, and the fetch reported them) and, when no row of
// it failed, repeated sourcedIds.
func fetchChecks(snap store.Snapshot) oneroster.Visitor {
	var report struct {
		Failed map[roster.Entity]int `json:"failed"`
	}
	checks := oneroster.Visitor{NoReferences: true}
	if json.Unmarshal(snap.Report, &report) == nil && report.Failed != nil {
		checks.NoDuplicates = true
		for _, n := range report.Failed {
			checks.NoDuplicates = checks.NoDuplicates && n == 0
		}
	}
	return checks
}

// runMemory is the soft limit of the process's Go memory while an import runs. At
// 100,000 students a run holds some 150 MB it needs; left to its default, the collector let the heap
// grow to twice what it held before collecting, and the window peaked at 500 MB (make bench). With
// the limit it collects earlier, spending more time on it only when a run needs more than this.
const runMemory = 200 << 20

// memoryLimit counts the runs under runMemory: the limit is the process's, and imports of two
// connections can overlap and end in either order.
var memoryLimit struct {
	sync.Mutex
	runs   int
	before int64
}

// limitMemory sets runMemory until the returned func is called (by every run that called it),
// unless GOMEMLIMIT sets a limit.
func limitMemory() (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	memoryLimit.Lock()
	defer memoryLimit.Unlock()
	if memoryLimit.runs == 0 {
		memoryLimit.before = debug.SetMemoryLimit(runMemory)
	}
	memoryLimit.runs++
	return sync.OnceFunc(func() {
		memoryLimit.Lock()
		defer memoryLimit.Unlock()
		if memoryLimit.runs--; memoryLimit.runs == 0 {
			debug.SetMemoryLimit(memoryLimit.before)
		}
	})
}

// scanAfter ends an import that changed people with a duplicates scan, unless the workspace turned
// that off, so unattended domains merge during a sync; the run's message says what it found. The
// import stands whatever the scan meets.
func (e *Engine) scanAfter(ctx context.Context, run *store.Run, rep events.Reporter) {
	on, err := e.ScanAfterImport(ctx)
	if err != nil || !on {
		return
	}
	scan, err := e.scan(ctx, rep)
	switch {
	case ctx.Err() != nil:
		run.Message += " The duplicates scan was cancelled; run it again from Duplicates."
	case err != nil:
		run.Message += " The duplicates scan failed: " + apperr.From(err).Message
	default:
		run.Message += " Duplicates: " + scan.Summary()
	}
	if err := e.store.FinishRun(run); err != nil {
		e.log.Warn("cannot record the duplicates scan of an import", "run", run.ID, "error", err)
	}
}

// peopleChanged says whether an import changed users or their demographics.
func peopleChanged(counts map[string]store.EntityCounts) bool {
	for _, ent := range []roster.Entity{roster.Users, roster.Demographics} {
		if c := counts[string(ent)]; c.Created+c.Updated+c.Deleted > 0 {
			return true
		}
	}
	return false
}

// applied is the outcome of one pass of an import, with what reading the package found.
type applied struct {
	pass
	report *oneroster.Report
}

// scope is what of a package an import takes by its entity tasks, with the roles that tell kinds of
// users apart (read only when some kinds are left out): the source's for its records, the roster's
// for records the source no longer has.
type scope struct {
	tasks       tasks
	integration int64 // the integration whose mapping applies (0: the connection's own)
	sourceRole  func(user string) string
	rosterRoles store.UserRoles
	// ids, when set, are the only records taken (a re-pull by IDs): the rest is passed over, and
	// nothing is deleted for being missing or out of the selection.
	ids *idFilter
}

// apply streams a staged package into one transaction and returns the counts per entity, what
// reading it found and each record's outcome. It commits unless rollback is set, or hold is set and
// the safety hold applies. Records outside the scope are neither written nor deleted. checks are
// the checks reading can skip (fetchChecks); snap is the snapshot at path (nil: staged by this
// import), whose records are read as an earlier read saved them when it can (visitSnapshot).
func (e *Engine) apply(ctx context.Context, connectionID, runID int64, path string, snap *store.Snapshot, checks oneroster.Visitor, filter *selection.Filter, scope scope, sel selection.Selection, hold, rollback bool, rep events.Reporter) (applied, error) {
	tx, err := e.store.BeginApply(ctx, connectionID, runID)
	if err != nil {
		return applied{}, err
	}
	defer tx.Rollback()
	a := newApplier(tx, filter, sel)
	a.scope = scope
	a.log.spill = e.store.CreateSpill
	kept := false // the log goes with the result, to be listed or kept for review
	defer func() {
		if !kept {
			a.log.close()
		}
	}()
	tx.OnReconciled(a.reconciled)
	mappings, err := e.importMappings(ctx, connectionID, scope.integration)
	if err != nil {
		return applied{}, err
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		return applied{}, err
	}
	defer pkg.Close()
	a.modes = map[roster.Entity]oneroster.Mode{}
	for _, ent := range roster.Entities {
		a.modes[ent] = pkg.Mode(ent)
	}
	if pkg.Version() != "1.2" { // roles come from users.csv, and are complete when it is
		a.modes[roster.Roles] = pkg.Mode(roster.Users)
	}
	var ahead []roster.Entity // the origins the import asks for, in order
	for _, ent := range roster.Entities {
		if a.modes[ent] != oneroster.ModeAbsent && scope.tasks.has(ent) {
			ahead = append(ahead, ent)
		}
	}
	if err := tx.Prefetch(ahead, rollback); err != nil {
		return applied{}, err
	}
	// Reading (parse, check, hash) and writing run side by side on two cores: the reader hands records
	// over a buffered channel, handOver at a time (one at a time, each hand-over woke the other
	// goroutine), and stops as soon as the writer fails. The writer may hold records back to write
	// them SortRows at a time; a channel as long lets the reader go on meanwhile.
	total := pkg.Size()
	stage := "applying"
	if rollback { // a plan: the same work, undone at the end
		stage = "planning"
	}
	records := make(chan []hashed, store.SortRows/handOver)
	var report *oneroster.Report
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(records)
		batch := make([]hashed, 0, handOver)
		send := func() error {
			select {
			case records <- batch:
				batch = make([]hashed, 0, handOver)
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		var err error
		report, err = e.visitSnapshot(gctx, pkg, snap, oneroster.Visitor{NoReferences: checks.NoReferences, NoDuplicates: checks.NoDuplicates,
			Record: func(rec roster.Record) error {
				if scope.ids != nil && !scope.ids.keeps(rec) {
					return nil
				}
				// Mapped and hashed here: the writer is the busier side.
				if batch = append(batch, mapIn(mappings[rec.Entity], rec)); len(batch) < handOver {
					return nil
				}
				return send()
			},
			// A failed row goes in order with the records, so that it counts in its own entity.
			Unread: func(u oneroster.Unread) error {
				if scope.ids != nil { // the fetch reported it; a chosen record it holds is not found
					return nil
				}
				if batch = append(batch, hashed{unread: &u}); len(batch) < handOver {
					return nil
				}
				return send()
			},
			Progress: func(done int64) {
				rep.Report(events.Progress{Stage: stage, Done: done, Total: total, Unit: "bytes"})
			}})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		return err
	})
	g.Go(func() error {
		for batch := range records {
			for _, h := range batch {
				var err error
				switch {
				case h.unread != nil:
					err = a.unreadRow(*h.unread)
				case h.failed != "":
					err = a.unmapped(h.rec, h.failed)
				default:
					err = a.record(h.rec, h.hash, h.kept)
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return applied{}, err
	}
	for _, ent := range roster.Entities {
		if err := a.finish(ent); err != nil {
			return applied{}, err
		}
		if scope.tasks.has(ent) && scope.ids == nil {
			a.counts[ent].Failed += report.Failed[ent]
		}
	}
	if err := tx.Flush(); err != nil { // records several sources supply are worked out by now
		return applied{}, err
	}
	for _, f := range report.Errors() {
		if ent := entityOfFile(f.File); scope.ids != nil || ent != "" && !scope.tasks.has(ent) {
			continue
		}
		a.log.add(store.RunRecord{Entity: string(entityOfFile(f.File)), SourcedID: fmt.Sprintf("%s line %d", f.File, f.Line), Action: ActionRead,
			Status: "failed", Field: f.Column, Message: f.Message, Reason: outcome.ReadFailed})
	}
	res := applied{pass: a.pass(), report: report}
	if hold {
		res.hold = holdReason(a.heldCounts(), a.existing, sel, "roster")
	}
	if rollback || res.hold != "" {
		kept = true
		return res, nil
	}
	return res, a.commit()
}

// selectIn returns what sel lets through of the package at path and, when need is set (tasks by
// kind of user), the source's role of each user. A selection that takes everything needs no
// reading; the connection's snapshot has its shape, usually cached since the wizard showed it; a
// package this import staged itself (fresh) is read once to learn its shape. Unless need holds the
// shape for its roles, the filter keeps only what it lets through, and a shape of more than
// forgetShapeUsers users goes from the cache too (a state's is some 200 MB, which the run would hold
// beside its origins); the wizard reads it again from the copy saved beside the snapshot.
func (e *Engine) selectIn(ctx context.Context, connectionID int64, path string, fresh bool, sel selection.Selection, need bool, rep events.Reporter) (*selection.Filter, func(user string) string, error) {
	g := selection.NewGraph()
	switch {
	case sel.Full() && !need:
	case fresh:
		if err := e.addSnapshot(ctx, g, path, nil, rep); err != nil {
			return nil, nil, err
		}
	default:
		shape, err := e.Shape(ctx, connectionID, rep)
		if err != nil {
			return nil, nil, err
		}
		if g = shape.Graph; !need && g.Users() > forgetShapeUsers {
			e.shapes.forget(connectionID)
		}
	}
	if need {
		return g.Closure(sel), g.Role, nil
	}
	return g.Closure(sel).Compact(), nil, nil
}

// forgetShapeUsers: a selective import lets the cached shape of a larger source go. A smaller one
// (under some 40 MB) stays for the wizard, which would otherwise read it again after every import:
// at 100,000 students (135,000 users) that is 0.3 s of processor time against 0.03 s cached, on top
// of the 0.3 s the wizard takes to open (its target is 0.5 s).
var forgetShapeUsers = 200_000

// applier holds the state of one import while records stream through it.
type applier struct {
	tx       *store.Apply
	now      string
	filter   *selection.Filter
	scope    scope
	log      *outcomes
	modes    map[roster.Entity]oneroster.Mode
	counts   map[roster.Entity]*store.EntityCounts
	origins  map[roster.Entity]store.Origins // records previously imported from this connection and not yet seen
	existing map[roster.Entity]int           // records it supplies (imported and not deleted, or joined), for the safety hold
	pending  map[roster.Entity]bool          // entities whose origins are loaded and not yet finished
	last     int                             // index in roster.Entities of the last record's entity
	// ids are the roster ids of an entity, loaded when the roster holds records of it that this
	// connection did not bring in: a record new to this connection may meet one of them.
	ids map[roster.Entity]*store.Identities
	// renamed maps this connection's ids to roster ids where they differ, per entity, for references.
	renamed map[roster.Entity]map[string]string
	// quiet counts, per entity, the records this connection now supplies too without a value of
	// them changing: updated (a new origin), but no change for the safety hold.
	quiet map[roster.Entity]int
	// keepRecords: a source is being removed and the records no other source supplies stay as they
	// are; kept counts them.
	keepRecords bool
	kept        int
	// nameless are the failed rows of an entity whose sourcedId could not be read either: any record
	// missing from a bulk file may be one of them, so none is deleted.
	nameless map[roster.Entity]*namelessRows
	// deletedUsers says the selection lets users of status Deleted through.
	deletedUsers bool
	// redirects are the users kept as redundant secondaries of merges → their primaries (loaded on use).
	redirects map[string]string
	// mergedInto are the secondaries a merge of duplicates deletes → their primaries, for the log.
	mergedInto map[string]string
}

// namelessRows are failed rows without a sourcedId in one file.
type namelessRows struct {
	file  string
	lines oneroster.LineList
}

// handOver is how many records the reader of an import hands the writer at a time.
const handOver = 256

// hashed is a record with its content hash, or a row that failed to read, as the reader hands them
// to the writer.
type hashed struct {
	rec    roster.Record
	hash   int64
	unread *oneroster.Unread
	// kept are the fields the source's mapping left blank with overwrite off: the roster keeps its
	// values of those; failed says why the mapping could not map the record.
	kept   []string
	failed string
}

// enter returns the not-yet-seen origins of the entity of the next record or failed row. Entities
// earlier in the order are complete once a later one starts (the reader emits 1.1 roles interleaved
// with their users, so users stay open until after roles).
func (a *applier) enter(ent roster.Entity) (store.Origins, error) {
	if idx := entityIndex(ent); idx != a.last {
		for i := 0; i < idx; i++ {
			if roster.Entities[i] == roster.Users && ent == roster.Roles {
				continue
			}
			if err := a.finish(roster.Entities[i]); err != nil {
				return store.Origins{}, err
			}
		}
		a.last = idx
	}
	return a.load(ent)
}

// unreadRow takes a row that failed to read (the reader counts it failed) as seen: its record keeps
// what the roster holds, and a bulk file does not delete it as missing.
func (a *applier) unreadRow(u oneroster.Unread) error {
	if !a.scope.tasks.has(u.Entity) {
		return nil
	}
	origins, err := a.enter(u.Entity)
	if err != nil {
		return err
	}
	if u.SourcedID != "" {
		origins.Forget(u.SourcedID)
		return nil
	}
	rows := a.nameless[u.Entity]
	if rows == nil {
		rows = &namelessRows{file: u.File}
		a.nameless[u.Entity] = rows
	}
	rows.lines.Add(u.Line)
	return nil
}

// mapIn applies a source's import mapping (nil: none) to a record as it is read, before its hash,
// so that a mapping change shows in the next plan.
func mapIn(prog *mapping.Program, rec roster.Record) hashed {
	if prog == nil {
		return hashed{rec: rec, hash: contentHash(rec)}
	}
	res := prog.Apply(mapping.Source{Record: rec})
	if res.Failed {
		return hashed{rec: rec, failed: res.Error()}
	}
	out, kept := res.Into(rec)
	return hashed{rec: out, hash: contentHash(out), kept: kept}
}

// unmapped is a record the source's mapping failed on: like a row that failed to read, it changes
// nothing and is never taken for a missing record.
func (a *applier) unmapped(rec roster.Record, why string) error {
	if !a.scope.keeps(rec) {
		return a.untasked(rec)
	}
	origins, err := a.enter(rec.Entity)
	if err != nil {
		return err
	}
	origins.Forget(rec.SourcedID())
	a.counts[rec.Entity].Failed++
	a.log.add(store.RunRecord{Entity: string(rec.Entity), SourcedID: rec.SourcedID(), Action: ActionRead, Status: "failed",
		Message: why, Reason: outcome.MappingFailed})
	return nil
}

// record applies one record read from the source. kept are fields the source's mapping left blank
// with overwrite off: a record the roster has keeps its values of those.
func (a *applier) record(rec roster.Record, h int64, kept []string) error {
	if !a.scope.keeps(rec) {
		return a.untasked(rec)
	}
	ent := rec.Entity
	origins, err := a.enter(ent)
	if err != nil {
		return err
	}
	c := a.counts[ent]
	id := rec.SourcedID()
	previous, known := origins.Get(id)
	if !a.filter.Keep(rec) && !a.userLeaving(rec, known && previous.Hash != 0) {
		return a.deselected(ent, id)
	}
	origins.Forget(id)

	if rec.Status() == roster.StatusToBeDeleted {
		if known && previous.Hash == 0 {
			c.Unchanged++ // deleted already
			return nil
		}
		if !known {
			c.Unchanged++
			a.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionSkip, Status: "skipped", Reason: outcome.NeverSent})
			return nil
		}
		return a.gone(ent, id, previous, a.dateOf(rec), outcome.DeletedAtSource)
	}
	if known && previous.Hash == h && a.scope.ids == nil { // a re-pull looks at the roster's record itself
		c.Unchanged++
		return nil
	}
	rec.Values[1] = string(roster.StatusActive)
	rec.Values[2] = a.dateOf(rec)
	if known && len(kept) > 0 {
		if err := a.keep(rec, previous.RecordID(id), kept); err != nil {
			return err
		}
	}
	if err := a.translate(rec); err != nil {
		return err
	}
	if known {
		rec.Values[0] = previous.RecordID(id)
		if previous.Shared {
			return a.tx.Reconcile(store.Change{Entity: ent, Record: rec.Values[0], SourceID: id, Hash: h, Values: reconcile.Of(rec), When: rec.Values[2]})
		}
		before, err := a.tx.Current(ent, rec.Values[0])
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if a.log.updated(before, rec) == 0 && a.scope.ids != nil && err == nil && before.Status() == roster.StatusActive {
			c.Unchanged++
			return nil
		}
		c.Updated++
		return a.tx.Upsert(rec, renamedFrom(id, rec.Values[0]), h)
	}
	record, joins, err := a.identify(ent, id)
	if err != nil {
		return err
	}
	rec.Values[0] = record
	if joins {
		a.existing[ent]++ // a record it now supplies too: a change to it counts for the hold
		if held := a.ids[ent].Taken[record]; held.Alone != 0 && held.Hash == h && record == id {
			// The same content as the record's only source sent: nothing to work out, no value changes.
			c.Updated++
			a.quiet[ent]++
			return a.tx.Join(ent, id, h, int64(held.Alone))
		}
		return a.tx.Reconcile(store.Change{Entity: ent, Record: record, SourceID: id, Hash: h, Values: reconcile.Of(rec), Joined: true, When: rec.Values[2]})
	}
	c.Created++ // found later through origins.created_run, not a log row each
	return a.tx.Upsert(rec, renamedFrom(id, record), h)
}

// keeps says whether the run's entity tasks take rec.
func (s scope) keeps(rec roster.Record) bool { return s.tasks.keepsRecord(rec, s.sourceRole) }

// keepsRoster says whether they take the roster record id of ent (one the source may no longer have).
func (s scope) keepsRoster(ent roster.Entity, id string) bool {
	return s.tasks.keepsRoster(ent, id, s.rosterRoles)
}

// untasked passes over a record outside the run's entity tasks: it is seen, so not missing from a
// bulk file, and the roster's record stays as it is.
func (a *applier) untasked(rec roster.Record) error {
	if !a.scope.tasks.has(rec.Entity) {
		return nil
	}
	origins, err := a.enter(rec.Entity)
	if err == nil {
		origins.Forget(rec.SourcedID())
	}
	return err
}

// keep gives rec the roster's values of the fields kept, which a source's mapping left blank with
// overwrite off: a blank from the source never erases what the roster has.
func (a *applier) keep(rec roster.Record, record string, kept []string) error {
	current, err := a.tx.Current(rec.Entity, record)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, f := range kept {
		if name, ok := strings.CutPrefix(f, "metadata."); ok {
			for _, m := range current.Metadata {
				if m.Name == name && m.Value != "" {
					rec.Metadata = append(slices.DeleteFunc(rec.Metadata, func(v roster.MetadataValue) bool { return v.Name == name }), m)
				}
			}
		} else if v := current.Get(f); v != "" {
			rec.Set(f, v)
		}
	}
	return nil
}

// gone ends this connection's supply of a record (deleted at the source, missing from a bulk file or
// left out of the selection; why is the reason code saying which). A record it alone supplied
// becomes tobedeleted; one other sources supply is worked out again from them.
func (a *applier) gone(ent roster.Entity, id string, o store.Origin, when, why string) error {
	record := o.RecordID(id)
	if o.Shared {
		return a.tx.Reconcile(store.Change{Entity: ent, Record: record, SourceID: id, When: when, Why: why, Keep: a.keepRecords})
	}
	a.counts[ent].Deleted++
	if a.log.first == nil { // the deletion is logged once its date is read: what is logged after it waits
		a.log.first = a.tx.LogDeletions
	}
	return a.tx.MarkDeleted(ent, record, id, when, func(prior string) { a.log.add(deletion(ent, record, why, prior)) })
}

// deletion is the log of a record an import marks tobedeleted, with its dateLastModified before, which
// an undo puts back: named as the field, so reports say what the value is. After stays empty, so a
// plan does not depend on when it was made.
func deletion(ent roster.Entity, record, why, before string) store.RunRecord {
	return store.RunRecord{Entity: string(ent), SourcedID: record, Action: ActionDelete, Status: "ok", Reason: why,
		Field: "dateLastModified", Before: before}
}

// reconciled counts and logs a change to a record several sources supply once it is worked out.
func (a *applier) reconciled(r store.Reconciled) error {
	c := a.counts[r.Entity]
	switch {
	case r.SourceID == "" && r.Changed && r.Retire && r.After.Status() == roster.StatusToBeDeleted: // the secondary of a merge, or what it left
		c.Deleted++
		a.log.add(store.RunRecord{Entity: string(r.Entity), SourcedID: r.Record, Action: ActionDelete, Status: "ok", Reason: r.Why, After: a.mergedInto[r.Record]})
	case r.SourceID == "" && r.Changed: // worked out again in a new order of the sources
		c.Updated++
		a.log.updated(r.Before, r.After)
	case r.SourceID == "":
		c.Unchanged++
	case r.Kept:
		c.Unchanged++
		a.kept++
	case r.Hash == 0 && r.After.Status() == roster.StatusToBeDeleted:
		c.Deleted++
		a.log.add(deletion(r.Entity, r.Record, r.Why, r.Before.DateLastModified()))
	case r.Joined: // the run's log lists it as joined, from its origin (store.RunLog)
		c.Updated++
		if a.log.updated(r.Before, r.After) == 0 {
			a.quiet[r.Entity]++
		}
	case r.Changed: // new values, or values of another source now that this one no longer supplies it
		c.Updated++
		a.log.updated(r.Before, r.After)
	default:
		// A source of lower precedence changed what the roster does not keep of it, or one of a
		// record's sources no longer supplies it while others do, with the same values.
		c.Unchanged++
	}
	return nil
}

// load returns the not-yet-seen origins of an entity, reading them on first use, and the entity's
// roster ids when the roster holds records of it this connection did not bring in.
func (a *applier) load(ent roster.Entity) (store.Origins, error) {
	if o, ok := a.origins[ent]; ok {
		return o, nil
	}
	o, err := a.tx.Origins(ent)
	if err != nil {
		return o, err
	}
	a.origins[ent], a.pending[ent] = o, true
	byRole := a.scope.tasks.byRole(ent)
	o.Each(func(id string, x store.Origin) error {
		if x.Hash != 0 && (!byRole || a.scope.keepsRoster(ent, x.RecordID(id))) {
			a.existing[ent]++
		}
		return nil
	})
	if _, loaded := a.ids[ent]; !loaded {
		if a.ids[ent], err = a.identities(ent, o); err != nil {
			return o, err
		}
	}
	return o, nil
}

// finish closes an entity: in a bulk file, every previously imported record that was not in the file
// becomes tobedeleted. Its origins are then released.
func (a *applier) finish(ent roster.Entity) error {
	if !a.scope.tasks.has(ent) {
		return nil
	}
	if a.scope.ids != nil { // a re-pull deletes nothing missing
		a.pending[ent] = false
		return nil
	}
	if a.modes[ent] == oneroster.Mode("bulk") && !a.pending[ent] && !a.origins[ent].Loaded() {
		if _, err := a.load(ent); err != nil { // a header-only bulk file still deletes
			return err
		}
	}
	if !a.pending[ent] {
		return nil
	}
	if a.modes[ent] == oneroster.Mode("bulk") {
		byRole := a.scope.tasks.byRole(ent)
		err := a.origins[ent].Each(func(id string, o store.Origin) error {
			if o.Hash == 0 || byRole && !a.scope.keepsRoster(ent, o.RecordID(id)) {
				return nil // already tobedeleted, or of a kind of user the run leaves as it is
			}
			if rows := a.nameless[ent]; rows != nil {
				a.counts[ent].Skipped++
				a.log.add(store.RunRecord{Entity: string(ent), SourcedID: o.RecordID(id), Action: ActionSkip, Status: "skipped",
					Reason: outcome.UnreadableRows, Field: rows.file, Message: rows.lines.String()})
				return nil
			}
			return a.gone(ent, id, o, a.now, outcome.MissingFromBulk)
		})
		if err != nil {
			return err
		}
	}
	a.pending[ent] = false
	a.origins[ent] = store.NoOrigins()
	if !referenced[ent] {
		delete(a.ids, ent) // kept for the entities records refer to, so references resolve one way
	}
	return nil
}

// heldCounts are the counts the safety hold weighs: a new origin that changed no value is no change.
func (a *applier) heldCounts() map[roster.Entity]*store.EntityCounts {
	out := map[roster.Entity]*store.EntityCounts{}
	for ent, c := range a.counts {
		held := *c
		held.Updated -= a.quiet[ent]
		out[ent] = &held
	}
	return out
}

// userLeaving reports whether rec is the deletion of a user the roster holds from this source
// (held) while the selection lets Deleted users through. The selection keeps users by their
// enrollments and roles, and a user whose enrollments and roles went in earlier changes files has
// none left: without this, the source deleting them would never reach the roster.
func (a *applier) userLeaving(rec roster.Record, held bool) bool {
	return held && a.deletedUsers && rec.Entity == roster.Users && rec.Status() == roster.StatusToBeDeleted
}

// deselected handles a record the selection does not let through: in a bulk file, which is the
// complete reference, a record imported before from this source is deleted; otherwise it is skipped.
func (a *applier) deselected(ent roster.Entity, id string) error {
	previous, known := a.origins[ent].Get(id)
	if a.modes[ent] != oneroster.Mode("bulk") || !known || previous.Hash == 0 {
		a.counts[ent].Skipped++
		if known {
			a.origins[ent].Forget(id) // seen: a deleted record stays deleted, not "missing from the file"
		}
		return nil
	}
	a.origins[ent].Forget(id)
	return a.gone(ent, id, previous, a.now, outcome.LeftSelection)
}

// dateOf keeps the source's modification time when it has one, else the time of this run.
func (a *applier) dateOf(rec roster.Record) string {
	if d := rec.DateLastModified(); d != "" {
		return d
	}
	return a.now
}

// contentHash identifies a record's content apart from status and dateLastModified; never 0, which
// marks a deleted record.
func contentHash(rec roster.Record) int64 {
	h := fnv.New64a()
	for i, v := range rec.Values {
		if i == 1 || i == 2 {
			continue
		}
		h.Write([]byte(v))
		h.Write([]byte{0x1f})
	}
	for _, m := range rec.Metadata {
		h.Write([]byte(m.Name))
		h.Write([]byte{0x1e})
		h.Write([]byte(m.Value))
		h.Write([]byte{0x1f})
	}
	if s := int64(h.Sum64()); s != 0 {
		return s
	}
	return 1
}

func entityIndex(ent roster.Entity) int {
	for i, e := range roster.Entities {
		if e == ent {
			return i
		}
	}
	return -1
}

func entityOfFile(file string) roster.Entity {
	for _, e := range roster.Entities {
		if e.FileName() == file {
			return e
		}
	}
	return ""
}

func summary(counts map[string]store.EntityCounts) string {
	var created, updated, deleted, failed int
	for _, c := range counts {
		created, updated, deleted, failed = created+c.Created, updated+c.Updated, deleted+c.Deleted, failed+c.Failed
	}
	return words.Sprintf("%d created, %d updated, %d deleted, %d failed.", created, updated, deleted, failed)
}
