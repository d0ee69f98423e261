package selection_test

import (
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// record makes a record of ent with a status and column/value pairs.
func record(ent roster.Entity, status roster.Status, kv ...string) roster.Record {
	rec := roster.NewRecord(ent)
	rec.Set("status", string(status))
	for i := 0; i+1 < len(kv); i += 2 {
		rec.Set(kv[i], kv[i+1])
	}
	return rec
}

// schoolDelta is the graph of a delta over a roster of two schools: Ana left her class and her
// school (enrollment, role and demographics tobedeleted, her user row still active), Ben left the
// district (everything of his tobedeleted), Cy stays, Dee at the other school left the district too,
// Eli at the other school lost his demographics, and so did Zed, whom the roster no longer holds.
// Records without a status come from the roster, the others from the delta.
func schoolDelta() (*selection.Graph, []roster.Record) {
	const gone = roster.StatusToBeDeleted
	records := []roster.Record{
		record(roster.Orgs, "", "sourcedId", "d1", "type", "district"),
		record(roster.Orgs, "", "sourcedId", "s1", "type", "school", "parentSourcedId", "d1"),
		record(roster.Orgs, "", "sourcedId", "s2", "type", "school", "parentSourcedId", "d1"),
		record(roster.Classes, "", "sourcedId", "k1", "schoolSourcedId", "s1"),
		record(roster.Classes, "", "sourcedId", "k2", "schoolSourcedId", "s2"),
		record(roster.Users, roster.StatusActive, "sourcedId", "ana", "enabledUser", "true"),
		record(roster.Users, gone, "sourcedId", "ben", "enabledUser", "true"),
		record(roster.Users, "", "sourcedId", "cy", "enabledUser", "true"),
		record(roster.Users, gone, "sourcedId", "dee", "enabledUser", "true"),
		record(roster.Users, "", "sourcedId", "eli", "enabledUser", "true"),
		record(roster.Roles, gone, "sourcedId", "r-ana", "userSourcedId", "ana", "orgSourcedId", "s1", "role", "student"),
		record(roster.Roles, gone, "sourcedId", "r-ana-d", "userSourcedId", "ana", "orgSourcedId", "d1", "role", "student"),
		record(roster.Roles, gone, "sourcedId", "r-ben", "userSourcedId", "ben", "orgSourcedId", "s1", "role", "student"),
		record(roster.Roles, "", "sourcedId", "r-cy", "userSourcedId", "cy", "orgSourcedId", "s1", "role", "student"),
		record(roster.Roles, gone, "sourcedId", "r-dee", "userSourcedId", "dee", "orgSourcedId", "s2", "role", "student"),
		record(roster.Roles, gone, "sourcedId", "r-dee-d", "userSourcedId", "dee", "orgSourcedId", "d1", "role", "student"),
		record(roster.Roles, "", "sourcedId", "r-eli", "userSourcedId", "eli", "orgSourcedId", "s2", "role", "student"),
		record(roster.Enrollments, gone, "sourcedId", "e-ana", "classSourcedId", "k1", "schoolSourcedId", "s1", "userSourcedId", "ana"),
		record(roster.Enrollments, gone, "sourcedId", "e-ben", "classSourcedId", "k1", "schoolSourcedId", "s1", "userSourcedId", "ben"),
		record(roster.Enrollments, "", "sourcedId", "e-cy", "classSourcedId", "k1", "schoolSourcedId", "s1", "userSourcedId", "cy"),
		record(roster.Enrollments, gone, "sourcedId", "e-dee", "classSourcedId", "k2", "schoolSourcedId", "s2", "userSourcedId", "dee"),
		record(roster.Enrollments, "", "sourcedId", "e-eli", "classSourcedId", "k2", "schoolSourcedId", "s2", "userSourcedId", "eli"),
		record(roster.Demographics, gone, "sourcedId", "ana"),
		record(roster.Demographics, gone, "sourcedId", "ben"),
		record(roster.Demographics, "", "sourcedId", "cy"),
		record(roster.Demographics, gone, "sourcedId", "dee"),
		record(roster.Demographics, gone, "sourcedId", "eli"),
		record(roster.Demographics, gone, "sourcedId", "zed"),
	}
	g := selection.NewGraph()
	for _, rec := range records {
		g.Add(rec, rec.Status() != roster.StatusNone)
	}
	return g, records
}

// In a selective delta, the deletions of the roles (at kept orgs) and demographics of a user with an
// enrollment or role at the chosen school, current or being deleted, go through when the user is not
// kept (Ana left the chosen class, Ben's status is not chosen), as those of their enrollments do, and
// so do those of a user no longer in the roster: otherwise the roster keeps them active for a user
// who left. The other school's deletions stay out, its students' roles at the district (kept as the
// chosen school's parent) too, and no current role or demographics of a user not kept goes through.
func TestDeletionsOfRolesAndDemographicsGoThroughWithoutTheirUser(t *testing.T) {
	g, records := schoolDelta()
	f := g.Closure(saved(func(s *selection.Selection) {
		s.OrgsAll, s.Orgs, s.WithoutEnrollments = false, []string{"s1"}, false
		s.Statuses = []selection.Status{selection.Active, selection.Inactive, selection.Blank}
	}))
	sent := kept(f, records)
	want := map[roster.Entity][]string{
		roster.Users:        {"cy"},
		roster.Roles:        {"r-ana", "r-ana-d", "r-ben", "r-cy"},
		roster.Enrollments:  {"e-ana", "e-ben", "e-cy"},
		roster.Demographics: {"ana", "ben", "cy", "zed"},
	}
	for ent, ids := range want {
		if len(sent[ent]) != len(ids) {
			t.Errorf("%s: %v go through, want %v", ent, keys(sent[ent]), ids)
		}
		for _, id := range ids {
			if _, ok := sent[ent][id]; !ok {
				t.Errorf("%s %s does not go through (%v do)", ent, id, keys(sent[ent]))
			}
		}
	}
	// A deletion never pulls in a record: Ana's current role or demographics would not go through.
	for _, rec := range []roster.Record{
		record(roster.Roles, roster.StatusActive, "sourcedId", "r-ana", "userSourcedId", "ana", "orgSourcedId", "s1"),
		record(roster.Demographics, roster.StatusActive, "sourcedId", "ana"),
	} {
		if f.Keep(rec) {
			t.Errorf("the current %s %s of a user who is not kept goes through", rec.Entity, rec.SourcedID())
		}
	}
	totals := f.Totals()
	for _, ent := range roster.Entities {
		if totals[ent] != len(sent[ent]) {
			t.Errorf("%s: Totals says %d, Keep lets %d through", ent, totals[ent], len(sent[ent]))
		}
	}
}

// A role being deleted gives its user no role at its org: with users without enrollments, a user
// whose only role at the chosen orgs is tobedeleted is not kept for it, unless the user is being
// deleted too and Deleted is chosen, so that both deletions apply.
func TestAUserKeptOnlyByARoleBeingDeletedDoesNotGoThrough(t *testing.T) {
	const gone = roster.StatusToBeDeleted
	g := selection.NewGraph()
	for _, rec := range []roster.Record{
		record(roster.Orgs, "", "sourcedId", "s1", "type", "school"),
		record(roster.Users, roster.StatusActive, "sourcedId", "moved", "enabledUser", "true"),
		record(roster.Users, gone, "sourcedId", "left", "enabledUser", "true"),
		record(roster.Users, roster.StatusActive, "sourcedId", "stays", "enabledUser", "true"),
		record(roster.Roles, gone, "sourcedId", "r-moved", "userSourcedId", "moved", "orgSourcedId", "s1", "role", "teacher"),
		record(roster.Roles, gone, "sourcedId", "r-left", "userSourcedId", "left", "orgSourcedId", "s1", "role", "teacher"),
		record(roster.Roles, roster.StatusActive, "sourcedId", "r-stays", "userSourcedId", "stays", "orgSourcedId", "s1", "role", "aide"),
	} {
		g.Add(rec, true)
	}
	user := func(id string) roster.Record { return record(roster.Users, "", "sourcedId", id) }
	for _, tc := range []struct {
		statuses []selection.Status
		left     bool
	}{
		{statuses: []selection.Status{selection.Active}},
		{statuses: selection.Statuses, left: true},
	} {
		f := g.Closure(saved(func(s *selection.Selection) {
			s.OrgsAll, s.Orgs, s.Statuses, s.WithoutEnrollments = false, []string{"s1"}, tc.statuses, true
		}))
		if f.Keep(user("moved")) {
			t.Errorf("%v: a user whose only role is being deleted goes through", tc.statuses)
		}
		if got := f.Keep(user("left")); got != tc.left {
			t.Errorf("%v: a user being deleted with its role goes through: %v", tc.statuses, got)
		}
		if !f.Keep(user("stays")) {
			t.Errorf("%v: a user with a current role at the chosen school does not go through", tc.statuses)
		}
		if n := f.Totals()[roster.Roles]; n != 3 {
			t.Errorf("%v: %d roles go through, want the 2 deletions and the current one", tc.statuses, n)
		}
	}
}
