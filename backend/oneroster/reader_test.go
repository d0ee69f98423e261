package oneroster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

const (
	manifest12 = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\n"
	orgsCSV    = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd1,,,District,district,,\ns1,,,North School,school,,d1\n"
	users12    = "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n"
)

// user12 is one users.csv 1.2 row with the given sourcedId, name and birth-free fields.
func user12(id, given, family string) string {
	return fmt.Sprintf("%s,,,true,%s,,%s,%s,,,,,,,03,,,,,,s1,\n", id, strings.ToLower(given), given, family)
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll opens and reads a package, returning the records, the report and any error.
func readAll(t *testing.T, path string) ([]roster.Record, *Report, error) {
	t.Helper()
	pkg, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer pkg.Close()
	var recs []roster.Record
	rep, err := pkg.Read(context.Background(), func(r roster.Record) error { recs = append(recs, r); return nil }, nil)
	return recs, rep, err
}

func readZip(t *testing.T, files map[string]string) ([]roster.Record, *Report, error) {
	t.Helper()
	return readAll(t, writeFile(t, "export.zip", testzip.Bytes(t, files)))
}

func hasFinding(rep *Report, sev Severity, file, column, text string) bool {
	for _, f := range rep.Findings {
		if f.Severity == sev && f.File == file && (column == "" || f.Column == column) && strings.Contains(f.Message, text) {
			return true
		}
	}
	return false
}

func find(recs []roster.Record, e roster.Entity, id string) (roster.Record, bool) {
	for _, r := range recs {
		if r.Entity == e && r.SourcedID() == id {
			return r, true
		}
	}
	return roster.Record{}, false
}

func TestReadValid12Bulk(t *testing.T) {
	recs, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users12 + user12("u1", "Ana", "Lopez")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != "1.2" || rep.Counts[roster.Orgs] != 2 || rep.Counts[roster.Users] != 1 || len(rep.Findings) != 0 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Modes[roster.Users] != ModeBulk || rep.Modes[roster.Enrollments] != ModeAbsent {
		t.Fatalf("modes %+v", rep.Modes)
	}
	if u, _ := find(recs, roster.Users, "u1"); u.Get("familyName") != "Lopez" || u.Get("primaryOrgSourcedId") != "s1" {
		t.Fatalf("user %+v", u.Values)
	}
}

func TestRead11UsersBecomeRoles(t *testing.T) {
	users11 := "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n" +
		"u1,,,true,\"s1,s2\",student,ana,,Ana,Lopez,,,,,,,03,\n" +
		"a1,,,true,s1,administrator,pat,,Pat,Reed,,,,,,,,\n"
	orgs := orgsCSV + "s2,,,South School,school,,d1\n"
	recs, rep, err := readZip(t, map[string]string{
		"manifest.csv": "propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\n", "orgs.csv": orgs, "users.csv": users11})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[roster.Roles] != 3 || len(rep.Errors()) != 0 {
		t.Fatalf("report %+v", rep)
	}
	r, ok := find(recs, roster.Roles, "u1-s2")
	if !ok || r.Get("roleType") != "secondary" || r.Get("role") != "student" || r.Get("userSourcedId") != "u1" {
		t.Fatalf("role u1-s2 %+v", r.Values)
	}
	if r, _ := find(recs, roster.Roles, "a1-s1"); r.Get("role") != "siteAdministrator" || r.Get("roleType") != "primary" {
		t.Fatalf("role a1-s1 %+v", r.Values)
	}
	if u, _ := find(recs, roster.Users, "u1"); u.Get("primaryOrgSourcedId") != "s1" {
		t.Fatalf("primary org of u1 = %q", u.Get("primaryOrgSourcedId"))
	}
}

func TestTolerated(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		file   string
		column string
		text   string
		check  func(t *testing.T, recs []roster.Record)
	}{
		{"no manifest reads as 1.0 bulk", map[string]string{"orgs.csv": orgsCSV}, "manifest.csv", "", "OneRoster 1.0", nil},
		{"BOM and CRLF", map[string]string{"manifest.csv": manifest12, "orgs.csv": "\uFEFF" + strings.ReplaceAll(orgsCSV, "\n", "\r\n"),
			"users.csv": users12}, "", "", "", func(t *testing.T, recs []roster.Record) {
			if r, ok := find(recs, roster.Orgs, "s1"); !ok || r.Get("parentSourcedId") != "d1" {
				t.Fatalf("s1 %+v", r.Values)
			}
		}},
		{"header in the wrong case", map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
			"users.csv": strings.Replace(users12, "givenName", "GivenName", 1) + user12("u1", "Ana", "Lopez")}, "users.csv", "GivenName", "read as \"givenName\"",
			func(t *testing.T, recs []roster.Record) {
				if u, _ := find(recs, roster.Users, "u1"); u.Get("givenName") != "Ana" {
					t.Fatal("givenName not read")
				}
			}},
		{"unambiguous day/month date", map[string]string{"manifest.csv": "propertyName,value\noneroster.version,1.2\nfile.demographics,bulk\n",
			"demographics.csv": "sourcedId,status,dateLastModified,birthDate,sex\nu1,,,13/05/2012,Female\n"}, "demographics.csv", "birthDate", "read as 2012-05-13",
			func(t *testing.T, recs []roster.Record) {
				if recs[0].Get("birthDate") != "2012-05-13" || recs[0].Get("sex") != "female" {
					t.Fatalf("demographics %+v", recs[0].Values)
				}
			}},
		{"inactive reads as tobedeleted", map[string]string{"manifest.csv": "propertyName,value\noneroster.version,1.2\nfile.orgs,delta\n",
			"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\ns1,inactive,2026-11-01,North,school,,\n"}, "orgs.csv", "status", "tobedeleted",
			func(t *testing.T, recs []roster.Record) {
				if recs[0].Status() != roster.StatusToBeDeleted || recs[0].DateLastModified() != "2026-11-01T00:00:00.000Z" {
					t.Fatalf("org %+v", recs[0].Values)
				}
			}},
		{"status in a bulk file", map[string]string{"manifest.csv": manifest12, "orgs.csv": strings.Replace(orgsCSV, "s1,,,", "s1,tobedeleted,,", 1), "users.csv": users12},
			"orgs.csv", "status", "read as tobedeleted", func(t *testing.T, recs []roster.Record) {
				if r, _ := find(recs, roster.Orgs, "s1"); r.Status() != roster.StatusToBeDeleted {
					t.Fatalf("s1 status %q", r.Status())
				}
			}},
		{"TRUE for true", map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
			"users.csv": users12 + strings.Replace(user12("u1", "Ana", "Lopez"), "true", "TRUE", 1)}, "users.csv", "enabledUser", "read as true", nil},
		{"files in a folder inside the ZIP", map[string]string{"export/manifest.csv": manifest12, "export/orgs.csv": orgsCSV, "export/users.csv": users12},
			"export.zip", "", "inside the folder", nil},
		{"header-only bulk file warns about deletions", map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users12},
			"users.csv", "", "marked for deletion", nil},
		{"dangling reference", map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
			"users.csv": users12 + strings.Replace(user12("u1", "Ana", "Lopez"), ",s1,", ",s9,", 1)}, "users.csv", "primaryOrgSourcedId", "\"s9\"", nil},
		{"unknown column", map[string]string{"manifest.csv": manifest12, "users.csv": users12,
			"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,colour\nd1,,,District,district,,,blue\n"}, "orgs.csv", "colour", "not part of OneRoster", nil},
		{"metadata columns", map[string]string{"manifest.csv": manifest12, "users.csv": users12,
			"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.region\nd1,,,District,district,,,\ns1,,,North School,school,,d1,North\n"},
			"", "", "", func(t *testing.T, recs []roster.Record) {
				if r, _ := find(recs, roster.Orgs, "s1"); len(r.Metadata) != 1 || r.Metadata[0] != (roster.MetadataValue{Name: "region", Value: "North"}) {
					t.Fatalf("metadata %+v", r.Metadata)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, rep, err := readZip(t, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Errors()) != 0 {
				t.Fatalf("errors %+v", rep.Errors())
			}
			if tt.text != "" && !hasFinding(rep, SeverityWarning, tt.file, tt.column, tt.text) {
				t.Fatalf("no warning %q in %s/%s; findings %+v", tt.text, tt.file, tt.column, rep.Findings)
			}
			if tt.check != nil {
				tt.check(t, recs)
			}
		})
	}
}

func TestRowErrorsSkipTheRecord(t *testing.T) {
	demoHead := "sourcedId,status,dateLastModified,birthDate,sex\n"
	tests := []struct {
		name         string
		file, body   string
		mode         string
		line         int
		column, text string
	}{
		{"ambiguous date", "demographics.csv", demoHead + "u1,,,1/05/2023,female\n", "bulk", 2, "birthDate", "could be day/month or month/day"},
		{"value outside the list", "demographics.csv", demoHead + "u1,,,2012-01-01,boy\n", "bulk", 2, "sex", "use one of male, female"},
		{"not a date at all", "demographics.csv", demoHead + "u1,,,soon,female\n", "bulk", 2, "birthDate", "YYYY-MM-DD"},
		{"wrong number of values", "demographics.csv", demoHead + "u1,,,2012-01-01\n", "bulk", 2, "", "the header has 5 columns"},
		{"blank sourcedId", "demographics.csv", demoHead + ",,,2012-01-01,female\n", "bulk", 2, "sourcedId", "blank"},
		{"duplicate sourcedId", "demographics.csv", demoHead + "u1,,,2012-01-01,female\nu1,,,2012-01-01,female\n", "bulk", 3, "sourcedId", "appears earlier"},
		{"unknown status", "demographics.csv", demoHead + "u1,gone,2026-01-01T00:00:00.000Z,2012-01-01,female\n", "delta", 2, "status", "not a status"},
		{"not UTF-8", "demographics.csv", "sourcedId,status,dateLastModified,cityOfBirth\nu1,,,S\xe3o Paulo\n", "bulk", 2, "cityOfBirth", "UTF-8"},
		{"required value blank", "orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\ns1,,,,school,,\n", "bulk", 2, "name", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := entityOf(tt.file)
			recs, rep, err := readZip(t, map[string]string{
				"manifest.csv": fmt.Sprintf("propertyName,value\noneroster.version,1.2\nfile.%s,%s\n", e, tt.mode), tt.file: tt.body})
			if err != nil {
				t.Fatal(err)
			}
			errs := rep.Errors()
			if len(errs) != 1 || errs[0].Line != tt.line || errs[0].Column != tt.column || !strings.Contains(errs[0].Message, tt.text) {
				t.Fatalf("errors %+v; want line %d column %q containing %q", errs, tt.line, tt.column, tt.text)
			}
			if rep.Failed[e] != 1 || len(recs) != rep.Counts[e] {
				t.Fatalf("failed %d counted %d records %d", rep.Failed[e], rep.Counts[e], len(recs))
			}
		})
	}
}

func TestUnusablePackagesAreRefusedWhole(t *testing.T) {
	valid := testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users12})
	tests := []struct {
		name string
		path func(t *testing.T) string
		want string
	}{
		// A broken quote is found only when the reader gets there; rows before it have been passed on
		// by then, and the engine's single transaction discards them.
		{"not a ZIP", func(t *testing.T) string { return writeFile(t, "export.zip", []byte("name,grade\nAna,3\n")) }, "not a ZIP file"},
		{"truncated ZIP", func(t *testing.T) string { return writeFile(t, "export.zip", valid[:len(valid)/2]) }, "damaged or incomplete"},
		{"entry escaping the folder", func(t *testing.T) string {
			return writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "../orgs.csv": orgsCSV}))
		}, "leads outside"},
		{"misspelt required column", func(t *testing.T) string {
			return writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
				"users.csv": strings.Replace(users12, "familyName", "famillyName", 1)}))
		}, "rename it to familyName"},
		{"file listed but missing", func(t *testing.T) string {
			return writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV}))
		}, "does not contain it"},
		{"unbalanced quote", func(t *testing.T) string {
			return writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
				"users.csv": users12 + "u1,,,true,\"ana,,Ana,Lopez\n"}))
		}, "quote"},
		{"unsupported version", func(t *testing.T) string {
			return writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": "propertyName,value\noneroster.version,2.0\n"}))
		}, "not supported"},
		{"missing file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.zip") }, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, _, err := readAll(t, tt.path(t))
			var oe *Error
			if !errors.As(err, &oe) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want *Error containing %q, got %v", tt.want, err)
			}
			if len(recs) != 0 && tt.name != "unbalanced quote" {
				t.Fatalf("%d records passed on from an unusable package", len(recs))
			}
		})
	}
}

func TestManifestOnlyMeansNoChanges(t *testing.T) {
	recs, rep, err := readAll(t, writeFile(t, "delta.zip", testzip.Bytes(t, map[string]string{
		"manifest.csv": "propertyName,value\noneroster.version,1.2\nfile.users,absent\nsource.systemName,North SIS\n"})))
	if err != nil || len(recs) != 0 || len(rep.Findings) != 0 || rep.Source != "North SIS" {
		t.Fatalf("records %d, report %+v, err %v", len(recs), rep, err)
	}
}

func TestFolderPackage(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manifest.csv"), []byte(manifest12), 0o600)
	os.WriteFile(filepath.Join(dir, "Orgs.csv"), []byte(orgsCSV), 0o600)
	os.WriteFile(filepath.Join(dir, "users.csv"), []byte(users12+user12("u1", "Ana", "Lopez")), 0o600)
	_, rep, err := readAll(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[roster.Orgs] != 2 || !hasFinding(rep, SeverityWarning, "Orgs.csv", "", "case-sensitive") {
		t.Fatalf("report %+v", rep)
	}
}

func TestFindingsAreCappedPerKind(t *testing.T) {
	var b strings.Builder
	b.WriteString(users12)
	for i := 0; i < 200; i++ {
		b.WriteString(strings.Replace(user12(fmt.Sprintf("u%d", i), "Ana", "Lopez"), "true", "maybe", 1))
		b.WriteString(user12(fmt.Sprintf("v%d", i), "Ben", "Okafor"))
	}
	_, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": b.String()})
	if err != nil {
		t.Fatal(err)
	}
	errs := rep.Errors()
	if rep.Failed[roster.Users] != 200 || len(errs) != maxPerKind+1 || !strings.Contains(errs[len(errs)-1].Message, "150 more like this") {
		t.Fatalf("failed %d, %d errors, last %+v", rep.Failed[roster.Users], len(errs), errs[len(errs)-1])
	}
}

// openUsers opens a package of n valid users.
func openUsers(t *testing.T, n int) *Package {
	t.Helper()
	var b strings.Builder
	b.WriteString(users12)
	for i := 0; i < n; i++ {
		b.WriteString(user12(fmt.Sprintf("u%d", i), "Ana", "Lopez"))
	}
	pkg, err := Open(writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": b.String()})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pkg.Close() })
	return pkg
}

func TestReadStopsWhenCancelled(t *testing.T) {
	pkg := openUsers(t, 5000)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := pkg.Read(ctx, func(r roster.Record) error {
		if n++; n == 100 {
			cancel()
		}
		return nil
	}, nil)
	if !errors.Is(err, context.Canceled) || n >= 5000 {
		t.Fatalf("err=%v after %d records", err, n)
	}
}

func TestProgressReachesTheTotalSize(t *testing.T) {
	pkg := openUsers(t, 3000)
	var last int64
	calls := 0
	if _, err := pkg.Read(context.Background(), func(roster.Record) error { return nil }, func(n int64) { last = n; calls++ }); err != nil {
		t.Fatal(err)
	}
	if last != pkg.Size() || calls < 3 {
		t.Fatalf("last progress %d of %d after %d calls", last, pkg.Size(), calls)
	}
}

// BenchmarkRead parses 200,000 enrollments and reports rows per second.
func BenchmarkRead(b *testing.B) {
	var body strings.Builder
	body.WriteString("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n")
	const rows = 200000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&body, "enr-%07d,,,cls-%05d,org-0001,usr-%06d,student,false,2026-08-17,2027-06-11\n", i, i%4000, i/6)
	}
	path := filepath.Join(b.TempDir(), "bench.zip")
	testzip.Write(b, path, map[string]string{"manifest.csv": "propertyName,value\noneroster.version,1.2\nfile.enrollments,bulk\n", "enrollments.csv": body.String()})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pkg, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pkg.Read(context.Background(), func(roster.Record) error { return nil }, nil); err != nil {
			b.Fatal(err)
		}
		pkg.Close()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
