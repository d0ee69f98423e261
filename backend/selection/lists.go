package selection

import (
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// OrgRow is one org in the wizard's schools step and its spreadsheet.
type OrgRow struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
	Parent     string `json:"parent"` // the parent org's name (its id when it has no record)
	Classes    int    `json:"classes"`
	Users      int    `json:"users"` // distinct users enrolled in its classes (not by enrollments being deleted)
	Selected   bool   `json:"selected"`
	// Covered: not chosen itself, but an org above it is, which sends every org below it.
	Covered bool `json:"covered"`
}

// ClassRow is one class in the classes step and its spreadsheet.
type ClassRow struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Code        string `json:"code"`
	Type        string `json:"type"`
	School      string `json:"school"` // the school's name
	SchoolID    string `json:"schoolId"`
	Enrollments int    `json:"enrollments"`
	Selected    bool   `json:"selected"`
}

// StatusCount is how many users of one status and role the chosen orgs and classes reach.
type StatusCount struct {
	Status Status `json:"status"`
	Role   string `json:"role"`
	Count  int    `json:"count"`
}

func (g *Graph) orgName(n int32) string {
	if n == none {
		return ""
	}
	if o := g.org[n]; o.present && o.name != "" {
		return o.name
	}
	return g.orgs.at(n)
}

// listing is what the wizard's lists show of a built graph, in their default order (orgs: districts
// first then by name; classes: by school then title). It does not depend on the selection, and a
// district's counts take a while (600,000 enrollments), so it is computed once per graph.
type listing struct {
	orgs     []OrgRow
	orgNode  []int32
	orgText  []string // what the search looks in, lower-cased
	orgLower [][2]string
	// classes lists every class that has a school; a selection lists those of its covered orgs.
	classes     []ClassRow
	classSchool []int32
	classText   []string
	classLower  [][2]string // title and school, lower-cased, for sorting
}

// listed returns the graph's listing; the graph must be complete (no Add after the first call).
func (g *Graph) listed() *listing {
	g.listOnce.Do(func() { g.list = g.buildListing() })
	return &g.list
}

// Prepare computes the wizard's lists ahead of the wizard.
func (g *Graph) Prepare() { g.listed() }

func (g *Graph) buildListing() listing {
	var l listing
	classes := make([]int, len(g.org))
	for _, cl := range g.class {
		if cl.present && cl.school != none {
			classes[cl.school]++
		}
	}
	users := make([]int, len(g.org))
	// Distinct (school, user) pairs, counted by sorting them packed into one integer each.
	pairs := make([]uint64, 0, len(g.enrolls))
	for _, e := range g.enrolls {
		if school := g.class[e.class()].school; school != none && !e.gone() {
			pairs = append(pairs, uint64(school)<<32|uint64(uint32(e.user)))
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	for _, p := range pairs {
		users[p>>32]++
	}
	var nodes []int32
	for n, o := range g.org {
		if o.present {
			nodes = append(nodes, int32(n))
		}
	}
	rank := func(t string) int {
		return slices.Index([]string{"national", "state", "local", "district", "school", "department"}, t)
	}
	slices.SortFunc(nodes, func(a, b int32) int {
		if d := rank(g.org[a].typ) - rank(g.org[b].typ); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(g.org[a].name), strings.ToLower(g.org[b].name))
	})
	for _, n := range nodes {
		o := g.org[n]
		r := OrgRow{ID: g.orgs.at(n), Name: o.name, Type: o.typ, Identifier: o.identifier, Parent: g.orgName(o.parent),
			Classes: classes[n], Users: users[n]}
		l.orgs = append(l.orgs, r)
		l.orgNode = append(l.orgNode, n)
		l.orgText = append(l.orgText, strings.ToLower(r.Name+" "+r.ID+" "+r.Identifier))
		l.orgLower = append(l.orgLower, [2]string{strings.ToLower(r.Name), strings.ToLower(r.Parent)})
	}

	enrollments := make([]int, len(g.class))
	for _, e := range g.enrolls {
		if !e.gone() {
			enrollments[e.class()]++
		}
	}
	type keyed struct {
		n             int32
		school, title string
	}
	var cls []keyed
	for n, cl := range g.class {
		if cl.present && cl.school != none {
			cls = append(cls, keyed{int32(n), strings.ToLower(g.orgName(cl.school)), strings.ToLower(g.texts.at(cl.title))})
		}
	}
	slices.SortFunc(cls, func(a, b keyed) int {
		if d := strings.Compare(a.school, b.school); d != 0 {
			return d
		}
		return strings.Compare(a.title, b.title)
	})
	for _, k := range cls {
		cl := g.class[k.n]
		r := ClassRow{ID: g.classes.at(k.n), Title: g.texts.at(cl.title), Code: g.texts.at(cl.code), Type: g.classTypes.name(cl.ctype), School: g.orgName(cl.school),
			SchoolID: g.orgs.at(cl.school), Enrollments: enrollments[k.n]}
		l.classes = append(l.classes, r)
		l.classSchool = append(l.classSchool, cl.school)
		l.classText = append(l.classText, strings.ToLower(r.Title+" "+r.Code+" "+r.ID+" "+r.School))
		l.classLower = append(l.classLower, [2]string{k.title, k.school})
	}
	return l
}

// Orgs lists every org, districts first then by name, with what the selection has chosen.
func (g *Graph) Orgs(sel Selection) []OrgRow {
	l := g.listed()
	ticks := g.orgTicks(sel)
	out := slices.Clone(l.orgs)
	for i := range out {
		out[i].Selected, out[i].Covered = ticks.selected[i], ticks.covered[i]
	}
	return out
}

// Classes lists the classes of the chosen orgs (and the orgs below them) by school and title, each
// with its enrollments that are not being deleted.
func (g *Graph) Classes(sel Selection) []ClassRow {
	l := g.listed()
	shown, selected := g.classTicks(sel)
	out := []ClassRow{}
	for i, r := range l.classes {
		if shown[i] {
			r.Selected = selected[i]
			out = append(out, r)
		}
	}
	return out
}

// orgTicks says, per row of the org listing, whether the selection chooses the org itself and
// whether it covers it through an org above it.
type orgTicks struct{ selected, covered []bool }

func (g *Graph) orgTicks(sel Selection) orgTicks {
	l := g.listed()
	chosen := map[string]bool{}
	for _, id := range sel.Orgs {
		chosen[id] = true
	}
	covered := g.coveredOrgs(sel.Proposed())
	t := orgTicks{make([]bool, len(l.orgs)), make([]bool, len(l.orgs))}
	for i, r := range l.orgs {
		t.selected[i] = sel.OrgsAll || !sel.Saved || chosen[r.ID]
		t.covered[i] = !t.selected[i] && covered[l.orgNode[i]]
	}
	return t
}

// classTicks says, per row of the class listing, whether the selection lists it (its school is
// covered) and chooses it.
func (g *Graph) classTicks(sel Selection) (shown, selected []bool) {
	l := g.listed()
	covered := g.coveredOrgs(sel.Proposed())
	picked := map[string]bool{}
	for _, id := range sel.Classes {
		picked[id] = true
	}
	shown, selected = make([]bool, len(l.classes)), make([]bool, len(l.classes))
	for i, r := range l.classes {
		shown[i] = covered[l.classSchool[i]]
		selected[i] = shown[i] && (sel.ClassesAll || !sel.Saved || picked[r.ID])
	}
	return shown, selected
}

// UserCounts counts, per status and role, the users the chosen orgs and classes reach whatever
// their status, so the registrar sees what each status would add.
func (g *Graph) UserCounts(sel Selection) []StatusCount {
	probe := sel.Proposed()
	probe.Statuses = Statuses
	f := g.Closure(probe)
	counts := map[StatusCount]int{}
	for n, u := range g.user {
		if u.present && (f.all || f.user[n]) {
			role := g.roleNames.name(u.role)
			if role == "" {
				role = "none"
			}
			counts[StatusCount{Status: u.Status(), Role: role}]++
		}
	}
	out := make([]StatusCount, 0, len(counts))
	for k, c := range counts {
		k.Count = c
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b StatusCount) int {
		if d := slices.Index(Statuses, a.Status) - slices.Index(Statuses, b.Status); d != 0 {
			return d
		}
		return strings.Compare(a.Role, b.Role)
	})
	return out
}

// Proposed is the selection as the wizard shows and edits it: one nobody saved yet becomes the
// default it proposes, saved once a step is left.
func (s Selection) Proposed() Selection {
	if !s.Saved {
		s = Default()
		s.Saved = true
	}
	return s
}

// Schools lists the schools the selection covers, for sources that can pull school by school; nil
// when it covers every org (pull everything).
func (g *Graph) Schools(sel Selection) []string {
	if sel.Full() || sel.OrgsAll {
		return nil
	}
	out := []string{}
	for n, covered := range g.coveredOrgs(sel) {
		if covered && g.org[n].typ == "school" {
			out = append(out, g.orgs.at(int32(n)))
		}
	}
	slices.Sort(out)
	return out
}

// Unknown returns the ids that name no org (or class) of the graph.
func (g *Graph) Unknown(e roster.Entity, ids []string) []string {
	out := []string{}
	for _, id := range ids {
		known := false
		switch e {
		case roster.Orgs:
			n, ok := g.orgs.find(id)
			known = ok && g.org[n].present
		case roster.Classes:
			n, ok := g.classes.find(id)
			known = ok && g.class[n].present
		}
		if !known {
			out = append(out, id)
		}
	}
	return out
}
