package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// idFilter is what a re-pull takes of a fetch: the chosen records of one entity the fetch has and
// the selection lets through, and, with their dependencies, the records they depend on that the
// selection lets through. Nothing else is read into the roster, and nothing is deleted.
type idFilter struct {
	ent    roster.Entity
	chosen map[string]bool
	deps   *selection.Filter // nil: the chosen records alone
	within *selection.Filter
}

func (f *idFilter) keeps(rec roster.Record) bool {
	if rec.Entity == f.ent && f.chosen[rec.SourcedID()] {
		return true
	}
	// A dependency (of the chosen entity too: a school's parent org) comes only to be created or
	// updated: one the source marks tobedeleted would be a deletion nobody chose.
	return f.deps != nil && rec.Status() != roster.StatusToBeDeleted && f.deps.Keep(rec) && f.within.Keep(rec)
}

// repulled is a re-pull's outcome: the import's pass and the chosen IDs it passed over.
type repulled struct {
	applied
	notFound, outside []string
	unread            []string                     // chosen IDs in rows of the fetch that failed to read
	findings          map[string]oneroster.Finding // the reader's finding on each of those rows
}

// repull is Resync from a source: a fresh fetch of it (as Fetch, replacing the staged one), then an
// import of just the chosen records of ent (with what they depend on when withDependencies)
// through the source's own import integration: its selection and mapping. Records are created or
// updated, a deletion the source sends for a chosen record applies, and nothing else is deleted:
// no safety hold, no bulk file's missing records. Chosen IDs the fetch lacks change nothing and
// are listed as not found; those the selection leaves out are skipped, as a later import would
// delete them again. A chosen ID in a row that failed to read is a failed record of the run with the
// reader's finding (file, line, column). The run is an import of mode "ids".
func (e *Engine) repull(ctx context.Context, conn store.Connection, ent roster.Entity, ids []string, withDependencies bool, rep events.Reporter) (Resynced, error) {
	ids = ParseIDs(strings.Join(ids, "\n")) // trimmed, each once
	// The workspace first, for the whole re-pull: a busy one refuses (or waits, on the command line)
	// before the fetch, not after it, and records no run.
	if !e.writer.TryLock() {
		return Resynced{}, busy()
	}
	defer e.writer.Unlock()
	run, err := e.store.StartRun(ctx, store.Run{ConnectionID: conn.ID, ConnectionName: conn.Name, Direction: "import", Mode: "ids", Operator: e.operator})
	if err != nil {
		return Resynced{Run: run}, err
	}
	start := time.Now()
	res, err := e.repullRun(ctx, conn, run.ID, ent, ids, withDependencies, rep)
	var notes string // after the counts, which count these IDs too
	if err == nil {
		var failed, skipped []store.RunRecord
		if len(res.unread) > 0 {
			notes += words.Sprintf(" %d of the chosen IDs are in rows of the fresh fetch of %s that failed to read, so nothing changed for them: %s. Fix those rows at the source, then re-pull them.",
				len(res.unread), conn.Name, listSome(res.unread))
			for _, id := range res.unread {
				f := res.findings[id]
				failed = append(failed, store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionRead, Status: "failed", Field: f.Column,
					Message: (&oneroster.Error{File: f.File, Line: f.Line, Column: f.Column, Message: f.Message}).Error(), Reason: outcome.ReadFailed})
			}
			c := res.counts[string(ent)]
			c.Failed += len(failed)
			res.counts[string(ent)] = c
		}
		if len(res.notFound) > 0 {
			notes += words.Sprintf(" %d of the chosen IDs are not in the fresh fetch of %s, so nothing changed for them: %s.", len(res.notFound), conn.Name, listSome(res.notFound))
			for _, id := range res.notFound {
				skipped = append(skipped, store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionSkip, Status: "skipped", Reason: outcome.NotFound})
			}
		}
		if len(res.outside) > 0 {
			notes += words.Sprintf(" %d were left out, being outside the selection of %s (the next import would delete them again): %s.", len(res.outside), conn.Name, listSome(res.outside))
			for _, id := range res.outside {
				skipped = append(skipped, store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionSkip, Status: "skipped", Reason: outcome.OutsideSelection})
			}
		}
		if len(skipped) > 0 {
			c := res.counts[string(ent)]
			c.Skipped += len(skipped)
			res.counts[string(ent)] = c
		}
		if passed := append(failed, skipped...); len(passed) > 0 {
			err = e.store.AddRunRecords(ctx, run.ID, slices.Values(passed))
		}
	}
	run.Counts = res.counts
	err = e.conclude(ctx, &run, res.pass, summary(res.counts)+notes, err, "nothing was changed.", start)
	notFound := res.notFound
	if notFound == nil {
		notFound = []string{}
	}
	return Resynced{Run: run, NotFound: notFound}, err
}

func (e *Engine) repullRun(ctx context.Context, conn store.Connection, runID int64, ent roster.Entity, ids []string, withDependencies bool, rep events.Reporter) (repulled, error) {
	if _, err := e.fetch(ctx, conn.ID, false, true, rep); err != nil {
		return repulled{}, err
	}
	sel, err := e.runSelection(ctx, conn.ID, 0, store.DirectionImport)
	if err != nil {
		return repulled{}, err
	}
	snap, err := e.store.Snapshot(ctx, conn.ID)
	if err != nil {
		return repulled{}, err
	}
	// The fetch's shape (its records' links) is read only when needed: for the dependencies or a
	// selection; its read saves the records, which the two reads after it then take.
	g, role := selection.NewGraph(), func(string) string { return "" }
	if withDependencies || !sel.Full() {
		shape, err := e.Shape(ctx, conn.ID, rep)
		if err != nil {
			return repulled{}, err
		}
		g, role = shape.Graph, shape.Graph.Role
	}
	found, unread, err := e.fetchedRecords(ctx, snap, ent, ids)
	if err != nil {
		return repulled{}, err
	}
	out := repulled{findings: unread}
	filter := &idFilter{ent: ent, chosen: map[string]bool{}, within: g.Closure(sel)}
	var live []roster.Record
	for _, id := range ids {
		rec, ok := found[id]
		switch {
		case !ok && unread[id].File != "":
			out.unread = append(out.unread, id)
		case !ok:
			out.notFound = append(out.notFound, id)
		case rec.Status() == roster.StatusToBeDeleted: // the source's own deletion applies wherever the record is
			filter.chosen[id] = true
		case !filter.within.Keep(rec):
			out.outside = append(out.outside, id)
		default:
			filter.chosen[id] = true
			live = append(live, rec)
		}
	}
	if withDependencies {
		if ent == roster.Enrollments {
			filter.deps = g.Enrollments(live, false)
		} else {
			filter.deps, _ = g.Records(ent, sourcedIDs(live), false)
		}
	}
	if len(filter.chosen) == 0 {
		out.counts = map[string]store.EntityCounts{}
		return out, nil
	}
	work, err := parseTasks(nil)
	if err != nil {
		return out, err
	}
	everything := selection.NewGraph().Closure(selection.Everything()) // the id filter applied the selection
	sc := scope{tasks: work, sourceRole: role, ids: filter}
	out.applied, err = e.apply(ctx, conn.ID, runID, snap.Path, &snap, fetchChecks(snap), everything, sc, sel, false, false, rep)
	return out, err
}

// fetchedRecords are the records of ent with these ids in the snapshot, by id, and the ids in rows
// that failed to read, with the reader's finding on each row (its file and line alone when the
// reader held the finding back, having reported many like it).
func (e *Engine) fetchedRecords(ctx context.Context, snap store.Snapshot, ent roster.Entity, ids []string) (map[string]roster.Record, map[string]oneroster.Finding, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	pkg, err := oneroster.Open(snap.Path)
	if err != nil {
		return nil, nil, err
	}
	defer pkg.Close()
	found, unread := map[string]roster.Record{}, map[string]oneroster.Finding{}
	past := entityIndex(ent)
	report, err := e.visitSnapshot(ctx, pkg, &snap, oneroster.Visitor{NoReferences: true, NoDuplicates: true,
		Record: func(r roster.Record) error {
			switch {
			case r.Entity == ent:
				if want[r.SourcedID()] {
					found[r.SourcedID()] = r
				}
			case entityIndex(r.Entity) > past && !(ent == roster.Users && r.Entity == roster.Roles): // 1.1 roles come with their users
				return errFound
			}
			return nil
		},
		Unread: func(u oneroster.Unread) error {
			if u.Entity == ent && want[u.SourcedID] {
				unread[u.SourcedID] = oneroster.Finding{File: u.File, Line: u.Line}
			}
			return nil
		}})
	if err != nil && !errors.Is(err, errFound) {
		return nil, nil, err
	}
	if len(unread) > 0 {
		for _, f := range report.Errors() {
			for id, u := range unread {
				if u.Message == "" && u.File == f.File && u.Line == f.Line {
					unread[id] = f
				}
			}
		}
		// The report keeps a limited number of findings of a kind; a row past them still needs words.
		for id, u := range unread {
			if u.Message == "" {
				u.Message = "the row could not be read, like others the fetch's validation report lists"
				unread[id] = u
			}
		}
	}
	return found, unread, nil
}

func sourcedIDs(recs []roster.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.SourcedID()
	}
	return out
}

// repulls says whether Resync of this connection re-pulls from it: a source does; a connection
// that is both is sent to, as a target.
func repulls(conn store.Connection) bool { return conn.Role == connector.RoleSource }
