package oneroster

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
)

// text prepares a CSV file for encoding/csv, reading through a buffer of size bytes (at least
// textfile.LineWindow): it skips a UTF-8 BOM and reads lines that end in CR alone as lines; crOnly
// says they did.
func text(r io.Reader, size int) (rd io.Reader, crOnly bool) {
	return textfile.Lines(skipBOM(bufio.NewReaderSize(r, max(size, textfile.LineWindow))))
}

func skipBOM(br *bufio.Reader) *bufio.Reader {
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	return br
}

// LineList gathers the lines of one kind of problem in a file, so that it is one message naming a
// few lines rather than one per row.
type LineList struct {
	n     int
	first [5]int
}

// Len is how many lines were counted.
func (l *LineList) Len() int { return l.n }

// Add counts a line, keeping the first few.
func (l *LineList) Add(line int) {
	if l.n < len(l.first) {
		l.first[l.n] = line
	}
	l.n++
}

// String names the lines: "line 4", "lines 4, 9 and 12", "lines 4, 9, 12, 13, 20 and 311 more".
func (l *LineList) String() string {
	shown := min(l.n, len(l.first))
	parts := make([]string, shown)
	for i := range parts {
		parts[i] = strconv.Itoa(l.first[i])
	}
	switch {
	case l.n == 1:
		return "line " + parts[0]
	case l.n > shown:
		return "lines " + strings.Join(parts, ", ") + " and " + strconv.Itoa(l.n-shown) + " more"
	default:
		return "lines " + strings.Join(parts[:shown-1], ", ") + " and " + parts[shown-1]
	}
}
