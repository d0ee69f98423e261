// Package sheets makes the spreadsheets a registrar downloads, edits and uploads: selection lists of
// orgs or classes with a sync column to fill in (§5), and tables such as a run's log.
//
// Every text value is written as text, never as a formula, because names and messages come from
// student information systems and may start with "=": a spreadsheet program must show them, not run them.
package sheets

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Row is one line of a selection spreadsheet: Cells[0] is the record's ID (sourcedId); the other cells are
// strings or ints shown for the registrar (name, type, parent, counts). Selected pre-fills the sync column.
type Row struct {
	Cells    []any
	Selected bool
}

// Finding is a problem with one row of an uploaded file. Row is the 1-based row number as the registrar sees it
// in their spreadsheet program (header row counted).
type Finding struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// Upload is what an uploaded selection spreadsheet says.
type Upload struct {
	Sheet    string    `json:"sheet"`    // the sheet read ("" for csv)
	Rows     int       `json:"rows"`     // data rows read (blank rows ignored)
	Selected []string  `json:"selected"` // IDs whose sync cell says yes, in file order
	Findings []Finding `json:"findings"` // unknown IDs, duplicate IDs, unreadable sync values...
}

// Column widths in characters: wide enough for the longest value, but a long name must not push
// the sync column off the screen.
const (
	minWidth = 8
	maxWidth = 60
)

func width(s string) int { return utf8.RuneCountInString(s) }

// newStream starts a workbook whose only sheet is named sheet, with columns as wide as widths and
// a bold, filled header row that stays in view while scrolling. A StreamWriter writes the sheet
// in order, so widths and panes must be set before the first row.
func newStream(sheet string, headers []string, widths []int) (*excelize.File, *excelize.StreamWriter, error) {
	f := excelize.NewFile()
	sw, err := func() (*excelize.StreamWriter, error) {
		if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
			return nil, fmt.Errorf("sheet name %q: %w", sheet, err)
		}
		style, err := f.NewStyle(&excelize.Style{
			Font:   &excelize.Font{Bold: true},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border: []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
		})
		if err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return nil, err
		}
		for i, w := range widths {
			if err := sw.SetColWidth(i+1, i+1, float64(min(max(w+2, minWidth), maxWidth))); err != nil {
				return nil, err
			}
		}
		err = sw.SetPanes(&excelize.Panes{
			Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
		})
		if err != nil {
			return nil, err
		}
		cells := make([]any, len(headers))
		for i, h := range headers {
			cells[i] = excelize.Cell{StyleID: style, Value: h}
		}
		return sw, sw.SetRow("A1", cells)
	}()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("sheets: %w", err)
	}
	return f, sw, nil
}

// finish writes the streamed sheet and the workbook to w.
func finish(f *excelize.File, sw *excelize.StreamWriter, w io.Writer) error {
	defer f.Close()
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheets: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("sheets: writing the workbook: %w", err)
	}
	return nil
}
