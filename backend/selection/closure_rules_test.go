package selection_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// deltaDistrict is a generated district as a later delta changes it: a few teachers also hold a role
// at the next school, and every 13th student leaves their first-period class (that enrollment is
// tobedeleted) and every 97th leaves the district (user, roles, demographics and enrollments
// tobedeleted). Records a delta touched carry a status; the graph reads them as delta rows.
func deltaDistrict(t *testing.T, students int) (*selection.Graph, []roster.Record) {
	t.Helper()
	_, records := generated(t, students)
	schools := schoolsOf(records)
	leaving := func(user string) bool { return studentNumber(user)%97 == 0 }
	var extra []roster.Record
	for _, rec := range records {
		user := rec.Get("userSourcedId")
		switch {
		case rec.Entity == roster.Users && strings.HasPrefix(rec.SourcedID(), "usr-g-") && leaving("usr-"+rec.SourcedID()[6:]):
			rec.Set("status", "active") // the guardian of a student who leaves no longer points at them
			rec.Set("agentSourcedIds", "")
		case rec.Entity == roster.Users && leaving(rec.SourcedID()), rec.Entity == roster.Demographics && leaving(rec.SourcedID()),
			(rec.Entity == roster.Roles || rec.Entity == roster.Enrollments) && leaving(user):
			rec.Set("status", string(roster.StatusToBeDeleted))
		case rec.Entity == roster.Enrollments && studentNumber(user)%13 == 0 && strings.HasSuffix(rec.SourcedID(), "-1"):
			rec.Set("status", string(roster.StatusToBeDeleted))
		case rec.Entity == roster.Roles && rec.Get("role") == "teacher" && len(extra) < 12:
			at := slices.Index(schools, rec.Get("orgSourcedId"))
			role := roster.NewRecord(roster.Roles)
			for _, kv := range [][2]string{{"sourcedId", rec.SourcedID() + "-x"}, {"status", "active"}, {"userSourcedId", user},
				{"roleType", "secondary"}, {"role", "teacher"}, {"orgSourcedId", schools[(at+1)%len(schools)]}} {
				role.Set(kv[0], kv[1])
			}
			extra = append(extra, role)
		}
	}
	records = append(records, extra...)
	g := selection.NewGraph()
	for _, rec := range records {
		g.Add(rec, rec.Status() != roster.StatusNone)
	}
	return g, records
}

// studentNumber is the number in a generated student's id (usr-000123 → 123), 1 for anyone else.
func studentNumber(id string) int {
	n := 0
	rest, ok := strings.CutPrefix(id, "usr-")
	for _, c := range rest {
		if c < '0' || c > '9' {
			return 1
		}
		n = 10*n + int(c-'0')
	}
	if !ok || n == 0 {
		return 1
	}
	return n
}

func statusOf(rec roster.Record) selection.Status {
	switch {
	case rec.Status() == roster.StatusToBeDeleted:
		return selection.Deleted
	case strings.EqualFold(rec.Get("enabledUser"), "false"):
		return selection.Inactive
	}
	return selection.Active
}

// covered reports whether org is chosen or below a chosen org.
func covered(sel selection.Selection, parents map[string]string, org string) bool {
	for ; org != ""; org = parents[org] {
		if sel.OrgsAll || slices.Contains(sel.Orgs, org) {
			return true
		}
	}
	return false
}

// randomSelection picks some orgs (or all), some classes of the district (or all), some statuses
// and the users-without-enrollments option at random.
func randomSelection(r *rand.Rand, g *selection.Graph) selection.Selection {
	sel := selection.Default()
	sel.Saved, sel.WithoutEnrollments, sel.Guardians = true, r.IntN(2) == 0, r.IntN(2) == 0
	if r.IntN(4) != 0 {
		sel.OrgsAll = false
		for _, o := range g.Orgs(selection.Selection{}) {
			if r.IntN(3) == 0 {
				sel.Orgs = append(sel.Orgs, o.ID)
			}
		}
	}
	if r.IntN(3) != 0 {
		sel.ClassesAll = false
		for _, c := range g.Classes(selection.Selection{}) {
			if r.IntN(4) == 0 {
				sel.Classes = append(sel.Classes, c.ID)
			}
		}
	}
	sel.Statuses = nil
	for _, st := range selection.Statuses {
		if r.IntN(3) != 0 {
			sel.Statuses = append(sel.Statuses, st)
		}
	}
	return sel
}

// Everything a selection lets through is referentially complete, whatever is chosen; only enrolled
// users go unless users without enrollments are chosen, and then only those with a role at a chosen
// org; every user goes through with a status that was chosen; deletions of roles and demographics go
// through without their user; the totals are what goes through.
func TestEverySelectionIsReferentiallyCompleteAndKeepsOnlyEnrolledUsers(t *testing.T) {
	g, records := deltaDistrict(t, 2000)
	parents := map[string]string{}
	for _, rec := range records {
		if rec.Entity == roster.Orgs {
			parents[rec.SourcedID()] = rec.Get("parentSourcedId")
		}
	}
	r := rand.New(rand.NewPCG(10, 18))
	for round := range 120 {
		sel := randomSelection(r, g)
		f := g.Closure(sel)
		sent := kept(f, records)
		live := map[roster.Entity]map[string]roster.Record{}
		for ent, recs := range sent {
			live[ent] = map[string]roster.Record{}
			for id, rec := range recs {
				if rec.Status() != roster.StatusToBeDeleted {
					live[ent][id] = rec
				}
			}
		}
		assertComplete(t, live)
		enrolled, roleAt := map[string]bool{}, map[string]bool{}
		for _, e := range live[roster.Enrollments] {
			enrolled[e.Get("userSourcedId")] = true
		}
		for _, role := range live[roster.Roles] {
			roleAt[role.Get("userSourcedId")] = true
		}
		linked := guardiansOf(records, sent[roster.Users])
		for id, u := range sent[roster.Users] {
			if !sel.Allows(statusOf(u)) {
				t.Errorf("round %d: user %s of status %s went through; chosen %v", round, id, statusOf(u), sel.Statuses)
			}
			if u.Status() != roster.StatusToBeDeleted && !enrolled[id] && (!sel.WithoutEnrollments || !roleAt[id]) && (!sel.Guardians || !linked[id]) {
				t.Errorf("round %d: user %s went through without an enrollment that goes through (without enrollments: %v)", round, id, sel.WithoutEnrollments)
			}
		}
		for id, e := range sent[roster.Enrollments] {
			if _, ok := sent[roster.Classes][e.Get("classSourcedId")]; !ok {
				t.Errorf("round %d: enrollment %s in a class that does not go through", round, id)
			}
		}
		// Whatever statuses are chosen, the deletions of a leaving student's roles (at orgs that go
		// through) and demographics go through when the student has an enrollment in a class that
		// goes through or a role at a chosen org, current or being deleted; no others do.
		placed := map[string]bool{}
		for _, rec := range records {
			_, class := sent[roster.Classes][rec.Get("classSourcedId")]
			_, school := sent[roster.Orgs][rec.Get("schoolSourcedId")]
			placed[rec.Get("userSourcedId")] = placed[rec.Get("userSourcedId")] ||
				rec.Entity == roster.Enrollments && class && school || rec.Entity == roster.Roles && covered(sel, parents, rec.Get("orgSourcedId"))
		}
		for _, rec := range records {
			if rec.Status() != roster.StatusToBeDeleted || rec.Entity != roster.Roles && rec.Entity != roster.Demographics {
				continue
			}
			user := rec.SourcedID()
			if rec.Entity == roster.Roles {
				user = rec.Get("userSourcedId")
			}
			_, kept := sent[roster.Users][user]
			_, org := sent[roster.Orgs][rec.Get("orgSourcedId")]
			_, ok := sent[rec.Entity][rec.SourcedID()]
			if want := (kept || placed[user]) && (rec.Entity == roster.Demographics || org); want != ok {
				t.Errorf("round %d: the deletion of %s %s goes through: %v", round, rec.Entity, rec.SourcedID(), ok)
			}
		}
		totals := f.Totals()
		for _, ent := range roster.Entities {
			if totals[ent] != len(sent[ent]) {
				t.Errorf("round %d: %s: Totals says %d, Keep lets %d through", round, ent, totals[ent], len(sent[ent]))
			}
		}
		if t.Failed() {
			t.Fatalf("round %d: selection %+v", round, sel)
		}
	}
}

// The rules above are not met by letting nothing through: every current enrollment in a class that
// goes through, of a user whose status is chosen, goes through with its user.
func TestEverySelectionKeepsTheEnrollmentsOfItsClasses(t *testing.T) {
	g, records := deltaDistrict(t, 1000)
	users := map[string]roster.Record{}
	for _, rec := range records {
		if rec.Entity == roster.Users {
			users[rec.SourcedID()] = rec
		}
	}
	r := rand.New(rand.NewPCG(6, 18))
	for round := range 60 {
		sel := randomSelection(r, g)
		f := g.Closure(sel)
		sent := kept(f, records)
		for _, e := range records {
			if e.Entity != roster.Enrollments || e.Status() == roster.StatusToBeDeleted {
				continue
			}
			_, class := sent[roster.Classes][e.Get("classSourcedId")]
			if u := users[e.Get("userSourcedId")]; class && sel.Allows(statusOf(u)) && u.Status() != roster.StatusToBeDeleted {
				if _, ok := sent[roster.Enrollments][e.SourcedID()]; !ok {
					t.Fatalf("round %d: enrollment %s of a chosen class and user was left out (%+v)", round, e.SourcedID(), sel)
				}
			}
		}
	}
}

// Item 6 of issue 10: a user whose only enrollment in the chosen classes is being deleted is not
// enrolled, so it does not go through; the deletion of that enrollment does. A user who is being
// deleted with its enrollments goes through when Deleted is chosen, so that both deletions apply.
func TestAUserKeptOnlyByAnEnrollmentBeingDeletedDoesNotGoThrough(t *testing.T) {
	g, records := deltaDistrict(t, 1000)
	users := map[string]roster.Record{}
	classes := map[string]map[string]roster.Record{} // first-period class → kind of student → enrollment
	for _, rec := range records {
		switch rec.Entity {
		case roster.Users:
			users[rec.SourcedID()] = rec
		case roster.Enrollments:
			if rec.Get("role") != "student" || !strings.HasSuffix(rec.SourcedID(), "-1") {
				continue
			}
			kind, n := "stays", studentNumber(rec.Get("userSourcedId"))
			switch {
			case n%97 == 0:
				kind = "leaves the district"
			case n%13 == 0:
				kind = "leaves the class"
			}
			if statusOf(users[rec.Get("userSourcedId")]) == selection.Inactive {
				continue
			}
			if classes[rec.Get("classSourcedId")] == nil {
				classes[rec.Get("classSourcedId")] = map[string]roster.Record{}
			}
			classes[rec.Get("classSourcedId")][kind] = rec
		}
	}
	var class string // a class with a student of each kind
	for id, kinds := range classes {
		if len(kinds) == 3 && (class == "" || id < class) {
			class = id
		}
	}
	if class == "" {
		t.Fatal("no first-period class has a student who stays, one who leaves it and one who leaves the district")
	}
	byKind := classes[class]
	leftClass, leftDistrict, stays := byKind["leaves the class"].SourcedID(), byKind["leaves the district"].SourcedID(), byKind["stays"].SourcedID()
	byID := map[string]roster.Record{leftClass: byKind["leaves the class"], leftDistrict: byKind["leaves the district"], stays: byKind["stays"]}
	user := func(enrollment string) roster.Record {
		u := roster.NewRecord(roster.Users)
		u.Set("sourcedId", byID[enrollment].Get("userSourcedId"))
		return u
	}
	for _, tc := range []struct {
		statuses                     []selection.Status
		withoutEnrollments           bool
		keepsLeftClass, keepsLeaving bool
	}{
		{statuses: []selection.Status{selection.Active, selection.Inactive}},
		{statuses: selection.Statuses, keepsLeaving: true},
		{statuses: []selection.Status{selection.Active}, withoutEnrollments: true, keepsLeftClass: true}, // a student of the school
	} {
		f := g.Closure(saved(func(s *selection.Selection) {
			s.ClassesAll, s.Classes = false, []string{class}
			s.Statuses, s.WithoutEnrollments = tc.statuses, tc.withoutEnrollments
		}))
		if got := f.Keep(user(leftClass)); got != tc.keepsLeftClass {
			t.Errorf("%v, without enrollments %v: the student who leaves the class goes through: %v", tc.statuses, tc.withoutEnrollments, got)
		}
		if got := f.Keep(user(leftDistrict)); got != tc.keepsLeaving {
			t.Errorf("%v: the student who leaves the district goes through: %v", tc.statuses, got)
		}
		if !f.Keep(user(stays)) || !f.Keep(byID[stays]) {
			t.Errorf("%v: the student who stays, or their enrollment, does not go through", tc.statuses)
		}
		if !f.Keep(byID[leftClass]) || !f.Keep(byID[leftDistrict]) {
			t.Errorf("%v: the deletion of an enrollment in the chosen class does not go through", tc.statuses)
		}
	}
	// The classes step counts the enrollments that stay, the schools step the users enrolled.
	for _, c := range g.Classes(selection.Selection{}) {
		if c.ID == class && c.Enrollments != len(classEnrollments(records, class)) {
			t.Errorf("class %s: the list says %d enrollments, %d stay", class, c.Enrollments, len(classEnrollments(records, class)))
		}
	}
	for _, o := range g.Orgs(selection.Selection{}) {
		if o.ID == byID[stays].Get("schoolSourcedId") {
			f := g.Closure(saved(func(s *selection.Selection) {
				s.OrgsAll, s.Orgs, s.WithoutEnrollments, s.Guardians = false, []string{o.ID}, false, false
				s.Statuses = []selection.Status{selection.Active, selection.Inactive}
			}))
			if n := f.Totals()[roster.Users]; n != o.Users {
				t.Errorf("school %s: the list says %d users, %d go through", o.ID, o.Users, n)
			}
		}
	}
}

// classEnrollments lists the enrollments of a class that are not being deleted.
func classEnrollments(records []roster.Record, class string) []roster.Record {
	var out []roster.Record
	for _, rec := range records {
		if rec.Entity == roster.Enrollments && rec.Get("classSourcedId") == class && rec.Status() != roster.StatusToBeDeleted {
			out = append(out, rec)
		}
	}
	return out
}
