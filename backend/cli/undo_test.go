package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// runs undo: without --yes it says what it would do and exits 1; with --yes it undoes the import
// (the roster is empty again), prints the undo run, and a second undo is refused with the reason.
func TestRunsUndo(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	mustRun(t, dir, "generate", "--out", zip, "--users", "60", "--seed", "5")
	mustRun(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	mustRun(t, dir, "import", "SIS")

	out, errOut, code := run(t, dir, "runs", "undo", "1")
	if code != 1 || !strings.Contains(out, "Undoing run 1 would:") || !strings.Contains(out, "users") || !strings.Contains(errOut, "Nothing was changed; add --yes") {
		t.Fatalf("undo without --yes: %d %q %q", code, out, errOut)
	}
	var counts struct {
		Active map[string]int `json:"active"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "roster", "counts", "--json")), &counts); err != nil || counts.Active["users"] == 0 {
		t.Fatalf("undo without --yes changed the roster: %+v %v", counts, err)
	}

	out = mustRun(t, dir, "runs", "undo", "#1", "--yes", "--json")
	var undo struct {
		Run    int64  `json:"run"`
		Mode   string `json:"mode"`
		Status string `json:"status"`
		UndoOf int64  `json:"undoOf"`
	}
	if err := json.Unmarshal([]byte(out), &undo); err != nil || undo.Mode != "undo" || undo.Status != "succeeded" || undo.UndoOf != 1 {
		t.Fatalf("undo --json: %s (%v)", out, err)
	}
	counts.Active = nil
	if err := json.Unmarshal([]byte(mustRun(t, dir, "roster", "counts", "--json")), &counts); err != nil || counts.Active["users"] != 0 {
		t.Fatalf("after the undo: %+v %v", counts, err)
	}

	_, errOut, code = run(t, dir, "runs", "undo", "1", "--yes")
	if code == 0 || !strings.Contains(errOut, "Run #1 cannot be undone: it was undone already, by run #2.") {
		t.Fatalf("second undo: %d %q", code, errOut)
	}
}
