package mapping

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// tricky is a code table with what round trips must keep: accents, formula-like and number-like
// text, leading zeros, commas and quotes, and a row for blank source values.
var tricky = CodeTable{
	{"female", "F"}, {"Élève", "É"}, {"=SUM(A1)", "+1"}, {"-", "@x"}, {"007", "00"},
	{"a, \"b\"", "c;d"}, {"", "U"}, {"-3", "1.50"},
}

func TestCodesRoundTrip(t *testing.T) {
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteCodes(&b, format, Field{To: "gender", Codes: tricky}); err != nil {
				t.Fatal(err)
			}
			got, err := ReadCodes(&b, "gender codes."+format)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tricky) {
				t.Fatalf("read back %q\nwant %q", got, tricky)
			}
		})
	}
}

// A workbook edited in another program: a title above the header, columns swapped, a notes column,
// blank rows, a number typed as a number, and another sheet put first.
func TestReadCodesEditedWorkbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Notes"))
	must(f.SetCellValue("Notes", "A1", "Codes for the SIS"))
	_, err := f.NewSheet("Codes")
	must(err)
	for cell, v := range map[string]any{
		"A1": "Gender codes, checked by the registrar",
		"A3": "Notes", "B3": " SENDS ", "C3": "source VALUE",
		"A4": "checked", "B4": "F", "C4": "female",
		"B6": "M", "C6": "male",
		"B7": 9, "C7": "other",
		"A8": "a note only",
	} {
		must(f.SetCellValue("Codes", cell, v))
	}
	var b bytes.Buffer
	must(f.Write(&b))
	got, err := ReadCodes(&b, "/home/registrar/Downloads/gender.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := CodeTable{{"female", "F"}, {"male", "M"}, {"other", "9"}} // a row with only a note is blank here
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read %q, want %q", got, want)
	}
}

// CSV as Excel saves it where the decimal mark is a comma: semicolons, Windows-1252, CRLF, a
// trailing separator, and a blank line.
func TestReadCodesExcelCSV(t *testing.T) {
	csv := "Source value;Sends;\r\nfemale;F;\r\n\r\n\xc9l\xe8ve;\xc9;\r\nmale;M;\r\n"
	got, err := ReadCodes(strings.NewReader(csv), "codes.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := CodeTable{{"female", "F"}, {"Élève", "É"}, {"male", "M"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read %q, want %q", got, want)
	}
}

func TestReadCodesRefuses(t *testing.T) {
	var many strings.Builder
	many.WriteString("Source value,Sends\n")
	for i := 0; i <= maxCodes; i++ {
		fmt.Fprintf(&many, "v%d,y\n", i)
	}
	for _, tc := range []struct{ name, file, want string }{
		{"repeated", "Source value,Sends\r\nfemale,F\r\nmale,M\r\n Female ,W\r\n", `codes.csv: rows 2 and 4 both have the source value "Female" (capitals and spaces do not count). Delete one of the two rows and upload the file again.`},
		{"neither column", "From,To\r\nfemale,F\r\n", `codes.csv has no header row naming "Source value" and "Sends" in its first 10 rows. Put the column headers back as they were downloaded (Source value, Sends) and upload it again.`},
		{"one column", "Source value,Value\r\nfemale,F\r\n", `codes.csv has no header row naming "Sends" in its first 10 rows.`},
		{"empty", "", "codes.csv is empty. Upload the code table you downloaded from Rosterdesk, saved as .xlsx or .csv."},
		{"picture", "\x89PNG\r\n\x1a\n\x00\x00", "codes.csv is not a spreadsheet: it looks like a PNG picture."},
		{"too many rows", many.String(), "codes.csv has more than 10000 rows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCodes(strings.NewReader(tc.file), "codes.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %v\nwant %s", err, tc.want)
			}
		})
	}
}
