package sheets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sampleRows is how many leading rows size the columns of an xlsx table: a streamed sheet needs its
// widths before its first row, and the whole table may not fit in memory.
const sampleRows = 1000

// WriteTable writes a table as "csv" or "xlsx" (sheet name sheet, styled frozen header, sized columns,
// StreamWriter) for downloads such as a run's log with one row per record. rows yields each row; it may be
// hundreds of thousands long: never hold them all. In CSV, a text cell beginning with = + - @ (or tab / CR)
// gets a leading apostrophe so spreadsheet programs don't run it as a formula (OWASP CSV injection advice);
// CSV is UTF-8 with a BOM so Excel reads accents, CRLF line ends.
//
// rows may reuse its slice between yields. An xlsx is assembled in memory once compressed (excelize
// writes the zip to a buffer), a few MB per 100,000 rows; the sheet itself streams through a temporary file.
func WriteTable(w io.Writer, format, sheet string, headers []string, rows func(yield func([]string) bool)) error {
	switch format {
	case "csv":
		return writeCSV(w, headers, rows)
	case "xlsx":
		return writeXLSX(w, sheet, headers, rows)
	}
	return fmt.Errorf("sheets: unknown table format %q, want csv or xlsx", format)
}

func writeCSV(w io.Writer, headers []string, rows func(yield func([]string) bool)) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("sheets: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	var (
		out []string
		err error
	)
	write := func(rec []string) bool {
		out = out[:0]
		for _, v := range rec {
			out = append(out, defuse(v))
		}
		err = cw.Write(out)
		return err == nil
	}
	if write(headers) {
		rows(write)
	}
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err != nil {
		return fmt.Errorf("sheets: %w", err)
	}
	return nil
}

// defuse keeps a spreadsheet program from running a CSV cell as a formula: a value starting with
// = + - @, tab or carriage return gets a leading apostrophe. A plain number such as -3 stays as it
// is; it cannot run and should still read as a number.
func defuse(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}

func writeXLSX(w io.Writer, sheet string, headers []string, rows func(yield func([]string) bool)) error {
	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = width(h)
	}
	var (
		f      *excelize.File
		sw     *excelize.StreamWriter
		err    error
		n      = 1 // the last row written
		sample [][]string
		values []any
	)
	put := func(rec []string) bool {
		n++
		values = values[:0]
		for _, v := range rec {
			values = append(values, v) // strings stay text: never a formula
		}
		if err = sw.SetRow("A"+strconv.Itoa(n), values); err != nil {
			err = fmt.Errorf("sheets: row %d: %w", n, err)
		}
		return err == nil
	}
	// start sizes the columns from the sample, then writes the header and the sample.
	start := func() bool {
		if f, sw, err = newStream(sheet, headers, widths); err != nil {
			return false
		}
		for _, rec := range sample {
			if !put(rec) {
				return false
			}
		}
		sample = nil
		return true
	}
	rows(func(rec []string) bool {
		if sw != nil {
			return put(rec)
		}
		sample = append(sample, slices.Clone(rec))
		for i, v := range rec[:min(len(rec), len(widths))] {
			widths[i] = max(widths[i], width(v))
		}
		return len(sample) < sampleRows || start()
	})
	if err == nil && sw == nil {
		start()
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		return err
	}
	return finish(f, sw, w)
}

// WriteQuery is WriteTable for the rows of a query, which calls emit for each: the query stops when
// the writer does, and its own error is returned.
func WriteQuery(w io.Writer, format, sheet string, headers []string, query func(emit func(row []string) error) error) error {
	var failed error
	err := WriteTable(w, format, sheet, headers, func(yield func([]string) bool) {
		failed = query(func(row []string) error {
			if !yield(row) {
				return errStopped
			}
			return nil
		})
	})
	if failed != nil && !errors.Is(failed, errStopped) {
		return failed
	}
	return err
}

// errStopped ends a query when the writer stops asking for rows.
var errStopped = errors.New("the writer stopped")
