package oneroster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// readFuzzed opens and reads the package at path: nothing may panic, and a refusal is an *Error with
// a message or the read's report.
func readFuzzed(t *testing.T, path string) {
	pkg, err := Open(path)
	if err == nil {
		defer pkg.Close()
		_, err = pkg.Read(context.Background(), func(r roster.Record) error {
			if r.Entity == "" {
				t.Fatal("a record without an entity")
			}
			return nil
		}, nil)
	}
	var pe *Error
	if err != nil && (!errors.As(err, &pe) || pe.Message == "") {
		t.Fatalf("not a registrar's error: %v", err)
	}
}

// fuzzFolder writes files into dir, one folder per fuzzing process rewritten by every input (a new
// folder per input would cost more than the read).
func fuzzFolder(t *testing.T, dir string, files map[string]string) string {
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// FuzzReadUsers reads any users.csv beside a valid manifest and orgs.csv.
func FuzzReadUsers(f *testing.F) {
	f.Add([]byte(users12 + user12("u1", "Ana", "Lopez")))
	f.Add([]byte("\uFEFF" + users12 + "u1,,,true,ana,,\"Ana\n\"\"A\"\"\",Lopez,,,,,,,03,,,,,,s1,,\r\n"))
	f.Add([]byte("\xFF\xFEs\x00o\x00"))
	f.Add([]byte(users12 + "u1,tobedeleted,2020-13-45,maybe,,,,,,,,,,,,,,,,,zz,\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, users []byte) {
		readFuzzed(t, fuzzFolder(t, dir, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": string(users)}))
	})
}

// FuzzManifest reads any manifest.csv beside valid orgs.csv and users.csv.
func FuzzManifest(f *testing.F) {
	f.Add([]byte(manifest12))
	f.Add([]byte("propertyName,value\noneroster.version,1.1\nfile.users,delta\nfile.orgs,Bulk\n"))
	f.Add([]byte("propertyName,value\noneroster.version,9\n"))
	f.Add([]byte("propertyName,value\r\"oneroster.version\",\"1.2.0\"\rfile.classes,bulk\r"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, manifest []byte) {
		readFuzzed(t, fuzzFolder(t, dir, map[string]string{"manifest.csv": string(manifest), "orgs.csv": orgsCSV, "users.csv": users12 + user12("u1", "Ana", "Lopez")}))
	})
}

// FuzzOpenZip opens any bytes as a ZIP package.
func FuzzOpenZip(f *testing.F) {
	f.Add(testzip.Bytes(f, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users12 + user12("u1", "Ana", "Lopez")}))
	f.Add(testzip.Bytes(f, map[string]string{"export/orgs.csv": orgsCSV, "../users.csv": users12}))
	f.Add([]byte("PK\x03\x04"))
	path := filepath.Join(f.TempDir(), "export.zip")
	f.Fuzz(func(t *testing.T, zip []byte) {
		if err := os.WriteFile(path, zip, 0o600); err != nil {
			t.Fatal(err)
		}
		readFuzzed(t, path)
	})
}
