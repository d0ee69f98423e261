package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestSelectiveJourney walks the registrar's CLI journey: choose one school by spreadsheet, only
// active users, plan and import; export it to a folder in delta mode twice; download the log.
func TestSelectiveJourney(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	mustRun := func(args ...string) string { t.Helper(); return mustRun(t, dir, args...) }
	mustRun("generate", "--out", zip, "--users", "400", "--seed", "5")
	mustRun("connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	if _, errOut, code := run(t, dir, "select", "SIS"); code == 0 || !strings.Contains(errOut, "Fetch SIS first") {
		t.Fatalf("a selection before any fetch: %d %s", code, errOut)
	}
	mustRun("fetch", "SIS")

	// Download the schools, keep only the first school, read it back.
	sheet := filepath.Join(dir, "orgs.xlsx")
	mustRun("select", "SIS", "orgs", "--export", sheet)
	f, err := excelize.OpenFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Orgs")
	header := rows[0]
	idCol, syncCol, typeCol := index(header, "ID"), index(header, "sync"), index(header, "Type")
	school := ""
	for i, row := range rows[1:] {
		value := "No"
		if row[typeCol] == "school" && school == "" {
			school, value = row[idCol], "Yes"
		}
		cell, _ := excelize.CoordinatesToCellName(syncCol+1, i+2)
		f.SetCellValue("Orgs", cell, value)
	}
	if err := f.SaveAs(sheet); err != nil {
		t.Fatal(err)
	}
	out := mustRun("select", "SIS", "orgs", "--import", sheet, "--json")
	var sel struct {
		Selection struct {
			OrgsAll bool     `json:"orgsAll"`
			Orgs    []string `json:"orgs"`
		} `json:"selection"`
		Totals map[string]int `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &sel); err != nil || sel.Selection.OrgsAll || len(sel.Selection.Orgs) != 1 || sel.Selection.Orgs[0] != school || sel.Totals["orgs"] != 2 {
		t.Fatalf("select --import: %s (%v)", out, err)
	}
	mustRun("select", "SIS", "users", "--statuses", "active")
	// The guardians of the chosen students go with them unless told not to.
	if out := mustRun("select", "SIS", "users", "--no-guardians"); !strings.Contains(out, "statuses active") || strings.Contains(out, "guardians") {
		t.Fatalf("select --no-guardians: %s", out)
	}
	if out := mustRun("select", "SIS", "users", "--guardians"); !strings.Contains(out, "and their guardians and parents") {
		t.Fatalf("select --guardians: %s", out)
	}

	out = mustRun("import", "SIS", "--plan", "--json")
	var plan struct {
		Mode   string                    `json:"mode"`
		Counts map[string]map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil || plan.Mode != "selective" || plan.Counts["orgs"]["created"] != 2 || plan.Counts["enrollments"]["skipped"] == 0 {
		t.Fatalf("import --plan: %s (%v)", out, err)
	}
	if counts := mustRun("roster", "counts", "--json"); !strings.Contains(counts, `"orgs": 0`) {
		t.Fatalf("--plan changed the roster: %s", counts)
	}
	out = mustRun("import", "SIS", "--json")
	var applied struct {
		Status string                    `json:"status"`
		Counts map[string]map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &applied); err != nil || applied.Status != "succeeded" || applied.Counts["enrollments"]["created"] != plan.Counts["enrollments"]["created"] {
		t.Fatalf("import: %s (%v)", out, err)
	}

	// Export what was imported, twice, as a delta: the second finds nothing to send.
	drop := filepath.Join(dir, "drop")
	os.Mkdir(drop, 0o700)
	mustRun("connection", "add", "Vendor", "--kind", "oneroster-csv", "--role", "target", "--set", "path="+drop, "--set", "mode=delta", "--set", "version=1.1")
	mustRun("export", "Vendor")
	out = mustRun("export", "Vendor")
	if !strings.Contains(out, "Nothing changed") {
		t.Fatalf("second export: %s", out)
	}
	if files, _ := filepath.Glob(filepath.Join(drop, "*.zip")); len(files) != 1 {
		t.Fatalf("files in the drop: %v", files)
	}
	if _, errOut, code := run(t, dir, "export", "SIS"); code == 0 || !strings.Contains(errOut, "not a target") {
		t.Fatalf("export to a source: %d %s", code, errOut)
	}

	// The import's log as CSV: a header, then a row per created record.
	log := filepath.Join(dir, "log.csv")
	mustRun("runs", "report", "1", "--format", "csv", "--out", log)
	raw, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if !strings.Contains(lines[0], "entity,sourcedId,action,status,field,details,reason,before,after") || len(lines) < 100 || !strings.Contains(lines[1], ",create,ok,") {
		t.Fatalf("log: %d lines, %q %q", len(lines), lines[0], lines[1])
	}
}

func TestHeldImportExitsThree(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	run(t, dir, "generate", "--out", zip, "--users", "200", "--seed", "5")
	run(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	if _, errOut, code := run(t, dir, "import", "SIS"); code != 0 {
		t.Fatal(errOut)
	}
	// Keep one school: most of the roster would be deleted.
	run(t, dir, "select", "SIS", "orgs", "--ids", "org-0001")
	if _, errOut, code := run(t, dir, "select", "SIS", "--hold-delete", "0"); code == 0 || !strings.Contains(errOut, "between 1 and 100") {
		t.Fatalf("a 0 %% threshold: %d %s", code, errOut)
	}
	// With the threshold raised above what this run deletes, it would apply; back at 10 % it holds.
	out, _, _ := run(t, dir, "select", "SIS", "--hold-delete", "100", "--hold-change", "100", "--json")
	if !strings.Contains(out, `"holdDelete": 100`) {
		t.Fatalf("thresholds: %s", out)
	}
	if out, _, code := run(t, dir, "import", "SIS", "--plan", "--json"); code != 0 || !strings.Contains(out, `"hold": ""`) {
		t.Fatalf("plan with the hold at 100 %%: %d %s", code, out)
	}
	run(t, dir, "select", "SIS", "--hold-delete", "10", "--hold-change", "75")
	out, errOut, code := run(t, dir, "import", "SIS")
	if code != 3 || !strings.Contains(out, "held") || !strings.Contains(errOut, "Held for review") {
		t.Fatalf("held import: %d %q %q", code, out, errOut)
	}
	if out, _, code := run(t, dir, "import", "SIS", "--override-hold"); code != 0 || !strings.Contains(out, "succeeded") {
		t.Fatalf("override: %d %s", code, out)
	}
	if _, errOut, code := run(t, dir, "select", "SIS", "classes", "--ids", "cls-nope"); code == 0 || !strings.Contains(errOut, "no classes with the ID cls-nope") {
		t.Fatalf("unknown class: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, dir, "select", "SIS", "users", "--statuses", "active,gone"); code == 0 || !strings.Contains(errOut, `"gone" is not a user status`) {
		t.Fatalf("bad status: %d %s", code, errOut)
	}
}

func index(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

// A selection spreadsheet with problems (an ID Rosterdesk does not know, an ID on two rows) changes
// nothing and exits non-zero, naming the rows; the same sheet without them applies.
func TestSelectImportOfASheetWithProblemsChangesNothing(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	for _, args := range [][]string{{"generate", "--out", zip, "--users", "200", "--seed", "5"},
		{"connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path=" + zip}, {"fetch", "SIS"}} {
		if _, errOut, code := run(t, dir, args...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
	}
	sheet := filepath.Join(dir, "classes.xlsx")
	if _, errOut, code := run(t, dir, "select", "SIS", "classes", "--export", sheet); code != 0 {
		t.Fatal(errOut)
	}
	f, err := excelize.OpenFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Classes")
	id := index(rows[0], "ID")
	first, second := rows[1][id], rows[2][id]
	// As a spreadsheet program saves CSV on Windows: a BOM, CRLF line ends, a trailing empty column.
	good := "\ufeffID,Title,sync,\r\n" + first + ",Algebra,Yes,\r\n" + second + ",Biology,No,\r\n"
	bad := good + "cls-made-up,Chemistry,Yes,\r\n" + first + ",Algebra again,No,\r\n"
	upload := filepath.Join(dir, "classes.csv")
	os.WriteFile(upload, []byte(bad), 0o600)

	before, _, _ := run(t, dir, "select", "SIS", "--json")
	out, errOut, code := run(t, dir, "select", "SIS", "classes", "--import", upload)
	if code == 0 || !strings.Contains(errOut, "has 2 problems; the selection was not changed") ||
		!strings.Contains(out, "row 4") || !strings.Contains(out, "cls-made-up") || !strings.Contains(out, "row 5") || !strings.Contains(out, "on rows 2 and 5") {
		t.Fatalf("a sheet with problems: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if after, _, _ := run(t, dir, "select", "SIS", "--json"); after != before {
		t.Fatalf("the selection changed:\nbefore %s\nafter %s", before, after)
	}

	os.WriteFile(upload, []byte(good), 0o600)
	if out, errOut, code := run(t, dir, "select", "SIS", "classes", "--import", upload, "--json"); code != 0 || !strings.Contains(out, `"classes": [`) || !strings.Contains(out, first) {
		t.Fatalf("the same sheet without its problems: exit %d %s %s", code, out, errOut)
	}
}
