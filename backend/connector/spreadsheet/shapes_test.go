package spreadsheet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/xlsxtest"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

var (
	shapeColumns = mapping(map[string]string{"ID": "sourcedId", "First": "givenName", "Last": "familyName", "Email": "email", "Born": "birthDate"})
	nameColumns  = mapping(map[string]string{"ID": "sourcedId", "First": "givenName", "Last": "familyName"})
)

// TestWorkbookAsOtherProgramsSaveIt reads workbooks shaped as programs other than Excel save them.
func TestWorkbookAsOtherProgramsSaveIt(t *testing.T) {
	T, N, F := xlsxtest.Text, xlsxtest.Number, xlsxtest.Formula
	header := xlsxtest.Row(1, T("ID"), T("First"), T("Last"), T("Email"), T("Born"))
	for _, tc := range []struct {
		name  string
		sheet xlsxtest.Sheet
	}{
		// Inline strings, no shared strings or styles, a formula's text result, a sheet of another name.
		{"LibreOffice", xlsxtest.Sheet{Name: "Élèves", Dimension: "A1:E3", Rows: strings.NewReader(header +
			xlsxtest.Row(2, N("1001"), T("Ana"), T("Lopez"), F(`LOWER(B2)&"@example.org"`, "ana@example.org"), N("40183")) +
			xlsxtest.Row(3, T("1002"), T("Ben"), T("Okafor"), xlsxtest.Blank, T("2011-02-03")))}},
		// No dimension, rows out of order, an empty row element.
		{"Google Sheets", xlsxtest.Sheet{Name: "Sheet1", Rows: strings.NewReader(header +
			xlsxtest.Row(3, T("1002"), T("Ben"), T("Okafor"), xlsxtest.Blank, T("2011-02-03")) +
			`<row r="5"/>` +
			xlsxtest.Row(2, N("1001"), T("Ana"), T("Lopez"), T("ana@example.org"), N("40183")))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "roster.xlsx")
			xlsxtest.New(tc.sheet).Write(t, path)
			got := staged(t, map[string]string{"path": path, "columns": shapeColumns})
			ana, ben := got[roster.Users]["1001"], got[roster.Users]["1002"]
			demo := got[roster.Demographics]
			if len(got[roster.Users]) != 2 || ana.Get("email") != "ana@example.org" || ana.Get("familyName") != "Lopez" || ben.Get("givenName") != "Ben" ||
				demo["1001"].Get("birthDate") != "2010-01-05" || demo["1002"].Get("birthDate") != "2011-02-03" {
				t.Fatalf("got %v", got)
			}
			msg, err := open(t, map[string]string{"path": path, "columns": shapeColumns}).Test(t.Context())
			if err != nil || msg != fmt.Sprintf("Found 2 rows of people in sheet %s of roster.xlsx.", tc.sheet.Name) {
				t.Fatalf("test: %q, %v", msg, err)
			}
		})
	}
}

// TestDamagedSheetIsRefusedNotCutShort: excelize stops at the first XML error of a sheet as if the
// sheet ended there; the rows after it must not go missing from a fetch without a word.
func TestDamagedSheetIsRefusedNotCutShort(t *testing.T) {
	T, N := xlsxtest.Text, xlsxtest.Number
	header := xlsxtest.Row(1, T("ID"), T("First"), T("Last"))
	ana := xlsxtest.Row(2, N("1001"), T("Ana"), T("Lopez"))
	ben := xlsxtest.Row(3, N("1002"), T("Ben"), T("Okafor"))
	for _, tc := range []struct {
		name, rows string
		at         int
	}{
		{"a bare & in a cell", header + strings.Replace(ana, "Lopez", "Lopez & Co", 1) + ben, 2},
		{"junk between rows", header + ana + "<<" + ben, 2},
		{"an attribute left open", header + strings.Replace(ana, `r="2"`, `r="2`, 1) + ben, 1},
		{"cut off inside a cell", header + ana + ben[:len(ben)-30], 3},
		{"cut off between rows", header + ana + ben[:len(ben)-len("</row>")], 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "roster.xlsx")
			xlsxtest.New(xlsxtest.Sheet{Name: "Pupils", Rows: strings.NewReader(tc.rows)}).Write(t, path)
			want := fmt.Sprintf("Sheet Pupils of roster.xlsx is damaged at or after row %d, so Rosterdesk cannot read it. Open the file in your spreadsheet program", tc.at)
			settings := map[string]string{"path": path, "columns": nameColumns}
			if _, err := open(t, settings).Test(t.Context()); err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("test: %v; want %q", err, want)
			}
			staging := t.TempDir()
			if _, err := open(t, settings).Stage(t.Context(), staging, connector.Pull{}, events.Discard); err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("fetch: %v; want %q", err, want)
			}
			if left, _ := os.ReadDir(staging); len(left) > 0 {
				t.Errorf("a refused fetch left %v", left)
			}
		})
	}
}

// TestCellsHoldingNoValue: a formula's error value and a value no roster field holds are cells to
// fix, named by row and column, whether the workbook or a CSV file saved from it holds them.
func TestCellsHoldingNoValue(t *testing.T) {
	T, N := xlsxtest.Text, xlsxtest.Number
	long := strings.Repeat("A", 100_000)
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	xlsxtest.New(xlsxtest.Sheet{Name: "Sheet1", Rows: strings.NewReader(xlsxtest.Row(1, T("ID"), T("First"), T("Last")) +
		`<row r="2"><c r="A2" t="e"><f>VLOOKUP(B2,Sheet2!A:B,2,FALSE)</f><v>#N/A</v></c><c r="B2" t="inlineStr"><is><t>Ana</t></is></c><c r="C2" t="inlineStr"><is><t>Lopez</t></is></c></row>` +
		xlsxtest.Row(3, N("1002"), T(long), T("Okafor")) +
		xlsxtest.Row(4, N("1003"), T("Cy"), xlsxtest.Formula("Sheet2!Z1", "Err:502")))}).Write(t, path)
	csv := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(csv, []byte("ID,First,Last\r\n#N/A,Ana,Lopez\r\n1002,"+long+",Okafor\r\n1003,Cy,Err:502\r\n"), 0o600)
	for file, where := range map[string]string{path: "roster.xlsx, sheet Sheet1", csv: "roster.csv"} {
		_, err := open(t, map[string]string{"path": file, "columns": nameColumns}).Stage(t.Context(), t.TempDir(), connector.Pull{}, events.Discard)
		for _, want := range []string{
			where + `, row 2, column "ID": shows the formula error #N/A instead of a value; fix the formula (a lookup that finds nothing shows #N/A) or type the value.`,
			where + `, row 3, column "First": is 97 KB long, more than the 64 KB a roster value may hold (names and IDs are a few dozen characters), so something else was pasted into it; shorten or clear it.`,
			where + `, row 4, column "Last": shows the formula error Err:502 instead of a value`,
		} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v; want %q", file, err, want)
			}
		}
	}
}

// TestSheetToReadMissing says what to do when the workbook has no sheet at all, or none of the name
// the connection gives.
func TestSheetToReadMissing(t *testing.T) {
	dir := t.TempDir()
	empty, named := filepath.Join(dir, "empty.xlsx"), filepath.Join(dir, "named.xlsx")
	xlsxtest.New().Write(t, empty)
	xlsxtest.New(xlsxtest.Sheet{Name: "Pupils 2026", Rows: strings.NewReader(xlsxtest.Row(1, xlsxtest.Text("ID")))}).Write(t, named)
	for _, tc := range []struct{ path, sheet, want string }{
		{empty, "", "empty.xlsx has no sheets, so it holds no list to read. Open it in your spreadsheet program, check the list is in it, save it again as Excel Workbook (.xlsx), and choose that file."},
		{named, "Pupils 2025", `named.xlsx has no sheet named "Pupils 2025"; its sheets are: Pupils 2026. The sheet may have been renamed: set the connection's Sheet to one of these, or leave it blank to read the first.`},
	} {
		_, err := open(t, map[string]string{"path": tc.path, "sheet": tc.sheet, "columns": nameColumns}).Test(t.Context())
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v; want %q", err, tc.want)
		}
	}
}

// TestSheetIsReadOnce: people with demographics, which a package lists after every person, take one
// reading of the sheet (a million rows take a minute each), and the staging folder keeps nothing but
// the package.
func TestSheetIsReadOnce(t *testing.T) {
	T, N := xlsxtest.Text, xlsxtest.Number
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	xlsxtest.New(xlsxtest.Sheet{Name: "Sheet1", Rows: xlsxtest.Rows(1000, func(r int) string {
		if r == 1 {
			return xlsxtest.Row(1, T("ID"), T("First"), T("Last"), T("Email"), T("Born"))
		}
		return xlsxtest.Row(r, N(fmt.Sprint(r)), T("Ana"), T("Lopez"), T("ana@example.org"), N(fmt.Sprint(40000+r)))
	})}).Write(t, path)
	stages := map[string]bool{}
	staging := t.TempDir()
	out, err := open(t, map[string]string{"path": path, "columns": shapeColumns}).Stage(t.Context(), staging, connector.Pull{},
		events.ReporterFunc(func(p events.Progress) { stages[p.Stage] = true }))
	if err != nil || len(stages) != 1 || !stages["reading"] {
		t.Fatalf("stages %v, %v", stages, err)
	}
	if left, _ := os.ReadDir(staging); len(left) != 1 || left[0].Name() != filepath.Base(out) {
		t.Fatalf("the staging folder holds %v", left)
	}
	got := staged(t, map[string]string{"path": path, "columns": shapeColumns})
	if len(got[roster.Demographics]) != 999 || got[roster.Demographics]["1000"].Get("birthDate") != "2012-04-01" {
		t.Fatalf("demographics: %d, %v", len(got[roster.Demographics]), got[roster.Demographics]["1000"])
	}
}

// A sheet whose XML declares an encoding other than UTF-8 (windows-1252, as some exporters write it)
// is refused saying so: excelize would read "Zoé" as "Zo\ufffd" without a word.
func TestSheetInAnotherEncodingIsRefused(t *testing.T) {
	T := xlsxtest.Text
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	book := xlsxtest.New(xlsxtest.Sheet{Name: "Pupils", Rows: strings.NewReader("")})
	book.Set("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="windows-1252"?>`+
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		xlsxtest.Row(1, T("ID"), T("First"), T("Last"))+xlsxtest.Row(2, T("1001"), T("Zo\xe9"), T("Lopez"))+
		`</sheetData></worksheet>`)
	book.Write(t, path)
	want := "Sheet Pupils of roster.xlsx is written in the windows-1252 character encoding, which Rosterdesk cannot read reliably"
	staging := t.TempDir()
	if _, err := open(t, map[string]string{"path": path, "columns": nameColumns}).Stage(t.Context(), staging, connector.Pull{}, events.Discard); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("fetch: %v; want %q", err, want)
	}
	if left, _ := os.ReadDir(staging); len(left) > 0 {
		t.Errorf("a refused fetch left %v", left)
	}
}
