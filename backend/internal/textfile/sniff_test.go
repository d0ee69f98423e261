package textfile_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
	"github.com/rosterdesk/rosterdesk/backend/internal/textfile/textfiletest"
)

var advice = textfile.Advice{Instead: "Choose the list.", Then: "choose that file"}

func sniff(t *testing.T, name string, data []byte) textfile.Format {
	t.Helper()
	f, err := textfile.Sniff(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestSniffRefusesWhatIsNoSpreadsheet names what each file looks like, by its content.
func TestSniffRefusesWhatIsNoSpreadsheet(t *testing.T) {
	for _, s := range textfiletest.Samples(t) {
		t.Run(s.Name, func(t *testing.T) {
			f := sniff(t, s.Name, s.Data)
			msg := f.Refusal(s.Name, advice)
			if f.Kind != textfile.Other || !strings.HasPrefix(msg, s.Name+" ") || !strings.Contains(msg, s.Says) {
				t.Fatalf("kind %v, %q; want it to start with the name and say %q", f.Kind, msg, s.Says)
			}
			// Renamed, it is the same file.
			if renamed := sniff(t, "list.csv", s.Data); renamed.Kind != textfile.Other {
				t.Fatalf("named list.csv it is read as %v", renamed.Kind)
			}
		})
	}
}

// TestSniffRefusesBrokenUTF16 refuses a file that starts like UTF-16 and goes on as something else.
func TestSniffRefusesBrokenUTF16(t *testing.T) {
	if f := sniff(t, "list.txt", []byte("\xFF\xFE"+strings.Repeat("\x00\xD8", 100))); f.Kind != textfile.Other {
		t.Fatalf("read as %v", f.Kind)
	}
}

// TestSniffSaysAFileIsEmpty: an export that wrote nothing is not a list with no rows.
func TestSniffSaysAFileIsEmpty(t *testing.T) {
	f := sniff(t, "roster.csv", nil)
	if msg := f.Refusal("roster.csv", advice); f.Kind != textfile.Other || msg != "roster.csv is empty. Choose the list." {
		t.Fatalf("kind %v, %q", f.Kind, msg)
	}
}

// TestSniffReadsTextAsSaved takes every text file a spreadsheet program saves as text.
func TestSniffReadsTextAsSaved(t *testing.T) {
	long := strings.Repeat("1001,Ana,Lopez,3\r\n", 1000)
	for name, data := range map[string]string{
		"CSV UTF-8 (Excel)":             "\xEF\xBB\xBFID,First,Last,Grade\r\n1001,José,Muñoz,3\r\n",
		"CSV (Windows-1252)":            "ID;Nachname\r\n7;M\xFCller\r\n",
		"CSV (Macintosh)":               "ID,Last\r1001,Fran\x8Dois\r", // Mac Roman: bytes Windows-1252 leaves undefined
		"Unicode Text (UTF-16 LE)":      "\xFF\xFEI\x00D\x00\t\x00N\x00a\x00m\x00e\x00\r\x00\n\x001\x00\t\x00A\x00n\x00a\x00\r\x00\n\x00",
		"Unicode Text (UTF-16 BE)":      "\xFE\xFF\x00I\x00D\x00\t\x00N\x00a\x00m\x00e\x00\r\x00\n",
		"a stray control character":     "ID,Name\r\n1,An\x01a\r\n" + long,
		"a block cutting UTF-16 in two": "\xFF\xFE" + strings.Repeat("\x3D\xD8\x00\xDE", 3000), // 😀, a surrogate pair, over and over
	} {
		if f := sniff(t, "list.csv", []byte(data)); f.Kind != textfile.Text {
			t.Errorf("%s: read as %v, want text", name, f.Kind)
		}
	}
}

// TestSniffDecidesByContentAndSaysWhenTheNameDisagrees reads a workbook named .csv as a workbook and
// a CSV file named .xlsx as text, and says so; binary junk named .xlsx is a damaged workbook.
func TestSniffDecidesByContentAndSaysWhenTheNameDisagrees(t *testing.T) {
	wb := excelize.NewFile()
	var xlsx bytes.Buffer
	if err := wb.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	csv := []byte("ID,First\r\n1,Ana\r\n")
	for _, tc := range []struct {
		name string
		data []byte
		kind textfile.Kind
		note string
	}{
		{"class list.csv", xlsx.Bytes(), textfile.Workbook, "class list.csv is an Excel workbook although its name ends in .csv, so Rosterdesk reads it as a workbook."},
		{"class list.xlsx", xlsx.Bytes(), textfile.Workbook, ""},
		{"class list.xlsx", csv, textfile.Text, "class list.xlsx holds text (CSV or tab-separated) although its name ends in .xlsx, so Rosterdesk reads it as text."},
		{"SIS export.XLS", csv, textfile.Text, "SIS export.XLS holds text (CSV or tab-separated) although its name ends in .XLS, so Rosterdesk reads it as text."},
		{"class list.txt", csv, textfile.Text, ""},
		{"class list", csv, textfile.Text, ""},
	} {
		f := sniff(t, tc.name, tc.data)
		if f.Kind != tc.kind || f.Misnamed(tc.name) != tc.note {
			t.Errorf("%s: kind %v, note %q; want %v, %q", tc.name, f.Kind, f.Misnamed(tc.name), tc.kind, tc.note)
		}
	}
	var junk []byte
	for _, s := range textfiletest.Samples(t) {
		if s.Name == "noise.csv" {
			junk = s.Data
		}
	}
	if msg := sniff(t, "roster.xlsx", junk).Refusal("roster.xlsx", advice); msg != textfile.Damaged("roster.xlsx", advice) {
		t.Errorf("junk named .xlsx: %q", msg)
	}
	if msg := sniff(t, "roster.xlsx", xlsx.Bytes()[:xlsx.Len()/2]).Refusal("roster.xlsx", advice); msg != textfile.Damaged("roster.xlsx", advice) {
		t.Errorf("a workbook cut short: %q", msg)
	}
}
