package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// verify against a source and a folder target, and resync to the target and from the source, from
// the command line: exit 0 without differences, 4 with them, every difference naming its record and
// field; a re-sync lists IDs it did not find and is a run of mode ids.
func TestVerifyAndResyncCommands(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o700)
	for _, args := range [][]string{
		{"generate", "--out", zip, "--users", "120", "--seed", "3"},
		{"connection", "add", "North", "--kind", "oneroster-csv", "--set", "path=" + zip},
		{"connection", "add", "Vendor", "--kind", "oneroster-csv", "--role", "target", "--set", "path=" + out},
		{"import", "North"},
		{"export", "Vendor"},
	} {
		if _, errOut, code := run(t, dir, args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
	}
	for _, name := range []string{"North", "Vendor"} {
		if stdout, errOut, code := run(t, dir, "verify", name); code != 0 || !strings.Contains(stdout, "No differences.") {
			t.Fatalf("verify %s: %d %q %q", name, code, stdout, errOut)
		}
	}
	stdout, errOut, code := run(t, dir, "resync", "Vendor", "--object", "users", "--ids", "usr-000001,nobody", "--with-dependencies", "--json")
	var res struct {
		Run struct {
			Mode   string `json:"mode"`
			Status string `json:"status"`
		} `json:"run"`
		NotFound []string `json:"notFound"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); code != 0 || err != nil || res.Run.Mode != "ids" || res.Run.Status != "succeeded" || len(res.NotFound) != 1 || res.NotFound[0] != "nobody" {
		t.Fatalf("resync: %d %s %s %v", code, stdout, errOut, err)
	}
	ids := filepath.Join(dir, "ids.txt")
	os.WriteFile(ids, []byte("usr-000002\nusr-000003\n"), 0o600)
	if stdout, errOut, code := run(t, dir, "resync", "Vendor", "--object", "users", "--ids-file", ids); code != 0 || !strings.Contains(stdout, "Run ") {
		t.Fatalf("resync --ids-file: %d %s %s", code, stdout, errOut)
	}
	// Another district under the source's path: fetched, not imported.
	if _, errOut, code := run(t, dir, "generate", "--out", zip, "--users", "130", "--seed", "4"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := run(t, dir, "fetch", "North"); code != 0 {
		t.Fatal(errOut)
	}
	stdout, errOut, code = run(t, dir, "verify", "North", "--entity", "users", "--json")
	var v struct {
		Against     string         `json:"against"`
		Differences int            `json:"differences"`
		Counts      map[string]any `json:"counts"`
		Rows        []struct {
			Entity, SourcedID, Kind string
			Fields                  []struct{ Field, Roster, Connection string }
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(stdout), &v); err != nil || code != 4 || v.Against != "source" || v.Differences == 0 || len(v.Rows) != v.Differences || len(v.Counts) != 1 {
		t.Fatalf("verify --json: %d %v %.300s %s", code, err, stdout, errOut)
	}
	differs := 0
	for _, r := range v.Rows {
		if r.SourcedID == "" || r.Entity != "users" || r.Kind == "differs" && (len(r.Fields) == 0 || r.Fields[0].Field == "") {
			t.Fatalf("row %+v", r)
		}
		if r.Kind == "differs" {
			differs++
		}
	}
	stdout, _, code = run(t, dir, "verify", "North", "--entity", "users")
	if code != 4 || differs == 0 || !strings.Contains(stdout, ": differs: ") || !strings.Contains(stdout, " roster ") {
		t.Fatalf("verify: %d (%d differ) %.600s", code, differs, stdout)
	}
	// A re-pull from the source takes its new values of the chosen user only: it no longer differs,
	// the others still do.
	if !strings.Contains(stdout, "users usr-000001: differs") {
		t.Fatalf("usr-000001 should differ before the re-pull: %.600s", stdout)
	}
	stdout, errOut, code = run(t, dir, "resync", "North", "--object", "users", "--ids", "usr-000001,nobody", "--json")
	var pulled struct {
		Run struct {
			Direction, Mode, Status string
			Counts                  map[string]struct{ Updated, Deleted, Skipped int }
		} `json:"run"`
		NotFound []string `json:"notFound"`
	}
	if err := json.Unmarshal([]byte(stdout), &pulled); code != 0 || err != nil || pulled.Run.Direction != "import" || pulled.Run.Mode != "ids" ||
		pulled.Run.Counts["users"].Updated != 1 || pulled.Run.Counts["users"].Deleted != 0 || len(pulled.NotFound) != 1 {
		t.Fatalf("resync from a source: %d %s %s %v", code, stdout, errOut, err)
	}
	stdout, _, code = run(t, dir, "verify", "North", "--entity", "users")
	if code != 4 || strings.Contains(stdout, "users usr-000001: differs") {
		t.Fatalf("after the re-pull: %d %.600s", code, stdout)
	}
}
