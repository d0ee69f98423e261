package selection_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// guardiansOf lists the guardians, parents and relatives linked (agentSourcedIds, either way) to a
// user of sent who is not one of them.
func guardiansOf(records []roster.Record, sent map[string]roster.Record) map[string]bool {
	role := map[string]string{}
	for _, rec := range records {
		if rec.Entity == roster.Roles && role[rec.Get("userSourcedId")] == "" {
			role[rec.Get("userSourcedId")] = rec.Get("role")
		}
	}
	isGuardian := func(id string) bool { return slices.Contains([]string{"guardian", "parent", "relative"}, role[id]) }
	out := map[string]bool{}
	for _, rec := range records {
		if rec.Entity != roster.Users {
			continue
		}
		for _, a := range strings.Split(rec.Get("agentSourcedIds"), ",") {
			if _, ok := sent[rec.SourcedID()]; ok && !isGuardian(rec.SourcedID()) && isGuardian(a) {
				out[a] = true
			}
			if _, ok := sent[a]; ok && !isGuardian(a) && isGuardian(rec.SourcedID()) {
				out[rec.SourcedID()] = true
			}
		}
	}
	return out
}

// The wizard's default sends the guardians of the chosen students with them (with their roles, and
// the students' agent references intact); without the option none goes, as before.
func TestTheDefaultSendsTheGuardiansOfTheChosenStudents(t *testing.T) {
	g, records := generated(t, 300)
	if g.Guardians() == 0 {
		t.Fatal("the generated district has guardians")
	}
	school := ""
	for _, o := range g.Orgs(selection.Selection{}) {
		if o.Type == "school" {
			school = o.ID
			break
		}
	}
	sel := selection.Default()
	sel.Saved, sel.OrgsAll, sel.Orgs = true, false, []string{school}
	if !sel.Guardians {
		t.Fatal("the default includes guardians")
	}
	with := kept(g.Closure(sel), records)
	assertComplete(t, with)
	want := guardiansOf(records, with[roster.Users])
	if len(want) == 0 {
		t.Fatal("the school's students have guardians")
	}
	for id := range want {
		if _, ok := with[roster.Users][id]; !ok {
			t.Errorf("guardian %s of a chosen student does not go through", id)
		}
	}
	agents := 0
	for _, u := range with[roster.Users] {
		if u.Get("agentSourcedIds") != "" {
			agents++
		}
	}
	if agents == 0 {
		t.Error("the students' links to their guardians were trimmed")
	}
	sel.Guardians = false
	without := kept(g.Closure(sel), records)
	for id := range want {
		if _, ok := without[roster.Users][id]; ok {
			t.Errorf("guardian %s went through without the option", id)
		}
	}
	if len(with[roster.Users])-len(without[roster.Users]) != len(want) {
		t.Errorf("the option adds %d users, the chosen students have %d guardians", len(with[roster.Users])-len(without[roster.Users]), len(want))
	}
}

// A page of the classes list is searched, filtered to the chosen rows and sorted in the backend,
// with the counts of the whole list.
func TestAPageIsSearchedSortedAndFilteredWithTheCountsOfTheList(t *testing.T) {
	g, _ := generated(t, 300)
	sel := selection.Default()
	sel.Saved = true
	all := g.Classes(sel)
	p, err := g.Page(sel, selection.ListQuery{What: selection.ListClasses, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Classes) != 10 || p.Listed != len(all) || p.Matched != len(all) || p.Chosen != len(all) {
		t.Fatalf("page of %d, listed %d matched %d chosen %d; the list has %d", len(p.Classes), p.Listed, p.Matched, p.Chosen, len(all))
	}
	if p.Classes[0].ID != all[0].ID {
		t.Errorf("default order: first %s, want %s", p.Classes[0].ID, all[0].ID)
	}
	last, err := g.Page(sel, selection.ListQuery{What: selection.ListClasses, Offset: len(all) - 3, Limit: 10})
	if err != nil || len(last.Classes) != 3 {
		t.Fatalf("the last page: %d rows, %v", len(last.Classes), err)
	}
	sorted, _ := g.Page(sel, selection.ListQuery{What: selection.ListClasses, Sort: "enrollments", Desc: true, Limit: 500})
	for i := 1; i < len(sorted.Classes); i++ {
		if sorted.Classes[i-1].Enrollments < sorted.Classes[i].Enrollments {
			t.Fatalf("not sorted by enrollments, most first: %d then %d", sorted.Classes[i-1].Enrollments, sorted.Classes[i].Enrollments)
		}
	}
	byTitle, _ := g.Page(sel, selection.ListQuery{What: selection.ListClasses, Sort: "title", Limit: 500})
	if !slices.IsSortedFunc(byTitle.Classes, func(a, b selection.ClassRow) int {
		return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	}) {
		t.Error("not sorted by title")
	}
	// Search: every word, in any case; an id matches.
	one, _ := g.Page(sel, selection.ListQuery{What: selection.ListClasses, Search: strings.ToUpper(all[5].ID), Limit: 10})
	if one.Matched != 1 || one.Classes[0].ID != all[5].ID || one.Listed != len(all) {
		t.Errorf("search %s: %+v", all[5].ID, one)
	}
	// Only chosen: two classes chosen.
	sel.ClassesAll, sel.Classes = false, []string{all[1].ID, all[7].ID}
	chosen, _ := g.Page(sel, selection.ListQuery{What: selection.ListClasses, OnlyChosen: true, Limit: 10})
	if chosen.Matched != 2 || chosen.Chosen != 2 || len(chosen.Classes) != 2 || !chosen.Classes[0].Selected {
		t.Errorf("only chosen: %+v", chosen)
	}
	if _, err := g.Page(sel, selection.ListQuery{What: "users"}); err == nil {
		t.Error("a list of users is refused")
	}
}

// Select all / none act on what the search shows; choosing every class chooses "all".
func TestChooseActsOnTheSearchAndChoosingEveryRowIsAll(t *testing.T) {
	g, _ := generated(t, 300)
	sel := selection.Default()
	all := g.Classes(sel)
	q := selection.ListQuery{What: selection.ListClasses, Search: all[0].School, Limit: 10}
	none, err := g.Choose(sel, selection.ChooseQuery{ListQuery: q, On: false})
	if err != nil {
		t.Fatal(err)
	}
	school := 0
	for _, c := range all {
		if c.School == all[0].School {
			school++
		}
	}
	if none.Selection.ClassesAll || len(none.Selection.Classes) != len(all)-school || none.Page.Chosen != len(all)-school {
		t.Fatalf("Select none on %q: %d classes chosen, page says %d; want %d", all[0].School, len(none.Selection.Classes), none.Page.Chosen, len(all)-school)
	}
	back, _ := g.Choose(none.Selection, selection.ChooseQuery{ListQuery: selection.ListQuery{What: selection.ListClasses}, IDs: []string{}, On: true})
	if !back.Selection.ClassesAll || len(back.Selection.Classes) != 0 {
		t.Errorf("Select all chooses every class: %+v", back.Selection)
	}
	one, _ := g.Choose(sel, selection.ChooseQuery{ListQuery: selection.ListQuery{What: selection.ListClasses, Limit: 1}, IDs: []string{all[0].ID}, On: false})
	if len(one.Selection.Classes) != len(all)-1 || one.Page.Classes[0].Selected {
		t.Errorf("unticking one class: %d chosen, first row ticked %v", len(one.Selection.Classes), one.Page.Classes[0].Selected)
	}
}

// Unticking a school whose district is chosen unchooses the district and chooses its other schools
// instead, and says so; the school no longer goes through, its neighbours still do.
func TestUntickingASchoolOfAChosenDistrictChoosesTheOtherSchools(t *testing.T) {
	g, _ := generated(t, 300)
	var district selection.OrgRow
	var schools []selection.OrgRow
	for _, o := range g.Orgs(selection.Selection{}) {
		switch o.Type {
		case "district":
			district = o
		case "school":
			schools = append(schools, o)
		}
	}
	if district.ID == "" || len(schools) < 2 {
		t.Fatalf("a district with schools: %+v", schools)
	}
	for _, start := range []selection.Selection{selection.Default(), {Saved: true, Orgs: []string{district.ID}, ClassesAll: true, Statuses: selection.Statuses, HoldDelete: 10, HoldChange: 75}} {
		page, _ := g.Page(start, selection.ListQuery{What: selection.ListOrgs, Limit: 100})
		if page.Chosen != page.Listed {
			t.Fatalf("every org is ticked under the chosen district: %d of %d", page.Chosen, page.Listed)
		}
		got, err := g.Choose(start, selection.ChooseQuery{ListQuery: selection.ListQuery{What: selection.ListOrgs, Limit: 100}, IDs: []string{schools[0].ID}, On: false})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Split, []string{district.Name}) || !slices.Equal(got.Unticked, []string{schools[0].Name}) || got.Instead != len(schools)-1 {
			t.Errorf("split %v instead %d unticked %v; want %s, %d, %s", got.Split, got.Instead, got.Unticked, district.Name, len(schools)-1, schools[0].Name)
		}
		if got.Selection.OrgsAll || slices.Contains(got.Selection.Orgs, district.ID) || slices.Contains(got.Selection.Orgs, schools[0].ID) {
			t.Errorf("the district and the school are no longer chosen: %+v", got.Selection)
		}
		totals := g.Closure(got.Selection).Totals()
		if totals[roster.Orgs] != len(schools) { // the other schools and the district above them
			t.Errorf("%d orgs go through, want %d", totals[roster.Orgs], len(schools))
		}
		for _, c := range g.Classes(got.Selection) {
			if c.SchoolID == schools[0].ID {
				t.Errorf("class %s of the unticked school is still listed", c.ID)
			}
		}
	}
	// A school chosen by itself is just unticked.
	alone := selection.Default()
	alone.Saved, alone.OrgsAll, alone.Orgs = true, false, []string{schools[0].ID, schools[1].ID}
	got, _ := g.Choose(alone, selection.ChooseQuery{ListQuery: selection.ListQuery{What: selection.ListOrgs}, IDs: []string{schools[0].ID}, On: false})
	if len(got.Split) != 0 || !slices.Equal(got.Selection.Orgs, []string{schools[1].ID}) {
		t.Errorf("unticking a school chosen alone: %+v", got)
	}
}
