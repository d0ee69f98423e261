package selection_test

import (
	"slices"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/selection"
)

func TestAddOrgsOnlyAdds(t *testing.T) {
	g, _ := generated(t, 300)
	var district string
	schools := []string{}
	for _, o := range g.Orgs(selection.Default()) {
		switch o.Type {
		case "school":
			schools = append(schools, o.ID)
		case "district":
			district = o.ID
		}
	}
	if len(schools) < 2 || district == "" {
		t.Fatalf("the generated district has schools %v, district %q", schools, district)
	}
	classesOf := func(sel selection.Selection, school string) (all, chosen int) {
		for _, c := range g.Classes(sel) {
			if c.SchoolID == school {
				all++
				if c.Selected {
					chosen++
				}
			}
		}
		return all, chosen
	}

	// One school chosen with one of its classes; adding it and a second school adds the second with
	// all its classes and leaves the first as it was.
	first := selection.Default()
	first.Saved, first.OrgsAll, first.Orgs, first.ClassesAll = true, false, []string{schools[0]}, false
	for _, c := range g.Classes(first) {
		first.Classes = []string{c.ID}
		break
	}
	sel, out, err := g.AddOrgs(first, []string{schools[1], schools[0], schools[1]})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Added, []string{schools[1]}) || !slices.Equal(out.Already, []string{schools[0]}) {
		t.Fatalf("added %v, already %v", out.Added, out.Already)
	}
	if want := slices.Sorted(slices.Values(schools[:2])); !slices.Equal(sel.Orgs, want) {
		t.Errorf("orgs %v, want %v", sel.Orgs, want)
	}
	if all, chosen := classesOf(sel, schools[1]); all == 0 || chosen != all || out.Classes != all {
		t.Errorf("the added school's classes: %d of %d chosen, %d counted", chosen, all, out.Classes)
	}
	if all, chosen := classesOf(sel, schools[0]); chosen != 1 || all < 2 {
		t.Errorf("the first school's classes changed: %d of %d chosen", chosen, all)
	}
	if len(first.Orgs) != 1 || len(first.Classes) != 1 {
		t.Errorf("the selection passed in was changed: %+v", first)
	}

	// A school below a chosen district is there already.
	byDistrict := selection.Default()
	byDistrict.Saved, byDistrict.OrgsAll, byDistrict.Orgs = true, false, []string{district}
	if sel, out, _ := g.AddOrgs(byDistrict, schools[1:2]); len(out.Added) != 0 || !slices.Equal(out.Already, schools[1:2]) || !slices.Equal(sel.Orgs, []string{district}) {
		t.Errorf("below the district: %+v, orgs %v", out, sel.Orgs)
	}

	// A selection that sends every org, or that nobody chose (everything goes), stays as it is.
	for _, every := range []selection.Selection{selection.Default(), selection.Everything()} {
		sel, out, err := g.AddOrgs(every, schools[:2])
		if err != nil || len(out.Added) != 0 || len(out.Already) != 2 || sel.Saved != every.Saved || !sel.OrgsAll {
			t.Errorf("every org (saved %v): %+v %+v %v", every.Saved, out, sel, err)
		}
	}

	// An ID the graph has no org of (gone, or being deleted) is passed over and listed; the others are added.
	if sel, out, err := g.AddOrgs(first, []string{schools[1], "org-nope"}); err != nil || !slices.Equal(out.Missing, []string{"org-nope"}) ||
		!slices.Equal(out.Added, schools[1:2]) || slices.Contains(sel.Orgs, "org-nope") {
		t.Errorf("unknown org: %+v %v %v", out, sel.Orgs, err)
	}
}
