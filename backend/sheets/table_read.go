package sheets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
)

// Table is a table read back from a spreadsheet a registrar uploads.
type Table struct {
	Sheet string     // the sheet read ("" for CSV)
	Rows  []TableRow // the rows below the header, blank ones left out
}

// TableRow is one row of a Table: the cells of the columns asked for, in that order, and the row's
// number as a spreadsheet program shows it (header row counted).
type TableRow struct {
	Row   int
	Cells []string
}

// ReadTable reads a table that a registrar downloaded (WriteTable), edited in Excel, LibreOffice or
// Google Sheets, and uploads again: an .xlsx workbook or a CSV file (comma, semicolon or tab; UTF-8,
// UTF-16 or Windows-1252), told apart by content. name is the file's name, for messages. columns are
// the headers to find, all in one row among the first 10 of a sheet (the first sheet that has them),
// matched ignoring case and surrounding spaces; other columns are ignored and the order may differ.
// Cells are trimmed; in CSV the apostrophe WriteTable puts before a formula-like text is taken off.
// A row whose cells are all blank is skipped. instead is the sentence saying what to upload in place
// of a file that is no spreadsheet; more than maxRows rows is refused.
//
// Errors for files that cannot be read are *apperr.Error with code apperr.CodeBadInput.
func ReadTable(r io.Reader, name string, columns []string, instead string, maxRows int) (Table, error) {
	name = filepath.Base(name)
	t := tableReader{name: name, columns: columns, maxRows: maxRows, advice: textfile.Advice{Instead: instead, Then: "upload that file"}}
	b, err := io.ReadAll(&capped{r: r, n: maxUpload})
	switch {
	case errors.Is(err, errTooLarge):
		return Table{}, unreadable("%s is larger than %d MB, far too large for this table. %s", name, maxUpload>>20, instead)
	case err != nil:
		return Table{}, unreadable("%s cannot be read: %v", name, err)
	case len(b) == 0:
		return Table{}, t.empty()
	}
	format, _ := textfile.Sniff(bytes.NewReader(b), int64(len(b)), name) // reading bytes cannot fail
	switch format.Kind {
	case textfile.Workbook:
		return t.workbook(b)
	case textfile.Text:
		return t.text(b)
	}
	return Table{}, unreadable("%s", format.Refusal(name, t.advice))
}

type tableReader struct {
	name    string
	columns []string
	maxRows int
	advice  textfile.Advice
	found   []bool // the columns any header candidate named, for the message when none had all
}

func (t *tableReader) workbook(b []byte) (Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), unzipLimits)
	if textfile.UnzipTooLarge(err) {
		return Table{}, unreadable("%s", textfile.Unpacks(t.name, unzipLimits.UnzipSizeLimit, t.advice))
	}
	if err != nil {
		return Table{}, unreadable("%s", textfile.Damaged(t.name, t.advice))
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		next, done, err := sheetRows(f, b, t.name, sheet, t.advice)
		if err != nil {
			return Table{}, err
		}
		table, found, err := t.read(next, false)
		done()
		if found || err != nil {
			table.Sheet = sheet
			return table, err
		}
	}
	return Table{}, t.missing()
}

func (t *tableReader) text(b []byte) (Table, error) {
	text, err := decodeText(b)
	if err != nil {
		return Table{}, unreadable("%s cannot be read: %v", t.name, err)
	}
	if strings.Trim(text, " \r\n,;\t") == "" {
		return Table{}, t.empty()
	}
	for _, comma := range delimiters {
		table, found, err := t.read(csvRows(text, comma), true)
		if found || err != nil {
			return table, err
		}
	}
	return Table{}, t.missing()
}

// read finds the header row in next and reads the rows below it; found reports whether it had one.
func (t *tableReader) read(next rowSource, csv bool) (table Table, found bool, err error) {
	at, err := t.header(next)
	if at == nil || err != nil {
		return Table{}, false, err
	}
	table.Rows = []TableRow{}
	for {
		cells, row, err := next()
		if err == io.EOF {
			return table, true, nil
		}
		if err != nil {
			return Table{}, true, err
		}
		out := make([]string, len(at))
		blank := true
		for i, col := range at {
			out[i] = cell(cells, col)
			if csv {
				out[i] = undefuse(out[i])
			}
			blank = blank && out[i] == ""
		}
		if blank {
			continue
		}
		if len(table.Rows) == t.maxRows {
			return Table{}, true, unreadable("%s has more than %d rows, more than this table can have. %s", t.name, t.maxRows, t.advice.Instead)
		}
		table.Rows = append(table.Rows, TableRow{Row: row, Cells: out})
	}
}

// header reads the first headerRows rows of next for one naming every column; it returns each
// column's index in that row, or nil.
func (t *tableReader) header(next rowSource) ([]int, error) {
	if t.found == nil {
		t.found = make([]bool, len(t.columns))
	}
	for {
		cells, row, err := next()
		if err == io.EOF || (err == nil && row > headerRows) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		at := make([]int, len(t.columns))
		all := true
		for i, col := range t.columns {
			at[i] = -1
			for j, c := range cells {
				if normHeader(c) == normHeader(col) {
					at[i] = j
					t.found[i] = true
					break
				}
			}
			all = all && at[i] >= 0
		}
		if all {
			return at, nil
		}
	}
}

// undefuse takes off the apostrophe defuse puts before a CSV cell that would run as a formula.
func undefuse(v string) string {
	if rest, ok := strings.CutPrefix(v, "'"); ok && rest != "" && defuse(rest) == v {
		return rest
	}
	return v
}

func (t *tableReader) empty() error {
	return unreadable("%s is empty. %s", t.name, t.advice.Instead)
}

// missing says which of the columns no header row named.
func (t *tableReader) missing() error {
	var lacking []string
	for i, col := range t.columns {
		if t.found == nil || !t.found[i] {
			lacking = append(lacking, col)
		}
	}
	if len(lacking) == 0 { // each column is named, but never all in one row
		lacking = t.columns
	}
	return unreadable("%s has no header row naming %s in its first %d rows. Put the column headers back as they were downloaded (%s) and upload it again.",
		t.name, andList(lacking), headerRows, strings.Join(t.columns, ", "))
}

// andList joins names as "A", "A" and "B", or "A", "B" and "C".
func andList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}
