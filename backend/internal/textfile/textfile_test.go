package textfile

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestDecode reads text as spreadsheet programs save it, whatever the encoding and line ends.
func TestDecode(t *testing.T) {
	long := strings.Repeat("1001,Ana,Lopez\r\n", 1000) // past the first block
	for _, tc := range []struct{ name, file, want string }{
		{"CSV UTF-8", "\xEF\xBB\xBFID,Name\r\n1,José\r\n", "ID,Name\r\n1,José\r\n"},
		{"Windows-1252", "ID,Name\r\n1,Jos\xE9\r\n", "ID,Name\r\n1,José\r\n"},
		{"UTF-16 with its mark", "\xFF\xFEI\x00D\x00\r\x00\n\x001\x00\r\x00\n\x00", "ID\r\n1\r\n"},
		{"lines ending in CR alone", "ID,Name\r1,Ana\r2,\"Ben\rDiaz\"\r", "ID,Name\n1,Ana\n2,\"Ben\nDiaz\"\n"},
		{"Macintosh Comma Separated (Mac Roman, CR alone)", "ID,Name\r1,Fran\x8Dois Nu\x96ez\r", "ID,Name\n1,François Nuñez\n"},
		{"UTF-16 lines ending in CR alone", "\xFF\xFEI\x00D\x00\r\x001\x00\r\x00", "ID\n1\n"},
		{"a CR inside a value of a CRLF file stays", "ID,Note\r\n1,\"a\rb\"\r\n" + long, "ID,Note\r\n1,\"a\rb\"\r\n" + long},
	} {
		r, err := Decode(bytes.NewReader([]byte(tc.file)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}
