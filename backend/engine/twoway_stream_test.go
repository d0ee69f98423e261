package engine

import (
	"fmt"
	"iter"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// syncData are the three sides of a sync held in maps, as a sync held them before it streamed.
type syncData struct {
	ws        map[roster.Entity]map[string]roster.Record
	deletedAt map[roster.Entity]map[string]string
	ext       map[roster.Entity]map[string]roster.Record
	base      map[roster.Entity]map[string]roster.Record
}

// The streamed merge (a join of the sides in sourcedId order, the connection's side through the
// sorter) decides what the in-memory merge it replaced decides, record by record, on random small
// sides: every kind of change on either side or both, deletions, extension columns, ids whose
// order is not their order as numbers, each policy and starting truth.
func TestStreamedMergeMatchesTheInMemoryMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		d := randomSides(rng)
		policy := []string{PolicyWorkspace, PolicyExternal, PolicyNewest, PolicyAsk}[rng.IntN(4)]
		initial := []string{"", "", store.SideWorkspace, store.SideExternal}[rng.IntN(4)]
		streamed := d.merge(t, policy, initial)
		if err := streamed.run(); err != nil {
			t.Fatal(err)
		}
		reference := d.merge(t, policy, initial)
		d.referenceRun(reference)
		if got, want := mergeOutcomeOf(t, streamed), mergeOutcomeOf(t, reference); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d (%s, initial %q):\nstreamed  %+v\nin memory %+v\nsides %+v", i, policy, initial, got, want, d)
		}
	}
}

var mergeEntities = []roster.Entity{roster.Orgs, roster.Users}

func randomSides(rng *rand.Rand) syncData {
	d := syncData{ws: map[roster.Entity]map[string]roster.Record{}, deletedAt: map[roster.Entity]map[string]string{},
		ext: map[roster.Entity]map[string]roster.Record{}, base: map[roster.Entity]map[string]roster.Record{}}
	ids := []string{"1", "10", "2", "A", "a", "a b", "é", "Z", "~", "u-0009", "u-001"}
	dates := []string{"", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"}
	for _, ent := range mergeEntities {
		d.ws[ent], d.deletedAt[ent], d.ext[ent], d.base[ent] = map[string]roster.Record{}, map[string]string{}, map[string]roster.Record{}, map[string]roster.Record{}
		for _, id := range ids {
			var b *roster.Record
			if rng.IntN(2) == 0 {
				r := randomRecord(rng, ent, id, nil, "")
				d.base[ent][id] = r
				b = &r
			}
			switch rng.IntN(4) {
			case 0: // absent
			case 1:
				d.deletedAt[ent][id] = dates[rng.IntN(len(dates))]
			default:
				d.ws[ent][id] = randomRecord(rng, ent, id, b, dates[rng.IntN(len(dates))])
			}
			if rng.IntN(4) > 0 {
				d.ext[ent][id] = randomRecord(rng, ent, id, b, dates[rng.IntN(len(dates))])
			}
		}
	}
	return d
}

// randomRecord is a record of two fields and maybe an extension column, each the baseline's value
// (when there is one) or one of a few.
func randomRecord(rng *rand.Rand, ent roster.Entity, id string, base *roster.Record, date string) roster.Record {
	rec := roster.NewRecord(ent)
	rec.Values[0], rec.Values[2] = id, date
	fields := map[roster.Entity][]string{roster.Orgs: {"name", "identifier"}, roster.Users: {"givenName", "familyName"}}[ent]
	values := []string{"", "Ann", "Bo"}
	for _, f := range append(fields, metaPrefix+"x") {
		v := values[rng.IntN(len(values))]
		if base != nil && rng.IntN(2) == 0 {
			v = field(base, f)
		}
		setField(&rec, f, v)
	}
	return rec
}

// merge is a merge of the sides: streamed from them, sorted, unless the reference drives it.
func (d syncData) merge(t *testing.T, policy, initial string) *merge {
	t.Helper()
	srt, err := newSorters(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srt.close)
	for _, ent := range mergeEntities { // in no order, as a package's files may list them
		for _, rec := range d.ext[ent] {
			if err := srt.add(keyed{rec: clone(rec)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ext := &external{srt: srt}
	m, err := newMerge("Vendor", policy, initial, nil, tasks{}, func(string) string { return "" }, syncSides{
		roster:   d.rosterRows,
		external: ext.rows,
		baseline: func(ent roster.Entity) iter.Seq2[baseHash, error] {
			return func(yield func(baseHash, error) bool) {
				for _, id := range slices.Sorted(maps.Keys(d.base[ent])) {
					if !yield(baseHash{id, contentHash(d.base[ent][id])}, nil) {
						return
					}
				}
			}
		},
		loadBase: func(ent roster.Entity, id string) (*roster.Record, error) {
			r := clone(d.base[ent][id])
			return &r, nil
		},
	}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.close)
	return m
}

// rosterRows are the roster's live and deleted records of ent in sourcedId order, as the store gives them.
func (d syncData) rosterRows(ent roster.Entity) iter.Seq2[rosterRow, error] {
	return func(yield func(rosterRow, error) bool) {
		ids := slices.Sorted(func(yield func(string) bool) {
			for id := range d.ws[ent] {
				yield(id)
			}
			for id := range d.deletedAt[ent] {
				yield(id)
			}
		})
		for _, id := range ids {
			row := rosterRow{rec: clone(d.ws[ent][id])}
			if at, gone := d.deletedAt[ent][id]; gone {
				row.rec = roster.NewRecord(ent)
				row.rec.Values[0], row.rec.Values[1], row.rec.Values[2] = id, string(roster.StatusToBeDeleted), at
				row.deleted = true
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// referenceRun drives m as the in-memory merge did: the roster's records, then the connection's it
// lacks, then the baseline's neither has, each side in map order.
func (d syncData) referenceRun(m *merge) {
	for _, ent := range mergeEntities {
		ws, ext, base := d.ws[ent], d.ext[ent], d.base[ent]
		visit := func(id string) {
			var w, x *roster.Record
			if r, ok := ws[id]; ok {
				r = clone(r)
				w = &r
			}
			if r, ok := ext[id]; ok {
				r = clone(r)
				x = &r
			}
			var bh int64
			if b, ok := base[id]; ok {
				bh = contentHash(b)
			}
			m.deletedAt = d.deletedAt[ent][id]
			m.key(ent, id, w, x, bh)
		}
		for id := range ws {
			visit(id)
		}
		for id := range ext {
			if _, seen := ws[id]; !seen {
				visit(id)
			}
		}
		for id := range base {
			_, inWS := ws[id]
			if _, inExt := ext[id]; !inWS && !inExt {
				visit(id)
			}
		}
	}
	m.settle()
}

// mergeOutcome is what a merge decided, each list in one order.
type mergeOutcome struct {
	Roster, External map[roster.Entity]store.EntityCounts
	ToRoster, Out    []string
	Baseline         []string
	Log              []string
	Waiting          []string
}

func mergeOutcomeOf(t *testing.T, m *merge) mergeOutcome {
	t.Helper()
	o := mergeOutcome{Roster: map[roster.Entity]store.EntityCounts{}, External: map[roster.Entity]store.EntityCounts{}}
	for ent, c := range m.roster {
		o.Roster[ent] = *c
	}
	for ent, c := range m.external {
		o.External[ent] = *c
	}
	read := func(sp *spool) []string {
		var out []string
		for e, err := range sp.all() {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %v %d %q %v", e.rec.Entity, e.flag, e.hash, e.rec.Values, e.rec.Metadata))
		}
		return out
	}
	o.ToRoster, o.Out, o.Baseline = read(m.toRoster), read(m.out), read(m.baseline)
	for r := range m.log.all() {
		o.Log = append(o.Log, fmt.Sprintf("%+v", r))
	}
	for _, c := range m.waiting {
		o.Waiting = append(o.Waiting, fmt.Sprintf("%+v", c))
	}
	for _, list := range [][]string{o.ToRoster, o.Out, o.Baseline, o.Log, o.Waiting} {
		slices.Sort(list)
	}
	return o
}
