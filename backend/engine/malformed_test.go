package engine

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/connector/spreadsheet"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/internal/textfile/textfiletest"
	"github.com/rosterdesk/rosterdesk/backend/internal/xlsxtest"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// malformedCase is one broken source: the bytes of its .zip, and a part of the message that refuses it.
type malformedCase struct {
	name string
	zip  func(t *testing.T) []byte
	want string
}

// edited is the test district with files changed (a blank body removes the file).
func edited(kv ...string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		files := district()
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(files, kv[i])
				continue
			}
			files[kv[i]] = kv[i+1]
		}
		return testzip.Bytes(t, files)
	}
}

func raw(b []byte) func(*testing.T) []byte { return func(*testing.T) []byte { return b } }

// zipOf writes entries in order, each a name and a reader of its content, with flags.
func zipOf(t *testing.T, flags uint16, entries ...any) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i].(string), Method: zip.Deflate, Flags: flags})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, entries[i+1].(io.Reader))
	}
	zw.Close()
	return buf.Bytes()
}

const usersHeader = "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n"

// users12 is a users.csv of the district's three users and n more, each row written by row(i).
func usersWith(n int, row func(i int) string) string {
	body := strings.SplitN(district()["users.csv"], "\n", 2)[1]
	var b strings.Builder
	b.WriteString(usersHeader + body)
	for i := range n {
		b.WriteString(row(i) + "\n")
	}
	return b.String()
}

func user(i int, given string) string {
	return fmt.Sprintf("x%d,,,true,x%d,,%s,Lopez,,,,,,,03,,,,,,s1,", i, i, given)
}

func enrollmentsWith(n int, row func(i int) string) string {
	var b strings.Builder
	b.WriteString(district()["enrollments.csv"])
	for i := range n {
		b.WriteString(row(i) + "\n")
	}
	return b.String()
}

const takesNothing = "so Rosterdesk takes nothing from this package"

func malformedCases() []malformedCase {
	d := district()
	manifest := d["manifest.csv"]
	utf16 := func(s string) string {
		out, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		return out
	}
	return []malformedCase{
		// The file itself.
		{"empty file", raw(nil), "not a ZIP file"},
		{"broken ZIP", raw([]byte("PK\x03\x04 this is not the rest of a zip")), "damaged or incomplete"},
		{"truncated ZIP", func(t *testing.T) []byte { z := edited()(t); return z[:len(z)*2/3] }, "damaged or incomplete"},
		{"encrypted ZIP", func(t *testing.T) []byte {
			return zipOf(t, 0x1, "manifest.csv", strings.NewReader(manifest), "users.csv", strings.NewReader(d["users.csv"]))
		}, "protected by a password"},
		{"ZIP bomb", func(t *testing.T) []byte {
			return zipOf(t, 0, "manifest.csv", strings.NewReader(manifest), "users.csv", io.MultiReader(strings.NewReader(usersHeader), hostile.Repeat(user(1, "Ana")+"\n", 256<<20)))
		}, "ZIP bomb"},
		{"a 1 GB line", func(t *testing.T) []byte {
			return zipOf(t, 0, "manifest.csv", strings.NewReader(manifest), "users.csv", io.MultiReader(strings.NewReader(usersHeader), hostile.Repeat("x", 1<<30)))
		}, "unpacks to 1 GB"},
		{"CSV given as the ZIP", raw([]byte(d["users.csv"])), "not a ZIP file"},
		{"web page given as the ZIP", raw([]byte("<!DOCTYPE html><html><body>Session expired</body></html>")), "not a ZIP file"},
		{"picture given as the ZIP", raw([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), "not a ZIP file"},
		{"xlsx given as the ZIP", func(t *testing.T) []byte {
			path := filepath.Join(t.TempDir(), "book.xlsx")
			hostile.Workbook(t, path, [][]string{{"sourcedId", "givenName"}, {"u1", "Ana"}}, 0)
			b, _ := os.ReadFile(path)
			return b
		}, "no OneRoster files found"},
		{"ZIP without files", func(t *testing.T) []byte { return testzip.Bytes(t, map[string]string{}) }, "no OneRoster files found"},
		{"ZIP of other CSV files", func(t *testing.T) []byte {
			return testzip.Bytes(t, map[string]string{"students.csv": "id,name\n1,Ana\n"})
		}, "no OneRoster files found"},
		{"entry leading outside the ZIP", edited("../users.csv", d["users.csv"]), "outside the archive"},
		{"two manifests", edited("export/manifest.csv", manifest), "two manifest.csv"},
		{"users.csv twice", edited("Users.csv", d["users.csv"]), "users.csv twice"},
		{"files in two folders", edited("users.csv", "", "b/users.csv", d["users.csv"], "a/orgs.csv", d["orgs.csv"], "orgs.csv", ""), "more than one folder"},

		// The manifest.
		{"wrong manifest version", edited("manifest.csv", strings.Replace(manifest, "oneroster.version,1.2", "oneroster.version,2.0", 1)), `OneRoster version "2.0" is not supported`},
		{"manifest naming a missing file", edited("classes.csv", ""), "lists classes.csv as bulk but the package does not contain it"},
		{"manifest with an unknown mode", edited("manifest.csv", strings.Replace(manifest, "file.users,bulk", "file.users,sometimes", 1)), `"sometimes" is not a file mode`},
		{"manifest with a quote left open", edited("manifest.csv", "propertyName,value\n\"oneroster.version,1.2\nfile.users,bulk\n"), "cannot be read as CSV"},
		{"manifest of a 2 MB line", edited("manifest.csv", "propertyName,value\n"+strings.Repeat("x", 2<<20)), "longer than 1 MB"},

		// The header.
		{"header only, no rows, misspelt", edited("users.csv", strings.Replace(usersHeader, "familyName", "familyNmae", 1)), "rename it to familyName"},
		{"misspelt header", edited("users.csv", strings.Replace(d["users.csv"], "givenName", "givnName", 1)), "rename it to givenName"},
		{"duplicate header", edited("users.csv", strings.Replace(d["users.csv"], "middleName", "givenName", 1)), "the header has this column twice"},
		{"header without sourcedId", edited("users.csv", strings.Replace(d["users.csv"], "sourcedId,status", "id,status", 1)), "sourcedId"},
		{"header with a line break", edited("users.csv", strings.Replace(d["users.csv"], "givenName", "\"given\nName\"", 1)), "holds a line break"},
		{"semicolons for commas", edited("users.csv", strings.ReplaceAll(d["users.csv"], ",", ";")), "is missing"},
		{"no header line", edited("users.csv", strings.SplitN(d["users.csv"], "\n", 2)[1]), "is missing"},
		{"UTF-16 with BOM, misspelt header", edited("users.csv", utf16(strings.Replace(d["users.csv"], "familyName", "familyNmae", 1))), "rename it to familyName"},
		{"1.1 users without orgSourcedIds", edited("manifest.csv", strings.Replace(manifest, "oneroster.version,1.2", "oneroster.version,1.1", 1), "roles.csv", ""), "orgSourcedIds"},

		// The rows.
		{"unterminated quote", edited("users.csv", d["users.csv"]+"x1,,,true,x1,,\"Ana,Lopez,,,,,,,03,,,,,,s1,\n"), `a quote (") is not closed`},
		{"CR-only line ends with a quote left open", edited("users.csv", strings.ReplaceAll(d["users.csv"]+"x1,,,true,x1,,\"Ana,Lopez,,,,,,,03,,,,,,s1,\n", "\n", "\r")), `a quote (") is not closed`},
		{"mixed line ends", edited("users.csv", usersWith(12, func(i int) string { return user(i, "Ana") + "\r" + user(i+100, "Ben") + "\r\n" })), takesNothing},
		{"NUL bytes", edited("users.csv", usersWith(12, func(i int) string { return user(i, "A\x00na") })), "NUL byte"},
		{"Latin-1 text in a UTF-8 file", edited("users.csv", usersWith(12, func(i int) string { return user(i, "Jos\xe9") })), "not UTF-8"},
		{"a 2 MB row", edited("users.csv", usersWith(1, func(i int) string { return user(i, strings.Repeat("A", 2<<20)) })), "row is longer than 1 MB"},
		{"a 100 KB value", edited("users.csv", usersWith(1, func(i int) string { return user(i, strings.Repeat("A", 100<<10)) })), "more than the 64 KB"},
		{"bad dates", edited("enrollments.csv", enrollmentsWith(12, func(i int) string { return fmt.Sprintf("n%d,,,k1,s1,u1,student,,2026-13-45,", i) })), "is not a real date"},
		{"bad enum", edited("enrollments.csv", enrollmentsWith(12, func(i int) string { return fmt.Sprintf("n%d,,,k1,s1,u1,wizard,,,", i) })), "wizard"},
		{"bad status", edited("users.csv", usersWith(12, func(i int) string { return strings.Replace(user(i, "Ana"), ",,,true", ",maybe,,true", 1) })), "maybe"},
		{"bad boolean", edited("users.csv", usersWith(12, func(i int) string { return strings.Replace(user(i, "Ana"), ",true,", ",perhaps,", 1) })), "perhaps"},
		{"blank sourcedIds", edited("users.csv", usersWith(12, func(i int) string { return strings.TrimPrefix(user(i, "Ana"), fmt.Sprintf("x%d", i)) })), "sourcedId"},
		{"duplicate sourcedId", edited("users.csv", usersWith(12, func(i int) string { return strings.Replace(user(i, "Ana"), fmt.Sprintf("x%d,", i), "u1,", 1) })), "u1"},
		{"reference left blank", edited("enrollments.csv", enrollmentsWith(12, func(i int) string { return fmt.Sprintf("n%d,,,,s1,u1,student,,,", i) })), "classSourcedId"},
		{"values past the header", edited("users.csv", usersWith(12, func(i int) string { return user(i, "Ana") + ",extra,more" })), "values but the header has"},
	}
}

// TestMalformedInputsAreRefusedWithoutWritingAnything imports the district, then fetches one broken source
// after another: each is refused with its message, within the memory ceiling and a time limit, and
// leaves the roster, the snapshot and the staging folder as they were.
func TestMalformedInputsAreRefusedWithoutWritingAnything(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	before := f.state()
	for _, tc := range malformedCases() {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(f.source, tc.zip(t), 0o600); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			var err error
			hostile.Within(t, func() { _, err = f.eng.Fetch(context.Background(), f.conn.ID, events.Discard) })
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("took %v", took)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want %q, got %v", tc.want, err)
			}
			if after := f.state(); after != before {
				t.Fatalf("the workspace changed:\n%s\nbecame\n%s", before, after)
			}
		})
	}
	if n := len(malformedCases()); n < 40 {
		t.Fatalf("%d cases", n)
	}
}

// state is what an import may write: every roster table, the snapshot and the staging folder's files.
func (f *fixture) state() string {
	f.t.Helper()
	var b strings.Builder
	for _, e := range roster.Entities {
		rows, err := f.st.DB().Query(`SELECT * FROM roster_` + string(e) + ` ORDER BY 1`)
		if err != nil {
			f.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			fmt.Fprintln(&b, e, vals)
		}
		rows.Close()
	}
	snap, err := f.st.Snapshot(context.Background(), f.conn.ID)
	fmt.Fprintln(&b, "snapshot", snap.Path, snap.FetchedAt, err)
	filepath.WalkDir(StagingDir(f.st.Path()), func(p string, d fs.DirEntry, err error) error {
		// A folder's own time changes when a failed fetch's temporary folder comes and goes.
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			fmt.Fprintln(&b, p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return b.String()
}

// sheetCase is one broken spreadsheet source: the file's name (class list.xlsx when blank) and bytes,
// the sheet the connection names (blank: the first), a part of the message that refuses it, and the
// time it may take when not the table's 20 s (a bound that shows the read ends, generous enough for a
// loaded 2-core machine: speed is make bench's to measure).
type sheetCase struct {
	name, file, sheet string
	body              func(t *testing.T) []byte
	want              string
	limit             time.Duration
}

// classList is a workbook of the connection's columns over rows, as the tests' excelize writes it.
func classList(rows ...[]any) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		f := excelize.NewFile()
		defer f.Close()
		for i, row := range append([][]any{{"Student ID", "First Name", "Last Name", "Born"}}, rows...) {
			f.SetSheetRow("Sheet1", fmt.Sprint("A", i+1), &row)
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
}

// sheetOf is a workbook built part by part whose one sheet holds the rows, the header first.
func sheetOf(rows ...string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		return xlsxtest.New(xlsxtest.Sheet{Name: "Sheet1", Rows: strings.NewReader(strings.Join(rows, ""))}).Bytes(t)
	}
}

func sample(t *testing.T, name string) []byte {
	for _, s := range textfiletest.Samples(t) {
		if s.Name == name {
			return s.Data
		}
	}
	t.Fatalf("no sample %s", name)
	return nil
}

func malformedSheetCases() []sheetCase {
	T, N := xlsxtest.Text, xlsxtest.Number
	header := xlsxtest.Row(1, T("Student ID"), T("First Name"), T("Last Name"), T("Born"))
	ana := xlsxtest.Row(2, N("1001"), T("Ana"), T("Lopez"), N("40183"))
	ben := xlsxtest.Row(3, N("1002"), T("Ben"), T("Okafor"), N("40184"))
	return []sheetCase{
		// The file itself.
		{name: "password-protected workbook", body: func(t *testing.T) []byte { return sample(t, "locked.xlsx") }, want: "is protected with a password, so Rosterdesk cannot read it. Open it in Excel, remove the password"},
		{name: "web page named .xlsx", body: raw([]byte("<html><body><table><tr><td>Student ID</td></tr></table></body></html>")), want: "is a web page (HTML), not a spreadsheet, though Excel can open it. Open it in Excel and save it as Excel Workbook (.xlsx)"},
		{name: "Excel 97-2003 workbook", file: "class list.xls", body: raw(textfiletest.Compound("Workbook")), want: "is an Excel 97-2003 workbook (.xls), which Rosterdesk cannot read. Open it in Excel and save it as Excel Workbook (.xlsx)"},
		{name: "OpenDocument spreadsheet", file: "class list.ods", body: func(t *testing.T) []byte {
			return textfiletest.Zip(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<office:document-content/>")
		}, want: "is an OpenDocument spreadsheet (.ods), which Rosterdesk cannot read. Open it in LibreOffice and save it as Excel 2007-365 (.xlsx)"},
		{name: "empty workbook file", body: raw(nil), want: "class list.xlsx is empty. Save the list from Excel as .xlsx or .csv"},
		{name: "workbook cut off mid-ZIP", body: func(t *testing.T) []byte { b := sheetOf(header, ana, ben)(t); return b[:len(b)/2] }, want: "cannot be opened: it is damaged"},

		// The sheet.
		{name: "sheet XML cut off in a row", body: sheetOf(header, ana, ben[:len(ben)-30]), want: "Sheet Sheet1 of class list.xlsx is damaged at or after row 3"},
		{name: "a bare & in a cell, rows after it", body: sheetOf(header, strings.Replace(ana, "Lopez", "Lopez & Co", 1), ben), want: "is damaged at or after row 2"},
		{name: "rows past Excel's last row", body: sheetOf(header, ana, strings.Replace(ben, `r="3"`, `r="1048577"`, 1)), want: "is damaged at or after row 2"},
		{name: "workbook without sheets", body: func(t *testing.T) []byte { return xlsxtest.New().Bytes(t) }, want: "has no sheets, so it holds no list to read"},
		{name: "the named sheet missing", sheet: "Students", body: sheetOf(header, ana), want: `has no sheet named "Students"; its sheets are: Sheet1. The sheet may have been renamed`},

		// The header and the cells.
		{name: "misspelt header", body: sheetOf(strings.Replace(header, "First Name", "First Nmae", 1), ana), want: `The column "First Name" (mapped to givenName) is not in the header row (row 1) of sheet Sheet1 of class list.xlsx. The headers found there: Student ID, First Nmae`},
		{name: "duplicated header", body: sheetOf(strings.Replace(header, "</row>", xlsxtest.Text("First Name")("E1")+"</row>", 1), ana), want: `two columns named "First Name"; rename one of them`},
		{name: "date as ambiguous text", body: sheetOf(header, xlsxtest.Row(2, N("1001"), T("Ana"), T("Lopez"), T("1/05/2023"))), want: `sheet Sheet1, row 2, column "Born": "1/05/2023" could be day/month or month/day`},
		{name: "ambiguous date in a CSV named .xlsx", body: raw([]byte("Student ID,First Name,Last Name,Born\r\n1001,Ana,Lopez,1/05/2023\r\n")), want: `class list.xlsx, row 2, column "Born": "1/05/2023" could be day/month or month/day`},
		{name: "a 100,000-character cell", body: sheetOf(header, xlsxtest.Row(2, N("1001"), T(strings.Repeat("A", 100_000)), T("Lopez"))), want: `row 2, column "First Name": is 97 KB long, more than the 64 KB a roster value may hold`},
		{name: "a lookup's #N/A for an ID", body: sheetOf(header, `<row r="2"><c r="A2" t="e"><f>VLOOKUP(B2,Sheet2!A:B,2,FALSE)</f><v>#N/A</v></c><c r="B2" t="inlineStr"><is><t>Ana</t></is></c><c r="C2" t="inlineStr"><is><t>Lopez</t></is></c></row>`), want: `row 2, column "Student ID": shows the formula error #N/A instead of a value`},
		// Formatted down to Excel's last row, as a sheet is once whole columns get a format, with a
		// stray value there: every row is read, in bounded memory. excelize reads a row in a few
		// microseconds, but three times (as shown, raw, and checked): about 8 s of a core here.
		{name: "1,048,576 rows, a stray value in the last", body: func(t *testing.T) []byte {
			return xlsxtest.New(xlsxtest.Sheet{Name: "Sheet1", Rows: xlsxtest.Rows(1<<20, func(r int) string {
				switch {
				case r == 1:
					return header
				case r <= 20_000:
					return xlsxtest.Row(r, N(fmt.Sprint(r)), T("Ana"), T("Lopez"), N("40183"))
				case r == 1<<20:
					return xlsxtest.Row(r, xlsxtest.Blank, xlsxtest.Blank, xlsxtest.Blank, T("moved away"))
				}
				return fmt.Sprintf(`<row r="%d" s="1" customFormat="1"/>`, r)
			})}).Bytes(t)
		}, want: `row 1048576, column "Student ID": blank, but every person needs a sourcedId`, limit: 3 * time.Minute},
	}
}

// TestMalformedSpreadsheetsAreRefusedWithoutWritingAnything is the table above for a spreadsheet
// source: each broken workbook is refused with a message naming the file and saying what to do,
// within the memory ceiling and the time limit, and leaves the workspace as it was.
func TestMalformedSpreadsheetsAreRefusedWithoutWritingAnything(t *testing.T) {
	f := newFixture(t, district())
	vault, err := secrets.NewFile(filepath.Join(t.TempDir(), "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	f.eng = New(f.st, connector.NewRegistry(csvzip.Kind(), spreadsheet.Kind()), vault, StagingDir(f.st.Path()), "registrar", slog.New(slog.NewTextHandler(&f.log, nil)))
	dir := t.TempDir()
	columns := `{"Student ID": "sourcedId", "First Name": "givenName", "Last Name": "familyName", "Born": "birthDate"}`
	settings := func(file, sheet string) map[string]string {
		return map[string]string{"path": filepath.Join(dir, file), "sheet": sheet, "columns": columns}
	}
	f.conn, err = f.st.AddConnection(context.Background(), store.Connection{Name: "Class list", Kind: "spreadsheet", Role: "source", Settings: settings("class list.xlsx", "")})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "class list.xlsx"), classList([]any{1001, "Ana", "Lopez", "2010-01-05"})(t), 0o600)
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{OverrideHold: true}, events.Discard); err != nil {
		t.Fatal(err)
	}
	before := f.state()
	for _, tc := range malformedSheetCases() {
		t.Run(tc.name, func(t *testing.T) {
			file := cmp.Or(tc.file, "class list.xlsx")
			if err := f.st.UpdateSettings(context.Background(), f.conn.ID, settings(file, tc.sheet)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, file), tc.body(t), 0o600); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			var err error
			hostile.Within(t, func() { _, err = f.eng.Fetch(context.Background(), f.conn.ID, events.Discard) })
			took := time.Since(start)
			if limit := cmp.Or(tc.limit, 20*time.Second); took > limit {
				t.Errorf("took %v, more than %v", took, limit)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), file) {
				t.Fatalf("want %q naming %s, got %v", tc.want, file, err)
			}
			if after := f.state(); after != before {
				t.Fatalf("the workspace changed:\n%s\nbecame\n%s", before, after)
			}
		})
	}
}
