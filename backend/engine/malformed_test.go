package engine

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"golang.org/x/text/encoding/unicode"
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
