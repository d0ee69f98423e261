package oneroster

import (
	"bytes"
	"fmt"
	"io"
)

// Ceilings on what a package may hold, so that no input, however made, takes memory in proportion to
// its size. Each is far above what a real SIS export holds.
const (
	// maxLine is the longest row, in bytes: a state's users.csv has rows under 4 KB, and encoding/csv
	// holds a whole row (with its quoted line breaks) in memory.
	maxLine = 1 << 20
	// maxField is the longest value: a name, an id or a list of ids of a teacher's classes fits in a
	// few KB; 64 KB is generous.
	maxField = 64 << 10
	// maxEntry is the largest file in a ZIP once unpacked: the enrollments.csv of a 1,000,000-student
	// state is about 1 GB.
	maxEntry = 8 << 30
	// maxRatio is how many times larger than its compressed bytes a file of the ZIP may unpack to,
	// once it is larger than ratioFrom. CSV exports compress 5 to 20 times; a ZIP bomb about 1,000.
	maxRatio  = 200
	ratioFrom = 16 << 20
)

// limitError is a row longer than maxLine.
type limitError struct{ line int }

func (e *limitError) Error() string {
	return fmt.Sprintf("line %d is longer than %s", e.line, sizeText(maxLine))
}

// lineLimit passes text on while no row is longer than maxLine. A row ends at a line break outside
// quotes: the quotes of a row are counted, and a line break after an even number of them ends it
// (an escaped quote "" counts twice, so it keeps the parity).
type lineLimit struct {
	r      io.Reader
	line   int   // the line the current row started on
	breaks int   // line breaks inside the current row
	n      int   // bytes of the current row so far
	quotes int64 // quotes in the current row so far
	err    error
}

func limitLines(r io.Reader) io.Reader { return &lineLimit{r: r, line: 1} }

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for b := p[:n]; len(b) > 0; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b) - 1
		}
		l.n += i + 1
		l.quotes += int64(bytes.Count(b[:i+1], []byte{'"'}))
		if l.n > maxLine {
			// These bytes are passed on all the same, so the rows before the long one are read.
			l.err = &limitError{line: l.line}
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

// sizeText writes a ceiling as a registrar reads it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
