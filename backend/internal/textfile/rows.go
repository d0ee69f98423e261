package textfile

import (
	"bytes"
	"fmt"
	"io"
)

// RowTooLong is a row longer than the ceiling LimitRows was given.
type RowTooLong struct{ Line, Max int }

func (e *RowTooLong) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes", e.Line, e.Max)
}

// LimitRows passes CSV text on while no row is longer than max bytes, then fails with *RowTooLong
// naming the line the row starts on (encoding/csv holds a whole row in memory). A row ends at a line
// break outside quotes: the quotes of a row are counted, and a line break after an even number of
// them ends it (an escaped quote "" counts twice, so it keeps the parity).
func LimitRows(r io.Reader, max int) io.Reader { return &rowLimit{r: r, max: max, line: 1} }

type rowLimit struct {
	r      io.Reader
	max    int
	line   int   // the line the current row started on
	breaks int   // line breaks inside the current row
	n      int   // bytes of the current row so far
	quotes int64 // quotes in the current row so far
	err    error
}

func (l *rowLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	b := p[:n]
	// Most reads hold no quote: then only the row that runs on from the last read, and the one that
	// runs into the next, can reach the ceiling, and lines are counted in one pass.
	if first, last := bytes.IndexByte(b, '\n'), bytes.LastIndexByte(b, '\n'); first >= 0 && len(b) <= l.max && l.quotes%2 == 0 && bytes.IndexByte(b, '"') < 0 {
		if l.n += first + 1; l.n > l.max {
			l.err = &RowTooLong{Line: l.line, Max: l.max}
			return n, nil
		}
		l.line += l.breaks + bytes.Count(b, []byte{'\n'})
		l.n, l.quotes, l.breaks = len(b)-last-1, 0, 0
		return n, err
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b) - 1
		}
		l.n += i + 1
		l.quotes += int64(bytes.Count(b[:i+1], []byte{'"'}))
		if l.n > l.max {
			// These bytes are passed on all the same, so the rows before the long one are read.
			l.err = &RowTooLong{Line: l.line, Max: l.max}
			return n, nil
		}
		if b[i] == '\n' {
			if l.quotes%2 == 0 {
				l.line += l.breaks + 1
				l.n, l.quotes, l.breaks = 0, 0, 0
			} else {
				l.breaks++
			}
		}
		b = b[i+1:]
	}
	return n, err
}
