package oneroster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// sisUsers is a users.csv as SIS exports write it: a BOM, CRLF line ends and a trailing comma on
// every row but the header (an export that pads each row with an empty value).
func sisUsers(rows ...string) string {
	var b strings.Builder
	b.WriteString("\uFEFF" + strings.ReplaceAll(users12, "\n", "\r\n"))
	for _, r := range rows {
		b.WriteString(strings.TrimSuffix(r, "\n") + ",,\r\n")
	}
	return b.String()
}

func TestTrailingEmptyValuesAreReadWithOneWarningPerFile(t *testing.T) {
	rows := []string{user12("u1", "Ana", "Lopez"), user12("u2", "Ben", "Okafor")}
	for i := 3; i <= 9; i++ {
		rows = append(rows, user12(fmt.Sprintf("u%d", i), "Cy", "Reyes"))
	}
	recs, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
		"users.csv": sisUsers(rows...) + strings.TrimSuffix(user12("x1", "Dee", "Park"), "\n") + ",,extra\r\n"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[roster.Users] != 9 {
		t.Fatalf("read %d users, want 9; findings %+v", rep.Counts[roster.Users], rep.Findings)
	}
	if u, _ := find(recs, roster.Users, "u2"); u.Get("givenName") != "Ben" || u.Get("primaryOrgSourcedId") != "s1" || u.Get("pronouns") != "" {
		t.Fatalf("u2 %+v", u.Values)
	}
	var trailing []Finding
	for _, f := range rep.Warnings() {
		if strings.Contains(f.Message, "trailing commas") {
			trailing = append(trailing, f)
		}
	}
	if len(trailing) != 1 || trailing[0].File != "users.csv" || !strings.HasPrefix(trailing[0].Message, "lines 2, 3, 4, 5, 6 and 4 more:") {
		t.Fatalf("want one warning naming the lines, got %+v", trailing)
	}
	// Extra values that are not empty cannot be placed: the row stays an error.
	errs := rep.Errors()
	if len(errs) != 1 || errs[0].Line != 11 || !strings.Contains(errs[0].Message, "24 values but the header has 22 columns") || rep.Failed[roster.Users] != 1 {
		t.Fatalf("errors %+v", errs)
	}
}

func TestHeaderWithTrailingCommas(t *testing.T) {
	recs, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "users.csv": users12,
		"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,,\nd1,,,District,district,,,,\ns1,,,North School,school,,d1\n"})
	if err != nil || len(rep.Errors()) != 0 || len(recs) != 2 {
		t.Fatalf("records %d, findings %+v, err %v", len(recs), rep.Findings, err)
	}
	if !hasFinding(rep, SeverityWarning, "orgs.csv", "", "header ends with empty column names") {
		t.Fatalf("findings %+v", rep.Findings)
	}
}

// crOnlyUsers is a users.csv whose lines end in CR alone, with a quoted value holding a line break,
// n users long.
func crOnlyUsers(n int) string {
	var b strings.Builder
	b.WriteString(users12)
	for i := 1; i <= n; i++ {
		b.WriteString(user12(fmt.Sprintf("u%d", i), "Ana", "Lopez"))
	}
	b.WriteString("q1,,,true,quinn,,\"Quinn\nAnn\",Lee,,,,,,,03,,,,,,s1,\n")
	return strings.ReplaceAll(b.String(), "\n", "\r")
}

func TestCROnlyLineEndsAreRead(t *testing.T) {
	for _, n := range []int{3, 2000} { // a small file, and one longer than the start that judges its line ends
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			recs, rep, err := readZip(t, map[string]string{"manifest.csv": strings.ReplaceAll(manifest12, "\n", "\r"),
				"orgs.csv": orgsCSV, "users.csv": crOnlyUsers(n)})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Counts[roster.Users] != n+1 || len(rep.Errors()) != 0 || rep.Modes[roster.Users] != ModeBulk {
				t.Fatalf("users %d, modes %+v, errors %+v", rep.Counts[roster.Users], rep.Modes, rep.Errors())
			}
			if q, _ := find(recs, roster.Users, "q1"); q.Get("givenName") != "Quinn\nAnn" || q.Get("familyName") != "Lee" {
				t.Fatalf("q1 %q", q.Values)
			}
			if !hasFinding(rep, SeverityWarning, "users.csv", "", "CR alone") {
				t.Fatalf("findings %+v", rep.Findings)
			}
		})
	}
}

// CRLF files keep their meaning: a quoted CRLF is a line break inside a value, as encoding/csv reads it.
func TestCRLFInsideQuotesStaysOneValue(t *testing.T) {
	users := strings.ReplaceAll(users12+"q1,,,true,quinn,,\"Quinn\nAnn\",Lee,,,,,,,03,,,,,,s1,\n", "\n", "\r\n")
	recs, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users})
	if err != nil || len(rep.Errors()) != 0 {
		t.Fatalf("%v %+v", err, rep.Errors())
	}
	if q, _ := find(recs, roster.Users, "q1"); q.Get("givenName") != "Quinn\nAnn" {
		t.Fatalf("q1 %q", q.Values)
	}
	if hasFinding(rep, SeverityWarning, "users.csv", "", "CR alone") {
		t.Fatal("a CRLF file is not CR-only")
	}
}

// A file that yields no row although it is not a bare header is a misreading, never an empty file.
func TestAFileWithoutRowsThatIsNotEmptyIsRefused(t *testing.T) {
	// A quote opened in the header and closed at the very end makes the whole file one header line.
	var body strings.Builder
	body.WriteString("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,\"notes\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&body, "o%d,,,School %d,school,,d1\n", i, i)
	}
	body.WriteString("\"\n")
	_, _, err := readZip(t, map[string]string{"manifest.csv": manifest12, "users.csv": users12, "orgs.csv": body.String()})
	var oe *Error
	if !errors.As(err, &oe) || oe.File != "orgs.csv" || !strings.Contains(err.Error(), "line break") {
		t.Fatalf("want an error naming orgs.csv, got %v", err)
	}
	_, _, err = readZip(t, map[string]string{"manifest.csv": manifest12, "users.csv": users12,
		"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n" + strings.Repeat("\n", 9000)})
	if !errors.As(err, &oe) || oe.File != "orgs.csv" || !strings.Contains(err.Error(), "cannot tell a single row apart") {
		t.Fatalf("want an error naming orgs.csv, got %v", err)
	}
}

func TestNULInAValueFailsTheRow(t *testing.T) {
	_, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
		"users.csv": users12 + user12("u1", "Ana", "Lopez") + user12("u2", "Ben", "Oka\x00for") +
			"u3,,,true,cy,,Cy,Reyes,,,,,,,03,,,,,,s1,,\nu4,,,true,dee,,Dee,Park,,,,,,,03,,,,,,s1,\n"})
	if err != nil {
		t.Fatal(err)
	}
	errs := rep.Errors()
	if len(errs) != 1 || errs[0].File != "users.csv" || errs[0].Line != 3 || errs[0].Column != "familyName" || !strings.Contains(errs[0].Message, "NUL") {
		t.Fatalf("errors %+v", errs)
	}
	if rep.Counts[roster.Users] != 3 || rep.Failed[roster.Users] != 1 {
		t.Fatalf("counted %d failed %d", rep.Counts[roster.Users], rep.Failed[roster.Users])
	}
}

func TestNULInAMetadataValueFailsTheRow(t *testing.T) {
	_, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "users.csv": users12,
		"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.region\nd1,,,District,district,,,\x00\n"})
	if err != nil {
		t.Fatal(err)
	}
	if errs := rep.Errors(); len(errs) != 1 || errs[0].Column != "metadata.region" || errs[0].Line != 2 {
		t.Fatalf("errors %+v", errs)
	}
}

func TestDeltaRowWithoutStatusIsReadAsBlank(t *testing.T) {
	recs, rep, err := readZip(t, map[string]string{"manifest.csv": "propertyName,value\noneroster.version,1.2\nfile.users,delta\n",
		"users.csv": users12 + user12("u1", "Ana", "Lopez") + strings.Replace(user12("u2", "Ben", "Okafor"), "u2,,,", "u2,active,2026-11-01T10:00:00.000Z,", 1)})
	if err != nil || len(rep.Errors()) != 0 || len(recs) != 2 {
		t.Fatalf("records %d, errors %+v, %v", len(recs), rep.Errors(), err)
	}
	if u, _ := find(recs, roster.Users, "u1"); u.Status() != roster.StatusNone {
		t.Fatalf("u1 status %q, want none (Blank)", u.Status())
	}
	if !hasFinding(rep, SeverityWarning, "users.csv", "status", "status Blank") {
		t.Fatalf("findings %+v", rep.Findings)
	}
}

func TestEmptyRowsAreIgnoredWithAWarning(t *testing.T) {
	_, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "users.csv": users12,
		"orgs.csv": orgsCSV + ",,,,,,\r\n , ,,,,,\n"})
	if err != nil || len(rep.Errors()) != 0 || rep.Failed[roster.Orgs] != 0 || rep.Counts[roster.Orgs] != 2 {
		t.Fatalf("%v %+v", err, rep)
	}
	if !hasFinding(rep, SeverityWarning, "orgs.csv", "", "lines 4 and 5: the row has no values") {
		t.Fatalf("findings %+v", rep.Findings)
	}
}

// visit reads a package with Visit, returning the records read and the rows that failed.
func visit(t *testing.T, files map[string]string) ([]roster.Record, []Unread, *Report, error) {
	t.Helper()
	pkg, err := Open(writeFile(t, "export.zip", testzip.Bytes(t, files)))
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	var recs []roster.Record
	var unread []Unread
	rep, err := pkg.Visit(context.Background(), Visitor{
		Record: func(r roster.Record) error { recs = append(recs, r); return nil },
		Unread: func(u Unread) error { unread = append(unread, u); return nil }})
	return recs, unread, rep, err
}

func TestFailedRowsAreToldWithTheirSourcedID(t *testing.T) {
	_, unread, rep, err := visit(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
		"users.csv": users12 + user12("u1", "Ana", "Lopez") +
			strings.Replace(user12("u2", "Ben", "Okafor"), "true", "maybe", 1) + // a bad value: u2
			"u3,,,true,cy,,Cy,Reyes\n" + // too few values, the sourcedId first: u3
			user12("", "Dee", "Park") + // no sourcedId
			user12("u\x005", "Eve", "Ng") + // an unreadable sourcedId
			user12("u1", "Ana", "Lopez")}) // a duplicate: u1 was read
	if err != nil {
		t.Fatal(err)
	}
	want := []Unread{{roster.Users, "u2", "users.csv", 3}, {roster.Users, "u3", "users.csv", 4}, {roster.Users, "", "users.csv", 5},
		{roster.Users, "", "users.csv", 6}, {roster.Users, "u1", "users.csv", 7}}
	if fmt.Sprint(unread) != fmt.Sprint(want) || rep.Failed[roster.Users] != len(want) {
		t.Fatalf("unread %+v, failed %d", unread, rep.Failed[roster.Users])
	}
}

// The sourcedId of a row whose values are out of place is known only when it is the first column.
func TestMisplacedValuesHideASourcedIDThatIsNotFirst(t *testing.T) {
	_, unread, _, err := visit(t, map[string]string{"manifest.csv": manifest12, "users.csv": users12,
		"orgs.csv": "name,sourcedId,status,dateLastModified,type,identifier,parentSourcedId\nDistrict,d1,,,district,,\nNorth, School,s1,,,school,,d1\n"})
	if err != nil {
		t.Fatal(err)
	}
	if len(unread) != 1 || unread[0].SourcedID != "" || unread[0].Line != 3 {
		t.Fatalf("unread %+v", unread)
	}
}

func TestAFileWhereMostRowsFailIsRefusedWhole(t *testing.T) {
	users := func(bad int) string {
		var b strings.Builder
		b.WriteString(users12)
		for i := 0; i < 10; i++ {
			row := user12(fmt.Sprintf("u%d", i), "Ana", "Lopez")
			if i < bad {
				row = strings.Replace(row, ",true,", ",sometimes,", 1)
			}
			b.WriteString(row)
		}
		return b.String()
	}
	_, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users(5)})
	if err != nil || rep.Failed[roster.Users] != 5 || rep.Counts[roster.Users] != 5 {
		t.Fatalf("half the rows failing is read row by row: %v %+v", err, rep)
	}
	_, _, err = readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users(6)})
	var oe *Error
	if !errors.As(err, &oe) || oe.File != "users.csv" || !strings.Contains(oe.Message, "6 of its 10 rows cannot be read") ||
		!strings.Contains(oe.Message, `line 2, column enabledUser: "sometimes" is not true or false; line 3`) {
		t.Fatalf("want users.csv refused whole, got %v", err)
	}
}
