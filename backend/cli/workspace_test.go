package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTree copies the file or folder from to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(to, strings.TrimPrefix(path, from))
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		raw, err := os.ReadFile(path)
		if err == nil {
			err = os.MkdirAll(filepath.Dir(target), 0o700)
		}
		if err != nil {
			return err
		}
		return os.WriteFile(target, raw, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A workspace copied with its staging folder (a backup, a trial copy) is independent: a fetch in the
// copy leaves the original's stored fetch in place, and the original imports it.
func TestACopiedWorkspaceLeavesTheOriginalsFetchAlone(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	original, copied := filepath.Join(dir, "workspace.db"), filepath.Join(dir, "trial", "copy.db")
	mustRun := func(ws string, args ...string) string {
		t.Helper()
		out, errOut, code := runOn(t, dir, ws, "", args...)
		if code != 0 {
			t.Fatalf("%v on %s: exit %d: %s", args, filepath.Base(ws), code, errOut)
		}
		return out
	}
	mustRun(original, "generate", "--out", zip, "--users", "60", "--seed", "4")
	mustRun(original, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	mustRun(original, "fetch", "SIS")
	staged, _ := filepath.Glob(filepath.Join(original+".staging", "*", "*"))
	if len(staged) != 1 {
		t.Fatalf("the original's stored fetch: %v", staged)
	}
	copyTree(t, original, copied)
	copyTree(t, original+".staging", copied+".staging")

	mustRun(copied, "fetch", "SIS")
	if _, err := os.Stat(staged[0]); err != nil {
		t.Fatalf("a fetch in the copy removed the original's stored fetch: %v", err)
	}
	if out := mustRun(original, "import", "SIS"); !strings.Contains(out, "succeeded") {
		t.Fatalf("the original's import: %s", out)
	}
	if out := mustRun(copied, "import", "SIS"); !strings.Contains(out, "succeeded") {
		t.Fatalf("the copy's import: %s", out)
	}
}
