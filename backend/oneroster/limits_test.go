package oneroster

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"golang.org/x/text/encoding/unicode"
)

// zipWith writes a ZIP of files, with users.csv's content taken from users.
func zipWith(t testing.TB, files map[string]string, users io.Reader) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile.zip")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for name, body := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	w, _ := zw.Create("users.csv")
	if _, err := io.Copy(w, users); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// refused reads the package at path and returns the *Error that refuses it, within the memory ceiling.
func refused(t *testing.T, path string) *Error {
	t.Helper()
	var err error
	hostile.Within(t, func() {
		var pkg *Package
		if pkg, err = Open(path); err != nil {
			return
		}
		defer pkg.Close()
		_, err = pkg.Read(context.Background(), func(roster.Record) error { return nil }, nil)
	})
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("want an *Error, got %v", err)
	}
	return pe
}

func TestZipBombIsRefusedOnOpen(t *testing.T) {
	row := user12("u1", "Ana", "Lopez")
	path := zipWith(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV},
		io.MultiReader(strings.NewReader(users12), hostile.Repeat(row, 1<<30)))
	if info, _ := os.Stat(path); info.Size() > 8<<20 {
		t.Fatalf("the ZIP is %d bytes", info.Size())
	}
	start := time.Now()
	e := refused(t, path)
	if e.File != "hostile.zip" || !strings.Contains(e.Message, "users.csv in the ZIP unpacks to 1 GB") || !strings.Contains(e.Message, "ZIP bomb") {
		t.Fatalf("error %v", e)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestLongLineIsRefusedNamingIt(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manifest.csv"), []byte(manifest12), 0o600)
	os.WriteFile(filepath.Join(dir, "orgs.csv"), []byte(orgsCSV), 0o600)
	f, _ := os.Create(filepath.Join(dir, "users.csv"))
	f.WriteString(users12 + user12("u1", "Ana", "Lopez") + user12("u2", "Ben", "Okafor"))
	io.Copy(f, hostile.Repeat("x", 50<<20)) // a 50 MB line 4, no line break
	f.Close()
	recs := 0
	var err error
	hostile.Within(t, func() {
		pkg, _ := Open(dir)
		defer pkg.Close()
		_, err = pkg.Read(context.Background(), func(roster.Record) error { recs++; return nil }, nil)
	})
	var e *Error
	if !errors.As(err, &e) || e.File != "users.csv" || e.Line != 4 || !strings.Contains(e.Message, "longer than 1 MB") {
		t.Fatalf("error %v", err)
	}
}

func TestLongQuotedRowIsRefusedNamingWhereItStarts(t *testing.T) {
	// A quote left open makes the rest of the file one row of short lines.
	users := users12 + user12("u1", "Ana", "Lopez") + `u2,,,true,ben,,"Ben` + strings.Repeat("\nmore text of the same value", 50000)
	e := refused(t, writeFolder(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users}))
	if e.File != "users.csv" || e.Line != 3 || !strings.Contains(e.Message, "row is longer than 1 MB") {
		t.Fatalf("error %v", e)
	}
	// Quotes inside quoted values ("") and quoted line breaks do not end or lengthen a row.
	recs, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
		"users.csv": users12 + `u1,,,true,ana,,"Ana ""A""` + "\n" + `Maria",Lopez,,,,,,,,,,,,,s1,` + "\n" + user12("u2", "Ben", "Okafor")})
	if err != nil || len(rep.Errors()) != 0 || len(recs) != 4 {
		t.Fatalf("records %d findings %+v err %v", len(recs), rep.Findings, err)
	}
}

func TestLongValueIsRefusedNamingItsColumn(t *testing.T) {
	users := users12 + user12("u1", "Ana", "Lopez") + user12("u2", strings.Repeat("B", 100<<10), "Okafor")
	e := refused(t, writeFolder(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users}))
	if e.File != "users.csv" || e.Line != 3 || e.Column != "username" || !strings.Contains(e.Message, "more than the 64 KB") {
		t.Fatalf("error %v", e)
	}
}

func TestEncryptedZipIsNamed(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users12} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Flags: 0x1})
		w.Write([]byte(body))
	}
	zw.Close()
	path := filepath.Join(t.TempDir(), "locked.zip")
	os.WriteFile(path, buf.Bytes(), 0o600)
	e := refused(t, path)
	if e.File != "locked.zip" || !strings.Contains(e.Message, "protected by a password") {
		t.Fatalf("error %v", e)
	}
}

func TestUTF16FilesAreDecoded(t *testing.T) {
	utf16 := func(order unicode.Endianness, bom unicode.BOMPolicy, s string) string {
		out, err := unicode.UTF16(order, bom).NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	users := users12 + user12("u1", "Ana", "Lopez") + user12("u2", "Zoë", "Ñúñez")
	for name, body := range map[string]string{
		"little endian with BOM":   utf16(unicode.LittleEndian, unicode.UseBOM, users),
		"big endian with BOM":      utf16(unicode.BigEndian, unicode.UseBOM, users),
		"little endian, no BOM":    utf16(unicode.LittleEndian, unicode.IgnoreBOM, users),
		"CR line ends, big endian": utf16(unicode.BigEndian, unicode.IgnoreBOM, strings.ReplaceAll(users, "\n", "\r")),
	} {
		recs, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": body})
		if err != nil || len(rep.Errors()) != 0 {
			t.Fatalf("%s: findings %+v err %v", name, rep.Findings, err)
		}
		if u, ok := find(recs, roster.Users, "u2"); !ok || u.Get("givenName") != "Zoë" || u.Get("familyName") != "Ñúñez" {
			t.Fatalf("%s: u2 %+v", name, u.Values)
		}
	}
}

func writeFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
