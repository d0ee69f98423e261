package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// UndoDuplicate takes back the decision on a pair in a recorded run: a merged or ignored secondary
// is its own record again with its origins, references and values as before, the primary loses the
// values chosen for it, and the pair waits for review again. The other merges of a group merge (the
// same decision, the same primary) are undone with it.
func (e *Engine) UndoDuplicate(ctx context.Context, pairID int64) (store.Run, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Roster, rights.Write); err != nil {
		return store.Run{}, err
	}
	pair, err := e.store.DuplicatePair(ctx, pairID)
	if err != nil {
		return store.Run{}, err
	}
	if pair.Status == store.PairPending {
		return store.Run{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("Pair %d waits for review: there is no decision to undo.", pair.ID))
	}
	if !e.writer.TryLock() {
		return store.Run{}, busy()
	}
	defer e.writer.Unlock()
	run, err := e.store.StartRun(ctx, store.Run{ConnectionName: DuplicatesRun, Direction: "import", Mode: "full", Operator: e.operator})
	if err != nil {
		return run, err
	}
	start := time.Now()
	message := fmt.Sprintf("Undid the decision on pair %d (%s, run %d): %s and %s are apart again.", pair.ID, pair.Status, pair.DecidedRun, pair.Left, pair.Right)
	a, err := e.changeRoster(ctx, 0, run.ID, func(a *applier) error {
		m, merged, err := a.tx.MergeOf(pair.ID)
		if err != nil || !merged {
			if err == nil {
				err = a.tx.Undecide(pair.ID)
			}
			return err
		}
		if later, err := a.tx.Merged(m.Primary); err != nil {
			return err
		} else if later != "" {
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s was merged into %s since. Undo that merge first.", m.Primary, later))
		}
		group, err := a.tx.Group(m)
		if err != nil {
			return err
		}
		for _, g := range group {
			var u mergeUndo
			if err := json.Unmarshal(g.Undo, &u); err != nil {
				return fmt.Errorf("what the merge of pair %d changed cannot be read: %w", g.Pair, err)
			}
			if err := a.tx.Unpin(g.Pair); err != nil {
				return err
			}
			// Origins first: a folded enrollment's own values get their reference back with it.
			if err := a.tx.Restore(u.Origins, m.Primary, a.now); err != nil {
				return err
			}
			if err := a.tx.RepointBack(u.Refs, a.now); err != nil {
				return err
			}
			for _, r := range u.Refs {
				a.counts[r.Entity].Updated++
				a.log.add(store.RunRecord{Entity: string(r.Entity), SourcedID: r.SourcedID, Action: ActionUpdate, Status: "ok", Field: r.Column, Reason: outcome.Changed, Before: r.To, After: r.From})
			}
			if g.Pair != pair.ID {
				if err := a.tx.Undecide(g.Pair); err != nil {
					return err
				}
				message += fmt.Sprintf(" %s, merged into %s in the same decision, is apart again too.", g.Secondary, g.Primary)
			}
		}
		// The primary is worked out again from its origins, without the values chosen for it; a
		// demographics record the merge gave it, with no origin left, becomes tobedeleted.
		for _, ent := range []roster.Entity{roster.Users, roster.Demographics} {
			if err := a.tx.Reconcile(store.Change{Entity: ent, Record: m.Primary, When: a.now, Retire: true}); err != nil {
				return err
			}
		}
		return a.tx.Undecide(pair.ID)
	})
	err = e.conclude(ctx, &run, a.pass(), message, err, "the decision stands.", start)
	return run, err
}

// MergeField is one field of the records a merge puts side by side.
type MergeField struct {
	Name    string   `json:"name"`
	Values  []string `json:"values"`
	Differ  bool     `json:"differ"`
	Default int      `json:"default"`
}

// MergeView is the records of a pair (and any others merged with them) side by side, with what
// would move to the first, the suggested primary.
type MergeView struct {
	Pair    store.DuplicatePair `json:"pair"`
	Records []string            `json:"records"`
	Names   []string            `json:"names"`
	Sources [][]string          `json:"sources"`
	Fields  []MergeField        `json:"fields"`
	Moves   []store.MergeMove   `json:"moves"`
}

// MergeView puts a pair's records side by side. records, when given, are the records in the order
// wanted (the primary first), the pair's own included or not; else the older record comes first.
func (e *Engine) MergeView(ctx context.Context, pairID int64, records []string) (MergeView, error) {
	pair, err := e.store.DuplicatePair(ctx, pairID)
	if err != nil {
		return MergeView{}, err
	}
	ids := slices.Clone(records)
	for _, id := range []string{pair.Left, pair.Right} {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(records) == 0 {
		if ids, err = e.store.Older(ctx, ids); err != nil {
			return MergeView{}, err
		}
	}
	v := MergeView{Pair: pair, Records: ids, Fields: []MergeField{}, Moves: []store.MergeMove{}}
	recs := map[roster.Entity][]roster.Record{}
	for _, id := range ids {
		for _, ent := range []roster.Entity{roster.Users, roster.Demographics} {
			view, err := e.store.RecordView(ctx, ent, id)
			var rec roster.Record
			switch {
			case err == nil:
				rec = roster.NewRecord(ent)
				for _, f := range view.Fields {
					rec.Set(f.Name, f.Value) // a password reads "(hidden)"
				}
				for _, m := range view.Metadata {
					rec.Metadata = append(rec.Metadata, roster.MetadataValue{Name: m.Name, Value: m.Value})
				}
			case ent == roster.Users:
				return v, apperr.New(apperr.CodeNotFound, fmt.Sprintf("No user has the id %q in the roster.", id))
			case !isNotFound(err):
				return v, err
			}
			recs[ent] = append(recs[ent], rec)
		}
		u := recs[roster.Users][len(recs[roster.Users])-1]
		v.Names = append(v.Names, personName(u))
		sources, err := e.store.Suppliers(ctx, id)
		if err != nil {
			return v, err
		}
		v.Sources = append(v.Sources, sources)
		if id != ids[0] {
			moves, err := e.store.Moves(ctx, id)
			if err != nil {
				return v, err
			}
			v.Moves = append(v.Moves, moves...)
		}
	}
	for _, name := range append(mergeFieldNames(), metadataFields(recs[roster.Users]...)...) {
		ent, field, _ := mergeField(name)
		f := MergeField{Name: name, Default: -1}
		distinct := map[string]bool{}
		for i, rec := range recs[ent] {
			val := valueOf(rec, field)
			f.Values = append(f.Values, val)
			if val != "" {
				distinct[val] = true
				if f.Default < 0 {
					f.Default = i
				}
			}
		}
		f.Differ = len(distinct) > 1
		f.Default = max(f.Default, 0)
		v.Fields = append(v.Fields, f)
	}
	return v, nil
}

// personName is a user's name as the window shows it.
func personName(u roster.Record) string {
	name := u.Get("givenName")
	if f := u.Get("familyName"); f != "" {
		name += " " + f
	}
	if name == "" {
		return u.SourcedID()
	}
	return name
}

func isNotFound(err error) bool {
	return errors.Is(err, store.ErrNotFound) || apperr.From(err).Code == apperr.CodeNotFound
}
