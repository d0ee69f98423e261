package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/dedupe"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Duplicate people (SPEC §7): scans find pairs by the workspace's domains of uniqueness, unattended
// domains merge theirs at once, the others wait for a registrar's decision. Every decision is a
// recorded run and can be undone.

// DuplicatesRun names the runs that record decisions on duplicates in the history.
const DuplicatesRun = "Duplicates"

// Outcomes of a decision for the secondary record.
const (
	OutcomeDelete = "delete" // merged into the primary; its sources now supply the primary
	OutcomeIgnore = "ignore" // kept, redundant: never counted or sent
	OutcomeNew    = "new"    // not a duplicate
)

// maxPartners is how many unattended pairs one record may be in and still merge unasked: three
// records of one person (two sources and a retyped one) are, a value shared by more is not trusted.
const maxPartners = 2

// mergesPerRun is how many unattended pairs one run merges (a variable for tests).
var mergesPerRun = 4096

// DuplicateScan is what a scan found and did.
type DuplicateScan struct {
	Run           int64   `json:"run"`     // the first run of unattended merges (0: none)
	LastRun       int64   `json:"lastRun"` // the last one, when there were more than mergesPerRun
	People        int     `json:"people"`
	Candidates    int     `json:"candidates"`
	Found         int     `json:"found"` // pairs this scan put in the review queue
	New           int     `json:"new"`   // of which not in it before
	Pending       int     `json:"pending"`
	Merged        int     `json:"merged"`
	SkippedBlocks int     `json:"skippedBlocks"`
	Seconds       float64 `json:"seconds"`
}

// Summary says in a sentence what the scan found.
func (s DuplicateScan) Summary() string {
	out := words.Sprintf("Compared %d people: %d pairs wait for review (%d new)", s.People, s.Pending, s.New)
	switch {
	case s.Merged > 0 && s.LastRun != s.Run:
		out += words.Sprintf(", %d merged automatically (runs %d to %d)", s.Merged, s.Run, s.LastRun)
	case s.Merged > 0:
		out += words.Sprintf(", %d merged automatically (run %d)", s.Merged, s.Run)
	}
	return out + "."
}

// DuplicateDomains returns the workspace's domains of uniqueness, in priority order.
func (e *Engine) DuplicateDomains(ctx context.Context) (dedupe.Config, error) {
	raw, _, err := e.store.DuplicateSettings(ctx)
	if err != nil || raw == nil {
		return dedupe.Defaults(), err
	}
	return dedupe.Parse(raw)
}

// SetDuplicateDomains replaces the domains; the next scan uses them.
func (e *Engine) SetDuplicateDomains(ctx context.Context, cfg dedupe.Config) error {
	if err := rights.Need(ctx, e.store, e.operator, rights.Roster, rights.Write); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return apperr.New(apperr.CodeInvalid, err.Error())
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	return e.store.SetDuplicateDomains(ctx, raw)
}

// ResetDuplicateDomains goes back to the default domains.
func (e *Engine) ResetDuplicateDomains(ctx context.Context) error {
	if err := rights.Need(ctx, e.store, e.operator, rights.Roster, rights.Write); err != nil {
		return err
	}
	return e.store.SetDuplicateDomains(ctx, nil)
}

// ScanAfterImport says whether every import that changes users ends with a scan (the default).
func (e *Engine) ScanAfterImport(ctx context.Context) (bool, error) {
	_, on, err := e.store.DuplicateSettings(ctx)
	return on, err
}

// SetScanAfterImport turns the scan after imports on or off.
func (e *Engine) SetScanAfterImport(ctx context.Context, on bool) error {
	if err := rights.Need(ctx, e.store, e.operator, rights.Roster, rights.Write); err != nil {
		return err
	}
	return e.store.SetScanAfterImport(ctx, on)
}

// ScanDuplicates finds the pairs the domains claim among the roster's users: the review queue becomes
// them, and pairs of unattended domains are merged in a recorded run. Cancelled while comparing, it
// saves nothing.
func (e *Engine) ScanDuplicates(ctx context.Context, rep events.Reporter) (DuplicateScan, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Roster, rights.Write); err != nil {
		return DuplicateScan{}, err
	}
	if !e.writer.TryLock() {
		return DuplicateScan{}, busy()
	}
	defer e.writer.Unlock()
	return e.scan(ctx, rep)
}

// scan is ScanDuplicates with the writer lock held.
func (e *Engine) scan(ctx context.Context, rep events.Reporter) (DuplicateScan, error) {
	start := time.Now()
	cfg, err := e.DuplicateDomains(ctx)
	if err != nil {
		return DuplicateScan{}, err
	}
	rep.Report(events.Progress{Stage: "reading", Unit: "people"})
	people, err := e.store.People(ctx)
	if err != nil {
		return DuplicateScan{}, err
	}
	decided, err := e.store.Decided(ctx)
	if err != nil {
		return DuplicateScan{}, err
	}
	pairs, stats, err := dedupe.Scan(ctx, people, cfg, func(a, b string) bool { return decided[[2]string{min(a, b), max(a, b)}] },
		func(done, total int) {
			rep.Report(events.Progress{Stage: "comparing", Done: int64(done), Total: int64(total), Unit: "people"})
		})
	if err != nil {
		return DuplicateScan{}, err
	}
	schools := make(map[string]string, len(people))
	for _, p := range people {
		if p.School != "" {
			schools[p.ID] = p.School
		}
	}
	people = nil // let them go before merging
	rep.Report(events.Progress{Stage: "saving", Done: 0, Total: int64(len(pairs)), Unit: "pairs"})
	ids, fresh, err := e.store.SavePairs(ctx, pairs, schools)
	if err != nil {
		return DuplicateScan{}, err
	}
	out := DuplicateScan{People: stats.People, Candidates: stats.Candidates, SkippedBlocks: stats.SkippedBlocks}
	var auto []decision
	// A record an unattended domain pairs with three or more others shares a value that does not
	// tell people apart (a placeholder master ID, say): its pairs wait for review, never merged
	// unasked.
	partners := map[string]int{}
	for _, p := range pairs {
		if p.Unattended {
			partners[p.Left]++
			partners[p.Right]++
		}
	}
	var added []int64
	for i, p := range pairs {
		switch {
		case ids[i] == 0: // decided meanwhile
		case p.Unattended && partners[p.Left] <= maxPartners && partners[p.Right] <= maxPartners:
			auto = append(auto, decision{pair: store.DuplicatePair{ID: ids[i], Left: p.Left, Right: p.Right, Domain: p.Domain}, outcome: OutcomeDelete})
		case fresh[i]:
			added = append(added, ids[i])
		}
	}
	// Unattended pairs are merged mergesPerRun at a time, each batch a recorded run: what a run
	// keeps for its log and for undo stays bounded however many pairs a second system brings.
	for i := 0; i < len(auto); i += mergesPerRun {
		batch := auto[i:min(i+mergesPerRun, len(auto))]
		run, merged, err := e.decide(ctx, batch, "Merged automatically by unattended domains.", func(done int) {
			rep.Report(events.Progress{Stage: "merging", Done: int64(i + done), Total: int64(len(auto)), Unit: "pairs"})
		})
		if err != nil {
			return out, err
		}
		if out.Run == 0 {
			out.Run = run.ID
		}
		out.LastRun, out.Merged = run.ID, out.Merged+merged
	}
	// Counted once the merges are done: a pair one of whose records an unattended domain merged
	// meanwhile no longer waits.
	if out.Found, out.New, err = e.store.Waiting(ctx, ids, added); err != nil {
		return out, err
	}
	page, err := e.store.DuplicatePairs(ctx, store.PairQuery{Status: store.PairPending, Limit: 1})
	out.Pending, out.Seconds = page.Total, time.Since(start).Seconds()
	e.log.Info("duplicates scan", "people", out.People, "candidates", out.Candidates, "found", out.Found, "merged", out.Merged, "seconds", out.Seconds)
	return out, err
}

// Decision is a registrar's decision on a pair.
type Decision struct {
	Primary     string            `json:"primary"`
	Secondaries []string          `json:"secondaries"`
	Outcome     string            `json:"outcome"`
	Values      map[string]string `json:"values"`
}

// decision is one pair's decision as a run carries it out.
type decision struct {
	pair               store.DuplicatePair
	primary, secondary string // unset for an unattended merge: the older record is the primary
	outcome            string
	values             map[string]string
	before             map[string]roster.Record // entity/id → the records as they were (read)
}

// ResolveDuplicate carries out a decision on a pair (and on the other records of a group merge) in a
// recorded run.
func (e *Engine) ResolveDuplicate(ctx context.Context, pairID int64, d Decision) (store.Run, error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Roster, rights.Write); err != nil {
		return store.Run{}, err
	}
	pair, err := e.store.DuplicatePair(ctx, pairID)
	if err != nil {
		return store.Run{}, err
	}
	if pair.Status != store.PairPending {
		return store.Run{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("Pair %d was decided already (%s, run %d). Undo that decision first to decide again.", pair.ID, pair.Status, pair.DecidedRun))
	}
	if !slices.Contains([]string{OutcomeDelete, OutcomeIgnore, OutcomeNew}, d.Outcome) {
		return store.Run{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not an outcome: say delete (merge into the primary), ignore (keep it, redundant) or new (not a duplicate).", d.Outcome))
	}
	if d.Primary == "" {
		d.Primary = pair.Left
	}
	secondaries := d.Secondaries
	if len(secondaries) == 0 {
		secondaries = []string{other(pair, d.Primary)}
	}
	members := append([]string{d.Primary}, secondaries...)
	if !slices.Contains(members, pair.Left) || !slices.Contains(members, pair.Right) {
		return store.Run{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The primary and secondaries must include both records of pair %d (%s and %s).", pair.ID, pair.Left, pair.Right))
	}
	if err := e.checkValues(d.Values); err != nil {
		return store.Run{}, err
	}
	var list []decision
	for _, s := range secondaries {
		if s == d.Primary {
			return store.Run{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s cannot be both the primary and a secondary.", s))
		}
		p := pair
		if s != other(pair, d.Primary) || !slices.Contains([]string{pair.Left, pair.Right}, d.Primary) {
			if p, err = e.store.PairFor(ctx, d.Primary, s); err != nil {
				return store.Run{}, err
			}
		}
		list = append(list, decision{pair: p, primary: d.Primary, secondary: s, outcome: d.Outcome, values: d.Values})
	}
	if !e.writer.TryLock() {
		return store.Run{}, busy()
	}
	defer e.writer.Unlock()
	run, _, err := e.decide(ctx, list, "", nil)
	return run, err
}

// other is the record of a pair that is not id.
func other(p store.DuplicatePair, id string) string {
	if p.Left == id {
		return p.Right
	}
	return p.Left
}

// checkValues refuses a chosen value for a field a merge cannot set.
func (e *Engine) checkValues(values map[string]string) error {
	for field, value := range values {
		if _, _, ok := mergeField(field); !ok {
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a field of a person. Fields: %s.", field, strings.Join(mergeFieldNames(), ", ")))
		}
		if field == "password" && value == hiddenPassword {
			return apperr.New(apperr.CodeInvalid, "A password is never shown, so it cannot be chosen by its shown value; leave the field as it is (the primary's, or the other's when the primary has none) or type a new one.")
		}
	}
	return nil
}

// mergeField says which entity and field a merge field name stands for: a users column, a
// demographics column (demographics.NAME) or an extension column of the user (metadata.NAME).
func mergeField(name string) (roster.Entity, string, bool) {
	if rest, ok := strings.CutPrefix(name, "demographics."); ok {
		i := roster.Schema(roster.Demographics).Index(rest)
		return roster.Demographics, rest, i >= firstMergeColumn
	}
	if rest, ok := strings.CutPrefix(name, "metadata."); ok {
		return roster.Users, name, rest != ""
	}
	i := roster.Schema(roster.Users).Index(name)
	return roster.Users, name, i >= firstMergeColumn
}

// hiddenPassword is how MergeView shows a password.
const hiddenPassword = "(hidden)"

// firstMergeColumn is the first column a merge chooses (after sourcedId, status, dateLastModified).
const firstMergeColumn = 3

// mergeFieldNames lists the fields of a person a merge shows, in display order.
func mergeFieldNames() []string {
	var out []string
	for _, c := range roster.Schema(roster.Users).Columns[firstMergeColumn:] {
		out = append(out, c.Name)
	}
	for _, c := range roster.Schema(roster.Demographics).Columns[firstMergeColumn:] {
		out = append(out, "demographics."+c.Name)
	}
	return out
}

// mergeUndo is what a merge changed, kept with it to undo it.
type mergeUndo struct {
	Origins []store.MovedOrigin `json:"origins"`
	Refs    []store.MovedRef    `json:"refs"`
}

// decide carries out decisions in one recorded run and returns it with how many records were merged;
// progress (may be nil) is told how many decisions are carried out.
func (e *Engine) decide(ctx context.Context, list []decision, note string, progress func(done int)) (store.Run, int, error) {
	run, err := e.store.StartRun(ctx, store.Run{ConnectionName: DuplicatesRun, Direction: "import", Mode: "full", Operator: e.operator})
	if err != nil {
		return run, 0, err
	}
	start := time.Now()
	merged, sentences := 0, []string{}
	a, err := e.changeRoster(ctx, 0, run.ID, func(a *applier) error {
		roots := map[string]string{} // secondaries merged in this run → their primaries
		root := func(id string) string {
			for roots[id] != "" {
				id = roots[id]
			}
			return id
		}
		// settled is where an unattended pair's record is now: merged in this run or an earlier
		// one (the merges of one scan are carried out in several runs), its primary.
		settled := func(id string) (string, error) {
			for {
				id = root(id)
				primary, err := a.tx.Merged(id)
				if err != nil || primary == "" {
					return id, err
				}
				id = primary
			}
		}
		undo := map[string]*mergeUndo{}
		moves := map[string]string{}
		a.mergedInto = moves         // each merged secondary's delete names its primary
		touched := map[string]bool{} // records this run changed: read again only once their changes are written
		var done []decision
		for i, d := range list {
			if progress != nil && i%256 == 0 {
				progress(i)
			}
			if d.outcome == OutcomeNew {
				if err := a.tx.Decide(d.pair.ID, store.PairNew, store.Merge{}); err != nil {
					return err
				}
				sentences = append(sentences, fmt.Sprintf("%s and %s are not duplicates.", d.pair.Left, d.pair.Right))
				continue
			}
			if d.primary == "" { // unattended: the older record stays
				left, err := settled(d.pair.Left)
				if err != nil {
					return err
				}
				right, err := settled(d.pair.Right)
				if err != nil {
					return err
				}
				older, err := a.tx.Older(left, right)
				if err != nil {
					return err
				}
				d.primary, d.secondary = older, other(store.DuplicatePair{Left: left, Right: right}, older)
			}
			if d.primary == d.secondary { // unattended pairs joined already through others
				if err := a.tx.Decide(d.pair.ID, store.PairMerged, store.Merge{}); err != nil {
					return err
				}
				continue
			}
			for _, id := range []string{d.primary, d.secondary} {
				if primary, err := a.tx.Merged(id); err != nil {
					return err
				} else if primary != "" {
					return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s was merged into %s already. Undo that merge first.", id, primary))
				}
			}
			if touched[d.primary] || touched[d.secondary] {
				if err := a.tx.Flush(); err != nil {
					return err
				}
			}
			if err := d.read(a); err != nil {
				return err
			}
			touched[d.primary], touched[d.secondary] = true, true
			u := &mergeUndo{}
			undo[d.secondary] = u
			moves[d.secondary] = d.primary
			if d.outcome == OutcomeDelete {
				for _, ent := range []roster.Entity{roster.Users, roster.Demographics} {
					moved, err := a.tx.Redirect(ent, d.secondary, d.primary, a.now, outcome.Merged)
					if err != nil {
						return err
					}
					u.Origins = append(u.Origins, moved...)
				}
				roots[d.secondary] = d.primary
			} else {
				for _, ent := range []roster.Entity{roster.Users, roster.Demographics} {
					if err := a.tx.KeepValues(ent, d.primary); err != nil {
						return err
					}
				}
			}
			done = append(done, d)
		}
		for s := range moves { // a primary merged into another in this run: its secondaries go there too
			moves[s] = root(moves[s])
		}
		refs, err := a.tx.Repoint(moves, a.now)
		if err != nil {
			return err
		}
		of := map[string]*mergeUndo{} // entity/id of a moved enrollment or role → its secondary's merge
		for _, r := range refs {
			a.counts[r.Entity].Updated++
			a.log.add(store.RunRecord{Entity: string(r.Entity), SourcedID: r.SourcedID, Action: ActionUpdate, Status: "ok", Field: r.Column, Reason: outcome.Changed, Before: r.From, After: r.To})
			for _, s := range strings.Split(r.From, ",") { // the merges whose secondary it named
				if u := undo[strings.TrimSpace(s)]; u != nil {
					u.Refs = append(u.Refs, r)
					of[string(r.Entity)+"/"+r.SourcedID] = u
				}
			}
		}
		folds, err := a.tx.Fold(refs, a.now, outcome.Folded)
		if err != nil {
			return err
		}
		for _, f := range folds {
			if u := of[string(f.Entity)+"/"+f.From]; u != nil {
				u.Origins = append(u.Origins, f.Origins...)
			}
		}
		if err := a.tx.Flush(); err != nil {
			return err
		}
		for _, d := range done {
			if err := e.pinChoices(a, d); err != nil {
				return err
			}
			raw, err := json.Marshal(undo[d.secondary])
			if err != nil {
				return err
			}
			status := store.PairMerged
			if d.outcome == OutcomeIgnore {
				status = store.PairIgnored
			}
			if err := a.tx.Decide(d.pair.ID, status, store.Merge{Secondary: d.secondary, Primary: d.primary, Outcome: d.outcome, Undo: raw}); err != nil {
				return err
			}
			merged++
			verb := "merged into"
			if d.outcome == OutcomeIgnore {
				verb = "kept as redundant with"
			}
			sentences = append(sentences, fmt.Sprintf("%s %s %s.", d.secondary, verb, d.primary))
		}
		return nil
	})
	message := strings.Join(sentences, " ")
	if len(sentences) > 3 {
		message = words.Sprintf("%d pairs decided.", len(sentences))
	}
	if note != "" {
		message = note + " " + message
	}
	err = e.conclude(ctx, &run, a.pass(), strings.TrimSpace(message), err, "no record was changed.", start)
	return run, merged, err
}

// read keeps the two records as they are before the merge changes them (written: the caller
// flushes first what this run queued for them).
func (d *decision) read(a *applier) error {
	d.before = map[string]roster.Record{}
	for _, ent := range []roster.Entity{roster.Users, roster.Demographics} {
		for _, id := range []string{d.primary, d.secondary} {
			rec, err := a.tx.Current(ent, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			d.before[string(ent)+"/"+id] = rec
		}
	}
	return nil
}

// pinChoices makes the primary keep, per field, the value chosen: the registrar's, else its own
// before the merge when not blank, else the secondary's. Where its sources would give another
// value, the choice is pinned.
func (e *Engine) pinChoices(a *applier, d decision) error {
	primary := func(ent roster.Entity) roster.Record { return d.before[string(ent)+"/"+d.primary] }
	secondary := func(ent roster.Entity) roster.Record { return d.before[string(ent)+"/"+d.secondary] }
	merged := map[roster.Entity]roster.Record{} // the primary as the merge worked it out
	for _, ent := range []roster.Entity{roster.Users, roster.Demographics} {
		rec, err := a.tx.Current(ent, d.primary)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		merged[ent] = rec
	}
	for _, name := range append(mergeFieldNames(), metadataFields(primary(roster.Users), secondary(roster.Users))...) {
		ent, field, _ := mergeField(name)
		want, chosen := d.values[name]
		if !chosen {
			if want = valueOf(primary(ent), field); want == "" {
				want = valueOf(secondary(ent), field)
			}
		}
		now := merged[ent]
		if now.Values == nil { // demographics the primary has none of (kept as redundant, the secondary keeps its own)
			continue
		}
		if have := valueOf(now, field); have != want {
			if err := a.tx.Pin(d.pair.ID, ent, d.primary, field, want, a.now); err != nil {
				return err
			}
			a.counts[ent].Updated++
			a.log.add(store.RunRecord{Entity: string(ent), SourcedID: d.primary, Action: ActionUpdate, Status: "ok", Field: field, Reason: outcome.Changed, Before: have, After: want})
		}
	}
	return nil
}

// valueOf is a record's value of a column or of metadata.NAME ("" for a record not there).
func valueOf(rec roster.Record, field string) string {
	if rec.Values == nil {
		return ""
	}
	if name, ok := strings.CutPrefix(field, "metadata."); ok {
		for _, kv := range rec.Metadata {
			if kv.Name == name {
				return kv.Value
			}
		}
		return ""
	}
	return rec.Get(field)
}

// metadataFields lists the extension columns of records as merge fields (metadata.NAME), once each.
func metadataFields(recs ...roster.Record) []string {
	var out []string
	for _, rec := range recs {
		for _, kv := range rec.Metadata {
			if name := "metadata." + kv.Name; !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}
