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
	return g.orgs.names[n]
}

// Orgs lists every org, districts first then by name, with what the selection has chosen.
func (g *Graph) Orgs(sel Selection) []OrgRow {
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
		if school := g.class[e.class].school; school != none && !e.gone {
			pairs = append(pairs, uint64(school)<<32|uint64(uint32(e.user)))
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	for _, p := range pairs {
		users[p>>32]++
	}
	chosen := map[string]bool{}
	for _, id := range sel.Orgs {
		chosen[id] = true
	}
	out := []OrgRow{}
	for n, o := range g.org {
		if !o.present {
			continue
		}
		id := g.orgs.names[n]
		out = append(out, OrgRow{ID: id, Name: o.name, Type: o.typ, Identifier: o.identifier, Parent: g.orgName(o.parent),
			Classes: classes[n], Users: users[n], Selected: sel.OrgsAll || !sel.Saved || chosen[id]})
	}
	rank := func(t string) int {
		return slices.Index([]string{"national", "state", "local", "district", "school", "department"}, t)
	}
	slices.SortFunc(out, func(a, b OrgRow) int {
		if d := rank(a.Type) - rank(b.Type); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out
}

// Classes lists the classes of the chosen orgs (and the orgs below them) by school and title, each
// with its enrollments that are not being deleted.
func (g *Graph) Classes(sel Selection) []ClassRow {
	covered := g.coveredOrgs(sel.Proposed())
	picked := map[string]bool{}
	for _, id := range sel.Classes {
		picked[id] = true
	}
	enrollments := make([]int, len(g.class))
	for _, e := range g.enrolls {
		if !e.gone {
			enrollments[e.class]++
		}
	}
	out := []ClassRow{}
	for n, cl := range g.class {
		if !cl.present || cl.school == none || !covered[cl.school] {
			continue
		}
		id := g.classes.names[n]
		out = append(out, ClassRow{ID: id, Title: cl.title, Code: cl.code, Type: cl.ctype, School: g.orgName(cl.school),
			SchoolID: g.orgs.names[cl.school], Enrollments: enrollments[n], Selected: sel.ClassesAll || !sel.Saved || picked[id]})
	}
	slices.SortFunc(out, func(a, b ClassRow) int {
		if d := strings.Compare(strings.ToLower(a.School), strings.ToLower(b.School)); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return out
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
			role := u.role
			if role == "" {
				role = "none"
			}
			counts[StatusCount{Status: u.status, Role: role}]++
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
			out = append(out, g.orgs.names[n])
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
