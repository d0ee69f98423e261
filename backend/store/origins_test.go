package store

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// originsOf builds the origins of ids as Apply.Origins reads them, sorted by id.
func originsOf(ids []string) Origins {
	o := NoOrigins()
	sorted := slices.Sorted(slices.Values(ids))
	for i, id := range sorted {
		o.l.ids.add([]byte(id))
		o.l.hashes = append(o.l.hashes, int64(i+1))
	}
	o.l.gone, o.l.left = make([]uint64, (len(sorted)+63)/64), len(sorted)
	return o
}

// Origins kept sorted answer as a map would, whatever order the records come in: in id order, in a
// stride of it (period by period), at random (GUIDs), with ids it does not hold, each looked up,
// then forgotten, then missing; what is left is listed in id order.
func TestOriginsAnswerAsAMap(t *testing.T) {
	var ids []string
	for s := range 3000 {
		for p := range 6 {
			ids = append(ids, fmt.Sprintf("enr-%06d-%d", s, p))
		}
	}
	want := map[string]int64{}
	for i, id := range slices.Sorted(slices.Values(ids)) {
		want[id] = int64(i + 1)
	}
	stride := make([]string, 0, len(ids))
	for p := range 6 {
		for s := range 3000 {
			stride = append(stride, fmt.Sprintf("enr-%06d-%d", s, p))
		}
	}
	random := slices.Clone(ids)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(random), func(i, j int) { random[i], random[j] = random[j], random[i] })
	for name, order := range map[string][]string{"id order": ids, "stride": stride, "random": random} {
		t.Run(name, func(t *testing.T) {
			o := originsOf(ids)
			left := maps.Clone(want)
			for n, id := range order {
				if n%5 == 0 { // one not held, between
					if _, ok := o.Get(id + "x"); ok {
						t.Fatalf("%sx found", id)
					}
				}
				if n%7 == 3 {
					continue // missing from the file: stays
				}
				got, ok := o.Get(id)
				if !ok || got.Hash != want[id] {
					t.Fatalf("Get(%s) = %v %v, want %d", id, got, ok, want[id])
				}
				o.Forget(id)
				delete(left, id)
				if _, ok := o.Get(id); ok {
					t.Fatalf("%s found after Forget", id)
				}
			}
			if o.Len() != len(left) {
				t.Fatalf("Len = %d, want %d", o.Len(), len(left))
			}
			var each []string
			o.Each(func(id string, x Origin) error {
				if x.Hash != left[id] {
					t.Errorf("Each %s hash %d, want %d", id, x.Hash, left[id])
				}
				each = append(each, id)
				return nil
			})
			if !slices.IsSorted(each) || len(each) != len(left) {
				t.Fatalf("Each listed %d origins (sorted %v), want %d", len(each), slices.IsSorted(each), len(left))
			}
			// Files in id order or a stride of it are answered from the sorted list; only records
			// in no order need the index.
			if indexed := o.l.index != nil; indexed != (name == "random") {
				t.Errorf("index built: %v", indexed)
			}
		})
	}
}

// Apply.Origins reads each origin as the workspace holds it: a record of the same id, one under
// another roster id, one whose values are shared with other sources (vals) and one that sends the
// same values as they do (vals empty).
func TestApplyReadsEachKindOfOrigin(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	if _, err := st.db.Exec(`INSERT INTO origins (connection_id, entity, source_id, hash, created_run, record, vals) VALUES
		(?1, 'users', 'plain', 1, 0, NULL, NULL), (?1, 'users', 'renamed', 2, 0, 'u-9', NULL),
		(?1, 'users', 'shared', 3, 0, NULL, '{"givenName":"Ana"}'), (?1, 'users', 'alike', 4, 0, 'u-7', ''),
		(?1, 'orgs', 'plain', 5, 0, NULL, NULL)`, c.ID); err != nil {
		t.Fatal(err)
	}
	tx, _ := beginImport(t, st, c)
	defer tx.Rollback()
	o, err := tx.Origins(roster.Users)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Origin{"plain": {Hash: 1}, "renamed": {Hash: 2, Record: "u-9"}, "shared": {Hash: 3, Shared: true},
		"alike": {Hash: 4, Record: "u-7", Shared: true, Alike: true}}
	for id, w := range want {
		if got, ok := o.Get(id); !ok || got != w {
			t.Errorf("%s: %+v %v, want %+v", id, got, ok, w)
		}
	}
	if o.Len() != len(want) {
		t.Errorf("%d origins, want %d", o.Len(), len(want))
	}
}

// A re-import holds the origins of one entity at a time, a few bytes each beyond the id's own: a
// state's 6,000,000 enrollments. 200,000 origins read are held in under 28 bytes each (46 with a
// string per id and a bool per origin forgotten).
func TestOriginsHeldCompactly(t *testing.T) {
	const n = 200000
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	if _, err := st.db.Exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?2)
		INSERT INTO origins (connection_id, entity, source_id, hash, created_run) SELECT ?1, 'enrollments', printf('enr-%06d-%d', n / 6, n % 6), n, 0 FROM i`, c.ID, n); err != nil {
		t.Fatal(err)
	}
	tx, _ := beginImport(t, st, c)
	defer tx.Rollback()
	before := hostile.InUse()
	o, err := tx.Origins(roster.Enrollments)
	if err != nil || o.Len() != n {
		t.Fatalf("%d origins: %v", o.Len(), err)
	}
	per := (hostile.InUse() - before) / n
	if got, ok := o.Get("enr-000007-3"); !ok || got.Hash != 45 {
		t.Fatalf("Get = %v %v", got, ok)
	}
	if per >= 28 {
		t.Errorf("%d bytes an origin (want < 28)", per)
	} else {
		t.Logf("%d bytes an origin", per)
	}
}
