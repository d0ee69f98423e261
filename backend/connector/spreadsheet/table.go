package spreadsheet

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/internal/sheetxml"
	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
)

// table streams the rows of one sheet of a workbook, or of a delimited text file, numbered as the
// spreadsheet program shows them (from 1, blank rows included).
type table struct {
	file     string   // base name, for messages
	sheet    string   // "" for a text file
	sheets   []string // every sheet of a workbook
	date1904 bool     // the workbook counts dates from 1904 (old Mac Excel)
	row      int      // number of the row Next returned last; next advances it
	note     string   // says when the file's name promises a workbook and it holds text, or the reverse
	next     func() (shown, raw []string, err error)
	close    func() error
}

// advice is what a spreadsheet source asks for instead of a file it cannot read.
var advice = textfile.Advice{
	Instead: "Save the list from Excel as .xlsx or .csv and choose that file.",
	Then:    "choose that file",
}

// sniff opens the file at path and tells what it holds. A file Rosterdesk cannot read as a
// spreadsheet (a picture, a document, an .xls workbook…) is refused with a message naming it.
func sniff(path string) (*os.File, textfile.Format, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, textfile.Format{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot open %s: %v", name, err))
	}
	format, err := func() (textfile.Format, error) {
		info, err := f.Stat()
		if err != nil {
			return textfile.Format{}, err
		}
		return textfile.Sniff(f, info.Size(), name)
	}()
	if err != nil {
		f.Close()
		return nil, format, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot read %s: %v", name, err))
	}
	if format.Kind == textfile.Other {
		f.Close()
		return nil, format, apperr.New(apperr.CodeBadInput, format.Refusal(name, advice))
	}
	return f, format, nil
}

// openTable opens the sheet (the first one when sheet is blank) of a workbook, or a text file whose
// header sits on line headerRow. The content decides which, not the file name.
func openTable(path, sheet string, headerRow int) (*table, error) {
	f, format, err := sniff(path)
	if err != nil {
		return nil, err
	}
	var t *table
	if format.Kind == textfile.Workbook {
		f.Close() // excelize reads the file itself
		t, err = openWorkbook(path, sheet)
	} else {
		t, err = openText(f, headerRow)
	}
	if err != nil {
		return nil, err
	}
	t.note = format.Misnamed(t.file)
	return t, nil
}

// Next returns the next row: the cells as the spreadsheet shows them and, for a workbook, the values
// stored behind them (a date's serial number, a number's full digits); raw is nil for a text file.
// It returns io.EOF after the last row.
func (t *table) Next() (shown, raw []string, err error) { return t.next() }

func (t *table) Close() error { return t.close() }

// where names the sheet and row for messages, as the user finds them in the spreadsheet program.
func (t *table) where(row int) string {
	if t.sheet == "" {
		return fmt.Sprintf("%s, row %d", t.file, row)
	}
	return fmt.Sprintf("%s, sheet %s, row %d", t.file, t.sheet, row)
}

// in names the sheet and file, for sentences.
func (t *table) in() string {
	if t.sheet == "" {
		return t.file
	}
	return fmt.Sprintf("sheet %s of %s", t.sheet, t.file)
}

// maxUnzip is the most a workbook source may unpack to: a sheet of every student of a large district
// unpacks to about 100 MB; parts larger than textfile.UnzipXML are streamed from a temporary file.
const maxUnzip = 512 << 20

// maxRow is the longest row of a text file: real rows are under 4 KB.
const maxRow = 1 << 20

func openWorkbook(path, sheet string) (*table, error) {
	name := filepath.Base(path)
	// The ISO short date makes cells with Excel's default date format read unambiguously in previews.
	f, err := excelize.OpenFile(path, excelize.Options{ShortDatePattern: "yyyy-mm-dd", UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: textfile.UnzipXML})
	if textfile.UnzipTooLarge(err) {
		return nil, apperr.New(apperr.CodeBadInput, textfile.Unpacks(name, maxUnzip, advice))
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot open %s: %v", name, err))
		}
		return nil, apperr.New(apperr.CodeBadInput, textfile.Damaged(name, advice))
	}
	t := &table{file: name, sheets: f.GetSheetList()}
	if t.sheet, err = pickSheet(name, t.sheets, sheet); err != nil {
		f.Close()
		return nil, err
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	// Two streams over the same sheet, read in step: one formatted as the user sees it, one raw, so
	// that a date keeps its serial number and a long ID its digits whatever format the cell has.
	shown, err := f.Rows(t.sheet)
	if err != nil {
		f.Close()
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot read sheet %s of %s: %v", t.sheet, name, err))
	}
	raw, err := f.Rows(t.sheet)
	if err != nil {
		shown.Close()
		f.Close()
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot read sheet %s of %s: %v", t.sheet, name, err))
	}
	whole, err := os.Open(path)
	var info os.FileInfo
	if err == nil {
		info, err = whole.Stat()
	}
	if err != nil {
		if whole != nil {
			whole.Close()
		}
		shown.Close()
		raw.Close()
		f.Close()
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot open %s: %v", name, err))
	}
	check := sheetxml.Start(whole, info.Size(), t.sheet)
	t.close = func() error {
		check.Cancel()
		whole.Close()
		shown.Close()
		raw.Close()
		return f.Close()
	}
	t.next = func() ([]string, []string, error) {
		if !shown.Next() || !raw.Next() {
			if shown.Error() != nil || check.Wait() != nil {
				return nil, nil, t.damaged(check.Wait())
			}
			return nil, nil, io.EOF
		}
		s, err := shown.Columns()
		if err != nil {
			t.row++
			return nil, nil, t.damaged(nil)
		}
		r, err := raw.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.row++
			return nil, nil, t.damaged(nil)
		}
		t.row++ // Rows yields every row number, blank rows too
		return s, r, nil
	}
	return t, nil
}

// damaged refuses a sheet whose XML breaks off or is garbled at or after the row read last, or is in
// an encoding excelize misreads (err, the check's finding).
func (t *table) damaged(err error) error {
	return apperr.New(apperr.CodeBadInput, sheetxml.Damaged(err, t.file, t.sheet, t.row, advice))
}

// pickSheet finds the sheet the settings name, forgiving case, or the first one.
func pickSheet(file string, sheets []string, want string) (string, error) {
	if len(sheets) == 0 {
		return "", apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s has no sheets, so it holds no list to read. Open it in your spreadsheet program, check the list is in it, save it again as Excel Workbook (.xlsx), and choose that file.", file))
	}
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), want) {
			return s, nil
		}
	}
	return "", apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s has no sheet named %q; its sheets are: %s. The sheet may have been renamed: set the connection's Sheet to one of these, or leave it blank to read the first.", file, want, strings.Join(sheets, ", ")))
}

// sniffSize is how much of a text file the delimiter is guessed from.
const sniffSize = 64 << 10

// openText reads the text file f, which it closes with the table.
func openText(f *os.File, headerRow int) (*table, error) {
	name := filepath.Base(f.Name())
	r, err := textfile.Decode(f)
	if err != nil {
		f.Close()
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot read %s: %v", name, err))
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, _ := br.Peek(sniffSize) // a shorter file peeks whole
	cr := csv.NewReader(textfile.LimitRows(br, maxRow))
	cr.Comma = sniffDelimiter(head, headerRow)
	cr.FieldsPerRecord = -1
	t := &table{file: name, close: f.Close}
	lastLine := 0 // the line the previous record ended on
	t.next = func() ([]string, []string, error) {
		record, err := cr.Read()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s, line %d: a quote (\") is not closed or stands in the middle of a value, so the rows after it cannot be told apart. Open the file in your spreadsheet program and save it again as CSV.", name, pe.StartLine))
		}
		var long *textfile.RowTooLong
		if errors.As(err, &long) {
			return nil, nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s, line %d: the row is longer than %d MB, the most Rosterdesk reads in one row, so the file is damaged or is not a table. Open it in your spreadsheet program and save it again as CSV.", name, long.Line, maxRow>>20))
		}
		if err == io.EOF {
			return nil, nil, err
		}
		if err != nil {
			return nil, nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot read %s: %v", name, err))
		}
		// encoding/csv skips blank lines, which a spreadsheet program shows as rows: count them back
		// in, while a value spanning lines stays one row.
		start, _ := cr.FieldPos(0)
		t.row += start - lastLine
		lastLine = start
		for _, v := range record {
			lastLine += strings.Count(v, "\n")
		}
		return record, nil, nil
	}
	return t, nil
}

// sniffDelimiter picks comma, semicolon (Excel where the decimal mark is a comma) or tab, whichever
// the header line holds most of outside quotes; comma when it holds none.
func sniffDelimiter(head []byte, headerRow int) rune {
	lines := strings.Split(string(head), "\n")
	line := lines[0]
	if headerRow >= 1 && headerRow <= len(lines) {
		line = lines[headerRow-1]
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}
