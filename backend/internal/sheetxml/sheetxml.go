// Package sheetxml checks that a worksheet's XML is whole, beside excelize's row reader, which stops
// at the first syntax error as if the sheet ended there: without the check, a sheet spoilt halfway (a
// cut-off copy, an export writing a bare &) would lose its last rows without a word, and a fetch or a
// selection upload would take the rows before the break as all there is.
package sheetxml

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
)

// Check is a check of one sheet, running.
type Check struct {
	stop chan struct{}
	done chan struct{}
	err  error // the first syntax error; nil when the sheet is whole or cannot be found
}

// Start starts checking the sheet of the workbook r (size bytes), which excelize has opened.
func Start(r io.ReaderAt, size int64, sheet string) *Check {
	c := &Check{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.err = c.run(r, size, sheet)
	}()
	return c
}

// Wait returns what the check found, once it has read the whole sheet.
func (c *Check) Wait() error {
	<-c.done
	return c.err
}

// Cancel stops the check, when the sheet is not read to its end.
func (c *Check) Cancel() {
	close(c.stop)
	<-c.done
}

// EncodingError is a sheet whose XML declares an encoding other than UTF-8 (windows-1252, say): excelize
// reads its letters wrong without a word, so the sheet is refused rather than imported garbled.
type EncodingError struct{ Label string }

func (e *EncodingError) Error() string { return "the sheet is written in the " + e.Label + " encoding" }

// Damaged says that sheet of file cannot be read, and what to do: err is what the check found (nil
// when excelize itself failed), row the row read last.
func Damaged(err error, file, sheet string, row int, a textfile.Advice) string {
	if enc := (*EncodingError)(nil); errors.As(err, &enc) {
		return fmt.Sprintf("Sheet %s of %s is written in the %s character encoding, which Rosterdesk cannot read reliably (letters such as é would come out wrong). Open the file in your spreadsheet program, save it again as Excel Workbook (.xlsx), and %s.", sheet, file, enc.Label, a.Then)
	}
	row = max(row, 1)
	return fmt.Sprintf("Sheet %s of %s is damaged at or after row %d, so Rosterdesk cannot read it. Open the file in your spreadsheet program (it repairs what it can), check the rows from row %d on, save it again as Excel Workbook (.xlsx), and %s.", sheet, file, row, row, a.Then)
}

func (c *Check) run(ra io.ReaderAt, size int64, sheet string) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil // excelize opened it; what it reads is all there is to check
	}
	part := sheetPart(zr, sheet)
	if part == nil {
		return nil
	}
	r, err := part.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	// RawToken with a stack of open elements judges as Token does, at a fraction of its cost.
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) { return nil, &EncodingError{label} }
	var open []xml.Name
	for n := 0; ; n++ {
		if n%4096 == 0 {
			select {
			case <-c.stop:
				return nil
			default:
			}
		}
		tok, err := d.RawToken()
		if err == io.EOF && len(open) == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			open = append(open, e.Name)
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != e.Name {
				return errors.New("element closed out of order")
			}
			open = open[:len(open)-1]
		}
	}
}

// sheetPart finds the worksheet part of the sheet named name, as excelize does: the workbook lists
// the sheet with a relationship ID, and the workbook's relationships give its part.
func sheetPart(zr *zip.Reader, name string) *zip.File {
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		List []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodePart(zr, "xl/workbook.xml", &book) != nil || decodePart(zr, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return nil
	}
	for _, s := range book.Sheets {
		if !strings.EqualFold(s.Name, name) {
			continue
		}
		for _, rel := range rels.List {
			if rel.ID != s.ID {
				continue
			}
			want := path.Join("xl", rel.Target)
			if strings.HasPrefix(rel.Target, "/") {
				want = path.Clean(rel.Target)[1:]
			}
			for _, f := range zr.File {
				if f.Name == want {
					return f
				}
			}
		}
	}
	return nil
}

func decodePart(zr *zip.Reader, name string, v any) error {
	r, err := zr.Open(name)
	if err != nil {
		return err
	}
	defer r.Close()
	return xml.NewDecoder(r).Decode(v)
}
