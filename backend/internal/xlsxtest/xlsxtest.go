// Package xlsxtest writes .xlsx workbooks part by part, for tests of every reader of workbooks: in
// the shapes programs other than Excel save (inline strings, no styles, no dimension, rows out of
// order), or broken on purpose. Excelize's own writer makes none of these shapes.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"testing"
)

const (
	mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// Sheet is one worksheet: its name, and the rows inside <sheetData> (Row writes one). Dimension, when
// set, is the <dimension ref> most programs write and Google Sheets leaves out.
type Sheet struct {
	Name      string
	Dimension string
	Rows      io.Reader
}

// Book is a workbook's parts, by name inside the ZIP. Its readers are read once, by Bytes or Write.
type Book map[string]io.Reader

// New returns the smallest workbook a spreadsheet program opens: a workbook part and a worksheet
// part per sheet, without shared strings, styles or document properties. The sheets' relationship
// IDs start at rId2, as LibreOffice numbers them, so no reader can count on rId1.
func New(sheets ...Sheet) Book {
	var types, rels, list strings.Builder
	b := Book{}
	for i, s := range sheets {
		part := fmt.Sprintf("worksheets/sheet%d.xml", i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/%s" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, part)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="%s"/>`, i+2, relNS, part)
		fmt.Fprintf(&list, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escape(s.Name), i+1, i+2)
		dim := ""
		if s.Dimension != "" {
			dim = fmt.Sprintf(`<dimension ref="%s"/>`, s.Dimension)
		}
		b["xl/"+part] = io.MultiReader(strings.NewReader(xml.Header+`<worksheet xmlns="`+mainNS+`">`+dim+`<sheetData>`),
			s.Rows, strings.NewReader(`</sheetData></worksheet>`))
	}
	b.Set("[Content_Types].xml", xml.Header+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+types.String()+`</Types>`)
	b.Set("_rels/.rels", xml.Header+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="`+relNS+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	b.Set("xl/_rels/workbook.xml.rels", xml.Header+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	b.Set("xl/workbook.xml", xml.Header+`<workbook xmlns="`+mainNS+`" xmlns:r="`+relNS+`"><workbookProtection/><sheets>`+list.String()+`</sheets></workbook>`)
	return b
}

// Set replaces the part name with body, or adds it.
func (b Book) Set(name, body string) { b[name] = strings.NewReader(body) }

// Cell writes one cell at ref (A1, B7…).
type Cell func(ref string) string

// Text is a cell of text stored inline, as LibreOffice and most export libraries write it.
func Text(s string) Cell {
	return func(ref string) string {
		return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, escape(s))
	}
}

// Number is a cell holding a number (or a date's serial number, which only a style tells apart).
func Number(v string) Cell {
	return func(ref string) string { return fmt.Sprintf(`<c r="%s" t="n"><v>%s</v></c>`, ref, v) }
}

// Formula is a formula cell whose cached result is the text result (t="str").
func Formula(formula, result string) Cell {
	return func(ref string) string {
		return fmt.Sprintf(`<c r="%s" t="str"><f>%s</f><v>%s</v></c>`, ref, escape(formula), escape(result))
	}
}

// Blank is a cell left out of its row.
func Blank(string) string { return "" }

// Row writes row r (numbered from 1) holding cells from column A on.
func Row(r int, cells ...Cell) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, c := range cells {
		b.WriteString(c(column(i) + fmt.Sprint(r)))
	}
	b.WriteString(`</row>`)
	return b.String()
}

// Rows reads the rows row(1), row(2)… row(n), each made only when read: a sheet of a million rows
// without holding it.
func Rows(n int, row func(r int) string) io.Reader { return &rows{n: n, row: row} }

type rows struct {
	n, r int
	row  func(int) string
	buf  []byte
}

func (s *rows) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.r == s.n {
			return 0, io.EOF
		}
		s.r++
		s.buf = []byte(s.row(s.r))
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// column names the column i (0 for A) as a spreadsheet does.
func column(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// Bytes zips the parts, in name order.
func (b Book) Bytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	b.write(t, &buf)
	return buf.Bytes()
}

// Write zips the parts to path.
func (b Book) Write(t testing.TB, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	b.write(t, f)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func (b Book) write(t testing.TB, w io.Writer) {
	names := make([]string, 0, len(b))
	for name := range b {
		names = append(names, name)
	}
	sort.Strings(names)
	zw := zip.NewWriter(w)
	for _, name := range names {
		pw, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(pw, b[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
