package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/secrets"
)

// run executes the CLI in-process against a workspace in dir and returns stdout, stderr and the exit status.
func run(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	return runWithInput(t, dir, "", args...)
}

// mustRun runs the CLI on dir's workspace and fails the test unless it exits 0.
func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, dir, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	return out
}

// runWithInput is run with text on stdin.
func runWithInput(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	return runOn(t, dir, filepath.Join(dir, "workspace.db"), stdin, args...)
}

// runOn is runWithInput on the workspace file ws.
func runOn(t *testing.T, dir, ws, stdin string, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config")) // the log and secrets go there, not to the real home
	t.Setenv(secrets.EnvBackend, "file")
	var stdout, stderr bytes.Buffer
	args = append(args, "--workspace", ws)
	code := Run(args, strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestGenerateAddFetchImportWithJSON(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	if _, errOut, code := run(t, dir, "generate", "--out", zip, "--users", "120", "--seed", "3"); code != 0 {
		t.Fatalf("generate: %d %s", code, errOut)
	}
	out, errOut, code := run(t, dir, "connection", "add", "North", "--kind", "oneroster-csv", "--set", "path="+zip, "--json")
	if code != 0 {
		t.Fatalf("connection add: %d %s", code, errOut)
	}
	var conn map[string]any
	if err := json.Unmarshal([]byte(out), &conn); err != nil || conn["name"] != "North" || conn["role"] != "source" {
		t.Fatalf("connection add --json = %s (%v)", out, err)
	}

	if out, errOut, code := run(t, dir, "connection", "test", "North"); code != 0 || !strings.Contains(out, "can read it") {
		t.Fatalf("connection test: %d %q %q", code, out, errOut)
	}
	if log, err := os.ReadFile(filepath.Join(dir, "config", "Rosterdesk", "logs", "rosterdesk.log")); err != nil || !strings.Contains(string(log), "connection tested") {
		t.Fatalf("the command left no trace in the log: %v %s", err, log)
	}
	out, errOut, code = run(t, dir, "fetch", "North", "--json")
	if code != 0 {
		t.Fatalf("fetch: %d %s", code, errOut)
	}
	var fetched struct {
		Connection string           `json:"connection"`
		Version    string           `json:"version"`
		Counts     map[string]int   `json:"counts"`
		Warnings   []map[string]any `json:"warnings"`
		Errors     []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &fetched); err != nil {
		t.Fatal(err)
	}
	if fetched.Connection != "North" || fetched.Version != "1.2" || fetched.Counts["enrollments"] != 756 /* 120 × 6 + one teacher per section */ || fetched.Errors == nil || fetched.Warnings == nil {
		t.Fatalf("fetch --json = %s", out)
	}
	for _, e := range []string{"orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"} {
		if _, ok := fetched.Counts[e]; !ok {
			t.Errorf("fetch counts lack %s", e)
		}
	}

	out, errOut, code = run(t, dir, "import", "North", "--json")
	if code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	var imported struct {
		Run    int64                     `json:"run"`
		Status string                    `json:"status"`
		Counts map[string]map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &imported); err != nil {
		t.Fatal(err)
	}
	if imported.Run == 0 || imported.Status != "succeeded" || imported.Counts["enrollments"]["created"] != 756 {
		t.Fatalf("import --json = %s", out)
	}
	for _, k := range []string{"created", "updated", "deleted", "unchanged", "failed"} {
		if _, ok := imported.Counts["users"][k]; !ok {
			t.Errorf("run counts lack %s", k)
		}
	}

	out, _, code = run(t, dir, "roster", "counts")
	if code != 0 || !strings.Contains(out, "enrollments") || !strings.Contains(out, "756") {
		t.Fatalf("roster counts: %d %s", code, out)
	}
	out, _, code = run(t, dir, "runs", "list")
	if code != 0 || !strings.Contains(out, "North") || !strings.Contains(out, "succeeded") {
		t.Fatalf("runs list: %d %s", code, out)
	}
	if out, _, code = run(t, dir, "runs", "show", "1", "--json"); code != 0 || !strings.Contains(out, `"records"`) {
		t.Fatalf("runs show: %d %s", code, out)
	}
}

func TestErrorsGoToStderrWithNonZeroStatus(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "export.zip")
	os.WriteFile(notZip, []byte("name,grade\nAna,3\n"), 0o600)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"fetch", "Nowhere"}, `no connection named "Nowhere"`},
		{[]string{"connection", "add", "X", "--kind", "oneroster-zip", "--set", "path=a"}, "unknown connection kind"},
		{[]string{"connection", "add", "X", "--kind", "oneroster-csv", "--set", "path"}, "key=value"},
		{[]string{"connection", "add", "X", "--kind", "oneroster-csv", "--set", "path=" + filepath.Join(dir, "missing.zip")}, "cannot find"},
		{[]string{"runs", "show", "abc"}, "not a run number"},
		{[]string{"generate", "--out", filepath.Join(dir, "g.zip"), "--version", "2.0"}, "--version is 1.1 or 1.2"},
	}
	for _, tt := range tests {
		out, errOut, code := run(t, dir, tt.args...)
		if code == 0 || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: code=%d stdout=%q stderr=%q, want stderr containing %q", tt.args, code, out, errOut, tt.want)
		}
	}
	if _, errOut, code := run(t, dir, "connection", "add", "Broken", "--kind", "oneroster-csv", "--set", "path="+notZip); code != 0 {
		t.Fatalf("add: %s", errOut)
	}
	_, errOut, code := run(t, dir, "fetch", "Broken")
	if code != 1 || !strings.Contains(errOut, "not a ZIP") {
		t.Fatalf("fetch of a non-zip: code=%d stderr=%q", code, errOut)
	}
	out, errOut, code := run(t, dir, "connection", "test", "Broken", "--json")
	if code != 1 || !strings.Contains(out, `"ok": false`) || !strings.Contains(out, "not a ZIP") || !strings.Contains(errOut, "failed") {
		t.Fatalf("test of a non-zip: code=%d stdout=%q stderr=%q", code, out, errOut)
	}
}

func TestVersionAndHelp(t *testing.T) {
	out, _, code := run(t, t.TempDir(), "version", "--json")
	if code != 0 || !strings.Contains(out, `"version"`) {
		t.Fatalf("version: %d %s", code, out)
	}
}

// A command word anywhere runs headless; flag values and the window's development flags do not.
func TestHeadlessWhereverTheCommandStands(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		headless bool
	}{
		{[]string{"roster", "counts"}, true},
		{[]string{"--workspace", "W", "--json", "roster", "counts"}, true},
		{[]string{"--json", "--workspace=W", "version"}, true},
		{[]string{"--workspace", "W", "--help"}, true},
		{[]string{"-h"}, true},
		{[]string{"help"}, true},
		{[]string{"--workspace", "W", "rostr"}, true}, // a typo is a command: the CLI says it is unknown
		{[]string{"--version"}, true},                 // so is a flag the CLI does not have
		{nil, false},
		{[]string{"--workspace", "roster"}, false},
		{[]string{"--workspace", "W", "--json"}, false},
		{[]string{"-assetdir", "frontend/dist", "-devserver", "localhost:34115", "--workspace", "W"}, false},
		{[]string{"-loglevel=Debug"}, false},
	} {
		if got := Headless(tt.args); got != tt.headless {
			t.Errorf("Headless(%q) = %v, want %v", tt.args, got, tt.headless)
		}
	}
}

func TestFetchChangesNeedsAnAPISource(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	run(t, dir, "generate", "--out", zip, "--users", "20")
	run(t, dir, "connection", "add", "North", "--kind", "oneroster-csv", "--set", "path="+zip)
	if _, errOut, code := run(t, dir, "fetch", "North", "--changes"); code == 0 || !strings.Contains(errOut, "cannot send only what changed") {
		t.Fatalf("fetch --changes of a ZIP: %d %s", code, errOut)
	}
}
