package api

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// importDistrict imports a generated district through the facades and returns the source's card.
func importDistrict(t *testing.T, f facades, students int) ConnectionCard {
	t.Helper()
	zip := filepath.Join(f.dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: students, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	card, err := f.conns.Add(connections.Request{Name: "SIS", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	if job := f.wait(t, f.sync.StartImport(card.ID, false)); job.Status != jobs.Succeeded {
		t.Fatalf("import: %+v", job)
	}
	return card
}

// The roster browser's filters, as the window asks: choices from the data, a filtered page and the
// IDs of everything it matches ("select all filtered").
func TestBrowseFilteredAndItsIDs(t *testing.T) {
	f := newFacades(t)
	importDistrict(t, f, 300)
	choices, err := f.roster.FilterChoices("users")
	if err != nil || len(choices.Schools) < 2 || len(choices.Grades) == 0 || !slices.Contains(choices.Roles, "student") {
		t.Fatalf("choices %+v %v", choices, err)
	}
	all, _ := f.roster.Browse(BrowseRequest{Entity: "users", Limit: 1})
	req := BrowseRequest{Entity: "users", Filter: store.RosterFilter{School: choices.Schools[0].Value, Role: "student"}, Limit: 1000}
	page, err := f.roster.Browse(req)
	if err != nil || page.Total == 0 || page.Total >= all.Total || len(page.Rows) != page.Total {
		t.Fatalf("students of %s: %d of %d, %v", choices.Schools[0].Label, page.Total, all.Total, err)
	}
	ids, err := f.roster.BrowseIDs(req)
	if err != nil || ids.Total != page.Total || len(ids.IDs) != page.Total {
		t.Fatalf("IDs: %d of %d, page %d, %v", len(ids.IDs), ids.Total, page.Total, err)
	}
	for i, row := range page.Rows {
		if ids.IDs[i] != row[0] {
			t.Fatalf("ID %d is %s, the page's row %s", i, ids.IDs[i], row[0])
		}
	}
	req.Search = page.Rows[0][2] // familyName
	if narrowed, _ := f.roster.Browse(req); narrowed.Total == 0 || narrowed.Total > page.Total {
		t.Errorf("search within the filter: %d of %d", narrowed.Total, page.Total)
	}
	if _, err := f.roster.Browse(BrowseRequest{Entity: "orgs", Filter: store.RosterFilter{Grade: "09"}}); apperr.From(err).Code != apperr.CodeInvalid {
		t.Errorf("orgs by grade: %v", err)
	}
	if _, err := f.roster.BrowseIDs(BrowseRequest{Entity: "passwords"}); apperr.From(err).Code != apperr.CodeInvalid {
		t.Errorf("unknown entity: %v", err)
	}
}

// "Set sync connection": schools chosen in the roster browser are added to a target's selection,
// first as a dry run for the confirmation, then saved; the wizard then shows them chosen.
func TestAddOrgsToATargetsSelection(t *testing.T) {
	f := newFacades(t)
	source := importDistrict(t, f, 300)
	target, err := f.conns.Add(connections.Request{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": f.dir}})
	if err != nil {
		t.Fatal(err)
	}
	view, err := f.sel.View(target.ID)
	if err != nil {
		t.Fatal(err)
	}
	schools := []string{}
	for _, o := range view.Orgs {
		if o.Type == "school" {
			schools = append(schools, o.ID)
		}
	}
	slices.Sort(schools)
	// Nobody chose for it yet: it sends every school, so nothing changes.
	if out, err := f.sel.AddOrgs(target.ID, schools, false); err != nil || len(out.Added) != 0 || len(out.Already) != len(schools) {
		t.Fatalf("every school: %+v %v", out, err)
	}
	if v, _ := f.sel.View(target.ID); v.Selection.Saved {
		t.Fatal("adding to a selection that sends everything saved one")
	}
	none := view.Selection
	none.OrgsAll, none.Orgs = false, nil
	if _, err := f.sel.Save(target.ID, none); err != nil {
		t.Fatal(err)
	}
	out, err := f.sel.AddOrgs(target.ID, schools[:2], true)
	if err != nil || !slices.Equal(out.Added, schools[:2]) || out.Classes != 0 {
		t.Fatalf("dry run: %+v %v", out, err)
	}
	if v, _ := f.sel.View(target.ID); len(v.Selection.Orgs) != 0 {
		t.Fatalf("the dry run saved %v", v.Selection.Orgs)
	}
	if out, err = f.sel.AddOrgs(target.ID, schools[:2], false); err != nil || len(out.Added) != 2 {
		t.Fatalf("add: %+v %v", out, err)
	}
	v, _ := f.sel.View(target.ID)
	chosen := []string{}
	for _, o := range v.Orgs {
		if o.Selected {
			chosen = append(chosen, o.ID)
		}
	}
	if slices.Sort(chosen); !slices.Equal(chosen, schools[:2]) || !v.Selection.ClassesAll {
		t.Fatalf("the wizard shows %v chosen, want %v", chosen, schools[:2])
	}
	if out, _ := f.sel.AddOrgs(target.ID, schools[:2], false); len(out.Added) != 0 || len(out.Already) != 2 {
		t.Errorf("added again: %+v", out)
	}
	if out, err := f.sel.AddOrgs(target.ID, []string{"org-nope"}, false); err != nil || !slices.Equal(out.Missing, []string{"org-nope"}) || len(out.Added) != 0 {
		t.Errorf("unknown org: %+v %v", out, err)
	}
	if _, err := f.sel.AddOrgs(source.ID, schools[:1], false); apperr.From(err).Code != apperr.CodeInvalid {
		t.Errorf("a source: %v", err)
	}
}
