package oneroster

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// text prepares a CSV file for encoding/csv, reading through a buffer of size bytes (at least
// textfile.LineWindow): it decodes UTF-16 (what Windows tools save as "Unicode text"), skips a UTF-8
// BOM, reads lines that end in CR alone as lines (crOnly says they did) and stops at a row longer
// than maxLine.
func text(r io.Reader, size int) (rd io.Reader, crOnly bool) {
	size = max(size, textfile.LineWindow)
	br := bufio.NewReaderSize(r, size)
	if order, ok := utf16Order(br); ok {
		br = bufio.NewReaderSize(transform.NewReader(br, unicode.UTF16(order, unicode.UseBOM).NewDecoder()), size)
	}
	rd, crOnly = textfile.Lines(skipBOM(br))
	return textfile.LimitRows(rd, maxLine), crOnly
}

// utf16Order tells UTF-16 text by its BOM or, without one, by the NUL byte beside each ASCII
// character of its first line.
func utf16Order(br *bufio.Reader) (unicode.Endianness, bool) {
	b, err := br.Peek(4)
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return unicode.LittleEndian, true
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return unicode.BigEndian, true
	case err == nil && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.LittleEndian, true
	case err == nil && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0:
		return unicode.BigEndian, true
	}
	return unicode.BigEndian, false
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
