package spreadsheet

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

var csvColumns = mapping(map[string]string{"ID": "sourcedId", "First": "givenName", "Last": "familyName", "Email": "email"})

// TestCSVAsSaved reads the same list as the CSV variants spreadsheet programs write.
func TestCSVAsSaved(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{"Excel CSV UTF-8: BOM and CRLF", []byte("\xEF\xBB\xBFID,First,Last,Email\r\n1.0E+5,José,Muñoz,jm@example.org\r\n12345.0,Zoë,\"O'Brien, Jr.\",\r\n")},
		{"Excel CSV in Windows-1252", []byte("ID,First,Last,Email\r\n100000,Jos\xe9,Mu\xf1oz,jm@example.org\r\n12345,Zo\xeb,\"O'Brien, Jr.\",\r\n")},
		{"semicolons where the decimal mark is a comma", []byte("ID;First;Last;Email\n100000;José;Muñoz;jm@example.org\n12345;Zoë;O'Brien, Jr.;\n")},
		{"tabs", []byte("ID\tFirst\tLast\tEmail\n100000\tJosé\tMuñoz\tjm@example.org\n12345\tZoë\tO'Brien, Jr.\t\n")},
		{"Excel Unicode Text (UTF-16)", utf16LE("ID\tFirst\tLast\tEmail\r\n100000\tJosé\tMuñoz\tjm@example.org\r\n12345\tZoë\tO'Brien, Jr.\t\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "roster.csv")
			if err := os.WriteFile(path, tt.body, 0o600); err != nil {
				t.Fatal(err)
			}
			users := staged(t, map[string]string{"path": path, "columns": csvColumns})[roster.Users]
			jose, zoe := users["100000"], users["12345"]
			if len(users) != 2 || jose.Get("givenName") != "José" || jose.Get("familyName") != "Muñoz" || jose.Get("email") != "jm@example.org" ||
				zoe.Get("givenName") != "Zoë" || zoe.Get("familyName") != "O'Brien, Jr." {
				t.Fatalf("got %v", users)
			}
		})
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func TestCSVRowNumbersMatchTheSpreadsheet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.csv")
	// A blank line is a row in Excel; a quoted value spanning two lines is one.
	os.WriteFile(path, []byte("ID,First,Last,Email\r\n1,\"Ana\r\nMaria\",Lopez,\r\n\r\n,Ben,Okafor,\r\n"), 0o600)
	msg, err := open(t, map[string]string{"path": path, "columns": csvColumns}).Test(t.Context())
	if err != nil || !strings.Contains(msg, `roster.csv, row 4, column "ID": blank`) {
		t.Fatalf("got %q, %v", msg, err)
	}
}

func TestCSVBrokenQuote(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(path, []byte("ID,First,Last,Email\n1,Ana,\"Lopez,\n2,Ben,Okafor,\n"), 0o600)
	_, err := open(t, map[string]string{"path": path, "columns": csvColumns}).Test(t.Context())
	if err == nil || !strings.Contains(err.Error(), "roster.csv, line 2: a quote") {
		t.Fatalf("got %v", err)
	}
}

func TestCSVShortenedIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(path, []byte("ID,First,Last,Email\n1.23457E+11,Ana,Lopez,\n"), 0o600)
	msg, err := open(t, map[string]string{"path": path, "columns": csvColumns}).Test(t.Context())
	if err != nil || !strings.Contains(msg, `row 2, column "ID": "1.23457E+11" is a long number that Excel shortened`) {
		t.Fatalf("got %q, %v", msg, err)
	}
}

// TestWorkbookCells covers what workbooks hold behind what they show: shared and inline strings,
// date serials in both date systems, formatted numbers and booleans.
func TestWorkbookCells(t *testing.T) {
	columns := mapping(map[string]string{"ID": "sourcedId", "First": "givenName", "Last": "familyName", "Born": "birthDate", "Enabled": "enabledUser", "Phone": "phone"})
	t.Run("shared strings, date style, 1900 dates", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "roster.xlsx")
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"ID", "First", "Last", "Born", "Enabled", "Phone"})
		f.SetSheetRow("Sheet1", "A2", &[]any{123456789012, "Ana", "Lopez", 40183.75, true, 5551234567})
		f.SetSheetRow("Sheet1", "A3", &[]any{"7", "Ben", "Okafor", "2011-02-03", false, "555-0100"})
		custom := "dd/mm/yyyy"
		date, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
		sci, _ := f.NewStyle(&excelize.Style{NumFmt: 11}) // 0.00E+00: the ID shows as 1.23E+11
		f.SetCellStyle("Sheet1", "D2", "D2", date)
		f.SetCellStyle("Sheet1", "A2", "A2", sci)
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		users := staged(t, map[string]string{"path": path, "columns": columns})
		ana, ben := users[roster.Users]["123456789012"], users[roster.Users]["7"]
		if ana.Values == nil || ben.Values == nil || ana.Get("enabledUser") != "true" || ben.Get("enabledUser") != "false" || ana.Get("phone") != "5551234567" {
			t.Fatalf("users: %v", users[roster.Users])
		}
		demo := users[roster.Demographics]
		if demo["123456789012"].Get("birthDate") != "2010-01-05" || demo["7"].Get("birthDate") != "2011-02-03" {
			t.Fatalf("demographics: %v", demo)
		}
	})
	t.Run("inline strings, 1904 dates", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "roster.xlsx")
		f := excelize.NewFile()
		yes := true
		f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
		sw, err := f.NewStreamWriter("Sheet1") // writes text as inline strings
		if err != nil {
			t.Fatal(err)
		}
		date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		sw.SetRow("A1", []any{"ID", "First", "Last", "Born"})
		sw.SetRow("A2", []any{"s1", "Ana", "Lopez", excelize.Cell{StyleID: date, Value: 38721}})
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		users := staged(t, map[string]string{"path": path, "columns": mapping(map[string]string{"ID": "sourcedId", "First": "givenName", "Last": "familyName", "Born": "birthDate"})})
		if users[roster.Users]["s1"].Get("givenName") != "Ana" || users[roster.Demographics]["s1"].Get("birthDate") != "2010-01-05" {
			t.Fatalf("got %v", users)
		}
	})
}

func TestNotAWorkbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	os.WriteFile(path, []byte("ID,First\n1,Ana\n"), 0o600)
	_, err := Preview(path, "", 1, 5)
	if err == nil || !strings.Contains(err.Error(), "cannot read roster.xlsx as an Excel workbook") {
		t.Fatalf("got %v", err)
	}
}

// TestLibreOfficeConversion reads a workbook LibreOffice made from a CSV file (make test installs it).
// The CSV is opened as UTF-8 (filter options 44,34,76: comma, double quote, UTF-8), as a registrar picks
// in LibreOffice's import dialog; left to guess, LibreOffice reads it in the system's 8-bit charset.
func TestLibreOfficeConversion(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "roster.csv")
	os.WriteFile(csv, []byte("ID,First,Last,Email\n100000,José,Muñoz,jm@example.org\n12345,Zoë,\"O'Brien, Jr.\",\n"), 0o600)
	cmd := exec.CommandContext(t.Context(), soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", dir, csv)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	users := staged(t, map[string]string{"path": filepath.Join(dir, "roster.xlsx"), "columns": csvColumns})[roster.Users]
	if users["100000"].Get("familyName") != "Muñoz" || users["12345"].Get("familyName") != "O'Brien, Jr." {
		t.Fatalf("got %v", users)
	}
}
