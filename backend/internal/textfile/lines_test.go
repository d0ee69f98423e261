package textfile

import (
	"strings"
	"testing"
)

func TestCRLinesReader(t *testing.T) {
	for in, want := range map[string]string{"a\rb\r": "a\nb\n", "a\r\nb": "a\nb", "\"x\ry\"\r": "\"x\ny\"\n", "a\r\r\nb": "a\n\nb"} {
		var out strings.Builder
		buf := make([]byte, 1) // one byte at a time: a CRLF split between two reads stays one line end
		c := &crLines{r: strings.NewReader(in)}
		for {
			n, err := c.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				break
			}
		}
		if out.String() != want {
			t.Errorf("%q → %q, want %q", in, out.String(), want)
		}
	}
}
