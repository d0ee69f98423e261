package cli

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
// copy leaves the original's stored fetch in place, and the original imports it. Copied without it,
// a workspace needs a new fetch, not an error naming a file.
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

	// Copied without its staging folder, a workspace has no stored fetch: the import fetches anew.
	alone := filepath.Join(dir, "alone.db")
	copyTree(t, original, alone)
	if _, errOut, code := runOn(t, dir, alone, "", "select", "SIS"); code == 0 || !strings.Contains(errOut, "Fetch SIS first") {
		t.Fatalf("select in a copy without its fetch: %d %s", code, errOut)
	}
	if out := mustRun(alone, "import", "SIS"); !strings.Contains(out, "succeeded") {
		t.Fatalf("the import of a copy without its fetch: %s", out)
	}
}

// Twelve `connection add --secret` started at once on a new workspace (a deployment script, a
// scheduler) all succeed, and every connection has its secret afterwards.
func TestConnectionsAddedAtOnceAllKeepTheirSecrets(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "workspace.db")
	const processes = 12
	var wg sync.WaitGroup
	failures := make([]string, processes)
	for i := range processes {
		name := fmt.Sprintf("API %d", i)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ROSTERDESK_TEST_CLI="+strings.Join([]string{"connection", "add", name, "--kind", "oneroster-rest",
			"--set", "baseUrl=https://sis.example/ims/oneroster", "--set", "tokenUrl=https://sis.example/token", "--set", "clientId=c" + strconv.Itoa(i),
			"--secret", "clientSecret", "--workspace", ws}, "\x1f"),
			"ROSTERDESK_SECRET_CLIENTSECRET=secret of "+name, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "ROSTERDESK_SECRETS=file")
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := cmd.CombinedOutput(); err != nil {
				failures[i] = fmt.Sprintf("%s: %v %s", name, err, out)
			}
		}()
	}
	wg.Wait()
	for _, f := range failures {
		if f != "" {
			t.Error(f)
		}
	}
	for i := range processes {
		out, errOut, code := runOn(t, dir, ws, "", "connection", "show", fmt.Sprintf("API %d", i), "--json")
		if code != 0 || !strings.Contains(out, `"clientSecret"`) {
			t.Errorf("API %d: %d %s %s", i, code, out, errOut)
		}
	}
}
