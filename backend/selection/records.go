package selection

import "github.com/rosterdesk/rosterdesk/backend/roster"

// Records is what a run of just some records sends (re-sync by IDs, the roster browser's Send to…):
// the records of entity e (orgs, classes or users) with these ids and, unless alone, the records
// they depend on (SPEC §2): an org's parents; a class's school, course (with its org and school
// year) and terms; a user's orgs through its roles, with those roles and its demographics. Nothing
// else goes, so what is sent is referentially complete (a user's guardians who are not chosen are
// trimmed from it). Alone, just those records go, as they are. missing lists the ids the roster
// has no live record of.
func (g *Graph) Records(e roster.Entity, ids []string, alone bool) (f *Filter, missing []string) {
	f = g.chosen(e, alone)
	users := map[int32]bool{}
	for _, id := range ids {
		n, ok := g.find(e, id)
		if !ok {
			missing = append(missing, id)
			continue
		}
		switch e {
		case roster.Orgs:
			if alone { // not its parents
				f.orgs[n] = true
			} else {
				f.keepOrg(n)
			}
		case roster.Classes:
			f.keepClass(n)
		case roster.Users:
			users[n] = true
		}
	}
	f.keepUsers(users)
	return f, missing
}

// Enrollments is Records for enrollments, given as the roster's records of them (the graph holds
// no enrollment ids): with their class (and what it depends on), user (with its orgs, roles and
// demographics) and school, unless alone. Only these enrollments go, not others of their classes.
func (g *Graph) Enrollments(enrollments []roster.Record, alone bool) *Filter {
	f := g.chosen(roster.Enrollments, alone)
	f.enrollments = map[string]bool{}
	users := map[int32]bool{}
	for _, rec := range enrollments {
		f.enrollments[rec.SourcedID()] = true
		if n, ok := g.find(roster.Classes, rec.Get("classSourcedId")); ok {
			f.keepClass(n)
		}
		if n, ok := g.find(roster.Orgs, rec.Get("schoolSourcedId")); ok {
			f.keepOrg(n)
		}
		if n, ok := g.find(roster.Users, rec.Get("userSourcedId")); ok {
			users[n] = true
		}
	}
	f.keepUsers(users)
	return f
}

// chosen is an empty filter for a run of chosen records of e; alone, it keeps records of e only.
func (g *Graph) chosen(e roster.Entity, alone bool) *Filter {
	f := &Filter{g: g, orgs: make([]bool, len(g.org)), sessions: make([]bool, len(g.session)), courses: make([]bool, len(g.course)),
		classes: make([]bool, len(g.class)), user: make([]bool, len(g.user)), placed: make([]bool, len(g.user))}
	f.covered = f.orgs
	if alone {
		f.only = e
	}
	return f
}

// keepUsers keeps users with the orgs of their roles, so that the roles go too.
func (f *Filter) keepUsers(users map[int32]bool) {
	if len(users) == 0 {
		return
	}
	for n := range users {
		f.user[n], f.placed[n] = true, true
	}
	for _, r := range f.g.roles {
		if users[r.user] && !r.gone && r.org != none {
			f.keepOrg(r.org)
		}
	}
}

// find returns the node of a live record of entity e (orgs, classes or users).
func (g *Graph) find(e roster.Entity, id string) (int32, bool) {
	var n int32
	var ok, present bool
	switch e {
	case roster.Orgs:
		if n, ok = g.orgs.find(id); ok {
			present = g.org[n].present
		}
	case roster.Classes:
		if n, ok = g.classes.find(id); ok {
			present = g.class[n].present
		}
	case roster.Users:
		if n, ok = g.users.find(id); ok {
			present = g.user[n].present
		}
	}
	return n, present
}

// keepClass keeps a class and what it depends on.
func (f *Filter) keepClass(n int32) {
	f.classes[n] = true
	cl := f.g.class[n]
	f.keepOrg(cl.school)
	for _, t := range f.g.classTerms(cl) {
		f.keepSession(t)
	}
	if cl.course != none {
		f.courses[cl.course] = true
		co := f.g.course[cl.course]
		f.keepOrg(co.org)
		f.keepSession(co.year)
	}
}
