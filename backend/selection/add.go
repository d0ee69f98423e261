package selection

import "slices"

// OrgsAdded says what adding orgs to a selection changes ("Set sync connection" in the roster browser).
type OrgsAdded struct {
	Added   []string `json:"added"`   // orgs the selection did not let through and now does
	Already []string `json:"already"` // orgs it let through already (chosen, below a chosen org, or every org)
	Missing []string `json:"missing"` // orgs not in what it chooses from (gone, or being deleted): passed over
	Classes int      `json:"classes"` // classes of the added orgs chosen with them (when classes are chosen one by one)
}

// AddOrgs adds orgs to a selection and never takes anything away: a selection that lets every org
// through has them already. When classes are chosen one by one, the classes of the added orgs are
// chosen too, so that an added school sends its classes. IDs the graph has no org of (an org being
// deleted is not sent) are passed over and listed.
func (g *Graph) AddOrgs(sel Selection, ids []string) (Selection, OrgsAdded, error) {
	out := OrgsAdded{Added: []string{}, Already: []string{}, Missing: []string{}}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	covered := g.coveredOrgs(sel.Proposed()) // one nobody chose for lets every org through
	for _, id := range ids {
		n, ok := g.orgs.find(id)
		switch {
		case !ok || !g.org[n].present:
			out.Missing = append(out.Missing, id)
		case covered[n]:
			out.Already = append(out.Already, id)
		default:
			out.Added = append(out.Added, id)
		}
	}
	sel.Orgs = append(slices.Clone(sel.Orgs), out.Added...)
	if !sel.ClassesAll && len(out.Added) > 0 {
		added := g.coveredOrgs(Selection{Saved: true, Orgs: out.Added})
		chosen := map[string]bool{}
		for _, id := range sel.Classes {
			chosen[id] = true
		}
		sel.Classes = slices.Clone(sel.Classes)
		for n, cl := range g.class {
			if id := g.classes.at(int32(n)); cl.present && cl.school != none && added[cl.school] && !chosen[id] {
				sel.Classes = append(sel.Classes, id)
				out.Classes++
			}
		}
	}
	sel, err := sel.Normalize()
	return sel, out, err
}
