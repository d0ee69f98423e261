package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

func TestMappingSetShowPreviewAndTestRecord(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	mustRun := func(args ...string) string { t.Helper(); return mustRun(t, dir, args...) }
	mustRun("generate", "--out", zip, "--users", "60", "--seed", "4")
	mustRun("connection", "add", "North", "--kind", "oneroster-csv", "--set", "path="+zip)
	mustRun("import", "North")
	api := pushtest.New(pushtest.Options{APIKey: "k-9", KeyField: "student_number"})
	defer api.Close()
	t.Setenv("ROSTERDESK_SECRET_APIKEY", "k-9")
	mustRun("connection", "add", "SIS", "--kind", "rest-push", "--role", "target", "--set", "baseUrl="+api.URL, "--set", "auth=apikey",
		"--set", `endpoints={"users": "/api/students"}`, "--secret", "apiKey")

	// The example file, as a registrar would write it.
	file := filepath.Join(dir, "students.json")
	os.WriteFile(file, []byte(`{"entity": "users", "fields": [{"to": "student_number", "type": "direct", "from": "identifier", "key": true},
  {"to": "last_name", "type": "transformation", "expr": "upper(familyName)"},
  {"to": "gender", "type": "codes", "from": "demographics.sex", "codes": {"female": "F", "male": "M"}, "unmatched": "default", "default": "U"},
  {"to": "email", "type": "none", "from": "email"}]}`), 0o600)
	if out := mustRun("mapping", "set", "SIS", "--entity", "users", "--file", file); !strings.Contains(out, "last_name") {
		t.Fatalf("set: %s", out)
	}
	var shown map[string]any
	if err := json.Unmarshal([]byte(mustRun("mapping", "show", "SIS", "--entity", "users", "--json")), &shown); err != nil || len(shown["fields"].([]any)) != 4 {
		t.Fatalf("show --json: %v %v", shown, err)
	}

	var payload map[string]any
	out := mustRun("mapping", "preview", "SIS", "--entity", "users", "--id", firstStudent(t, dir), "--json")
	if err := json.Unmarshal([]byte(out), &payload); err != nil || len(payload) != 3 || payload["last_name"] != strings.ToUpper(payload["last_name"].(string)) {
		t.Fatalf("preview --json prints the exact object: %s %v", out, err)
	}
	if g := payload["gender"]; g != "F" && g != "M" && g != "U" {
		t.Fatalf("gender through the code table: %v", g)
	}

	// A broken expression is refused naming the field and the position; the saved mapping stays.
	os.WriteFile(file, []byte(`{"entity": "users", "fields": [{"to": "id", "type": "direct", "from": "identifier", "key": true},
  {"to": "last_name", "type": "transformation", "expr": "upper(famlyName"}]}`), 0o600)
	if _, errOut, code := run(t, dir, "mapping", "set", "SIS", "--entity", "users", "--file", file); code == 0 || !strings.Contains(errOut, "last_name") || !strings.Contains(errOut, "column") {
		t.Fatalf("a broken expression: %d %s", code, errOut)
	}

	student := firstStudent(t, dir)
	if out := mustRun("export", "SIS", "--test-record", student); !strings.Contains(out, "POST "+api.URL+"/api/students") || !strings.Contains(out, "add --yes") || len(api.Requests()) != 0 {
		t.Fatalf("without --yes nothing is sent: %s %d", out, len(api.Requests()))
	}
	if out := mustRun("export", "SIS", "--test-record", student, "--yes"); !strings.Contains(out, "answered 201") {
		t.Fatalf("test record: %s", out)
	}
	out = mustRun("export", "SIS", "--json")
	var run struct {
		Status string                    `json:"status"`
		Counts map[string]map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &run); err != nil || run.Status != "succeeded" || len(api.Records("/api/students")) != run.Counts["users"]["created"]+1 {
		t.Fatalf("export after the test record creates everyone else once: %s %d", out, len(api.Records("/api/students")))
	}
}

// firstStudent is the sourcedId of a student of the roster.
func firstStudent(t *testing.T, dir string) string {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var id string
	if err := st.DB().QueryRow(`SELECT "userSourcedId" FROM roster_roles WHERE role = 'student' ORDER BY 1 LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
