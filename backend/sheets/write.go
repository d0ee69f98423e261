package sheets

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteSelection writes an .xlsx with one sheet named sheet ("Orgs" or "Classes"): header row = headers + "sync",
// frozen, bold with a fill colour; columns sized to their content (cap the width ~60); the sync column has a
// data-validation drop-down list Yes/No over all data rows and is pre-filled "Yes"/"No"; ints written as numbers;
// every string cell written as a string cell so text beginning with = + - @ can never run as a formula (also
// cells like "=HYPERLINK(...)" must come back verbatim as text). Large lists (10,000+ rows) must be fine: use excelize's StreamWriter.
//
// headers[0] names the ID column and must be a name ReadSelection finds ("ID" or "sourcedId").
func WriteSelection(w io.Writer, sheet string, headers []string, rows []Row) error {
	if len(headers) == 0 || !idHeaders[normHeader(headers[0])] {
		return errors.New(`sheets: the first header must be "ID" or "sourcedId", so the uploaded file can be read back`)
	}
	for _, h := range headers {
		if normHeader(h) == syncHeader {
			return errors.New(`sheets: "sync" is added by WriteSelection; leave it out of headers`)
		}
	}
	headers = append(headers[:len(headers):len(headers)], "sync")
	sync := len(headers) - 1

	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = width(h)
	}
	for n, r := range rows {
		if len(r.Cells) == 0 || len(r.Cells) > sync {
			return fmt.Errorf("sheets: row %d has %d cells for %d headers", n+1, len(r.Cells), sync)
		}
		for i, c := range r.Cells {
			if c != nil {
				widths[i] = max(widths[i], width(fmt.Sprint(c)))
			}
		}
	}

	f, sw, err := newStream(sheet, headers, widths)
	if err != nil {
		return err
	}
	values := make([]any, len(headers))
	for n, r := range rows {
		clear(values)
		for i, c := range r.Cells {
			values[i] = cellValue(c)
		}
		values[sync] = "No"
		if r.Selected {
			values[sync] = "Yes"
		}
		if err := sw.SetRow("A"+strconv.Itoa(n+2), values); err != nil {
			f.Close()
			return fmt.Errorf("sheets: row %d: %w", n+1, err)
		}
	}
	if len(rows) > 0 {
		col, _ := excelize.ColumnNumberToName(sync + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, len(rows)+1))
		if err := dv.SetDropList([]string{"Yes", "No"}); err != nil {
			f.Close()
			return fmt.Errorf("sheets: %w", err)
		}
		// A warning rather than a stop: ReadSelection also accepts x, 1, true, so typing one is fine.
		dv.SetError(excelize.DataValidationErrorStyleWarning, "sync", "Choose Yes to sync this row or No to leave it out.")
		// The stream writer writes the sheet's validations when flushed, so they can still be added here.
		if err := f.AddDataValidation(sheet, dv); err != nil {
			f.Close()
			return fmt.Errorf("sheets: %w", err)
		}
	}
	return finish(f, sw, w)
}

// cellValue keeps numbers numeric and turns everything else into a string cell: the stream writer
// writes strings as inline text, which no spreadsheet program evaluates.
func cellValue(c any) any {
	switch c := c.(type) {
	case nil:
		return nil
	case string:
		return c
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return c
	default:
		return fmt.Sprint(c)
	}
}

// normHeader is a header cell as compared: case and surrounding spaces do not matter.
func normHeader(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
