package engine

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Plan is what a run would do, computed by doing it in a transaction that is then rolled back, so
// the plan is exactly what applying it does. Its JSON is what `import --plan --json` prints.
type Plan struct {
	Connection string                        `json:"connection"`
	Direction  string                        `json:"direction"`
	Mode       string                        `json:"mode"` // full or selective
	Counts     map[string]store.EntityCounts `json:"counts"`
	// Records lists updates (one row per changed field, before → after), deletes, skips and failures;
	// creates are counted only. At most planRecords are listed; More says how many were left out.
	Records []store.RunRecord `json:"records"`
	More    int               `json:"more"`
	// Hold says why applying the plan would stop as held for review; empty when it would not.
	Hold string `json:"hold"`
}

// pass is what one import or export pass found, before its run is concluded.
type pass struct {
	counts map[string]store.EntityCounts
	log    *outcomes
	hold   string // why the run is held; its transaction was then rolled back
}

// plan lists the pass as the plan of run.
func (p pass) plan(run store.Run) Plan {
	return p.log.plan(Plan{Connection: run.ConnectionName, Direction: run.Direction, Mode: run.Mode, Counts: p.counts, Hold: p.hold})
}

// conclude records how a run ended after its pass: held (its plan kept for review), succeeded with
// message, cancelled or failed, where nothing ("nothing was changed.") says what stayed as it was.
// It returns err, or the error recording the run met.
func (e *Engine) conclude(ctx context.Context, run *store.Run, p pass, message string, err error, nothing string, start time.Time) error {
	switch {
	case err == nil && p.hold != "":
		run.Status, run.Message, run.Counts = store.RunHeld, p.hold, p.counts
		if err = e.store.AddRunRecords(ctx, run.ID, p.log.all()); err == nil {
			err = p.log.err
		}
	case err == nil:
		run.Status, run.Message, run.Counts = store.RunSucceeded, message, p.counts
	case ctx.Err() != nil:
		run.Status, run.Message = store.RunCancelled, "Cancelled by "+e.operator+"; "+nothing
	default:
		run.Status, run.Message = store.RunFailed, apperr.From(err).Message+" "+strings.ToUpper(nothing[:1])+nothing[1:]
	}
	if ferr := e.store.FinishRun(run); ferr != nil && err == nil {
		err = ferr
	}
	e.log.Info(run.Direction+" finished", "run", run.ID, "connection", run.ConnectionName, "operator", e.operator, "status", run.Status,
		"result", run.Message, "seconds", time.Since(start).Seconds())
	return err
}

// planRecords caps the records a plan lists: enough to review, small enough for a window.
const planRecords = 2000

// RunOptions change how Import and Export run.
type RunOptions struct {
	// OverrideHold applies a run even when it would be held: the registrar reviewed its plan.
	OverrideHold bool
	// Mode, for an export, is bulk or delta in place of the connection's setting.
	Mode string
	// Entities are the entity tasks the run is limited to (schools, sessions, courses, classes,
	// students, teachers, guardians, enrollments, demographics); nil or empty runs all of them.
	Entities []string
	// IntegrationID is the integration running (0: the connection's own buttons): its selection,
	// mapping and hold thresholds apply, and the run is recorded as one of it.
	IntegrationID int64
	// Trigger says who started the run: "schedule", or "" for the operator.
	Trigger string
}

// outcomes collects a run's per-record outcomes until the run knows whether it applies (they go
// into its transaction), holds (they are kept as the held run's plan) or was only planned. They are
// kept packed: a run held for deleting half a district logs half a million outcomes, which as
// RunRecords took 100 bytes each and held on to each record's whole line of the file through its id.
// Packed, a field the same as the outcome before's takes a byte, another its length and bytes.
type outcomes struct {
	packed []byte
	n      int
	last   store.RunRecord
	// spill, when set, creates the file (file, its first size bytes) the packed outcomes go to once
	// spillBytes of them are held: an import held for deleting half of a state's roster logs
	// 4,400,000 deletions, a hundred MB or more packed. Should the file fail to take them, they stay.
	spill func() (*os.File, error)
	file  *os.File
	size  int64
	err   error // reading them back failed: the run fails with it
	// first, when set, is called before an outcome is added: an import's deletions queued in its
	// transaction are logged once their dates are read, and what comes after them waits for them.
	first func() error
}

// spillBytes is how many bytes of packed outcomes a run that spills them holds.
const spillBytes = 4 << 20

// recordFields are the parts of a run record, in the order they are packed.
func recordFields(r *store.RunRecord) [9]*string {
	return [9]*string{&r.Entity, &r.SourcedID, &r.Action, &r.Status, &r.Field, &r.Message, &r.Reason, &r.Before, &r.After}
}

func (o *outcomes) add(r store.RunRecord) {
	if o.first != nil {
		o.first() // an error stays with the transaction, and fails the run at its next step
	}
	last := recordFields(&o.last)
	for i, f := range recordFields(&r) {
		if *f == *last[i] {
			o.packed = append(o.packed, 0)
			continue
		}
		o.packed = binary.AppendUvarint(o.packed, uint64(len(*f))+1)
		o.packed = append(o.packed, *f...)
		*last[i] = strings.Clone(*f) // not the line of the file it may be part of
	}
	o.n++
	if o.spill != nil && len(o.packed) >= spillBytes {
		o.spillHeld()
	}
}

// spillHeld writes the packed outcomes held to the file, after those written before.
func (o *outcomes) spillHeld() {
	var err error
	if o.file == nil {
		o.file, err = o.spill()
	}
	if err == nil {
		_, err = o.file.WriteAt(o.packed, o.size)
	}
	if err != nil {
		o.spill = nil // they stay in memory from now on
		return
	}
	o.size += int64(len(o.packed))
	o.packed = o.packed[:0]
}

// close removes the file of spilled outcomes; they are not read again.
func (o *outcomes) close() {
	if o != nil && o.file != nil {
		o.file.Close()
		os.Remove(o.file.Name())
		o.file = nil
	}
}

// all yields the outcomes in the order they came. Should reading spilled ones back fail, it stops
// and err says why.
func (o *outcomes) all() iter.Seq[store.RunRecord] {
	return func(yield func(store.RunRecord) bool) {
		var r store.RunRecord
		in := io.Reader(bytes.NewReader(o.packed))
		if o.file != nil {
			in = io.MultiReader(io.NewSectionReader(o.file, 0, o.size), in)
		}
		packed := bufio.NewReaderSize(in, 64<<10)
		var buf []byte
		for range o.n {
			for _, f := range recordFields(&r) {
				n, err := binary.ReadUvarint(packed)
				if err == nil && n > 0 {
					buf = slices.Grow(buf[:0], int(n-1))[:n-1]
					_, err = io.ReadFull(packed, buf)
					*f = string(buf)
				}
				if err != nil {
					o.err = fmt.Errorf("reading the outcomes of the run back: %w", err)
					return
				}
			}
			if !yield(r) {
				return
			}
		}
	}
}

// updated records one row per field that differs between before and after, extension columns as
// one "metadata" row, and returns how many rows it recorded.
func (o *outcomes) updated(before, after roster.Record) int {
	schema := roster.Schema(after.Entity)
	n := 0
	for i, col := range schema.Columns {
		if i == 1 || i == 2 || i >= len(before.Values) || before.Values[i] == after.Values[i] {
			continue // status and dateLastModified are bookkeeping, not content
		}
		o.add(store.RunRecord{Entity: string(after.Entity), SourcedID: after.SourcedID(), Action: ActionUpdate, Status: "ok",
			Field: col.Name, Reason: outcome.Changed, Before: before.Values[i], After: after.Values[i]})
		n++
	}
	if b, a := metadataText(before.Metadata), metadataText(after.Metadata); b != a {
		o.add(store.RunRecord{Entity: string(after.Entity), SourcedID: after.SourcedID(), Action: ActionUpdate, Status: "ok",
			Field: "metadata", Reason: outcome.Changed, Before: b, After: a})
		n++
	}
	return n
}

func metadataText(m []roster.MetadataValue) string {
	parts := make([]string, len(m))
	for i, kv := range m {
		parts[i] = kv.Name + "=" + kv.Value
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

// plan is the listing of a run's outcomes for review.
func (o *outcomes) plan(p Plan) Plan {
	p.Records = make([]store.RunRecord, 0, min(o.n, planRecords))
	for r := range o.all() {
		if len(p.Records) == planRecords {
			break
		}
		p.Records = append(p.Records, r)
	}
	p.More = o.n - len(p.Records)
	return p
}

// holdReason applies the safety hold: a run that would delete more than sel.HoldDelete percent, or
// change more than sel.HoldChange percent, of an entity's existing records stops for review.
// Creating records where none existed never holds. what names where the records are ("roster",
// "target"). Of several entities over a limit, the message names the one with the most records at
// stake (deletions first when even), not the first in the list: the change a registrar must see.
func holdReason(counts map[roster.Entity]*store.EntityCounts, existing map[roster.Entity]int, sel selection.Selection, what string) string {
	var worst struct {
		ent      roster.Entity
		n, total int
		pct      float64
		deletes  bool
	}
	consider := func(ent roster.Entity, n, total int, pct float64, deletes bool) {
		if n > worst.n || (n == worst.n && deletes && !worst.deletes) {
			worst.ent, worst.n, worst.total, worst.pct, worst.deletes = ent, n, total, pct, deletes
		}
	}
	for _, ent := range roster.Entities {
		c, n := counts[ent], existing[ent]
		if c == nil || n == 0 {
			continue
		}
		// An entity's deletions over their limit are its reason, else its changes (deletions count too).
		if deleted := 100 * float64(c.Deleted) / float64(n); deleted > sel.HoldDelete {
			consider(ent, c.Deleted, n, deleted, true)
		} else if changed := 100 * float64(c.Updated+c.Deleted) / float64(n); changed > sel.HoldChange {
			consider(ent, c.Updated+c.Deleted, n, changed, false)
		}
	}
	switch {
	case worst.n == 0:
		return ""
	case worst.deletes:
		return words.Sprintf("Held for review: this run would delete %d of the %d %s in the %s (%.0f %%), more than the %.0f %% allowed. Review the plan, then apply it anyway or change the selection.",
			worst.n, worst.total, worst.ent, what, worst.pct, sel.HoldDelete)
	}
	return words.Sprintf("Held for review: this run would change %d of the %d %s in the %s (%.0f %%), more than the %.0f %% allowed. Review the plan, then apply it anyway or change the selection.",
		worst.n, worst.total, worst.ent, what, worst.pct, sel.HoldChange)
}

func countsOut(counts map[roster.Entity]*store.EntityCounts) map[string]store.EntityCounts {
	out := map[string]store.EntityCounts{}
	for ent, c := range counts {
		out[string(ent)] = *c
	}
	return out
}

func newCounts() map[roster.Entity]*store.EntityCounts {
	counts := map[roster.Entity]*store.EntityCounts{}
	for _, ent := range roster.Entities {
		counts[ent] = &store.EntityCounts{}
	}
	return counts
}

func runMode(sel selection.Selection) string {
	if sel.Full() {
		return "full"
	}
	return "selective"
}

// words formats the messages people read, with thousands separators ("2,124 deleted").
var words = message.NewPrinter(language.English)

// when writes a workspace time for people, in this computer's time zone.
func when(ts string) string {
	t, err := time.Parse(store.TimeLayout, ts)
	if err != nil {
		return ts
	}
	return t.Local().Format("2 Jan 2006 at 15:04")
}
