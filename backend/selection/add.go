package selection

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// OrgsAdded says what adding orgs to a selection changes ("Set sync connection" in the roster browser).
type OrgsAdded struct {
	Added   []string `json:"added"`   // orgs the selection did not let through and now does
	Already []string `json:"already"` // orgs it let through already (chosen, below a chosen org, or every org)
	Classes int      `json:"classes"` // classes of the added orgs chosen with them (when classes are chosen one by one)
}

// AddOrgs adds orgs to a selection and never takes anything away: a selection that lets every org
// through has them already. When classes are chosen one by one, the classes of the added orgs are
// chosen too, so that an added school sends its classes. Unknown IDs are refused, naming them.
func (g *Graph) AddOrgs(sel Selection, ids []string) (Selection, OrgsAdded, error) {
	out := OrgsAdded{Added: []string{}, Already: []string{}}
	if unknown := g.Unknown(roster.Orgs, ids); len(unknown) > 0 {
		return sel, out, apperr.New(apperr.CodeNotFound, fmt.Sprintf("No org has the ID %s: refresh the roster browser and choose again.", strings.Join(unknown, ", ")))
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	covered := g.coveredOrgs(sel.Proposed()) // one nobody chose for lets every org through
	for _, id := range ids {
		if n, _ := g.orgs.find(id); covered[n] {
			out.Already = append(out.Already, id)
		} else {
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
			if id := g.classes.names[n]; cl.present && cl.school != none && added[cl.school] && !chosen[id] {
				sel.Classes = append(sel.Classes, id)
				out.Classes++
			}
		}
	}
	sel, err := sel.Normalize()
	return sel, out, err
}
