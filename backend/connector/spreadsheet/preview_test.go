package spreadsheet

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestPreviewWorkbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	writeWorkbook(t, path, map[string][][]any{
		"Notes":    {{"nothing here"}},
		"Students": {{"Roster 2026"}, {"Student ID", "First Name", "Last Name"}, {1, "Ana", "Lopez", "extra"}, {}, {2, "Ben"}, {3, "Cy", "Diaz"}},
	}, "Notes", "Students")
	got, err := Preview(path, "Students", 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := SheetPreview{Sheets: []string{"Notes", "Students"}, Sheet: "Students", Headers: []string{"Student ID", "First Name", "Last Name"},
		Rows: [][]string{{"1", "Ana", "Lopez"}, {"2", "Ben", ""}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if got, err := Preview(path, "", 1, 5); err != nil || got.Sheet != "Notes" || !reflect.DeepEqual(got.Headers, []string{"nothing here"}) || len(got.Rows) != 0 {
		t.Fatalf("the first sheet: %+v, %v", got, err)
	}
}

func TestPreviewCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(path, []byte("\xEF\xBB\xBFStudent ID;Surname\r\n7;M\xfcller\r\n"), 0o600)
	got, err := Preview(path, "", 1, 10)
	want := SheetPreview{Headers: []string{"Student ID", "Surname"}, Rows: [][]string{{"7", "Müller"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestSuggestColumns(t *testing.T) {
	headers := []string{"Student ID", "ID", "FIRST_NAME", "Surname", "E-mail", "Grade", "School", "DOB", "Gender", "Favourite colour", "family name"}
	got := SuggestColumns("users", headers)
	want := map[string]string{"Student ID": "sourcedId", "FIRST_NAME": "givenName", "family name": "familyName", "E-mail": "email",
		"Grade": "grades", "School": "primaryOrgSourcedId", "DOB": "birthDate", "Gender": "sex"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("users: got %v\nwant %v", got, want)
	}
	got = SuggestColumns("classes", []string{"Section ID", "Class Name", "Course", "School", "Term", "Period"})
	want = map[string]string{"Section ID": "sourcedId", "Class Name": "title", "Course": "courseSourcedId", "School": "schoolSourcedId", "Term": "termSourcedIds", "Period": "periods"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("classes: got %v\nwant %v", got, want)
	}
	got = SuggestColumns("orgs", []string{"School ID", "School Name", "Type", "District ID"})
	want = map[string]string{"School ID": "sourcedId", "School Name": "name", "Type": "type", "District ID": "parentSourcedId"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("orgs: got %v\nwant %v", got, want)
	}
	if got := SuggestColumns("courses", headers); len(got) != 0 {
		t.Fatalf("an entity a spreadsheet cannot hold: %v", got)
	}
}
