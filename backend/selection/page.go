package selection

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// What a pick list lists.
const (
	ListOrgs    = "orgs"
	ListClasses = "classes"
)

// ListQuery asks for one page of the wizard's schools or classes step. The lists stay in the
// backend, where the graph is: a district has 24,000 classes, and the window shows a page of them.
type ListQuery struct {
	What       string `json:"what"`       // ListOrgs or ListClasses
	Search     string `json:"search"`     // every word typed appears in the row's name, ids, code or school
	OnlyChosen bool   `json:"onlyChosen"` // only the rows that are ticked
	Sort       string `json:"sort"`       // a column's key (OrgRow's or ClassRow's JSON names); "" is the default order
	Desc       bool   `json:"desc"`
	Offset     int    `json:"offset"`
	Limit      int    `json:"limit"`
}

// Page is one page of a pick list, with the counts of the whole list.
type Page struct {
	Orgs    []OrgRow   `json:"orgs"`
	Classes []ClassRow `json:"classes"`
	Matched int        `json:"matched"` // rows the search and "only chosen" let through
	Listed  int        `json:"listed"`  // rows of the list
	Chosen  int        `json:"chosen"`  // rows of the list that are ticked
}

// maxLimit bounds a page: a window shows a few dozen rows.
const maxLimit = 500

// list is a pick list for one selection: its rows (indices into the listing) and which are ticked.
type list struct {
	what   string
	rows   []int
	ticked []bool // by listing index: chosen, or sent by a chosen org above it
	chosen []bool // by listing index: chosen itself
	l      *listing
}

func (g *Graph) pickList(sel Selection, what string) (list, error) {
	l := g.listed()
	switch what {
	case ListOrgs:
		t := g.orgTicks(sel)
		out := list{what: what, l: l, ticked: make([]bool, len(l.orgs)), chosen: t.selected}
		for i := range l.orgs {
			out.rows = append(out.rows, i)
			out.ticked[i] = t.selected[i] || t.covered[i]
		}
		return out, nil
	case ListClasses:
		shown, selected := g.classTicks(sel)
		out := list{what: what, l: l, ticked: selected, chosen: selected}
		for i := range l.classes {
			if shown[i] {
				out.rows = append(out.rows, i)
			}
		}
		return out, nil
	}
	return list{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The wizard lists orgs or classes, not %q.", what))
}

func (p list) id(i int) string {
	if p.what == ListOrgs {
		return p.l.orgs[i].ID
	}
	return p.l.classes[i].ID
}

// matching returns the rows the query's search and switch let through, in the order it asks.
func (p list) matching(q ListQuery) []int {
	words := strings.Fields(strings.ToLower(q.Search))
	text := p.l.classText
	if p.what == ListOrgs {
		text = p.l.orgText
	}
	out := []int{}
	for _, i := range p.rows {
		if q.OnlyChosen && !p.ticked[i] {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(text[i], w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	if by := p.order(q.Sort); by != nil {
		// Stable, so equal values keep the default order; descending reverses the values only.
		slices.SortStableFunc(out, func(a, b int) int {
			if q.Desc {
				return by(b, a)
			}
			return by(a, b)
		})
	}
	return out
}

// order compares two rows by a column; nil keeps the default order.
func (p list) order(column string) func(a, b int) int {
	l := p.l
	return map[string]func(a, b int) int{
		ListOrgs + " name":           by(func(i int) string { return l.orgLower[i][0] }),
		ListOrgs + " parent":         by(func(i int) string { return l.orgLower[i][1] }),
		ListOrgs + " type":           by(func(i int) string { return l.orgs[i].Type }),
		ListOrgs + " id":             by(func(i int) string { return l.orgs[i].ID }),
		ListOrgs + " identifier":     by(func(i int) string { return l.orgs[i].Identifier }),
		ListOrgs + " classes":        by(func(i int) int { return l.orgs[i].Classes }),
		ListOrgs + " users":          by(func(i int) int { return l.orgs[i].Users }),
		ListClasses + " title":       by(func(i int) string { return l.classLower[i][0] }),
		ListClasses + " school":      by(func(i int) string { return l.classLower[i][1] }),
		ListClasses + " code":        by(func(i int) string { return l.classes[i].Code }),
		ListClasses + " type":        by(func(i int) string { return l.classes[i].Type }),
		ListClasses + " id":          by(func(i int) string { return l.classes[i].ID }),
		ListClasses + " enrollments": by(func(i int) int { return l.classes[i].Enrollments }),
	}[p.what+" "+column]
}

// by compares two rows by a value of theirs.
func by[T cmp.Ordered](value func(row int) T) func(a, b int) int {
	return func(a, b int) int { return cmp.Compare(value(a), value(b)) }
}

// Page returns the page of the pick list the query asks for.
func (g *Graph) Page(sel Selection, q ListQuery) (Page, error) {
	sel = sel.Proposed()
	p, err := g.pickList(sel, q.What)
	if err != nil {
		return Page{}, err
	}
	return p.page(q), nil
}

func (p list) page(q ListQuery) Page {
	matched := p.matching(q)
	out := Page{Orgs: []OrgRow{}, Classes: []ClassRow{}, Matched: len(matched), Listed: len(p.rows)}
	for _, i := range p.rows {
		if p.ticked[i] {
			out.Chosen++
		}
	}
	limit := min(max(q.Limit, 1), maxLimit)
	from := min(max(q.Offset, 0), len(matched))
	for _, i := range matched[from:min(from+limit, len(matched))] {
		if p.what == ListOrgs {
			r := p.l.orgs[i]
			r.Selected, r.Covered = p.chosen[i], p.ticked[i] && !p.chosen[i]
			out.Orgs = append(out.Orgs, r)
		} else {
			r := p.l.classes[i]
			r.Selected = p.ticked[i]
			out.Classes = append(out.Classes, r)
		}
	}
	return out
}

// ChooseQuery ticks or unticks rows of a pick list: those named, or with no IDs every row the
// query's search and switch let through (Select all / none).
type ChooseQuery struct {
	ListQuery
	IDs []string `json:"ids"`
	On  bool     `json:"on"`
}

// Chosen is a selection after ticks, with the page of the list the query shows.
type Chosen struct {
	Selection Selection `json:"selection"`
	Page      Page      `json:"page"`
	// Split names the orgs that were chosen whole and are not any more, because an org below them
	// was unticked: the other orgs below them are chosen one by one instead (Instead of them).
	Split   []string `json:"split"`
	Instead int      `json:"instead"`
	// Unticked names the orgs unticked that one of Split had sent.
	Unticked []string `json:"unticked"`
}

// Choose ticks or unticks rows. Ticking every listed row chooses "all", so that rows a later fetch
// adds go through too; ids not listed now (classes of a school not chosen at the moment) stay chosen
// for when they are listed again. Unticking an org that a chosen org above it sends (a school of a
// chosen district) unchooses that org above and chooses the other orgs below it instead, so that
// the school really stops going through and its neighbours still go.
func (g *Graph) Choose(sel Selection, q ChooseQuery) (Chosen, error) {
	sel = sel.Proposed()
	p, err := g.pickList(sel, q.What)
	if err != nil {
		return Chosen{}, err
	}
	set := map[string]bool{}
	all, ids := sel.ClassesAll, sel.Classes
	if q.What == ListOrgs {
		all, ids = sel.OrgsAll, sel.Orgs
	}
	if all {
		for _, i := range p.rows {
			set[p.id(i)] = true
		}
	} else {
		for _, id := range ids {
			set[id] = true
		}
	}
	targets := q.IDs
	if len(targets) == 0 {
		for _, i := range p.matching(q.ListQuery) {
			targets = append(targets, p.id(i))
		}
	}
	out := Chosen{Split: []string{}, Unticked: []string{}}
	for _, id := range targets {
		if q.On {
			set[id] = true
		} else {
			delete(set, id)
		}
	}
	if q.What == ListOrgs && !q.On {
		out.Split, out.Instead, out.Unticked = g.split(set, targets)
	}
	all = len(p.rows) > 0
	for _, i := range p.rows {
		all = all && set[p.id(i)]
	}
	ids = []string{}
	if !all {
		for id := range set {
			ids = append(ids, id)
		}
	}
	if q.What == ListOrgs {
		sel.OrgsAll, sel.Orgs = all, ids
	} else {
		sel.ClassesAll, sel.Classes = all, ids
	}
	if sel, err = sel.Normalize(); err != nil {
		return Chosen{}, err
	}
	out.Selection = sel
	if p, err = g.pickList(sel, q.What); err != nil {
		return Chosen{}, err
	}
	out.Page = p.page(q.ListQuery)
	return out, nil
}

// split unchooses, in set, every chosen org above an unticked one, and chooses instead the orgs
// below it that neither are unticked, below an unticked one, nor above one (which would send it
// again). It returns the names of the orgs split, how many orgs are chosen instead, and the names of
// the unticked orgs they had sent.
func (g *Graph) split(set map[string]bool, unticked []string) (split []string, instead int, sent []string) {
	split, sent = []string{}, []string{}
	out := make([]bool, len(g.org))   // unticked
	above := make([]bool, len(g.org)) // above an unticked org
	splitAt := make([]bool, len(g.org))
	for _, id := range unticked {
		n, ok := g.orgs.find(id)
		if !ok {
			continue
		}
		out[n] = true
		covered := false
		for at, steps := g.org[n].parent, 0; at != none && steps <= len(g.org); at, steps = g.org[at].parent, steps+1 {
			above[at] = true
			if set[g.orgs.at(at)] {
				if !splitAt[at] {
					split = append(split, g.orgName(at))
				}
				splitAt[at], covered = true, true
			}
		}
		if covered {
			sent = append(sent, g.orgName(n))
		}
	}
	if len(split) == 0 {
		return split, 0, sent
	}
	for n, s := range splitAt {
		if s {
			delete(set, g.orgs.at(int32(n)))
		}
	}
	for n, o := range g.org {
		if !o.present || above[n] {
			continue
		}
		// Chosen instead when below a split org with no unticked org on the way up.
		for at, steps := int32(n), 0; at != none && steps <= len(g.org); at, steps = g.org[at].parent, steps+1 {
			if out[at] {
				break
			}
			if splitAt[at] {
				set[g.orgs.at(int32(n))] = true
				instead++
				break
			}
		}
	}
	return split, instead, sent
}
