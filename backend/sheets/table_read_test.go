package sheets

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

var tableColumns = []string{"Source value", "Sends"}

func readTable(t *testing.T, b []byte, name string) (Table, error) {
	t.Helper()
	return ReadTable(bytes.NewReader(b), name, tableColumns, "Upload the table you downloaded.", 100)
}

// What WriteTable writes, ReadTable reads back as written, in both formats, formula-like text included.
func TestReadTableReadsWhatWriteTableWrote(t *testing.T) {
	rows := [][]string{{"=HYPERLINK(\"x\")", "-"}, {"@me", "+"}, {"-3", "Ünïcode"}, {"'quoted", "a\nb"}}
	for _, format := range []string{"csv", "xlsx"} {
		var b bytes.Buffer
		err := WriteTable(&b, format, "Codes", tableColumns, func(yield func([]string) bool) {
			for _, r := range rows {
				yield(r)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		table, err := readTable(t, b.Bytes(), "codes."+format)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]string
		for i, r := range table.Rows {
			got = append(got, r.Cells)
			if r.Row != i+2 {
				t.Errorf("%s: row %d numbered %d", format, i, r.Row)
			}
		}
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("%s: read %q, want %q", format, got, rows)
		}
	}
}

// Rows are numbered as a spreadsheet program shows them: a title row, blank lines and a cell that
// spans two lines all count; other columns and their order do not matter.
func TestReadTableFindsTheHeaderAndNumbersRows(t *testing.T) {
	csv := "Gender codes\r\n\r\nnote,SENDS,  source value \r\nx,F,female\r\n,,\r\n,\"M\r\nm\",male\r\nonly a note,,\r\n,U,\r\n"
	table, err := readTable(t, []byte(csv), "codes.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []TableRow{{4, []string{"female", "F"}}, {6, []string{"male", "M\nm"}}, {8, []string{"", "U"}}}
	if !reflect.DeepEqual(table.Rows, want) {
		t.Fatalf("rows %+v, want %+v", table.Rows, want)
	}
}

func TestReadTableUTF16Tabs(t *testing.T) {
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	b, err := enc.Bytes([]byte("Source value\tSends\r\nÉlève\tÉ\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	table, err := readTable(t, b, "codes.txt")
	if err != nil || len(table.Rows) != 1 || table.Rows[0].Cells[0] != "Élève" {
		t.Fatalf("read %+v, %v", table, err)
	}
}

func TestReadTableRefuses(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"header too low", strings.Repeat("\r\n", 10) + "Source value,Sends\r\na,b\r\n", `codes.csv has no header row naming "Source value" and "Sends" in its first 10 rows.`},
		{"columns on two rows", "Source value\r\nSends\r\n", `codes.csv has no header row naming "Source value" and "Sends"`},
		{"blank", " ,\r\n;\r\n", "codes.csv is empty. Upload the table you downloaded."},
		{"too many", "Source value,Sends\r\n" + strings.Repeat("a,b\r\n", 101), "codes.csv has more than 100 rows, more than this table can have. Upload the table you downloaded."},
		{"damaged workbook", "PK\x03\x04garbage", "codes.csv cannot be opened: it is damaged or is not an Excel workbook."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readTable(t, []byte(tc.file), "/tmp/x/codes.csv")
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.CodeBadInput || !strings.HasPrefix(ae.Message, tc.want) {
				t.Fatalf("error %v\nwant %s", err, tc.want)
			}
		})
	}
}
