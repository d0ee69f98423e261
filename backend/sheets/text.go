package sheets

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
)

// delimiters are what spreadsheet programs separate CSV cells with: comma (LibreOffice, Google
// Sheets, Excel in most countries), semicolon (Excel where the decimal mark is a comma) and tab
// (Excel's "Unicode Text").
var delimiters = []rune{',', ';', '\t'}

// readText reads a CSV or tab-separated file, whole: it must be decoded as a whole to tell UTF-8
// from Windows-1252, and the delimiter is found by parsing its first rows with each candidate.
func readText(b []byte, name string, known func(string) bool) (Upload, error) {
	text, err := decodeText(b)
	if err != nil {
		return Upload{}, unreadable("%s cannot be read: %v", name, err)
	}
	if strings.Trim(text, " \r\n,;\t") == "" {
		return Upload{}, empty(name)
	}
	var s seen
	for _, comma := range delimiters {
		next := csvRows(text, comma)
		h, found, err := findHeader(next, &s)
		if err != nil {
			return Upload{}, err
		}
		if found {
			return readRows(next, name, h, known)
		}
	}
	return Upload{}, s.missing(name)
}

// decodeText turns a text file into a string, in whichever encoding a spreadsheet program saved it.
func decodeText(b []byte) (string, error) {
	r, err := textfile.Decode(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	text, err := io.ReadAll(r)
	return string(text), err
}

// csvRows reads text as CSV separated by comma, numbering rows as a spreadsheet program does.
func csvRows(text string, comma rune) rowSource {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = comma
	cr.LazyQuotes = true    // a stray quote in a name is text, not a broken file
	cr.FieldsPerRecord = -1 // rows may be ragged after editing
	row, end := 0, 0        // the last record's row, and the line it ended on
	return func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			return nil, 0, err // csv reports no syntax errors with LazyQuotes; io.EOF ends the file
		}
		// encoding/csv skips blank lines, which a spreadsheet program shows as rows, and a quoted
		// cell may span lines, which stays one row.
		start, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(rec) - 1)
		row += start - end
		end = last + strings.Count(rec[len(rec)-1], "\n")
		return rec, row, nil
	}
}
