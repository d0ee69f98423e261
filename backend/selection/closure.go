package selection

import (
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Filter is what a selection lets through of one graph: Keep answers for each record as it streams
// past, so neither import nor export holds the records themselves.
type Filter struct {
	g    *Graph
	all  bool
	orgs []bool // kept orgs: the covered ones and their ancestors
	// covered orgs are the chosen ones and those below them (choosing a district covers its schools).
	covered                          []bool
	sessions, courses, classes, user []bool
	// placed users have an enrollment in a kept class or a role at a covered org, current or being
	// deleted, whatever their status: the deletions of their roles and demographics go through.
	placed []bool
	// only, when set, keeps records of that entity alone, as they are (a run of chosen records
	// without their dependencies); enrollments, when set, are the only enrollments kept.
	only        roster.Entity
	enrollments map[string]bool
	// delivered, when set, says the target holds a record already: a reference to it is kept.
	delivered func(e roster.Entity, id string) bool
}

// KeepDelivered makes a run of chosen records (Records, Enrollments) keep references to records the
// target holds from an earlier export, not only to those it sends now: the delta it writes would
// otherwise take away, at the target, a student's guardians or a class's terms that did not go.
func (f *Filter) KeepDelivered(delivered func(e roster.Entity, id string) bool) {
	f.delivered = delivered
}

// Closure applies the rules of SPEC §5: the chosen orgs (and the orgs below them) with their
// ancestors; the chosen classes of those orgs; the courses and academic sessions those classes
// reference, with their orgs and parents; the users of an allowed status enrolled in a kept class
// (and, with WithoutEnrollments, those with a role at a covered org); the roles, demographics and
// enrollments of kept users that point only at kept records. An enrollment being deleted enrols
// nobody, and a role being deleted gives no role: a user kept only by such a record is not kept,
// unless the user is being deleted too (Deleted chosen), so that both deletions apply. The deletion
// of an enrollment, role or demographics needs no kept user (see Keep).
func (g *Graph) Closure(sel Selection) *Filter {
	g.whole()
	if sel.Full() {
		return &Filter{g: g, all: true}
	}
	f := &Filter{g: g, orgs: make([]bool, len(g.org)), sessions: make([]bool, len(g.session)),
		courses: make([]bool, len(g.course)), classes: make([]bool, len(g.class)), user: make([]bool, len(g.user))}
	f.covered = g.coveredOrgs(sel)
	for n, c := range f.covered {
		if c {
			f.keepOrg(int32(n))
		}
	}
	for n, c := range g.chosenClasses(sel, f.covered) {
		if !c {
			continue
		}
		f.keepClass(int32(n))
	}
	f.placed = make([]bool, len(g.user))
	for _, e := range g.enrolls {
		f.placed[e.user] = f.placed[e.user] || f.classes[e.class()] && e.school != none && f.orgs[e.school]
	}
	for _, r := range g.roles {
		f.placed[r.user] = f.placed[r.user] || r.org != none && f.covered[r.org]
	}
	for _, e := range g.enrolls {
		u := &g.user[e.user]
		if f.classes[e.class()] && e.school != none && f.orgs[e.school] && sel.Allows(u.Status()) && u.present && (!e.gone() || u.Status() == Deleted) {
			f.user[e.user] = true
		}
	}
	if sel.WithoutEnrollments {
		for _, r := range g.roles {
			u := &g.user[r.user]
			if r.org != none && f.covered[r.org] && sel.Allows(u.Status()) && u.present && (!r.gone || u.Status() == Deleted) {
				f.user[r.user] = true
			}
		}
	}
	if sel.Guardians {
		// From users kept so far (students, staff) to their guardians, in either direction of the link.
		kept := slices.Clone(f.user)
		keep := func(from, to int32) {
			if kept[from] && !g.user[from].guardian && g.user[to].guardian && g.user[to].present && sel.Allows(g.user[to].Status()) {
				f.user[to] = true
			}
		}
		for _, a := range g.agents {
			keep(a.user, a.agent)
			keep(a.agent, a.user)
		}
	}
	return f
}

// Shed lets go of what only working out a filter reads (the enrollments, roles and guardian links,
// some 100 MB at a state's size), keeping what Keep and Trim read as records stream past: an export
// writes a state's millions of rows with its filter, not with the graph. Closure, Complete and
// Totals of g may not follow.
func (f *Filter) Shed() {
	f.g.enrolls, f.g.roles, f.g.agents = nil, nil, nil
	f.g.shed = true
}

// Compact returns a filter that keeps and trims every record as f does but holds only the ids of
// what it lets through (and of the users whose deletions go through without them), not f's graph:
// an import streams a state's records beside some 40 MB of filter while the 200 MB shape goes.
// f's graph is left as it was; Closure, Complete and Totals of the compact filter's panic.
func (f *Filter) Compact() *Filter {
	h := NewGraph()
	h.shed = true
	c := &Filter{g: h, all: f.all, only: f.only, enrollments: f.enrollments, delivered: f.delivered}
	if f.all {
		return c
	}
	g := f.g
	c.orgs = keptIDs(&g.orgs, f.orgs, &h.orgs)
	c.sessions = keptIDs(&g.sessions, f.sessions, &h.sessions)
	c.courses = keptIDs(&g.courses, f.courses, &h.courses)
	c.classes = keptIDs(&g.classes, f.classes, &h.classes)
	// Users: the kept ones, and those whose roles' and demographics' deletions go through (deletes),
	// with a node each for that (their other nodes Keep never reads).
	users := make([]bool, len(g.user))
	for n, kept := range f.user {
		users[n] = kept || f.deletes(int32(n))
	}
	c.placed = keptIDs(&g.users, users, &h.users)
	c.user, h.user = make([]bool, len(c.placed)), make([]userNode, len(c.placed))
	for n, at := 0, 0; n < len(users); n++ {
		if users[n] {
			c.user[at], c.placed[at], h.user[at].present = f.user[n], f.placed[n], g.user[n].present
			at++
		}
	}
	return c
}

// keptIDs numbers in to the ids of from that set marks, in their order, and returns a set as long,
// all true.
func keptIDs(from *ids, set []bool, to *ids) []bool {
	n := 0
	for _, in := range set {
		if in {
			n++
		}
	}
	to.reserve(n)
	for at, in := range set {
		if in {
			to.of(from.at(int32(at)))
		}
	}
	return slices.Repeat([]bool{true}, n)
}

// Users counts the users the graph knows of (with a record or referred to).
func (g *Graph) Users() int { return len(g.user) }

// Guardians counts the guardians, parents and relatives of the graph, for the wizard to offer them.
func (g *Graph) Guardians() int {
	n := 0
	for _, u := range g.user {
		if u.present && u.guardian {
			n++
		}
	}
	return n
}

// coveredOrgs marks the chosen orgs and every org below one of them.
func (g *Graph) coveredOrgs(sel Selection) []bool {
	covered := make([]bool, len(g.org))
	chosen := make([]bool, len(g.org))
	for n, o := range g.org {
		chosen[n] = o.present && sel.OrgsAll
	}
	for _, id := range sel.Orgs {
		if n, ok := g.orgs.find(id); ok {
			chosen[n] = true
		}
	}
	for n := range g.org {
		// Walk up until a chosen org; the step limit guards against a parent cycle in bad data.
		for at, steps := int32(n), 0; at != none && steps <= len(g.org); at, steps = g.org[at].parent, steps+1 {
			if chosen[at] {
				covered[n] = g.org[n].present
				break
			}
		}
	}
	return covered
}

// chosenClasses marks the classes of covered orgs that the selection picks.
func (g *Graph) chosenClasses(sel Selection, covered []bool) []bool {
	out := make([]bool, len(g.class))
	picked := map[int32]bool{}
	for _, id := range sel.Classes {
		if n, ok := g.classes.find(id); ok {
			picked[n] = true
		}
	}
	for n, cl := range g.class {
		out[n] = cl.present && cl.school != none && covered[cl.school] && (sel.ClassesAll || picked[int32(n)])
	}
	return out
}

func (f *Filter) keepOrg(n int32) {
	for steps := 0; n != none && !f.orgs[n] && steps <= len(f.orgs); steps++ {
		f.orgs[n] = true
		n = f.g.org[n].parent
	}
}

func (f *Filter) keepSession(n int32) {
	for steps := 0; n != none && !f.sessions[n] && steps <= len(f.sessions); steps++ {
		f.sessions[n] = true
		n = f.g.session[n].parent
	}
}

// enrollment reports whether an enrollment goes through: its class, user and school all do; for
// one being deleted its class and school, so that an import applies the deletion.
func (f *Filter) enrollment(e enrollment) bool {
	return f.classes[e.class()] && (e.gone() || f.user[e.user]) && e.school != none && f.orgs[e.school]
}

// deletes reports whether the deletions of user n's roles and demographics go through: the user is
// placed, or no longer in the roster (deleted earlier: its records must not outlive it). Those of
// other users (of schools not chosen) stay out, as their other records do.
func (f *Filter) deletes(n int32) bool {
	return f.placed[n] || !f.g.user[n].present
}

// All reports whether the filter lets every record through.
func (f *Filter) All() bool { return f.all }

func has(x *ids, set []bool, id string) bool {
	n, ok := x.find(id)
	return ok && set[n]
}

// Keep reports whether a record goes through. The deletion of an enrollment, role or demographics
// goes through without its user (one who left the chosen classes, or whose status is not chosen), so
// the roster keeps no record the source deleted: an enrollment's at its kept class and school (see
// enrollment); a role's at its kept org, and demographics', when the user is placed at the chosen
// classes and orgs or no longer in the roster (see deletes). Nothing points at such records, so
// deleting one leaves what is kept complete, and an import deletes only what this source sent.
func (f *Filter) Keep(rec roster.Record) bool {
	if f.all {
		return true
	}
	switch {
	case f.enrollments != nil && rec.Entity == roster.Enrollments:
		return f.enrollments[rec.SourcedID()]
	case f.only != "" && rec.Entity != f.only:
		return false
	}
	g := f.g
	gone := rec.Status() == roster.StatusToBeDeleted
	switch rec.Entity {
	case roster.Orgs:
		return has(&g.orgs, f.orgs, rec.SourcedID())
	case roster.AcademicSessions:
		return has(&g.sessions, f.sessions, rec.SourcedID())
	case roster.Courses:
		return has(&g.courses, f.courses, rec.SourcedID())
	case roster.Classes:
		return has(&g.classes, f.classes, rec.SourcedID())
	case roster.Users:
		return has(&g.users, f.user, rec.SourcedID())
	case roster.Demographics:
		n, ok := g.users.find(rec.SourcedID())
		return ok && (f.user[n] || gone && f.deletes(n))
	case roster.Roles:
		n, ok := g.users.find(rec.Get("userSourcedId"))
		return ok && has(&g.orgs, f.orgs, rec.Get("orgSourcedId")) && (f.user[n] || gone && f.deletes(n))
	case roster.Enrollments:
		return has(&g.classes, f.classes, rec.Get("classSourcedId")) && has(&g.orgs, f.orgs, rec.Get("schoolSourcedId")) &&
			(gone || has(&g.users, f.user, rec.Get("userSourcedId")))
	}
	return false
}

// Trim drops the references of a kept record to records that do not go through (a student's
// guardians who are not sent, a primary org not chosen, a parent org or term deleted since), so that
// what is sent is referentially complete. It changes rec in place and reports whether it changed
// anything.
func (f *Filter) Trim(rec roster.Record) bool {
	if f.all || f.only != "" {
		return false
	}
	g := f.g
	switch rec.Entity {
	case roster.Orgs:
		return f.trim(rec, "parentSourcedId", roster.Orgs, &g.orgs, f.orgs)
	case roster.AcademicSessions:
		return f.trim(rec, "parentSourcedId", roster.AcademicSessions, &g.sessions, f.sessions)
	case roster.Courses:
		return f.trim(rec, "schoolYearSourcedId", roster.AcademicSessions, &g.sessions, f.sessions)
	case roster.Classes:
		return f.trim(rec, "termSourcedIds", roster.AcademicSessions, &g.sessions, f.sessions)
	case roster.Users:
		org := f.trim(rec, "primaryOrgSourcedId", roster.Orgs, &g.orgs, f.orgs)
		return f.trim(rec, "agentSourcedIds", roster.Users, &g.users, f.user) || org
	}
	return false
}

// trim keeps, of the ids (of records of ent) in rec's column, those in set or delivered already.
func (f *Filter) trim(rec roster.Record, column string, ent roster.Entity, x *ids, set []bool) bool {
	list := splitList(rec.Get(column))
	if len(list) == 0 {
		return false
	}
	kept := list[:0]
	for _, id := range list {
		if has(x, set, id) || f.delivered != nil && f.delivered(ent, id) {
			kept = append(kept, id)
		}
	}
	if v := strings.Join(kept, ","); v != rec.Get(column) {
		rec.Set(column, v)
		return true
	}
	return false
}

// Complete is what a selection that takes everything sends to a target: every record of the graph
// whose required references go through too. The roster can hold a live record that points at one
// deleted since (a changes file deleted a person or a class but not their enrollments); a target
// must not receive it. Optional references to such records are trimmed (see Trim).
func (g *Graph) Complete() *Filter {
	g.whole()
	f := &Filter{g: g, orgs: make([]bool, len(g.org)), sessions: make([]bool, len(g.session)), courses: make([]bool, len(g.course)),
		classes: make([]bool, len(g.class)), user: make([]bool, len(g.user)), placed: make([]bool, len(g.user))}
	f.covered = f.orgs
	for n, o := range g.org {
		f.orgs[n] = o.present
	}
	for n, s := range g.session {
		f.sessions[n] = s.present
	}
	for n, c := range g.course {
		f.courses[n] = c.present && c.org != none && f.orgs[c.org]
	}
	for n, c := range g.class {
		f.classes[n] = c.present && c.school != none && f.orgs[c.school] && c.course != none && f.courses[c.course]
	}
	for n, u := range g.user {
		f.user[n] = u.present
	}
	return f
}

// Totals counts the records of each entity the filter lets through.
func (f *Filter) Totals() map[roster.Entity]int {
	g := f.g
	g.whole()
	in := func(set []bool, n int) bool { return f.all || set[n] }
	t := map[roster.Entity]int{}
	for n, o := range g.org {
		if o.present && in(f.orgs, n) {
			t[roster.Orgs]++
		}
	}
	for n, s := range g.session {
		if s.present && in(f.sessions, n) {
			t[roster.AcademicSessions]++
		}
	}
	for n, c := range g.course {
		if c.present && in(f.courses, n) {
			t[roster.Courses]++
		}
	}
	for n, c := range g.class {
		if c.present && in(f.classes, n) {
			t[roster.Classes]++
		}
	}
	for n, u := range g.user {
		if u.present && in(f.user, n) {
			t[roster.Users]++
		}
		if u.demographics && (in(f.user, n) || u.demographicsGone && f.deletes(int32(n))) {
			t[roster.Demographics]++
		}
	}
	for _, r := range g.roles {
		if f.all || (r.org != none && f.orgs[r.org] && (f.user[r.user] || r.gone && f.deletes(r.user))) {
			t[roster.Roles]++
		}
	}
	for _, e := range g.enrolls {
		if f.all || f.enrollment(e) {
			t[roster.Enrollments]++
		}
	}
	return t
}
