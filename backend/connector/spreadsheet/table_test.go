package spreadsheet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/textfile/textfiletest"
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
		{"Excel for Mac's Macintosh Comma Separated: Mac Roman, CR alone", []byte("ID,First,Last,Email\r100000,Jos\x8E,Mu\x96oz,jm@example.org\r12345,Zo\x91,\"O'Brien, Jr.\",\r")},
		{"lines ending in CR alone, as older Mac programs save", []byte("ID,First,Last,Email\r100000,José,Muñoz,jm@example.org\r12345,Zoë,\"O'Brien, Jr.\",\r")},
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

// TestRefusesWhatIsNoSpreadsheet: a picture, a document, a program, an old or locked workbook or
// noise, whatever its name, is refused at every step, naming the file and what it looks like, and
// nothing is staged.
func TestRefusesWhatIsNoSpreadsheet(t *testing.T) {
	for _, s := range textfiletest.Samples(t) {
		for _, name := range []string{s.Name, "roster.csv"} {
			t.Run(name+" holding "+s.Name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, s.Data, 0o600); err != nil {
					t.Fatal(err)
				}
				check := func(step string, err error) {
					t.Helper()
					var ae *apperr.Error
					if !errors.As(err, &ae) || ae.Code != apperr.CodeBadInput || !strings.HasPrefix(ae.Message, name+" ") || !strings.Contains(ae.Message, s.Says) {
						t.Errorf("%s: %v; want a message starting with %q and saying %q", step, err, name, s.Says)
					}
				}
				_, err := Preview(path, "", 1, 8)
				check("preview", err)
				settings := map[string]string{"path": path, "columns": csvColumns}
				_, err = Kind().Normalize(connector.RoleSource, settings)
				check("adding the connection", err)
				src, err := Kind().NewSource(settings, nil)
				if err != nil {
					t.Fatal(err)
				}
				_, err = src.Test(context.Background())
				check("test", err)
				staging := t.TempDir()
				_, err = src.Stage(context.Background(), staging, connector.Pull{}, events.Discard)
				check("fetch", err)
				if left, _ := os.ReadDir(staging); len(left) > 0 {
					t.Errorf("a refused fetch left %v", left)
				}
			})
		}
	}
}

// TestDecidesByContentAndSaysSo reads a workbook named .csv as a workbook and a CSV file named
// .xlsx as CSV, and says so in the preview and the connection test.
func TestDecidesByContentAndSaysSo(t *testing.T) {
	dir := t.TempDir()
	workbook := filepath.Join(dir, "class list.csv")
	writeWorkbook(t, filepath.Join(dir, "saved.xlsx"), map[string][][]any{"Students": {{"ID", "First", "Last", "Email"}, {1001, "Ana", "Lopez", "ana@example.org"}}}, "Students")
	if err := os.Rename(filepath.Join(dir, "saved.xlsx"), workbook); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "class list.xlsx")
	os.WriteFile(text, []byte("\xEF\xBB\xBFID,First,Last,Email\r\n1001,Ana,Lopez,ana@example.org\r\n"), 0o600)
	for path, note := range map[string]string{
		workbook: "class list.csv is an Excel workbook although its name ends in .csv, so Rosterdesk reads it as a workbook.",
		text:     "class list.xlsx holds text (CSV or tab-separated) although its name ends in .xlsx, so Rosterdesk reads it as text.",
	} {
		p, err := Preview(path, "", 1, 8)
		if err != nil || p.Note != note || !reflect.DeepEqual(p.Rows, [][]string{{"1001", "Ana", "Lopez", "ana@example.org"}}) {
			t.Errorf("preview of %s: %+v, %v; want the row and the note %q", path, p, err, note)
		}
		settings := map[string]string{"path": path, "columns": csvColumns}
		msg, err := open(t, settings).Test(context.Background())
		if err != nil || !strings.HasPrefix(msg, "Found 1 row of people in ") || !strings.HasSuffix(msg, " "+note) {
			t.Errorf("test of %s: %q, %v; want the note %q", path, msg, err, note)
		}
		if users := staged(t, settings)[roster.Users]; users["1001"].Get("email") != "ana@example.org" {
			t.Errorf("staged from %s: %v", path, users)
		}
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

// TestNULInACSV: a NUL byte early in a text file marks it as no text file; one further down, past
// what tells text from junk, is a cell to fix, named by row and column.
func TestNULInACSV(t *testing.T) {
	csv := func(nulAt int) []byte {
		var b strings.Builder
		b.WriteString("ID,First,Last,Email\r\n")
		for i := 2; i <= 400; i++ {
			first := "Ana"
			if i == nulAt {
				first = "An\x00a"
			}
			fmt.Fprintf(&b, "%d,%s,Lopez,a%d@example.org\r\n", 1000+i, first, i)
		}
		return []byte(b.String())
	}
	path := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(path, csv(390), 0o600)
	_, err := open(t, map[string]string{"path": path, "columns": csvColumns}).Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	if err == nil || !strings.Contains(err.Error(), `roster.csv, row 390, column "First": holds a NUL character`) {
		t.Fatalf("got %v", err)
	}
	os.WriteFile(path, csv(3), 0o600)
	if _, err := Preview(path, "", 1, 8); err == nil || !strings.Contains(err.Error(), "roster.csv is not a spreadsheet: it is neither an Excel workbook nor a text file") {
		t.Fatalf("a NUL in the first block: %v", err)
	}
}
