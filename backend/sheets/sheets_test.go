package sheets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/internal/textfile/textfiletest"
)

var orgHeaders = []string{"ID", "Name", "Type", "Parent", "Classes"}

func knownIDs(ids ...string) func(string) bool {
	set := map[string]bool{}
	for _, id := range ids {
		set[id] = true
	}
	return func(id string) bool { return set[id] }
}

func writeSelection(t *testing.T, sheet string, headers []string, rows []Row) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSelection(&buf, sheet, headers, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func saved(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return buf.Bytes()
}

func read(t *testing.T, b []byte, name string, known func(string) bool) Upload {
	t.Helper()
	u, err := ReadSelection(bytes.NewReader(b), name, "Orgs", known)
	if err != nil {
		t.Fatalf("ReadSelection(%s): %v", name, err)
	}
	return u
}

func TestSelectionRoundTrip(t *testing.T) {
	const n = 10_000
	rows := make([]Row, n)
	var ids, want []string
	for i := range rows {
		id := fmt.Sprintf("org-%05d", i)
		ids = append(ids, id)
		rows[i] = Row{Cells: []any{id, "School " + id, "school", "district-1", i % 40}, Selected: i%3 == 0}
		if rows[i].Selected {
			want = append(want, id)
		}
	}
	u := read(t, writeSelection(t, "Orgs", orgHeaders, rows), "orgs.xlsx", knownIDs(ids...))
	if u.Sheet != "Orgs" || u.Rows != n || len(u.Findings) != 0 {
		t.Fatalf("sheet %q, %d rows, findings %v", u.Sheet, u.Rows, u.Findings)
	}
	if !slices.Equal(u.Selected, want) {
		t.Fatalf("selected %d IDs, want %d", len(u.Selected), len(want))
	}
}

func TestWriteSelectionLayout(t *testing.T) {
	long := strings.Repeat("Very Long Academy Name ", 10)
	rows := []Row{
		{Cells: []any{"o1", "Lincoln High", "school", "d1", 12}, Selected: true},
		{Cells: []any{"o2", long, "school", "d1", 3}},
		{Cells: []any{"o3", "Short", "school"}}, // short rows are padded
	}
	f := open(t, writeSelection(t, "Orgs", orgHeaders, rows))
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Orgs"}) {
		t.Fatalf("sheets %v", got)
	}
	header, _ := f.GetRows("Orgs")
	if !slices.Equal(header[0], []string{"ID", "Name", "Type", "Parent", "Classes", "sync"}) {
		t.Fatalf("header %v", header[0])
	}
	for cell, want := range map[string]string{"F2": "Yes", "F3": "No", "F4": "No"} {
		if v, _ := f.GetCellValue("Orgs", cell); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
	}
	if typ, _ := f.GetCellType("Orgs", "E2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("count cell type %v, want a number", typ)
	}

	panes, err := f.GetPanes("Orgs")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, %v: want the header row frozen", panes, err)
	}
	styleID, _ := f.GetCellStyle("Orgs", "F1")
	style, err := f.GetStyle(styleID)
	if err != nil || style.Font == nil || !style.Font.Bold || len(style.Fill.Color) == 0 {
		t.Errorf("header style %+v, %v: want bold with a fill", style, err)
	}

	dvs, err := f.GetDataValidations("Orgs")
	if err != nil || len(dvs) != 1 {
		t.Fatalf("validations %v, %v", dvs, err)
	}
	if dv := dvs[0]; dv.Sqref != "F2:F4" || dv.Type != "list" || dv.Formula1 != `"Yes,No"` {
		t.Errorf("validation over %q, type %q, list %q", dv.Sqref, dv.Type, dv.Formula1)
	}

	if w, _ := f.GetColWidth("Orgs", "B"); w != maxWidth {
		t.Errorf("long name column width %v, want the cap %d", w, maxWidth)
	}
	if w, _ := f.GetColWidth("Orgs", "A"); w < minWidth || w > 12 {
		t.Errorf("ID column width %v, want it sized to its content", w)
	}
}

func TestFormulaLookingTextStaysText(t *testing.T) {
	names := []string{`=HYPERLINK("http://evil.example","Click")`, "=1+1", "+SUM(1,2)", "-2+3", "@cmd", " =spaced "}
	var rows []Row
	var ids []string
	for i, name := range names {
		id := fmt.Sprintf("=ID%d", i) // even an ID that looks like a formula
		ids = append(ids, id)
		rows = append(rows, Row{Cells: []any{id, name}, Selected: true})
	}
	b := writeSelection(t, "Classes", []string{"sourcedId", "Title"}, rows)
	f := open(t, b)
	for i, name := range names {
		for col, want := range map[string]string{"A": ids[i], "B": name} {
			cell := fmt.Sprintf("%s%d", col, i+2)
			if formula, _ := f.GetCellFormula("Classes", cell); formula != "" {
				t.Errorf("%s has formula %q", cell, formula)
			}
			if typ, _ := f.GetCellType("Classes", cell); typ != excelize.CellTypeInlineString {
				t.Errorf("%s has type %v, want text", cell, typ)
			}
			if v, _ := f.GetCellValue("Classes", cell); v != want {
				t.Errorf("%s = %q, want %q", cell, v, want)
			}
		}
	}
	u, err := ReadSelection(bytes.NewReader(b), "classes.xlsx", "Classes", knownIDs(ids...))
	if err != nil || len(u.Findings) != 0 || !slices.Equal(u.Selected, ids) {
		t.Fatalf("read back %+v, %v", u, err)
	}
}

func TestWriteSelectionRejectsBadHeaders(t *testing.T) {
	for _, headers := range [][]string{nil, {"Name", "ID"}, {"ID", "Sync"}} {
		if err := WriteSelection(&bytes.Buffer{}, "Orgs", headers, nil); err == nil {
			t.Errorf("headers %q: no error", headers)
		}
	}
	if err := WriteSelection(&bytes.Buffer{}, "Orgs", []string{"ID"}, []Row{{Cells: []any{"a", "b"}}}); err == nil {
		t.Error("a row with more cells than headers: no error")
	}
}

// TestReadWorkbookEditedElsewhere reads a workbook as another program saves it: shared strings,
// booleans, numbers, a formula, the sheet renamed and moved behind another, columns reordered and
// one hidden, a title above the table.
func TestReadWorkbookEditedElsewhere(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Read me")
	f.SetCellValue("Read me", "A1", "Instructions: mark the sync column.")
	// A chart sheet in front of the table holds no cells at all.
	f.SetCellValue("Read me", "B1", 1)
	err := f.AddChartSheet("Chart", &excelize.Chart{Type: excelize.Bar, Series: []excelize.ChartSeries{{Values: "'Read me'!$B$1:$B$1"}}})
	if err != nil {
		t.Fatal(err)
	}
	const s = "My schools"
	f.NewSheet(s)
	f.SetCellValue(s, "A1", "Schools of Springfield District")
	for col, h := range map[string]string{"A": "Sync", "B": "Name", "C": " SourcedID ", "D": "Notes"} {
		f.SetCellValue(s, col+"3", h)
	}
	f.SetColVisible(s, "B", false)
	data := []struct {
		sync any
		id   any
	}{
		{true, "o1"},  // row 4: boolean TRUE
		{1, "o2"},     // row 5: number 1
		{"X", 1001},   // row 6: numeric ID
		{false, "o4"}, // row 7: boolean FALSE
		{0, "o5"},     // row 8
		{nil, "o6"},   // row 9: blank
		{1, "o7"},     // row 10: a formula, read by its cached value
	}
	for i, d := range data {
		r := i + 4
		if d.sync != nil {
			f.SetCellValue(s, fmt.Sprintf("A%d", r), d.sync)
		}
		f.SetCellValue(s, fmt.Sprintf("B%d", r), fmt.Sprintf("School %d", r))
		f.SetCellValue(s, fmt.Sprintf("C%d", r), d.id)
	}
	f.SetCellFormula(s, "A10", "2-1") // keeps 1 as the cached value
	if typ, _ := f.GetCellType(s, "C4"); typ != excelize.CellTypeSharedString {
		t.Fatalf("test workbook: C4 type %v, want a shared string", typ)
	}
	if formula, _ := f.GetCellFormula(s, "A10"); formula == "" {
		t.Fatal("test workbook: A10 has no formula")
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Read me", "Chart", s}) {
		t.Fatalf("test workbook: sheets %q", got)
	}

	u := read(t, saved(t, f), "orgs (edited).xlsx", knownIDs("o1", "o2", "1001", "o4", "o5", "o6", "o7"))
	if u.Sheet != s || u.Rows != 7 || len(u.Findings) != 0 {
		t.Fatalf("sheet %q, %d rows, findings %v", u.Sheet, u.Rows, u.Findings)
	}
	if want := []string{"o1", "o2", "1001", "o7"}; !slices.Equal(u.Selected, want) {
		t.Fatalf("selected %v, want %v", u.Selected, want)
	}
}

func TestReadPrefersNamedSheet(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Orgs")
	f.NewSheet("CLASSES ")
	f.SetSheetRow("Orgs", "A1", &[]any{"ID", "sync"})
	f.SetSheetRow("Orgs", "A2", &[]any{"org-1", "yes"})
	f.SetSheetRow("CLASSES ", "A1", &[]any{"ID", "sync"})
	f.SetSheetRow("CLASSES ", "A2", &[]any{"class-1", "yes"})
	u, err := ReadSelection(bytes.NewReader(saved(t, f)), "classes.xlsx", "Classes", knownIDs("class-1"))
	if err != nil || u.Sheet != "CLASSES " || !slices.Equal(u.Selected, []string{"class-1"}) {
		t.Fatalf("read %+v, %v", u, err)
	}
}

func TestReadCSVVariants(t *testing.T) {
	known := knownIDs("o1", "o2", "o3", "école-1")
	utf16 := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	win1252 := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		desc, name string
		file       []byte
		want       []string
	}{
		{"UTF-8 with BOM, CRLF", "orgs.csv",
			[]byte("\uFEFFID,Name,sync\r\no1,Lincoln,Yes\r\no2,Adams,No\r\n"), []string{"o1"}},
		{"lines ending in CR alone", "orgs.csv",
			[]byte("ID,Name,sync\ro1,Lincoln,No\ro2,Adams,Yes\r"), []string{"o2"}},
		{"semicolon, commas in names", "orgs.csv",
			[]byte("sourcedId;Name;sync\no1;Smith, Jones & Co;no\no2;\"A; B\";yes\n"), []string{"o2"}},
		{"UTF-16 tab-separated (Excel Unicode Text)", "orgs.txt",
			utf16("ID\tName\tsync\r\no1\tÉcole\tyes\r\no3\tZoë\ty\r\n"), []string{"o1", "o3"}},
		{"Windows-1252", "orgs.csv",
			win1252("Name,ID,sync\r\nÉcole Zoë,école-1,Yes\r\n"), []string{"école-1"}},
		{"quoted multi-line cell, columns reordered, extra columns", "orgs.csv",
			[]byte("sync,\"Name\",Type,\"ID\"\r\nyes,\"Line one\r\nline two\",school,o1\r\n,Other,school,o2\r\n"), []string{"o1"}},
		{"comma, no extension, title rows", "orgs",
			[]byte("Springfield orgs\n\nID,sync\no3,TRUE\n"), []string{"o3"}},
		{"zip content under a .csv name", "orgs.csv",
			writeSelection(t, "Orgs", []string{"ID"}, []Row{{Cells: []any{"o2"}, Selected: true}}), []string{"o2"}},
		{"CSV content under an .xlsx name", "orgs.xlsx",
			[]byte("\uFEFFID,Name,sync\r\no1,Lincoln,Yes\r\no2,Adams,No\r\n"), []string{"o1"}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			u := read(t, tc.file, tc.name, known)
			if len(u.Findings) != 0 || !slices.Equal(u.Selected, tc.want) {
				t.Fatalf("selected %q, findings %v; want %q", u.Selected, u.Findings, tc.want)
			}
		})
	}
}

func TestSyncValues(t *testing.T) {
	yes := []string{"yes", "YES", "Yes", " y ", "Y", "true", "TRUE", "True", "x", "X", "1"}
	no := []string{"", "no", "NO", "n", "N", "false", "False", "0", "   "}
	var file strings.Builder
	file.WriteString("ID,sync\n")
	var ids, want []string
	for i, v := range append(yes, no...) {
		id := fmt.Sprint("id", i)
		ids = append(ids, id)
		if i < len(yes) {
			want = append(want, id)
		}
		fmt.Fprintf(&file, "%s,%s\n", id, v)
	}
	u := read(t, []byte(file.String()), "orgs.csv", knownIDs(ids...))
	if len(u.Findings) != 0 || !slices.Equal(u.Selected, want) {
		t.Fatalf("selected %v, findings %v; want %v", u.Selected, u.Findings, want)
	}
}

func TestFindings(t *testing.T) {
	want := []Finding{
		{Row: 4, Column: "sync", Message: `"maybe" is not a sync value`},
		{Row: 5, Column: "ID", Message: "does not know the ID gone-1"},
		{Row: 8, Column: "ID", Message: "The ID o1 is on rows 3 and 8"},
		{Row: 9, Column: "ID", Message: "no ID"},
	}
	check := func(t *testing.T, u Upload) {
		t.Helper()
		if len(u.Findings) != len(want) {
			t.Fatalf("findings %v", u.Findings)
		}
		for i, f := range u.Findings {
			if f.Row != want[i].Row || f.Column != want[i].Column || !strings.Contains(f.Message, want[i].Message) {
				t.Errorf("finding %+v, want %+v", f, want[i])
			}
		}
		if u.Rows != 5 {
			t.Errorf("%d rows, want 5", u.Rows)
		}
	}
	known := knownIDs("o1", "o2", "o3")
	// Rows as the registrar sees them: a title, the header, data with a blank row (6) and a row
	// with only a name (7), which are ignored.
	t.Run("csv", func(t *testing.T) {
		file := "Orgs of Springfield\nID,Name,sync\no1,A,yes\no2,B,maybe\ngone-1,C,no\n\n,just a note,\no1,A again,no\n,D,yes\n"
		check(t, read(t, []byte(file), "orgs.csv", known))
	})
	t.Run("xlsx", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetCellValue("Sheet1", "A1", "Orgs of Springfield")
		for r, row := range [][]any{
			{"ID", "Name", "sync"}, {"o1", "A", "yes"}, {"o2", "B", "maybe"}, {"gone-1", "C", "no"},
			nil, {nil, "just a note"}, {"o1", "A again", "no"}, {nil, "D", "yes"},
		} {
			if row != nil {
				f.SetSheetRow("Sheet1", fmt.Sprint("A", r+2), &row)
			}
		}
		check(t, read(t, saved(t, f), "orgs.xlsx", known))
	})
}

func TestUnreadableFiles(t *testing.T) {
	good := writeSelection(t, "Orgs", []string{"ID"}, []Row{{Cells: []any{"o1"}}})
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	noSync := excelize.NewFile()
	noSync.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Name"})
	noSync.SetSheetRow("Sheet1", "A2", &[]any{"o1", "Lincoln"})
	for _, tc := range []struct {
		name string
		file []byte
		says string
	}{
		{"random.xlsx", random, "damaged"},
		{"random.csv", random, "not a spreadsheet"},
		{"truncated.xlsx", good[:len(good)/2], "damaged"},
		{"empty.xlsx", nil, "is empty"},
		{"blank.csv", []byte("\r\n,,\r\n"), "is empty"},
		{"nosync.xlsx", saved(t, noSync), "has no column named sync in its first 10 rows"},
		{"nosync.csv", []byte("sourcedId;Name\no1;Lincoln\n"), "has no column named sync"},
		{"noid.csv", []byte("Name,sync\nLincoln,yes\n"), "has no column named ID"},
		{"other.csv", []byte("a,b\n1,2\n"), "no header row with columns named ID and sync"},
		{"headeronly.csv", []byte("ID,sync\n"), "no rows under its header"},
		{"old.xls", textfiletest.Compound("Workbook"), "is an Excel 97-2003 workbook (.xls), which Rosterdesk cannot read. Open it in Excel and save it as Excel Workbook (.xlsx), then upload that file."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSelection(bytes.NewReader(tc.file), "C:/Users/registrar/Downloads/"+tc.name, "Orgs", knownIDs("o1"))
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.CodeBadInput {
				t.Fatalf("error %#v, want a bad-input apperr.Error", err)
			}
			if !strings.HasPrefix(ae.Message, tc.name+" ") || !strings.Contains(ae.Message, tc.says) {
				t.Errorf("message %q, want it to start with %q and say %q", ae.Message, tc.name, tc.says)
			}
		})
	}
}

// TestRefusesWhatIsNoSpreadsheet: a picture, a document, a program, an old or locked workbook or
// noise is refused, naming the file and what it looks like, by the one judgement the spreadsheet
// source makes too.
func TestRefusesWhatIsNoSpreadsheet(t *testing.T) {
	for _, s := range textfiletest.Samples(t) {
		t.Run(s.Name, func(t *testing.T) {
			_, err := ReadSelection(bytes.NewReader(s.Data), s.Name, "Orgs", knownIDs("o1"))
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.CodeBadInput || !strings.HasPrefix(ae.Message, s.Name+" ") || !strings.Contains(ae.Message, s.Says) {
				t.Fatalf("%v; want a message starting with %q and saying %q", err, s.Name, s.Says)
			}
		})
	}
}

func TestWriteTableCSV(t *testing.T) {
	rows := [][]string{
		{"users", "u1", "create", "ok", "=cmd|' /C calc'!A0", ""},
		{"users", "+u2", "update", "failed", "@SUM(1)", "-3"},
		{"orgs", "-x", "delete", "ok", "\tindented", "Zoë, \"quoted\""},
	}
	var buf bytes.Buffer
	err := WriteTable(&buf, "csv", "Log", []string{"entity", "sourcedId", "action", "status", "message", "n"}, slices.Values(rows))
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFentity,") || !strings.Contains(out, "\r\n") || strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Fatalf("want a BOM and CRLF line ends: %q", out)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"entity", "sourcedId", "action", "status", "message", "n"},
		{"users", "u1", "create", "ok", "'=cmd|' /C calc'!A0", ""},
		{"users", "'+u2", "update", "failed", "'@SUM(1)", "-3"},
		{"orgs", "'-x", "delete", "ok", "'\tindented", "Zoë, \"quoted\""},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if err := WriteTable(&buf, "pdf", "Log", []string{"a"}, slices.Values(rows)); err == nil {
		t.Error("unknown format: no error")
	}
}

// TestWriteTableXLSXStreams writes 100,000 rows from a generator that reuses its slice and checks
// the heap does not grow with the rows written.
func TestWriteTableXLSXStreams(t *testing.T) {
	const n = 100_000
	message := strings.Repeat("something to say about this record ", 5)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var early, late uint64
	rows := func(yield func([]string) bool) {
		rec := make([]string, 6)
		for i := range n {
			rec[0], rec[1], rec[2], rec[3], rec[4], rec[5] = "users", fmt.Sprint("u", i), "update", "ok", message, "=1+1"
			switch i {
			case 20_000:
				early = heap()
			case n - 1:
				late = heap()
			}
			if !yield(rec) {
				return
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, "xlsx", "Log", []string{"entity", "sourcedId", "action", "status", "message", "note"}, rows); err != nil {
		t.Fatal(err)
	}
	// 80,000 rows of about 250 characters: holding them, or excelize's cells for them, would take
	// well over 100 MB. The stream writer keeps at most a 16 MB chunk before spilling to a file.
	t.Logf("heap after 20,000 rows: %d MB; after %d: %d MB", early>>20, n, late>>20)
	if late > early+48<<20 {
		t.Errorf("heap grew from %d MB to %d MB while writing", early>>20, late>>20)
	}

	f := open(t, buf.Bytes())
	it, err := f.Rows("Log")
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	count := 0
	for it.Next() {
		cells, err := it.Columns()
		if err != nil {
			t.Fatal(err)
		}
		if count > 0 && (cells[1] != fmt.Sprint("u", count-1) || cells[5] != "=1+1") {
			t.Fatalf("row %d: %q", count+1, cells)
		}
		count++
	}
	if count != n+1 {
		t.Fatalf("%d rows, want %d", count, n+1)
	}
}

func TestWriteTableXLSXLayout(t *testing.T) {
	message := strings.Repeat("something to say about this record ", 5)
	rows := [][]string{{"orgs", "o1", "ok", "=1+1"}, {"orgs", "o2", message, "@x"}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, "xlsx", "Log", []string{"entity", "sourcedId", "message", "note"}, slices.Values(rows)); err != nil {
		t.Fatal(err)
	}
	f := open(t, buf.Bytes())
	got, err := f.GetRows("Log")
	if err != nil || !slices.EqualFunc(got[1:], rows, slices.Equal) {
		t.Fatalf("rows %q, %v", got, err)
	}
	if formula, _ := f.GetCellFormula("Log", "D2"); formula != "" {
		t.Errorf("D2 has formula %q", formula)
	}
	if panes, _ := f.GetPanes("Log"); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v: want the header frozen", panes)
	}
	styleID, _ := f.GetCellStyle("Log", "A1")
	if style, err := f.GetStyle(styleID); err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header style %+v, %v: want bold", style, err)
	}
	for col, want := range map[string]float64{"A": minWidth, "B": float64(len("sourcedId") + 2), "C": maxWidth} {
		if w, _ := f.GetColWidth("Log", col); w != want {
			t.Errorf("column %s width %v, want %v", col, w, want)
		}
	}

	buf.Reset()
	if err := WriteTable(&buf, "xlsx", "Log", []string{"entity"}, slices.Values([][]string(nil))); err != nil {
		t.Fatal(err)
	}
	if got, _ := open(t, buf.Bytes()).GetRows("Log"); len(got) != 1 {
		t.Errorf("an empty table has rows %q, want only the header", got)
	}
}
