package textfile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestLimitRowsNamesTheLineALongRowStartsOn(t *testing.T) {
	for in, want := range map[string]int{
		"a,b\nc,\"d\n\"\"e\"\"\nf\"\n" + strings.Repeat("x", 100) + "\n": 5, // a quoted value spans lines 2-4
		"a\n\"" + strings.Repeat("y\n", 60) + "\"\n":                     2, // a row of short lines
	} {
		_, err := io.Copy(io.Discard, LimitRows(strings.NewReader(in), 64))
		var long *RowTooLong
		if !errors.As(err, &long) || long.Line != want {
			t.Errorf("%.20q: %v, want line %d", in, err, want)
		}
	}
	if _, err := io.Copy(io.Discard, LimitRows(strings.NewReader(strings.Repeat("a,\"b\nc\"\n", 1000)), 16)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLimitRows is the limit's cost on an enrollments.csv's bytes, beside copying them.
func BenchmarkLimitRows(b *testing.B) {
	text := bytes.Repeat([]byte("enr-0000001,,,cls-00001,org-0001,usr-000001,student,false,2026-08-17,2027-06-11\n"), 400000)
	buf := make([]byte, 256<<10)
	for _, limited := range []bool{false, true} {
		name := map[bool]string{false: "copy", true: "limited"}[limited]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				var r io.Reader = bytes.NewReader(text)
				if limited {
					r = LimitRows(r, 1<<20)
				}
				io.CopyBuffer(io.Discard, r, buf)
			}
		})
	}
}
