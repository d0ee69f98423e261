package mapping

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/sheets"
)

// The columns of a code table spreadsheet.
const (
	sourceHeader = "Source value"
	sendsHeader  = "Sends"
)

// maxCodes bounds an uploaded code table: real ones list a few dozen values (sexes, grades, languages).
const maxCodes = 10_000

// WriteCodes writes f's code table as a spreadsheet ("xlsx" or "csv") with the columns Source value
// and Sends, for the registrar to edit and upload again.
func WriteCodes(w io.Writer, format string, f Field) error {
	return sheets.WriteTable(w, format, "Codes", []string{sourceHeader, sendsHeader}, func(yield func([]string) bool) {
		for _, c := range f.Codes {
			if !yield([]string{c.From, c.To}) {
				return
			}
		}
	})
}

// ReadCodes reads a code table back from an .xlsx or .csv saved by Excel, LibreOffice or Google Sheets
// (name is the file's name, for messages). A source value on two rows is refused, naming both rows.
func ReadCodes(r io.Reader, name string) (CodeTable, error) {
	t, err := sheets.ReadTable(r, name, []string{sourceHeader, sendsHeader},
		"Upload the code table you downloaded from Rosterdesk, saved as .xlsx or .csv.", maxCodes)
	if err != nil {
		return nil, err
	}
	table := make(CodeTable, 0, len(t.Rows))
	firstRow := map[string]int{}
	for _, row := range t.Rows {
		from, to := row.Cells[0], row.Cells[1]
		if first, dup := firstRow[loose(from)]; dup {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf(
				"%s: rows %d and %d both have the source value %q (capitals and spaces do not count). Delete one of the two rows and upload the file again.",
				filepath.Base(name), first, row.Row, from))
		}
		firstRow[loose(from)] = row.Row
		table = append(table, Code{From: from, To: to})
	}
	return table, nil
}
