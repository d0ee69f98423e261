package selection_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// generated reads a generated district into a graph and returns its records too.
func generated(t *testing.T, students int) (*selection.Graph, []roster.Record) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "district.zip")
	if _, err := district.GenerateFile(context.Background(), path, district.Options{Students: students, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	g := selection.NewGraph()
	var records []roster.Record
	if _, err := pkg.Read(context.Background(), func(rec roster.Record) error {
		g.Add(rec, false)
		records = append(records, rec)
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	return g, records
}

func saved(mod func(*selection.Selection)) selection.Selection {
	sel := selection.Everything()
	sel.Saved = true
	mod(&sel)
	return sel
}

// schoolsOf returns the sourcedIds of the schools among records, in their order.
func schoolsOf(records []roster.Record) []string {
	var schools []string
	for _, rec := range records {
		if rec.Entity == roster.Orgs && rec.Get("type") == "school" {
			schools = append(schools, rec.SourcedID())
		}
	}
	return schools
}

// kept applies a filter to records and returns the kept ids per entity, after trimming.
func kept(f *selection.Filter, records []roster.Record) map[roster.Entity]map[string]roster.Record {
	out := map[roster.Entity]map[string]roster.Record{}
	for _, e := range roster.Entities {
		out[e] = map[string]roster.Record{}
	}
	for _, rec := range records {
		if f.Keep(rec) {
			rec = roster.Record{Entity: rec.Entity, Values: append([]string(nil), rec.Values...)}
			f.Trim(rec)
			out[rec.Entity][rec.SourcedID()] = rec
		}
	}
	return out
}

// assertComplete fails on any kept record that points at a record that is not kept.
func assertComplete(t *testing.T, sent map[roster.Entity]map[string]roster.Record) {
	t.Helper()
	for ent, recs := range sent {
		schema := roster.Schema(ent)
		for id, rec := range recs {
			for i, col := range schema.Columns {
				if col.Kind != roster.Ref && col.Kind != roster.RefList {
					continue
				}
				for _, ref := range splitRefs(rec.Values[i]) {
					if _, ok := sent[col.Target][ref]; !ok {
						t.Errorf("%s %s: %s points at %s %s, which is not sent", ent, id, col.Name, col.Target, ref)
					}
				}
			}
		}
	}
}

func splitRefs(v string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == ',' {
			if i > start {
				out = append(out, v[start:i])
			}
			start = i + 1
		}
	}
	return out
}

func TestOneSchoolLetsThroughItsClassesTheirUsersAndWhatTheyNeed(t *testing.T) {
	g, records := generated(t, 400)
	orgs := g.Orgs(selection.Selection{})
	var school selection.OrgRow
	for _, o := range orgs {
		if o.Type == "school" {
			school = o
			break
		}
	}
	if school.ID == "" || school.Classes == 0 || school.Users == 0 {
		t.Fatalf("no school with classes and users in %+v", orgs)
	}
	sel := saved(func(s *selection.Selection) {
		s.OrgsAll, s.Orgs = false, []string{school.ID}
		s.WithoutEnrollments, s.Guardians = false, false
	})
	f := g.Closure(sel)
	sent := kept(f, records)
	assertComplete(t, sent)
	if len(sent[roster.Orgs]) != 2 {
		t.Errorf("orgs sent: %v; want the school and its district", keys(sent[roster.Orgs]))
	}
	for id, cl := range sent[roster.Classes] {
		if cl.Get("schoolSourcedId") != school.ID {
			t.Errorf("class %s of another school was sent", id)
		}
	}
	if got := len(sent[roster.Classes]); got != school.Classes {
		t.Errorf("%d classes sent, the school has %d", got, school.Classes)
	}
	// Only enrolled users by default: no guardian (they have no enrollment).
	for id, u := range sent[roster.Users] {
		if g := u.Get("familyName"); g == "" {
			t.Errorf("user %s without a name", id)
		}
	}
	totals := f.Totals()
	for _, e := range roster.Entities {
		if totals[e] != len(sent[e]) {
			t.Errorf("%s: Totals says %d, Keep lets %d through", e, totals[e], len(sent[e]))
		}
	}
	// Users: the distinct users enrolled at the school, as the schools list says.
	if len(sent[roster.Users]) != school.Users {
		t.Errorf("%d users sent, the school list says %d", len(sent[roster.Users]), school.Users)
	}
}

func TestUsersWithoutEnrollmentsAndStatusesAreVisibleOptions(t *testing.T) {
	g, records := generated(t, 300)
	enrolled := g.Closure(saved(func(s *selection.Selection) { s.WithoutEnrollments, s.Guardians = false, false }))
	everyone := g.Closure(saved(func(s *selection.Selection) { s.Statuses = []selection.Status{selection.Active, selection.Inactive} }))
	a, b := kept(enrolled, records), kept(everyone, records)
	if len(b[roster.Users]) <= len(a[roster.Users]) {
		t.Fatalf("including users without enrollments (guardians) should add users: %d vs %d", len(b[roster.Users]), len(a[roster.Users]))
	}
	assertComplete(t, a)
	assertComplete(t, b)
	none := g.Closure(saved(func(s *selection.Selection) { s.Statuses = []selection.Status{selection.Deleted} }))
	if n := len(kept(none, records)[roster.Users]); n != 0 {
		t.Fatalf("a bulk file has no deleted users, yet %d went through", n)
	}
}

func TestClassesOfAChosenOrgOnlyAndPickedClasses(t *testing.T) {
	g, records := generated(t, 300)
	classes := g.Classes(selection.Selection{})
	if len(classes) < 3 {
		t.Fatalf("classes: %d", len(classes))
	}
	pick := classes[0]
	sel := saved(func(s *selection.Selection) { s.ClassesAll, s.Classes = false, []string{pick.ID} })
	f := g.Closure(sel)
	sent := kept(f, records)
	if len(sent[roster.Classes]) != 1 {
		t.Fatalf("classes sent: %v", keys(sent[roster.Classes]))
	}
	for _, e := range sent[roster.Enrollments] {
		if e.Get("classSourcedId") != pick.ID {
			t.Fatalf("enrollment in another class: %v", e.Values)
		}
	}
	if len(sent[roster.Enrollments]) != pick.Enrollments {
		t.Errorf("%d enrollments sent, the list says %d", len(sent[roster.Enrollments]), pick.Enrollments)
	}
	assertComplete(t, sent)
	// A class of a school that is not chosen does not go through even when picked.
	other := saved(func(s *selection.Selection) {
		s.OrgsAll, s.Orgs = false, []string{"no-such-org"}
		s.ClassesAll, s.Classes = false, []string{pick.ID}
	})
	if n := len(kept(g.Closure(other), records)[roster.Classes]); n != 0 {
		t.Fatalf("%d classes of unchosen orgs went through", n)
	}
}

func TestStatusesOfDeltaRows(t *testing.T) {
	g := selection.NewGraph()
	user := func(id, status, enabled string) roster.Record {
		r := roster.NewRecord(roster.Users)
		r.Set("sourcedId", id)
		r.Set("status", status)
		r.Set("enabledUser", enabled)
		return r
	}
	g.Add(user("a", "active", "true"), true)
	g.Add(user("b", "", "true"), true)
	g.Add(user("c", "tobedeleted", "true"), true)
	g.Add(user("d", "active", "false"), true)
	g.Add(user("e", "", "true"), false)
	got := map[selection.Status]int{}
	for _, c := range g.UserCounts(selection.Everything()) {
		got[c.Status] += c.Count
	}
	want := map[selection.Status]int{selection.Active: 2, selection.Blank: 1, selection.Deleted: 1, selection.Inactive: 1}
	for st, n := range want {
		if got[st] != n {
			t.Errorf("%s: %d, want %d (all: %v)", st, got[st], n, got)
		}
	}
}

// SPEC §5: Inactive is enabledUser false. A delta row without a status (Blank) that says its user
// is disabled is Inactive, as a disabled user's row with a status is: a registrar who leaves out
// Inactive keeps disabled accounts out even from a source that sends no statuses. Only tobedeleted
// (Deleted) comes before it.
func TestADisabledUserWithoutAStatusIsInactive(t *testing.T) {
	for _, tc := range []struct {
		status, enabled string
		delta           bool
		want            selection.Status
	}{
		{"", "false", true, selection.Inactive},
		{"", "FALSE", true, selection.Inactive},
		{"", "true", true, selection.Blank},
		{"", "", true, selection.Blank},
		{"", "false", false, selection.Inactive},
		{"tobedeleted", "false", true, selection.Deleted},
	} {
		g := selection.NewGraph()
		u := roster.NewRecord(roster.Users)
		u.Set("sourcedId", "u1")
		u.Set("status", tc.status)
		u.Set("enabledUser", tc.enabled)
		g.Add(u, tc.delta)
		counts := g.UserCounts(selection.Everything())
		if len(counts) != 1 || counts[0].Status != tc.want {
			t.Errorf("status %q, enabledUser %q, delta %v: %+v, want %s", tc.status, tc.enabled, tc.delta, counts, tc.want)
		}
	}
}

func TestNormalizeRefusesUnknownStatusesAndBadThresholds(t *testing.T) {
	if _, err := selection.ParseStatuses("active,gone"); err == nil {
		t.Fatal("an unknown status was accepted")
	}
	sel := selection.Everything()
	sel.HoldDelete = 0
	if _, err := sel.Normalize(); err == nil {
		t.Fatal("a 0 % hold was accepted")
	}
}

func keys(m map[string]roster.Record) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Columns must name every column Add reads: a graph of records holding only those columns (as the
// roster is read for an export) is the same graph.
func TestColumnsAreAllAddReads(t *testing.T) {
	full, records := generated(t, 300)
	partial := selection.NewGraph()
	for _, rec := range records {
		p := roster.NewRecord(rec.Entity)
		for _, c := range selection.Columns[rec.Entity] {
			p.Set(c, rec.Get(c))
		}
		partial.Add(p, false)
	}
	sel := saved(func(s *selection.Selection) {
		s.OrgsAll, s.Orgs = false, []string{"org-0001"}
		s.WithoutEnrollments = false
	})
	if a, b := fmt.Sprint(full.Orgs(sel), full.Classes(sel), full.UserCounts(sel), full.Closure(sel).Totals()),
		fmt.Sprint(partial.Orgs(sel), partial.Classes(sel), partial.UserCounts(sel), partial.Closure(sel).Totals()); a != b {
		t.Fatalf("a graph of partial records differs:\n%s\n%s", a, b)
	}
}
