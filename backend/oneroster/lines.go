package oneroster

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// crWindow is how much of the start of a file judges its line ends: the same for every reader of
// the file, whatever its buffer.
const crWindow = 64 << 10

// text prepares a CSV file for encoding/csv, reading through a buffer of size bytes (at least
// crWindow): it skips a UTF-8 BOM and, in a file whose lines end in CR alone (classic Mac OS, some SIS
// exports), turns the line ends into LF, which encoding/csv would otherwise read as one endless line.
// crOnly says it did. The line ends are judged on the start of the file, so nothing is held whole.
func text(r io.Reader, size int) (rd io.Reader, crOnly bool) {
	br := skipBOM(bufio.NewReaderSize(r, max(size, crWindow)))
	head, _ := br.Peek(crWindow) // less at the end of a short file
	if bytes.IndexByte(head, '\r') < 0 || bytes.IndexByte(head, '\n') >= 0 {
		return br, false
	}
	return &crLines{r: br}, true
}

func skipBOM(br *bufio.Reader) *bufio.Reader {
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	return br
}

// crLines turns CR and CRLF into LF, inside quoted values too, as encoding/csv does with CRLF.
type crLines struct {
	r  io.Reader
	cr bool // the last byte passed on was a CR, so an LF right after it is part of the same line end
}

func (c *crLines) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		out := 0
		for _, b := range p[:n] {
			if b == '\n' && c.cr {
				c.cr = false
				continue
			}
			if c.cr = b == '\r'; c.cr {
				b = '\n'
			}
			p[out] = b
			out++
		}
		if out > 0 || err != nil || n == 0 {
			return out, err
		}
	}
}

// lineList gathers the lines of one tolerated oddity in a file, so that it is one warning naming a
// few lines rather than a warning per row.
type lineList struct {
	n     int
	first [5]int
}

func (l *lineList) add(line int) {
	if l.n < len(l.first) {
		l.first[l.n] = line
	}
	l.n++
}

// String names the lines: "line 4", "lines 4, 9 and 12", "lines 4, 9, 12, 13, 20 and 311 more".
func (l *lineList) String() string {
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
