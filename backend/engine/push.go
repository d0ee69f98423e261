package engine

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"os"
	"slices"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// An export to a target that takes records one at a time (an API) maps each record and compares
// the mapped object with what the target was last delivered: a new record is created, a changed one
// updated (its fields whose overwrite is off and whose value is blank left out, so they never erase
// what the target holds), one delivered before and now gone or no longer selected deleted. The
// comparison runs in one read transaction and spools what to send to a file of the staging folder;
// then the records go out, each entity's creates and updates in dependency order and the deletions
// in reverse, and every answer is recorded as it comes (a few hundred at a time): only delivered
// records join the target's baseline, so an unchanged re-export sends nothing, a record the API
// refused is tried again next time, and a push cut short never creates a record twice.

// pushRun says what one push sends.
type pushRun struct {
	planOnly, hold bool
	// only, when set, limits the run to the records its filter keeps (a run of just some records,
	// or the test record): nothing is deleted and other records are passed over silently.
	only func(*store.Send) (*selection.Filter, error)
	// alone, when set, sends only these records of entity, not what they depend on (the test
	// record); force sends them even when the target has them as they are.
	alone  map[string]bool
	entity roster.Entity
	force  bool
}

// outgoing is one record to send, as spooled between comparing and sending.
type outgoing struct {
	ID      string          `json:"i"`
	Action  string          `json:"a"`
	Key     string          `json:"k"`
	Body    json.RawMessage `json:"b,omitempty"` // what is sent
	Object  json.RawMessage `json:"o,omitempty"` // the whole mapped object, which the baseline keeps
	Hash    int64           `json:"h"`
	Changes []fieldChange   `json:"c,omitempty"` // an update's changed fields, for the run's log
}

type fieldChange struct {
	Field  string `json:"f"`
	Before string `json:"b"`
	After  string `json:"a"`
}

// record is the run record of the change to a record's field.
func (ch fieldChange) record(entity, id string) store.RunRecord {
	return store.RunRecord{Entity: entity, SourcedID: id, Action: ActionUpdate, Status: "ok", Field: ch.Field, Reason: outcome.Changed, Before: ch.Before, After: ch.After}
}

// pushPass is one push: the comparison's results and, once sending, the answers not yet recorded.
type pushPass struct {
	e        *Engine
	x        *store.Send
	xs       exportSettings
	runID    int64
	pr       pushRun
	filter   *selection.Filter
	scope    scope
	counts   map[roster.Entity]*store.EntityCounts
	existing map[roster.Entity]int
	log      *outcomes // the plan's rows, and the failures of mapping
	spools   map[roster.Entity]*os.File
	deletes  map[roster.Entity][]outgoing
	total    int64 // records to send
	// answered and records are what the target answered since the last write to the workspace.
	answered []store.Delivery
	records  []store.RunRecord
	done     int64 // answers so far
	sent     int   // records delivered
	// last keeps the last answer, for the test record.
	last     connector.Pushed
	lastPush connector.Push
}

// recordEvery is how many answers are recorded in one write: often enough that a push cut short
// loses little, seldom enough that recording costs little.
const recordEvery = 500

func (e *Engine) push(ctx context.Context, xs exportSettings, runID int64, sel selection.Selection, pr pushRun, rep events.Reporter) (sent, error) {
	_, res, err := e.pushed(ctx, xs, runID, sel, pr, rep)
	return res, err
}

// pushed is push, also returning the pass (nil when it did not begin), whose last answer the test
// record shows.
func (e *Engine) pushed(ctx context.Context, xs exportSettings, runID int64, sel selection.Selection, pr pushRun, rep events.Reporter) (*pushPass, sent, error) {
	x, err := e.store.BeginSend(ctx, xs.conn.ID, runID)
	if err != nil {
		return nil, sent{}, err
	}
	defer x.Rollback()
	p := &pushPass{e: e, x: x, xs: xs, runID: runID, pr: pr, counts: newCounts(), existing: map[roster.Entity]int{},
		log: &outcomes{}, spools: map[roster.Entity]*os.File{}, deletes: map[roster.Entity][]outgoing{}}
	defer p.removeSpools()
	if pr.only != nil {
		p.filter, err = pr.only(x)
	} else {
		p.filter, err = selectRoster(ctx, x, sel, rep)
	}
	if err == nil {
		p.scope, err = rosterScope(xs.tasks, x)
	}
	if err != nil {
		return p, sent{}, err
	}
	ents := p.entities()
	for i, ent := range ents {
		rep.Report(events.Progress{Stage: "mapping " + string(ent), Done: int64(i), Total: int64(len(ents)), Unit: "files"})
		if err := p.compare(ctx, ent); err != nil {
			return p, sent{}, err
		}
	}
	res := sent{pass: pass{counts: countsOut(p.counts), log: p.log}}
	if pr.hold {
		res.hold = holdReason(p.counts, p.existing, sel, "target")
	}
	if pr.planOnly || res.hold != "" {
		return p, res, nil
	}
	if err := x.EndRead(); err != nil {
		return p, sent{}, err
	}
	for _, c := range p.counts { // from here on they count what the target took
		c.Created, c.Updated, c.Deleted = 0, 0, 0
	}
	err = p.send(ctx, rep)
	if ferr := p.flush(ctx); err == nil {
		err = ferr
	}
	res.counts = countsOut(p.counts)
	res.message = words.Sprintf("Sent %d records to %s: %s", p.sent, xs.conn.Name, summary(res.counts))
	if p.total == 0 {
		res.message = "Nothing changed since the last export; nothing was sent."
	}
	return p, res, err
}

// entities lists the entities the target has an address for, in dependency order.
func (p *pushPass) entities() []roster.Entity {
	have := p.xs.records.Endpoints()
	var out []roster.Entity
	for _, ent := range roster.Entities {
		if slices.Contains(have, string(ent)) && (p.pr.alone == nil || ent == p.pr.entity) && p.scope.tasks.has(ent) {
			out = append(out, ent)
		}
	}
	return out
}

// compare maps every record of an entity and spools what the target lacks.
func (p *pushPass) compare(ctx context.Context, ent roster.Entity) error {
	c, err := p.e.compile(ctx, p.xs.conn.ID, p.xs.integration, ent)
	if err != nil {
		return err
	}
	rel, err := openRelatives(ctx, p.x, c)
	if err != nil {
		return err
	}
	defer rel.close()
	before, err := p.scope.sent(p.x, ent)
	if err != nil {
		return err
	}
	p.existing[ent] = len(before)
	counts := p.counts[ent]
	err = p.x.Each(ctx, ent, func(rec roster.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		id := rec.SourcedID()
		if rec.Status() == roster.StatusToBeDeleted || (p.pr.alone != nil && !p.pr.alone[id]) || !p.scope.keepsRoster(ent, id) {
			return nil // sent before? then it is left in before and deleted below
		}
		if !p.filter.Keep(rec) {
			if _, sentBefore := before[id]; !sentBefore && p.pr.only == nil {
				counts.Skipped++ // one sent before is counted as deleted below
			}
			return nil
		}
		p.filter.Trim(rec)
		src, err := rel.source(rec)
		if err != nil {
			return err
		}
		prev, known := before[id]
		res := c.prog.Apply(src)
		if res.Excluded { // not for this target: as if not selected
			if !known && p.pr.only == nil {
				counts.Skipped++
			}
			return nil
		}
		delete(before, id)
		if !res.Failed && res.Key == "" {
			res.Failed = true
			res.Values = append(res.Values, mapping.Value{To: c.key, Error: fmt.Sprintf("the key field %s is blank, so the target could not find this record again", c.key)})
		}
		if res.Failed {
			counts.Failed++
			failed := store.RunRecord{Entity: string(ent), SourcedID: id, Action: actionFor(known), Status: "failed", Reason: outcome.MappingFailed, Message: res.Error()}
			p.log.add(failed)
			p.records = append(p.records, failed)
			return nil
		}
		object := res.Payload(false)
		out := outgoing{ID: id, Key: res.Key, Object: object, Hash: objectHash(object)}
		switch {
		case !known:
			out.Action, out.Body = connector.PushCreate, object
		case prev != out.Hash || p.pr.force:
			out.Action, out.Body = connector.PushUpdate, res.Payload(true)
			key, was, err := p.x.Delivered(ent, id)
			if err != nil {
				return err
			}
			out.Key, out.Changes = key, objectChanges([]byte(was), object)
			for _, ch := range out.Changes {
				p.log.add(ch.record(string(ent), id))
			}
		default:
			counts.Unchanged++
			return nil
		}
		return p.spool(ent, out)
	})
	if err != nil || p.pr.only != nil {
		return err
	}
	for id := range before {
		key, _, err := p.x.Delivered(ent, id)
		if err != nil {
			return err
		}
		p.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionDelete, Status: "ok", Reason: outcome.NoLongerSent})
		p.deletes[ent] = append(p.deletes[ent], outgoing{ID: id, Action: connector.PushDelete, Key: key})
		p.total++
	}
	counts.Deleted += len(p.deletes[ent])
	return nil
}

func actionFor(known bool) string {
	if known {
		return ActionUpdate
	}
	return ActionCreate
}

// spool counts one record to send and, unless planning, keeps it.
func (p *pushPass) spool(ent roster.Entity, out outgoing) error {
	p.total++
	if out.Action == connector.PushCreate {
		p.counts[ent].Created++
	} else {
		p.counts[ent].Updated++
	}
	if p.pr.planOnly {
		return nil
	}
	f := p.spools[ent]
	if f == nil {
		if err := os.MkdirAll(p.e.staging, 0o700); err != nil {
			return err
		}
		var err error
		if f, err = scratch.CreateTemp(p.e.staging, "push-*.jsonl"); err != nil {
			return err
		}
		p.spools[ent] = f
	}
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return err
}

func (p *pushPass) removeSpools() {
	for _, f := range p.spools {
		f.Close()
		os.Remove(f.Name())
	}
}

// send pushes each entity's creates and updates in dependency order, then the deletions in reverse.
func (p *pushPass) send(ctx context.Context, rep events.Reporter) error {
	ents := p.entities()
	for _, ent := range ents {
		if f := p.spools[ent]; f != nil {
			var unread error
			if err := p.sendAll(ctx, ent, spooled(f, &unread), rep); err != nil {
				return err
			}
			if unread != nil {
				return fmt.Errorf("the list of %s to send could not be read back from the staging folder: %w", ent, unread)
			}
		}
	}
	for _, ent := range slices.Backward(ents) {
		if err := p.sendAll(ctx, ent, slices.Values(p.deletes[ent]), rep); err != nil {
			return err
		}
	}
	return nil
}

// spooled reads back the records spooled to f. One it cannot read back (a failing disk) ends the
// sequence with *unread set: the run fails, and the records not sent wait for the next export.
func spooled(f *os.File, unread *error) iter.Seq[outgoing] {
	return func(yield func(outgoing) bool) {
		if _, *unread = f.Seek(0, io.SeekStart); *unread != nil {
			return
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var out outgoing
			if *unread = json.Unmarshal(sc.Bytes(), &out); *unread != nil || !yield(out) {
				return
			}
		}
		*unread = sc.Err()
	}
}

func (p *pushPass) sendAll(ctx context.Context, ent roster.Entity, items iter.Seq[outgoing], rep events.Reporter) error {
	inflight := map[string]outgoing{}
	pushes := func(yield func(connector.Push) bool) {
		for out := range items {
			inflight[out.ID] = out
			if !yield(connector.Push{Entity: string(ent), Action: out.Action, Key: out.Key, Body: out.Body, ID: out.ID}) {
				return
			}
		}
	}
	return p.xs.records.Push(ctx, pushes, func(push connector.Push, ans connector.Pushed) error {
		out := inflight[push.ID]
		delete(inflight, push.ID)
		p.answer(ent, out, ans)
		p.lastPush, p.last = push, ans
		p.done++
		rep.Report(events.Progress{Stage: "sending " + string(ent), Done: p.done, Total: p.total, Unit: "records"})
		if len(p.answered)+len(p.records) >= recordEvery {
			return p.flush(ctx)
		}
		return nil
	}, rep)
}

// answer takes the target's answer for one record into the counts, the baseline and the log.
func (p *pushPass) answer(ent roster.Entity, out outgoing, ans connector.Pushed) {
	counts := p.counts[ent]
	rec := store.RunRecord{Entity: string(ent), SourcedID: out.ID, Action: out.Action, Status: "ok"}
	d := store.Delivery{Entity: string(ent), SourcedID: out.ID, Hash: out.Hash, Object: string(out.Object), Key: out.Key}
	switch {
	case ans.Err == nil || (out.Action == connector.PushDelete && ans.Status == 404):
		p.sent++
		switch out.Action {
		case connector.PushCreate:
			counts.Created++
		case connector.PushUpdate:
			counts.Updated++
			for _, ch := range out.Changes {
				p.records = append(p.records, ch.record(rec.Entity, out.ID))
			}
		case connector.PushDelete:
			counts.Deleted++
			d.Gone = true
			rec.Reason = outcome.NoLongerSent
			p.records = append(p.records, rec)
		}
		p.answered = append(p.answered, d)
	case out.Action == connector.PushUpdate && ans.Status == 404:
		// The target no longer has it: forget it, so the next export creates it again.
		counts.Failed++
		d.Gone = true
		p.answered = append(p.answered, d)
		rec.Status, rec.Reason, rec.Message = "failed", outcome.TargetLost, ans.Err.Error()
		p.records = append(p.records, rec)
	default:
		counts.Failed++
		rec.Status, rec.Reason, rec.Message = "failed", outcome.TargetRefused, ans.Err.Error()
		p.records = append(p.records, rec)
	}
}

// flush records the answers since the last flush.
func (p *pushPass) flush(ctx context.Context) error {
	if len(p.answered)+len(p.records) == 0 {
		return nil
	}
	err := p.e.store.Delivered(ctx, p.xs.conn.ID, p.runID, p.answered, p.records)
	p.answered, p.records = p.answered[:0], p.records[:0]
	return err
}

// objectHash is the content hash of a mapped object as the target receives it.
func objectHash(object []byte) int64 {
	h := fnv.New64a()
	h.Write(object)
	return int64(h.Sum64())
}

// objectChanges lists the fields whose values differ between the object the target was last sent
// and the new one, in the new one's order, with fields it no longer has at the end.
func objectChanges(before, after []byte) []fieldChange {
	var out []fieldChange
	objectFields(before, after, func(field, was, now string) {
		out = append(out, fieldChange{Field: field, Before: was, After: now})
	})
	return out
}

// objectFields calls fn with each field whose value differs between two JSON objects: the after
// object's fields in their order, then those only the before object has, by name.
func objectFields(before, after []byte, fn func(field, was, now string)) {
	var was, now map[string]any
	if json.Unmarshal(before, &was) != nil {
		was = map[string]any{}
	}
	order, err := objectKeys(after)
	if err != nil || json.Unmarshal(after, &now) != nil {
		return
	}
	for _, k := range order {
		if b, a := valueText(was[k]), valueText(now[k]); b != a {
			fn(k, b, a)
		}
	}
	gone := []string{}
	for k := range was {
		if _, ok := now[k]; !ok {
			gone = append(gone, k)
		}
	}
	slices.Sort(gone)
	for _, k := range gone {
		fn(k, valueText(was[k]), "")
	}
}

// objectKeys lists a JSON object's keys in their order.
func objectKeys(object []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(object))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, ok := t.(string)
		if !ok {
			return nil, errors.New("not an object")
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// valueText is a JSON value as the history shows it: text as it is, anything else as JSON.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	b, _ := json.Marshal(v)
	return string(b)
}
