package engine

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// SendRecords sends a target just these records of an entity (orgs, classes or users, by roster or
// source id) with the records they depend on (the roster browser's Send to…): see Resync.
func (e *Engine) SendRecords(ctx context.Context, connectionID int64, ent roster.Entity, ids []string, rep events.Reporter) (store.Run, error) {
	res, err := e.Resync(ctx, connectionID, ent, ids, true, rep)
	return res.Run, err
}

// Resynced is a re-sync by IDs: its run and the ids that matched no live record of the roster.
type Resynced struct {
	Run      store.Run `json:"run"`
	NotFound []string  `json:"notFound"`
}

// Resync sends a target just these records of an entity (orgs, classes, users or enrollments, by
// roster or source id), with the records they depend on when withDependencies (SPEC §2; an
// enrollment goes with its class, user and school), whatever the target's selection: new and
// changed ones go, nothing is deleted. A file target gets a delta file. Ids the roster has no live
// record of change nothing and are listed in the run and in NotFound. The run's mode is "ids".
// From a source it re-pulls them instead (repull).
func (e *Engine) Resync(ctx context.Context, connectionID int64, ent roster.Entity, ids []string, withDependencies bool, rep events.Reporter) (Resynced, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Resyncs, rights.Write); err != nil {
		return Resynced{}, err
	}
	if !slices.Contains(resyncEntities, ent) {
		return Resynced{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("Re-sync by IDs takes orgs (schools and others), classes, users or enrollments, not %q.", ent))
	}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return strings.TrimSpace(id) == "" })
	if len(ids) == 0 {
		return Resynced{}, apperr.New(apperr.CodeInvalid, "Choose the records to send first: paste or type their IDs.")
	}
	if conn, err := e.store.Connection(ctx, connectionID); err == nil && repulls(conn) {
		return e.repull(ctx, conn, ent, ids, withDependencies, rep)
	}
	xs, err := e.exportSettings(ctx, connectionID, RunOptions{})
	if err != nil {
		return Resynced{}, err
	}
	if !e.writer.TryLock() {
		return Resynced{}, busy()
	}
	defer e.writer.Unlock()
	run, err := e.store.StartRun(ctx, store.Run{ConnectionID: xs.conn.ID, ConnectionName: xs.conn.Name, Direction: "export", Mode: "ids", Operator: e.operator})
	if err != nil {
		return Resynced{Run: run}, err
	}
	start := time.Now()
	var missing []string
	only := func(x *store.Send) (*selection.Filter, error) {
		g, err := rosterGraph(ctx, x, rep)
		if err != nil {
			return nil, err
		}
		chosen := e.rosterIDs(ctx, ent, ids)
		delivered := func(e roster.Entity, id string) bool { _, _, err := x.Delivered(e, id); return err == nil }
		if ent != roster.Enrollments {
			f, notFound := g.Records(ent, chosen, !withDependencies)
			f.KeepDelivered(delivered)
			missing = notFound
			return f, nil
		}
		var found []roster.Record
		for _, id := range chosen {
			rec, err := x.Find(ent, id)
			switch {
			case errors.Is(err, store.ErrNotFound) || err == nil && rec.Status() == roster.StatusToBeDeleted:
				missing = append(missing, id)
			case err != nil:
				return nil, err
			default:
				found = append(found, rec)
			}
		}
		f := g.Enrollments(found, !withDependencies)
		f.KeepDelivered(delivered)
		return f, nil
	}
	var res sent
	if xs.records != nil {
		res, err = e.push(ctx, xs, run.ID, selection.Selection{}, pushRun{only: only}, rep)
	} else {
		res, err = e.send(ctx, xs, run.ID, selection.Selection{}, only, false, false, rep)
	}
	defer res.log.close()
	if err == nil && len(missing) > 0 {
		res.message += words.Sprintf(" %d of the chosen IDs were passed over, not being live records of the roster (unknown, or being deleted): %s.",
			len(missing), listSome(missing))
		records := make([]store.RunRecord, len(missing))
		for i, id := range missing {
			records[i] = store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionSkip, Status: "skipped", Reason: outcome.NotLive}
		}
		err = e.store.AddRunRecords(ctx, run.ID, slices.Values(records))
		c := res.counts[string(ent)]
		c.Skipped += len(missing)
		res.counts[string(ent)] = c
	}
	run.Counts = res.counts
	err = e.conclude(ctx, &run, res.pass, res.message, err, unsent(res), start)
	if missing == nil {
		missing = []string{}
	}
	return Resynced{Run: run, NotFound: missing}, err
}

// ParseIDs reads ids pasted or typed for re-sync by IDs: one per line or comma-separated (or
// separated by tabs, as a spreadsheet column pastes), blanks and repeats left out.
func ParseIDs(text string) []string {
	out, seen := []string{}, map[string]bool{}
	for _, id := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == '\t' || r == ';' }) {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// resyncEntities are the objects re-sync by IDs takes.
var resyncEntities = []roster.Entity{roster.Users, roster.Enrollments, roster.Classes, roster.Orgs}

// rosterIDs turns ids of any source into roster ids; one the roster does not know stays as it is
// (and is then reported missing).
func (e *Engine) rosterIDs(ctx context.Context, ent roster.Entity, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if rid, err := e.store.RosterID(ctx, ent, id); err == nil {
			id = rid
		}
		out = append(out, id)
	}
	return out
}

// listSome lists the first few of many ids.
func listSome(ids []string) string {
	const shown = 10
	if len(ids) <= shown {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:shown], ", ") + words.Sprintf(" and %d more", len(ids)-shown)
}

// Preview is what a mapping makes of one record: each target field's value (or why it failed) and
// the exact request the target would get for it.
type Preview struct {
	RecordID string          `json:"recordId"`
	Values   []mapping.Value `json:"values"`
	Failed   bool            `json:"failed"`
	Error    string          `json:"error"`
	// Action is create (the target does not have it), update, unchanged (it has it as it is),
	// excluded (the mapping's condition leaves it out) or import (a source's mapping).
	Action   string            `json:"action"`
	Method   string            `json:"method"`
	URL      string            `json:"url"`
	Payload  string            `json:"payload"` // indented JSON; empty for a failed record
	Problems []mapping.Problem `json:"problems"`
}

// PreviewMapping applies m (saved or not) to one record of the roster, asked for by its roster id
// or any source's id of it: for a target, with the exact request it would make; for a source's
// import mapping, with what the roster would take from a record like it. A mapping with problems
// previews nothing and lists them.
func (e *Engine) PreviewMapping(ctx context.Context, connectionID int64, m mapping.Mapping, id string) (Preview, error) {
	imp, err := e.importing(ctx, connectionID)
	if err != nil {
		return Preview{}, err
	}
	m.Import = imp
	if problems := mapping.Check(m); len(problems) > 0 {
		return Preview{Problems: problems, Values: []mapping.Value{}}, nil
	}
	var xs exportSettings
	if !imp {
		if xs, err = e.exportSettings(ctx, connectionID, RunOptions{}); err != nil {
			return Preview{}, err
		}
	}
	prog, err := mapping.Compile(m)
	if err != nil {
		return Preview{}, refused(m, mapping.Check(m))
	}
	ent := roster.Entity(m.Entity)
	rid, err := e.store.RosterID(ctx, ent, strings.TrimSpace(id))
	if err != nil {
		return Preview{}, notFound(err, string(ent)+" record with the ID "+id)
	}
	x, err := e.store.BeginSend(ctx, connectionID, 0)
	if err != nil {
		return Preview{}, err
	}
	defer x.Rollback()
	rec, err := x.Find(ent, rid)
	if err != nil {
		return Preview{}, notFound(err, string(ent)+" record with the ID "+id)
	}
	if rec.Status() == roster.StatusToBeDeleted {
		return Preview{}, beingDeleted(ent, rid)
	}
	var src mapping.Source
	if imp {
		// The roster holds the record as the mapping made it: preview on the record as the source
		// sent it in the last fetch, when it is there.
		src.Record, err = e.asFetched(ctx, connectionID, rec, id)
	} else {
		src, err = oneRelatives(x, compiled{entity: ent, reads: relativesRead(m)}).source(rec)
	}
	if err != nil {
		return Preview{}, err
	}
	res := prog.Apply(src)
	p := Preview{RecordID: rid, Values: res.Values, Failed: res.Failed, Error: res.Error(), Problems: []mapping.Problem{}}
	if p.Values == nil {
		p.Values = []mapping.Value{}
	}
	if res.Excluded {
		p.Action = "excluded"
		p.Error = "This record does not meet the mapping's condition (" + m.Only + "): it is not sent."
	}
	if res.Failed || res.Excluded {
		return p, nil
	}
	object := res.Payload(false)
	if imp { // what the roster would take from a record like this one
		p.Action, p.Payload = "import", indent(object)
		return p, nil
	}
	push := connector.Push{Entity: string(ent), Action: connector.PushCreate, Key: res.Key, Body: object, ID: rid}
	p.Action = connector.PushCreate
	key, was, err := x.Delivered(ent, rid)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return p, err
	default:
		push.Action, push.Key, push.Body = connector.PushUpdate, key, res.Payload(true)
		p.Action = "unchanged"
		if objectHash([]byte(was)) != objectHash(object) {
			p.Action = connector.PushUpdate
		}
	}
	p.Method, p.URL = xs.records.Address(push)
	p.Payload = indent(push.Body)
	return p, nil
}

// errFound stops a walk of a package once the record looked for is found.
var errFound = errors.New("found")

// asFetched is a roster record as the source sent it in its last fetch (asked for as id, or by its
// roster id), or the roster's record when the fetch is gone or does not hold it.
func (e *Engine) asFetched(ctx context.Context, connectionID int64, rec roster.Record, id string) (roster.Record, error) {
	snap, err := e.store.Snapshot(ctx, connectionID)
	if err != nil || snap.Path == "" {
		return rec, nil
	}
	pkg, err := oneroster.Open(snap.Path)
	if err != nil {
		return rec, nil
	}
	defer pkg.Close()
	found := rec
	want := entityIndex(rec.Entity)
	_, err = pkg.Read(ctx, func(r roster.Record) error {
		switch {
		case r.Entity == rec.Entity && (r.SourcedID() == id || r.SourcedID() == rec.SourcedID()):
			found = r
			return errFound
		case entityIndex(r.Entity) > want:
			return errFound // past the entity's file
		}
		return nil
	}, nil)
	if err != nil && !errors.Is(err, errFound) {
		return rec, err
	}
	return found, nil
}

func beingDeleted(ent roster.Entity, id string) error {
	return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s %s is being deleted in the roster (its sources no longer send it), so it is not sent; pick another record.", ent, id))
}

func indent(object []byte) string {
	var b bytes.Buffer
	if json.Indent(&b, object, "", "  ") != nil {
		return string(object)
	}
	return b.String()
}

// TestSend is the outcome of Send test record: the request and the target's answer.
type TestSend struct {
	Run     int64  `json:"run"`
	Method  string `json:"method"`
	URL     string `json:"url"`
	Payload string `json:"payload"`
	Status  int    `json:"status"`
	Body    string `json:"body"`
	Error   string `json:"error"`
}

// SendTestRecord sends one record of an entity to an API target with its saved mapping (a create,
// or an update when the target has it already) and returns the target's answer. Delivered, the
// record joins the target's baseline: the next export does not create it again. The run is
// recorded with the mode "ids", its message naming the test record.
func (e *Engine) SendTestRecord(ctx context.Context, connectionID int64, ent roster.Entity, id string, rep events.Reporter) (TestSend, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Exports, rights.Write); err != nil {
		return TestSend{}, err
	}
	xs, err := e.exportSettings(ctx, connectionID, RunOptions{})
	if err != nil {
		return TestSend{}, err
	}
	if xs.records == nil {
		return TestSend{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s takes OneRoster files: Send test record is for API targets.", xs.conn.Name))
	}
	rid, err := e.store.RosterID(ctx, ent, strings.TrimSpace(id))
	if err != nil {
		return TestSend{}, notFound(err, string(ent)+" record with the ID "+id)
	}
	if view, err := e.store.RecordView(ctx, ent, rid); err == nil && view.Status == string(roster.StatusToBeDeleted) {
		return TestSend{}, beingDeleted(ent, rid)
	}
	if !e.writer.TryLock() {
		return TestSend{}, busy()
	}
	defer e.writer.Unlock()
	run, err := e.store.StartRun(ctx, store.Run{ConnectionID: xs.conn.ID, ConnectionName: xs.conn.Name, Direction: "export", Mode: "ids", Operator: e.operator})
	if err != nil {
		return TestSend{}, err
	}
	start := time.Now()
	only := func(x *store.Send) (*selection.Filter, error) {
		g, err := rosterGraph(ctx, x, rep)
		if err != nil {
			return nil, err
		}
		f, _ := g.Records(ent, []string{rid}, false)
		return f, nil
	}
	p, res, err := e.pushed(ctx, xs, run.ID, selection.Selection{}, pushRun{only: only, alone: map[string]bool{rid: true}, entity: ent, force: true}, rep)
	out := TestSend{Run: run.ID}
	if err == nil && p.done == 0 {
		failed := slices.Collect(res.log.all())
		err = apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s %s was not sent: %s", ent, rid, firstMessage(failed, "it does not meet the mapping's condition, or the target has no address for "+string(ent)+" records")))
	}
	if p != nil && p.done > 0 {
		out.Method, out.URL = xs.records.Address(p.lastPush)
		out.Payload, out.Status, out.Body = indent(p.lastPush.Body), p.last.Status, p.last.Body
		if p.last.Err != nil {
			out.Error = p.last.Err.Error()
			res.message = "The test record was refused: " + out.Error
		} else {
			res.message = fmt.Sprintf("Sent the test record %s %s: the target answered %d.", ent, rid, p.last.Status)
		}
	}
	run.Counts = res.counts
	err = e.conclude(ctx, &run, res.pass, res.message, err, unsent(res), start)
	return out, err
}

func firstMessage(records []store.RunRecord, otherwise string) string {
	for _, r := range records {
		if r.Status == "failed" {
			return r.Message
		}
	}
	return otherwise
}
