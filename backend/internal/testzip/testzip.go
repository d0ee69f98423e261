// Package testzip builds small ZIP files from text, for tests that need OneRoster packages.
package testzip

import (
	"archive/zip"
	"bytes"
	"os"
	"sort"
	"testing"
)

// Bytes returns a ZIP holding files (name → content), entries in name order.
func Bytes(t testing.TB, files map[string]string) []byte {
	t.Helper()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Write writes that ZIP to path.
func Write(t testing.TB, path string, files map[string]string) {
	t.Helper()
	if err := os.WriteFile(path, Bytes(t, files), 0o600); err != nil {
		t.Fatal(err)
	}
}
