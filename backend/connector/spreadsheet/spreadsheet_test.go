package spreadsheet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/textfile/textfiletest"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// writeWorkbook saves rows (a header first) as the sheets of an .xlsx file through excelize's normal
// API, which stores text as shared strings like Excel and LibreOffice do.
func writeWorkbook(t *testing.T, path string, sheets map[string][][]any, order ...string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(name, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func mapping(m map[string]string) string {
	b, _ := json.Marshal(m)
	return string(b)
}

var peopleColumns = mapping(map[string]string{"Student ID": "sourcedId", "First Name": "givenName", "Last Name": "familyName", "Grade": "grades"})

func people(n int) [][]any {
	rows := [][]any{{"Student ID", "First Name", "Last Name", "Grade"}}
	for i := 1; i <= n; i++ {
		rows = append(rows, []any{1000 + i, fmt.Sprintf("Given%d", i), fmt.Sprintf("Family%d", i), 3})
	}
	return rows
}

func open(t *testing.T, settings map[string]string) connector.Source {
	t.Helper()
	return connectortest.Open(t, Kind(), settings, nil)
}

// staged stages the settings and reads the package back, failing on any error finding.
func staged(t *testing.T, settings map[string]string) map[roster.Entity]map[string]roster.Record {
	t.Helper()
	path, err := open(t, settings).Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	out := map[roster.Entity]map[string]roster.Record{}
	rep, err := pkg.Read(context.Background(), func(r roster.Record) error {
		if out[r.Entity] == nil {
			out[r.Entity] = map[string]roster.Record{}
		}
		out[r.Entity][r.SourcedID()] = r
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs := rep.Errors(); len(errs) > 0 {
		t.Fatalf("the staged package has errors: %+v", errs)
	}
	if pkg.Version() != "1.2" || pkg.Mode(roster.Users) != oneroster.ModeBulk && len(out[roster.Users]) > 0 {
		t.Fatalf("staged OneRoster %s, users %s", pkg.Version(), pkg.Mode(roster.Users))
	}
	return out
}

func TestConformance(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		dir := t.TempDir()
		path := filepath.Join(dir, "roster.xlsx")
		writeWorkbook(t, path, map[string][][]any{"Students": people(25)}, "Students")
		broken := filepath.Join(dir, "other.xlsx")
		writeWorkbook(t, broken, map[string][][]any{"Students": {{"Identifier", "First Name", "Last Name", "Grade"}, {1, "Ana", "Lopez", 3}}}, "Students")
		settings := func(p string) map[string]string {
			return map[string]string{"path": p, "sheet": "Students", "columns": peopleColumns}
		}
		return connectortest.Endpoint{
			Settings: settings(path), Users: 25,
			Broken: settings(broken), Failure: "is not in the header row",
			Change: func(t *testing.T) {
				writeWorkbook(t, path, map[string][][]any{"Students": people(3)}, "Students")
			},
		}
	})
}

func TestTestConnectionCountsRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "roster.xlsx")
	rows := people(245)
	rows = append(rows[:10:10], append([][]any{{}, {"", "  "}}, rows[10:]...)...) // blank rows do not count
	writeWorkbook(t, path, map[string][][]any{"Notes": {{"read me"}}, "Students": rows}, "Notes", "Students")
	msg, err := open(t, map[string]string{"path": path, "sheet": "students", "columns": peopleColumns}).Test(context.Background())
	if want := "Found 245 rows of people in sheet Students of roster.xlsx."; err != nil || msg != want {
		t.Fatalf("got %q, %v; want %q", msg, err, want)
	}

	_, err = open(t, map[string]string{"path": path, "sheet": "Staff", "columns": peopleColumns}).Test(context.Background())
	if err == nil || !strings.Contains(err.Error(), `no sheet named "Staff"; its sheets are: Notes, Students`) {
		t.Fatalf("a missing sheet: %v", err)
	}
	_, err = open(t, map[string]string{"path": path, "columns": peopleColumns}).Test(context.Background())
	if err == nil || !strings.Contains(err.Error(), `The column "First Name" (mapped to givenName) is not in the header row (row 1) of sheet Notes of roster.xlsx. The headers found there: read me.`) {
		t.Fatalf("the first sheet lacks the headers: %v", err)
	}
}

func TestTestConnectionMentionsBadCells(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	rows := people(4)
	rows[3][0] = ""
	writeWorkbook(t, path, map[string][][]any{"Students": rows}, "Students")
	msg, err := open(t, map[string]string{"path": path, "columns": peopleColumns}).Test(context.Background())
	if err != nil || !strings.Contains(msg, `Found 4 rows of people in sheet Students of roster.xlsx, but 1 cell cannot be read`) || !strings.Contains(msg, `row 4, column "Student ID"`) {
		t.Fatalf("got %q, %v", msg, err)
	}
}

func TestStagesPeopleWithDemographicsAndDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Students")
	header := []any{"Title", "", "", ""}
	data := [][]any{
		header,
		{"Student ID", "First", "Last", "Birth Date", "Sex", "School", "Enabled", "Grade"},
		{12345.0, "Ana", "López", 40183, "F", "s1", "", "K"},
		{"000123", "Ben", "Okafor", "", "", "", "no", "10; 11"},
	}
	for r, row := range data {
		ref, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("Students", ref, &row); err != nil {
			t.Fatal(err)
		}
	}
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	oneDecimal, _ := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00: the ID shows as 12345.00
	f.SetCellStyle("Students", "D3", "D3", date)
	f.SetCellStyle("Students", "A3", "A3", oneDecimal)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	got := staged(t, map[string]string{"path": path, "headerRow": "2", "columns": mapping(map[string]string{
		"Student ID": "sourcedId", "First": "givenName", "Last": "familyName", "Birth Date": "birthDate", "Sex": "sex",
		"School": "primaryOrgSourcedId", "Enabled": "enabledUser", "Grade": "grades"})})
	ana, ben := got[roster.Users]["12345"], got[roster.Users]["000123"]
	if ana.Values == nil || ben.Values == nil {
		t.Fatalf("users: %v", got[roster.Users])
	}
	if ana.Get("familyName") != "López" || ana.Get("enabledUser") != "true" || ana.Get("primaryOrgSourcedId") != "s1" || ana.Get("grades") != "K" {
		t.Errorf("ana: %q", ana.Values)
	}
	if ben.Get("enabledUser") != "false" || ben.Get("grades") != "10,11" {
		t.Errorf("ben: %q", ben.Values)
	}
	demo := got[roster.Demographics]
	if len(demo) != 1 || demo["12345"].Get("birthDate") != "2010-01-05" || demo["12345"].Get("sex") != "female" {
		t.Fatalf("demographics: %v", demo)
	}
}

func TestStagesClassesAndOrgs(t *testing.T) {
	dir := t.TempDir()
	classes := filepath.Join(dir, "classes.csv")
	os.WriteFile(classes, []byte("Section,Course,School,Term,Name,Grades\nc1,m1,s1,t1,Math 3,3\nc2,m1,s1,\"t1,t2\",Math 3B,\n"), 0o600)
	got := staged(t, map[string]string{"path": classes, "entity": "classes", "columns": mapping(map[string]string{
		"Section": "sourcedId", "Course": "courseSourcedId", "School": "schoolSourcedId", "Term": "termSourcedIds", "Name": "title", "Grades": "grades"})})
	if c := got[roster.Classes]["c2"]; c.Get("classType") != "scheduled" || c.Get("termSourcedIds") != "t1,t2" || got[roster.Classes]["c1"].Get("grades") != "03" {
		t.Fatalf("classes: %v", got[roster.Classes])
	}

	orgs := filepath.Join(dir, "schools.csv")
	os.WriteFile(orgs, []byte("School ID,School Name,Type,District\ns1,North,,d1\nd1,The District,District,\n"), 0o600)
	got = staged(t, map[string]string{"path": orgs, "entity": "orgs", "columns": mapping(map[string]string{
		"School ID": "sourcedId", "School Name": "name", "Type": "type", "District": "parentSourcedId"})})
	if got[roster.Orgs]["s1"].Get("type") != "school" || got[roster.Orgs]["d1"].Get("type") != "district" {
		t.Fatalf("orgs: %v", got[roster.Orgs])
	}
}

func TestBadRowsNameFileSheetRowAndColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	writeWorkbook(t, path, map[string][][]any{"Students": {
		{"Student ID", "First Name", "Last Name", "DOB", "Active"},
		{"s1", "Ana", "Lopez", "2010-01-05", "yes"},
		{"", "Ben", "Okafor", "", ""},
		{"s3", "", "Diaz", "", ""},
		{"s4", "Dee", "Diaz", "03/04/2011", ""},
		{"s5", "Eve", "Ng", "", "maybe"},
		{"s1", "Ann", "Lopez", "", ""},
	}}, "Students")
	settings := map[string]string{"path": path, "columns": mapping(map[string]string{
		"Student ID": "sourcedId", "First Name": "givenName", "Last Name": "familyName", "DOB": "birthDate", "Active": "enabledUser"})}
	dir := t.TempDir()
	_, err := open(t, settings).Stage(context.Background(), dir, connector.Pull{}, events.Discard)
	if err == nil {
		t.Fatal("bad rows staged")
	}
	for _, want := range []string{
		"5 cells in sheet Students of roster.xlsx need fixing",
		`roster.xlsx, sheet Students, row 3, column "Student ID": blank, but every person needs a sourcedId.`,
		`roster.xlsx, sheet Students, row 4, column "First Name": blank, but every person needs a givenName.`,
		`row 5, column "DOB": "03/04/2011" could be day/month or month/day`,
		`row 6, column "Active": "maybe" is not yes or no`,
		`row 7, column "Student ID": the ID "s1" is also in row 2`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q:\n%v", want, err)
		}
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeBadInput || len(ae.Details.([]Problem)) != 5 {
		t.Fatalf("want bad input with 5 problems in the details, got %#v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed stage left %d files", len(entries))
	}
}

func TestHeaderRowProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(path, []byte("\nStudent ID,First Name,Last Name,Student ID,Grade\n"), 0o600)
	src := func(headerRow string) connector.Source {
		return open(t, map[string]string{"path": path, "headerRow": headerRow, "columns": peopleColumns})
	}
	for headerRow, want := range map[string]string{
		"1": "Row 1 of roster.csv is empty",
		"2": `The header row (row 2) of roster.csv has two columns named "Student ID"`,
		"5": "roster.csv has 2 rows, so row 5 cannot be the header row",
	} {
		if _, err := src(headerRow).Test(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("header row %s: want %q, got %v", headerRow, want, err)
		}
	}
	os.WriteFile(path, []byte("Student ID,First Name,Last Name,Grade\n,,,\n"), 0o600)
	if _, err := src("1").Test(context.Background()); err == nil || !strings.Contains(err.Error(), "There are no rows of people below the header row (row 1) in roster.csv") {
		t.Errorf("no rows: %v", err)
	}
}

func TestCheckSettings(t *testing.T) {
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "roster.xlsx")
	os.WriteFile(xlsx, []byte("x"), 0o600)
	xls := filepath.Join(dir, "old.xls")
	os.WriteFile(xls, textfiletest.Compound("Workbook"), 0o600)
	kind := Kind()
	tests := []struct {
		name     string
		settings map[string]string
		wantErr  string
	}{
		{"valid", map[string]string{"path": xlsx, "columns": peopleColumns}, ""},
		{"unmapped columns sent blank", map[string]string{"path": xlsx, "columns": `{"ID":"sourcedId","First":"givenName","Last":"familyName","Notes":""}`}, ""},
		{"missing file", map[string]string{"path": filepath.Join(dir, "nope.xlsx"), "columns": peopleColumns}, "cannot find the file"},
		{"old Excel format", map[string]string{"path": xls, "columns": peopleColumns}, "old.xls is an Excel 97-2003 workbook (.xls), which Rosterdesk cannot read"},
		{"bad JSON", map[string]string{"path": xlsx, "columns": `{"ID": sourcedId}`}, "not valid JSON"},
		{"unknown field", map[string]string{"path": xlsx, "columns": `{"ID":"sourcedId","First":"firstName","Last":"familyName"}`},
			`The column "First" is mapped to "firstName", which is not a field of people. Use one of: sourcedId, enabledUser, username,`},
		{"status is not mappable", map[string]string{"path": xlsx, "columns": `{"ID":"sourcedId","S":"status"}`}, `"status", which is not a field`},
		{"a class field on people", map[string]string{"path": xlsx, "columns": `{"ID":"sourcedId","C":"classCode"}`}, `"classCode", which is not a field of people`},
		{"no sourcedId", map[string]string{"path": xlsx, "columns": `{"First":"givenName","Last":"familyName"}`}, "Map a column to sourcedId"},
		{"required fields", map[string]string{"path": xlsx, "columns": `{"ID":"sourcedId"}`}, "Map columns to givenName, familyName too"},
		{"class required fields", map[string]string{"path": xlsx, "entity": "classes", "columns": `{"ID":"sourcedId","Name":"title"}`},
			"Map columns to courseSourcedId, schoolSourcedId, termSourcedIds too: OneRoster needs them for every class."},
		{"one field twice", map[string]string{"path": xlsx, "columns": `{"ID":"sourcedId","First":"givenName","Given":"givenName","Last":"familyName"}`}, `"First" and "Given" are both mapped to givenName`},
		{"header row", map[string]string{"path": xlsx, "headerRow": "0", "columns": peopleColumns}, "header row must be a row number"},
		{"entity", map[string]string{"path": xlsx, "entity": "courses", "columns": peopleColumns}, "must be one of users, classes, orgs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := kind.Normalize(connector.RoleSource, tt.settings)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want an error containing %q, got %v", tt.wantErr, err)
			}
		})
	}
}

func TestStageReportsProgressAndStopsWhenCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	writeWorkbook(t, path, map[string][][]any{"Students": people(1000)}, "Students")
	src := open(t, map[string]string{"path": path, "columns": peopleColumns})
	var last events.Progress
	reports := 0
	if _, err := src.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.ReporterFunc(func(p events.Progress) { reports++; last = p })); err != nil {
		t.Fatal(err)
	}
	if reports < 3 || last.Done != 1000 || last.Unit != "records" {
		t.Fatalf("%d reports, last %+v", reports, last)
	}
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	_, err := src.Stage(ctx, dir, connector.Pull{}, events.ReporterFunc(func(events.Progress) { cancel() }))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled mid-way: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatal("a cancelled stage left its file")
	}
}
