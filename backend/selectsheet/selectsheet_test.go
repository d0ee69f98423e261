package selectsheet

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/internal/xlsxtest"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// district is a district of four schools; 1004's ID is all digits, which other programs like to
// turn into a number.
func district() *selection.Graph {
	g := selection.NewGraph()
	add := func(kv ...string) {
		r := roster.NewRecord(roster.Orgs)
		for i := 0; i < len(kv); i += 2 {
			r.Set(kv[i], kv[i+1])
		}
		g.Add(r, false)
	}
	add("sourcedId", "d1", "name", "Springfield District", "type", "district")
	for i, name := range []string{"s1", "s2", "s3", "1004"} {
		add("sourcedId", name, "name", fmt.Sprintf("School %d", i+1), "type", "school", "parentSourcedId", "d1")
	}
	return g
}

// chosen is a saved selection of the orgs given.
func chosen(ids ...string) selection.Selection {
	sel := selection.Everything()
	sel.Saved, sel.OrgsAll, sel.Orgs = true, false, ids
	return sel
}

// download writes the orgs spreadsheet and returns its rows as excelize reads them.
func download(t *testing.T, g *selection.Graph, sel selection.Selection) ([]byte, [][]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, g, sel, Orgs); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Orgs")
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), rows
}

// TestRoundTripThroughLibreOffice: a downloaded spreadsheet, edited and saved by LibreOffice (inline
// strings, no styles, a sync column typed over, a formula, the sheet renamed, digits turned into a
// number), reads back as the edits say.
func TestRoundTripThroughLibreOffice(t *testing.T) {
	g := district()
	sel := chosen("s1", "s2")
	_, rows := download(t, g, sel)
	sync := slices.IndexFunc(rows[0], func(h string) bool { return strings.EqualFold(h, "sync") })
	if sync < 0 {
		t.Fatalf("no sync column in %q", rows[0])
	}
	edits := map[string]xlsxtest.Cell{"s1": xlsxtest.Text("no"), "s3": xlsxtest.Formula(`IF(TRUE,"Yes","No")`, "Yes"), "1004": xlsxtest.Text("YES")}
	var body strings.Builder
	for r, row := range rows {
		cells := make([]xlsxtest.Cell, len(row))
		for c, v := range row {
			cells[c] = xlsxtest.Text(v)
			if regexp.MustCompile(`^[0-9]+$`).MatchString(v) {
				cells[c] = xlsxtest.Number(v)
			}
		}
		if r > 0 && edits[row[0]] != nil {
			for len(cells) <= sync {
				cells = append(cells, xlsxtest.Blank)
			}
			cells[sync] = edits[row[0]]
		}
		body.WriteString(xlsxtest.Row(r+1, cells...))
	}
	book := xlsxtest.New(xlsxtest.Sheet{Name: "Orgs (edited)", Rows: strings.NewReader(body.String())}).Bytes(t)
	res, err := Read(bytes.NewReader(book), "orgs.xlsx", g, sel, Orgs)
	if err != nil || len(res.Upload.Findings) > 0 {
		t.Fatalf("read: %+v, %v", res, err)
	}
	if !slices.Equal(res.Added, []string{"s3", "1004"}) || !slices.Equal(res.Removed, []string{"s1"}) || !slices.Equal(res.Selection.Orgs, []string{"1004", "s2", "s3"}) {
		t.Fatalf("added %v, removed %v, orgs %v", res.Added, res.Removed, res.Selection.Orgs)
	}
}

// TestRoundTripThroughRealLibreOffice saves a downloaded spreadsheet with LibreOffice itself (make
// test installs it): it reads back as the selection it was downloaded from.
func TestRoundTripThroughRealLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	g := district()
	sel := chosen("s2", "1004")
	book, _ := download(t, g, sel)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in", "orgs.xlsx"), filepath.Join(dir, "orgs.xlsx")
	os.Mkdir(filepath.Dir(in), 0o700)
	if err := os.WriteFile(in, book, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", dir, in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	saved, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read(bytes.NewReader(saved), "orgs.xlsx", g, sel, Orgs)
	if err != nil || len(res.Upload.Findings) > 0 || len(res.Added)+len(res.Removed) > 0 || !slices.Equal(res.Selection.Orgs, []string{"1004", "s2"}) {
		t.Fatalf("read: %+v, %v", res, err)
	}
}

// TestDamagedUploadIsRefused: a spreadsheet whose sheet XML breaks off halfway is refused, not read
// as if its rows stopped there (which would unchoose every org after the break).
func TestDamagedUploadIsRefused(t *testing.T) {
	g := district()
	sel := chosen("s1", "s2", "s3", "1004")
	T := xlsxtest.Text
	rows := xlsxtest.Row(1, T("ID"), T("sync")) + xlsxtest.Row(2, T("s1"), T("Yes")) + xlsxtest.Row(3, T("s2"), T("Yes")) +
		xlsxtest.Row(4, T("s3"), T("Yes")) + xlsxtest.Row(5, T("1004"), T("Yes"))
	rows = strings.Replace(rows, "<t xml:space=\"preserve\">Yes</t>", "<t>Yes & more</t>", 1)
	book := xlsxtest.New(xlsxtest.Sheet{Name: "Orgs", Rows: strings.NewReader(rows)}).Bytes(t)
	res, err := Read(bytes.NewReader(book), "orgs.xlsx", g, sel, Orgs)
	if err == nil || err.Error() != "Sheet Orgs of orgs.xlsx is damaged at or after row 2, so Rosterdesk cannot read it. Open the file in your spreadsheet program (it repairs what it can), check the rows from row 2 on, save it again as Excel Workbook (.xlsx), and upload that file." {
		t.Fatalf("read: %+v, %v", res, err)
	}
}
