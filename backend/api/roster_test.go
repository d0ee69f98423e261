package api

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/xuri/excelize/v2"
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
	all, _ := f.roster.Count(BrowseRequest{Entity: "users"})
	req := BrowseRequest{Entity: "users", Filter: store.RosterFilter{School: choices.Schools[0].Value, Role: "student"}, Limit: 1000}
	page, err := f.roster.Browse(req)
	if err != nil || page.Total == 0 || page.Total >= all || len(page.Rows) != page.Total {
		t.Fatalf("students of %s: %d of %d, %v", choices.Schools[0].Label, page.Total, all, err)
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
	req.Search = page.Rows[0][slices.Index(page.Columns, "familyName")]
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

// Users show their role and school; "Export this view" writes exactly the rows the view shows, all of
// them in its order (not only the window asked for), with its columns, as XLSX and CSV.
func TestSaveViewWritesEveryRowTheViewShows(t *testing.T) {
	f := newFacades(t)
	t.Setenv("XDG_DOWNLOAD_DIR", filepath.Join(f.dir, "downloads"))
	importDistrict(t, f, 300)
	school, role := 0, 0
	req := BrowseRequest{Entity: "users", Sort: "familyName", Desc: true, Filter: store.RosterFilter{Role: "student"}, Limit: 1000}
	all, err := f.roster.Browse(req)
	if school, role = slices.Index(all.Columns, "school"), slices.Index(all.Columns, "role"); err != nil || school < 0 || role < 0 || len(all.Rows) < 2 {
		t.Fatalf("%v %v", all.Columns, err)
	}
	if r := all.Rows[0]; !strings.Contains(r[school], "School") || r[role] != "student" {
		t.Fatalf("a student's school and role: %v", r)
	}
	req.Match = map[string]string{"school": all.Rows[0][school]}
	want, _ := f.roster.Browse(req)
	if len(want.Rows) < 2 || len(want.Rows) >= len(all.Rows) {
		t.Fatalf("students of %s: %d of %d", all.Rows[0][school], len(want.Rows), len(all.Rows))
	}
	req.Limit = 1 // the window the browser last asked for does not matter
	xlsx, err := f.roster.SaveView(req, "xlsx")
	if err != nil || !strings.HasSuffix(xlsx, ".xlsx") {
		t.Fatal(xlsx, err)
	}
	got := sheetRows(t, xlsx, "users", len(want.Columns))
	if !slices.Equal(got[0], want.Columns) || !slices.EqualFunc(got[1:], want.Rows, slices.Equal) {
		t.Errorf("xlsx: %v rows, want %v then %d rows", got[0], want.Columns, len(want.Rows))
	}
	path, err := f.roster.SaveView(req, "csv")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	got, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF"))).ReadAll()
	if err != nil || !slices.Equal(got[0], want.Columns) || !slices.EqualFunc(got[1:], want.Rows, slices.Equal) {
		t.Errorf("csv: %d rows, %v", len(got), err)
	}
	if _, err := f.roster.SaveView(req, "pdf"); apperr.From(err).Code != apperr.CodeInvalid {
		t.Errorf("pdf: %v", err)
	}
}

// sheetRows reads a sheet of an XLSX the app saved, each row width cells long (excelize leaves out
// trailing blank cells).
func sheetRows(t *testing.T, path, sheet string, width int) [][]string {
	t.Helper()
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i] = append(rows[i], make([]string, max(width-len(rows[i]), 0))...)
	}
	return rows
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
	own := ownIntegration(t, f, target.ID, store.DirectionExport)
	view, err := f.sel.View(own)
	if err != nil {
		t.Fatal(err)
	}
	schools := []string{}
	for _, o := range orgRows(t, f, own, view.Selection) {
		if o.Type == "school" {
			schools = append(schools, o.ID)
		}
	}
	slices.Sort(schools)
	// Nobody chose for it yet: it sends every school, so nothing changes.
	if out, err := f.sel.AddOrgs(target.ID, schools, false); err != nil || len(out.Added) != 0 || len(out.Already) != len(schools) {
		t.Fatalf("every school: %+v %v", out, err)
	}
	if v, _ := f.sel.View(own); v.Selection.Saved {
		t.Fatal("adding to a selection that sends everything saved one")
	}
	none := view.Selection
	none.OrgsAll, none.Orgs = false, nil
	if _, err := f.sel.Save(own, none); err != nil {
		t.Fatal(err)
	}
	out, err := f.sel.AddOrgs(target.ID, schools[:2], true)
	if err != nil || !slices.Equal(out.Added, schools[:2]) || out.Classes != 0 {
		t.Fatalf("dry run: %+v %v", out, err)
	}
	if v, _ := f.sel.View(own); len(v.Selection.Orgs) != 0 {
		t.Fatalf("the dry run saved %v", v.Selection.Orgs)
	}
	if out, err = f.sel.AddOrgs(target.ID, schools[:2], false); err != nil || len(out.Added) != 2 {
		t.Fatalf("add: %+v %v", out, err)
	}
	v, _ := f.sel.View(own)
	chosen := []string{}
	for _, o := range orgRows(t, f, own, v.Selection) {
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
