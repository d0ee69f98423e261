package sheets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/internal/sheetxml"
	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
)

// headerRows is how far down the header row may be: registrars add a title or a note above the table.
const headerRows = 10

// maxUpload bounds what is read into memory; a selection of every class in a large district is a few MB,
// so a bigger file is the wrong file.
const maxUpload = 64 << 20

// unzipLimits bound what an uploaded workbook may unpack to: a workbook Rosterdesk wrote of every
// class of a large district unpacks to a few tens of MB.
var unzipLimits = excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: textfile.UnzipXML}

// maxFindings is how many findings an upload lists; the rest are counted in one more, so that a wrong
// file of a million rows is a short answer.
const maxFindings = 100

var errTooLarge = errors.New("file too large")

// idHeaders and syncHeader are the header cells ReadSelection looks for, as normHeader leaves them.
var idHeaders = map[string]bool{"id": true, "sourcedid": true, "sourced id": true}

const syncHeader = "sync"

// syncValues maps a sync cell (lower case, trimmed) to whether its row is selected. Booleans and
// numbers arrive as 1/0, because workbooks are read raw.
var syncValues = map[string]bool{
	"yes": true, "y": true, "true": true, "x": true, "1": true,
	"": false, "no": false, "n": false, "false": false, "0": false,
}

// advice is what a selection upload asks for instead of a file it cannot read.
var advice = textfile.Advice{
	Instead: "Upload the .xlsx file you downloaded from Rosterdesk, or a copy of it saved as CSV.",
	Then:    "upload that file",
}

// ReadSelection reads a selection spreadsheet back. name is the file name the user chose, for messages: the
// content, not the extension, tells a workbook from CSV and refuses pictures and documents. sheet is the preferred
// sheet name ("Orgs"/"Classes", matched case-insensitively; else the first sheet holding an ID and a sync header).
// known reports whether an ID exists. The header row is found in the first 10 rows: the ID column header is
// one of "ID", "sourcedId", "sourced id" (any case, trimmed), the sync column header "sync" (any case); other
// columns are ignored, column order may differ from what was written. Sync values: yes/y/true/x/1 (any case,
// trimmed) = selected; blank, no/n/false/0 = not selected; anything else is a Finding naming the row.
// Unknown IDs, the same ID on two rows (name both rows), rows with a sync value but no ID are Findings.
// If Findings is non-empty, the caller changes nothing and shows them. A file that cannot be read at all
// (not a spreadsheet, corrupt zip, password-protected xlsx, no ID/sync header found, empty) returns an error
// whose message names the file and says what to do, in plain words for a registrar (e.g. "orgs.xlsx has no
// column named sync in its first 10 rows. Download the spreadsheet again and edit only the sync column.").
//
// Errors for unreadable files are *apperr.Error with code apperr.CodeBadInput.
func ReadSelection(r io.Reader, name, sheet string, known func(id string) bool) (Upload, error) {
	name = filepath.Base(name)
	// The file is small (maxUpload) and both readers need all of it: excelize for random access
	// to the zip, the text reader to tell UTF-8 from Windows-1252.
	b, err := io.ReadAll(&capped{r: r, n: maxUpload})
	switch {
	case errors.Is(err, errTooLarge):
		return Upload{}, tooLarge(name)
	case err != nil:
		return Upload{}, unreadable("%s cannot be read: %v", name, err)
	case len(b) == 0:
		return Upload{}, empty(name)
	}
	format, _ := textfile.Sniff(bytes.NewReader(b), int64(len(b)), name) // reading bytes cannot fail
	switch format.Kind {
	case textfile.Workbook:
		return readWorkbook(b, name, sheet, known)
	case textfile.Text:
		return readText(b, name, known)
	}
	return Upload{}, unreadable("%s", format.Refusal(name, advice))
}

func readWorkbook(b []byte, name, want string, known func(string) bool) (Upload, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), unzipLimits)
	if textfile.UnzipTooLarge(err) {
		return Upload{}, unreadable("%s", textfile.Unpacks(name, unzipLimits.UnzipSizeLimit, advice))
	}
	if err != nil {
		return Upload{}, damaged(name)
	}
	defer f.Close()

	// The preferred sheet first, then the others in workbook order: users rename, reorder and add sheets.
	sheets := f.GetSheetList()
	for i, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(want)) {
			sheets = slices.Insert(slices.Delete(sheets, i, i+1), 0, s)
			break
		}
	}
	var s seen
	for _, sheet := range sheets {
		u, found, err := readSheet(f, b, name, sheet, &s, known)
		if err != nil {
			return Upload{}, err
		}
		if found {
			u.Sheet = sheet
			return u, nil
		}
	}
	return Upload{}, s.missing(name)
}

// readSheet reads one sheet if it has a header row; found reports whether it had.
func readSheet(f *excelize.File, book []byte, name, sheet string, s *seen, known func(string) bool) (u Upload, found bool, err error) {
	next, done, err := sheetRows(f, book, name, sheet, advice)
	if err != nil {
		return Upload{}, false, err
	}
	defer done()
	h, found, err := findHeader(next, s)
	if !found || err != nil {
		return Upload{}, found, err
	}
	u, err = readRows(next, name, h, known)
	return u, true, err
}

// sheetRows reads a sheet of f, the workbook book named name, row by row; a is what to advise when
// it cannot be read, and done releases the sheet.
func sheetRows(f *excelize.File, book []byte, name, sheet string, a textfile.Advice) (next rowSource, done func() error, err error) {
	broken := unreadable("%s", textfile.Damaged(name, a))
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, broken
	}
	check := sheetxml.Start(bytes.NewReader(book), int64(len(book)), sheet)
	row := 0
	next = func() ([]string, int, error) {
		if !rows.Next() {
			if rows.Error() != nil {
				return nil, 0, broken
			}
			if err := check.Wait(); err != nil { // excelize stops at broken XML as if the sheet ended there
				return nil, 0, unreadable("%s", sheetxml.Damaged(err, name, sheet, row, a))
			}
			return nil, 0, io.EOF
		}
		row++ // Next steps through every row number, blank rows included
		// Raw values: a boolean reads 1/0 and a numeric ID keeps all its digits, whatever the cell's format.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, 0, broken
		}
		return cells, row, nil
	}
	return next, func() error { check.Cancel(); return rows.Close() }, nil
}

// rowSource returns the next row of a sheet and its number as a spreadsheet program shows it,
// or io.EOF after the last row.
type rowSource func() (cells []string, row int, err error)

// header is where a header row names the ID and sync columns.
type header struct {
	id, sync         int    // column indexes
	idName, syncName string // as written, for findings
}

// seen is what the rows searched for a header held, so an error can say what is missing.
type seen struct{ cells, id, sync bool }

// findHeader reads the first headerRows rows of next for one naming both an ID and a sync column.
func findHeader(next rowSource, s *seen) (header, bool, error) {
	for {
		cells, row, err := next()
		if err == io.EOF {
			return header{}, false, nil
		}
		if err != nil {
			return header{}, false, err
		}
		if row > headerRows {
			return header{}, false, nil
		}
		h := header{id: -1, sync: -1}
		for i, c := range cells {
			n := normHeader(c)
			s.cells = s.cells || n != ""
			switch {
			case idHeaders[n] && h.id < 0:
				h.id, h.idName = i, strings.TrimSpace(c)
			case n == syncHeader && h.sync < 0:
				h.sync, h.syncName = i, strings.TrimSpace(c)
			}
		}
		s.id = s.id || h.id >= 0
		s.sync = s.sync || h.sync >= 0
		if h.id >= 0 && h.sync >= 0 {
			return h, true, nil
		}
	}
}

// readRows reads the data rows below the header.
func readRows(next rowSource, name string, h header, known func(string) bool) (Upload, error) {
	u := Upload{Selected: []string{}, Findings: []Finding{}}
	more := 0
	add := func(row int, column, format string, args ...any) {
		if len(u.Findings) == maxFindings {
			more++
			return
		}
		u.Findings = append(u.Findings, Finding{Row: row, Column: column, Message: fmt.Sprintf(format, args...)})
	}
	firstRow := map[string]int{} // ID → the row it was first seen on
	for {
		cells, row, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Upload{}, err
		}
		id, sync := cell(cells, h.id), cell(cells, h.sync)
		if id == "" && sync == "" {
			continue
		}
		u.Rows++
		if id == "" {
			add(row, h.idName, "This row has %q in the %s column but no ID. Put the ID back, or clear the %s cell.", sync, h.syncName, h.syncName)
			continue
		}
		selected, ok := syncValues[strings.ToLower(sync)]
		if !ok {
			add(row, h.syncName, "%q is not a sync value. Write Yes to sync this row or No to leave it out.", sync)
		}
		if first, dup := firstRow[id]; dup {
			add(row, h.idName, "The ID %s is on rows %d and %d. Delete one of the two rows.", id, first, row)
			continue
		}
		firstRow[id] = row
		if !known(id) {
			add(row, h.idName, "Rosterdesk does not know the ID %s: it may have been changed by mistake, or removed since the spreadsheet was downloaded. Put the right ID back, delete this row, or download the spreadsheet again.", id)
			continue
		}
		if selected {
			u.Selected = append(u.Selected, id)
		}
	}
	if more > 0 {
		u.Findings = append(u.Findings, Finding{Message: fmt.Sprintf("…and %d more problems, not listed. So many mean the wrong file: upload the spreadsheet you downloaded from Rosterdesk.", more)})
	}
	if u.Rows == 0 {
		return Upload{}, unreadable("%s has no rows under its header row. Download the spreadsheet again, fill in the sync column, and upload it.", name)
	}
	return u, nil
}

// cell is cells[i] trimmed, or "" past the end of a short row.
func cell(cells []string, i int) string {
	if i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// capped reads at most n bytes of r, then fails with errTooLarge.
type capped struct {
	r io.Reader
	n int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, errTooLarge
	}
	p = p[:min(int64(len(p)), c.n)]
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// Errors for files that cannot be read, worded for the registrar who chose the file.

func unreadable(format string, args ...any) error {
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf(format, args...))
}

func empty(name string) error {
	return unreadable("%s is empty. Download the spreadsheet again, fill in the sync column, save it and upload it.", name)
}

func tooLarge(name string) error {
	return unreadable("%s is larger than %d MB, far too large for a selection spreadsheet. Upload the spreadsheet you downloaded from Rosterdesk.", name, maxUpload>>20)
}

func damaged(name string) error {
	return unreadable("%s", textfile.Damaged(name, advice))
}

// missing explains why no header row was found.
func (s seen) missing(name string) error {
	const fix = "Download the spreadsheet again and edit only the sync column."
	switch {
	case !s.cells:
		return empty(name)
	case s.id && !s.sync:
		return unreadable("%s has no column named sync in its first %d rows. %s", name, headerRows, fix)
	case s.sync && !s.id:
		return unreadable("%s has no column named ID in its first %d rows. %s", name, headerRows, fix)
	}
	return unreadable("%s has no header row with columns named ID and sync in its first %d rows. %s", name, headerRows, fix)
}
