package textfile

import (
	"bufio"
	"io"
)

// LineWindow is how much of the start of a file judges its line ends: the same for every reader of
// the file, whatever its buffer, so a header read and a row read agree.
const LineWindow = 64 << 10

// Lines reads text as lines that CSV readers understand. In text whose lines end in CR alone (classic
// Mac OS, Excel for Mac's "Macintosh Comma Separated", some SIS exports), which a CSV reader would
// take for one endless line, each CR or CRLF becomes an LF, inside quoted values too, as encoding/csv
// does with CRLF. The line ends are judged on the first LineWindow bytes, so nothing is held whole.
// br's buffer must hold LineWindow bytes; turned says the line ends were turned.
func Lines(br *bufio.Reader) (r io.Reader, turned bool) {
	if head, _ := br.Peek(LineWindow); !crOnly(head) { // less than LineWindow at the end of a short file
		return br, false
	}
	return &crLines{r: br}, true
}

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
