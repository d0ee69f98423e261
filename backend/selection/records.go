package selection

import "github.com/rosterdesk/rosterdesk/backend/roster"

// Records is what a run of just some records sends (the roster browser's Send to…): the records of
// entity e with these ids and the records they depend on (SPEC §2): an org's parents; a class's
// school, course (with its org and school year) and terms; a user's orgs through its roles, with
// those roles and its demographics. Nothing else goes, so what is sent is referentially complete
// (a user's guardians who are not chosen are trimmed from it). missing lists the ids the roster has
// no live record of.
func (g *Graph) Records(e roster.Entity, ids []string) (f *Filter, missing []string) {
	f = &Filter{g: g, orgs: make([]bool, len(g.org)), sessions: make([]bool, len(g.session)), courses: make([]bool, len(g.course)),
		classes: make([]bool, len(g.class)), user: make([]bool, len(g.user)), placed: make([]bool, len(g.user))}
	f.covered = f.orgs
	chosen := map[int32]bool{}
	for _, id := range ids {
		n, ok := g.find(e, id)
		if !ok {
			missing = append(missing, id)
			continue
		}
		chosen[n] = true
		switch e {
		case roster.Orgs:
			f.keepOrg(n)
		case roster.Classes:
			f.keepClass(n)
		case roster.Users:
			f.user[n], f.placed[n] = true, true
		}
	}
	if e == roster.Users {
		for _, r := range g.roles {
			if chosen[r.user] && !r.gone && r.org != none {
				f.keepOrg(r.org)
			}
		}
	}
	return f, missing
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
	for _, t := range cl.terms {
		f.keepSession(t)
	}
	if cl.course != none {
		f.courses[cl.course] = true
		co := f.g.course[cl.course]
		f.keepOrg(co.org)
		f.keepSession(co.year)
	}
}
