package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// districtWorkspace makes a workspace in dir with the source SIS (a generated district) and the
// target Vendor (a folder).
func districtWorkspace(t *testing.T, dir string) {
	t.Helper()
	zip := filepath.Join(dir, "district.zip")
	if _, errOut, code := run(t, dir, "generate", "--out", zip, "--users", "60", "--seed", "3"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := run(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip); code != 0 {
		t.Fatal(errOut)
	}
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, dir, "connection", "add", "Vendor", "--kind", "oneroster-csv", "--role", "target", "--set", "path="+filepath.Join(dir, "out")); code != 0 {
		t.Fatal(errOut)
	}
}

func decode[T any](t *testing.T, out string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return v
}

func TestIntegrationCommands(t *testing.T) {
	dir := t.TempDir()
	districtWorkspace(t, dir)
	// Each connection came with its integration.
	out, _, code := run(t, dir, "integration", "list", "--json")
	list := decode[[]integrationJSON](t, out)
	if code != 0 || len(list) != 2 || list[0].Name != "Export to Vendor" || list[1].Name != "Import from SIS" || list[1].Schedule != "manual" || list[1].NextRun != "" {
		t.Fatalf("list %s", out)
	}
	out, errOut, code := run(t, dir, "integration", "add", "Nightly", "--type", "import", "--source", "SIS", "--entities", "schools,students", "--schedule", "Daily 2:00", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	added := decode[map[string]any](t, out)
	for _, k := range []string{"id", "name", "type", "connection", "entities", "schedule", "scheduleText", "conflict", "enabled", "lastRun", "lastResult", "lastRunAt", "nextRun"} {
		if _, ok := added[k]; !ok {
			t.Errorf("integration JSON lacks %s: %s", k, out)
		}
	}
	in := decode[integrationJSON](t, out)
	next, err := time.Parse(time.RFC3339, in.NextRun)
	if in.Schedule != "daily 02:00" || in.ScheduleText != "Every day at 02:00" || in.Connection != "SIS" || err != nil || next.Hour() != 2 || !strings.ContainsAny(in.NextRun[19:], "Z+-") {
		t.Fatalf("added %s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"integration", "show", "Weekly"}, `There is no integration named "Weekly". The integrations are "Export to Vendor", "Import from SIS", "Nightly".`},
		{[]string{"integration", "add", "X", "--type", "import", "--source", "SIS", "--schedule", "daily 25:00"}, "e.g."},
		{[]string{"integration", "add", "X", "--type", "export", "--source", "SIS"}, "SIS is a source"},
		{[]string{"integration", "add", "X", "--type", "import"}, "name its connection"},
		{[]string{"integration", "add", "X", "--type", "import", "--source", "Nowhere"}, `there is no connection named "Nowhere"`},
		{[]string{"integration", "edit", "Nightly", "--conflict", "ask"}, "two-way sync only"},
	} {
		if _, errOut, code := run(t, dir, c.args...); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.want)
		}
	}
	out, errOut, code = run(t, dir, "integration", "edit", "nightly", "--schedule", "weekly mon,wed 06:30", "--entities", "", "--json")
	if in := decode[integrationJSON](t, out); code != 0 || in.Schedule != "weekly mon,wed 06:30" || len(in.Entities) != 0 {
		t.Fatalf("edit: %s %s", out, errOut)
	}
	out, _, _ = run(t, dir, "integration", "disable", "Nightly", "--json")
	if in := decode[integrationJSON](t, out); in.Enabled || in.NextRun != "" {
		t.Errorf("disabled: %s", out)
	}
	out, errOut, code = run(t, dir, "integration", "run", "Import from SIS", "--json")
	if run := decode[store.Run](t, out); code != 0 || run.Status != store.RunSucceeded || run.Direction != "import" {
		t.Fatalf("run: %d %s %s", code, out, errOut)
	}
	out, _, _ = run(t, dir, "integration", "run", "Export to Vendor", "--plan", "--json")
	if p := decode[map[string]any](t, out); p["direction"] != "export" {
		t.Errorf("plan: %s", out)
	}
	out, _, _ = run(t, dir, "integration", "show", "Import from SIS")
	if !strings.Contains(out, "last run:  run 1, succeeded") {
		t.Errorf("show: %s", out)
	}
	if out, _, code = run(t, dir, "integration", "remove", "Nightly"); code != 0 || !strings.Contains(out, `Removed integration "Nightly"`) {
		t.Errorf("remove: %s", out)
	}
	// A sync's policy in words.
	if err := os.Mkdir(filepath.Join(dir, "drop"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, dir, "connection", "add", "Drop", "--kind", "oneroster-csv", "--role", "both", "--set", "path="+filepath.Join(dir, "drop")); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := run(t, dir, "integration", "add", "Drop sync", "--type", "sync", "--connection", "Drop", "--conflict", "newest"); code != 0 {
		t.Fatal(errOut)
	}
	if out, _, _ = run(t, dir, "integration", "show", "Drop sync"); !strings.Contains(out, "conflicts: the newer record (dateLastModified) wins") {
		t.Errorf("show a sync: %s", out)
	}
}

// run-due --now runs what is due at that time, once for every slot missed.
func TestScheduleRunDueAtAGivenTime(t *testing.T) {
	dir := t.TempDir()
	districtWorkspace(t, dir)
	if _, errOut, code := run(t, dir, "integration", "add", "Nightly", "--type", "export", "--target", "Vendor", "--schedule", "daily 02:00"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, code := run(t, dir, "schedule", "list", "--json")
	var nightly integrationJSON
	for _, in := range decode[[]integrationJSON](t, out) {
		if in.Name == "Nightly" {
			nightly = in
		}
	}
	next, err := time.Parse(time.RFC3339, nightly.NextRun)
	if code != 0 || err != nil {
		t.Fatalf("schedule list: %s", out)
	}
	if out, _, code = run(t, dir, "schedule", "run-due", "--now", next.Add(-time.Minute).Format("2006-01-02 15:04")); code != 0 || !strings.HasPrefix(out, "Nothing is due at ") {
		t.Fatalf("a minute before: %d %s", code, out)
	}
	later := next.AddDate(0, 0, 3).Add(time.Hour) // three days later
	out, errOut, code := run(t, dir, "schedule", "run-due", "--now", later.Format(time.RFC3339), "--json")
	ran := decode[[]integrations.Outcome](t, out)
	if code != 0 || len(ran) != 1 || ran[0].Integration != "Nightly" || ran[0].Status != store.RunSucceeded || !ran[0].Slot.Equal(next.AddDate(0, 0, 3)) {
		t.Fatalf("three days later: %d %s %s", code, out, errOut)
	}
	if out, _, _ = run(t, dir, "schedule", "run-due", "--now", later.Format(time.RFC3339)); !strings.HasPrefix(out, "Nothing is due") {
		t.Errorf("again: %s", out)
	}
	// The slot run ahead of the clock is not shown as the next run.
	out, _, _ = run(t, dir, "schedule", "list", "--json")
	for _, in := range decode[[]integrationJSON](t, out) {
		if at, _ := time.Parse(time.RFC3339, in.NextRun); in.Name == "Nightly" && !at.Equal(next.AddDate(0, 0, 4)) {
			t.Errorf("next run after the slot of %s: %s", later, in.NextRun)
		}
	}
	if _, errOut, code = run(t, dir, "schedule", "run-due", "--now", "tomorrow"); code == 0 || !strings.Contains(errOut, `"2026-03-08 02:30"`) {
		t.Errorf("--now tomorrow: %d %s", code, errOut)
	}
}

// `schedule run-due` in a second process while this one runs the integration: the lock refuses
// it, and its run is recorded as skipped; the run going here finishes.
func TestRunDueFromAnotherProcessWhileARunIsGoing(t *testing.T) {
	dir := t.TempDir()
	districtWorkspace(t, dir)
	if _, errOut, code := run(t, dir, "integration", "add", "Hourly", "--type", "import", "--source", "SIS", "--schedule", "hourly :00"); code != 0 {
		t.Fatal(errOut)
	}
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv(secrets.EnvBackend, "file")
	ws, err := workspace.Open(filepath.Join(dir, "workspace.db"), applog.Discard())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	in, err := ws.Integrations.ByName(context.Background(), "Hourly")
	if err != nil {
		t.Fatal(err)
	}
	// The run here stops at its first progress report until the other process is done.
	started, release, done := runHeld(t, ws, in.ID, "")
	<-started
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ROSTERDESK_TEST_CLI="+strings.Join([]string{"schedule", "run-due", "--now", time.Now().Add(2 * time.Hour).Format(time.RFC3339),
		"--json", "--workspace", filepath.Join(dir, "workspace.db")}, "\x1f"))
	out, err := cmd.Output()
	release()
	if err != nil {
		t.Fatalf("run-due: %v %s", err, out)
	}
	ran := decode[[]integrations.Outcome](t, string(out))
	if len(ran) != 1 || ran[0].Status != store.RunSkipped || !strings.HasPrefix(ran[0].Message, "Already running (") {
		t.Fatalf("the second process: %s", out)
	}
	res := <-done
	if res.Run.Status != store.RunSucceeded {
		t.Fatalf("the run going: %+v", res.Run)
	}
	skipped, err := ws.Store.Run(context.Background(), ran[0].Run)
	if err != nil || skipped.Status != store.RunSkipped {
		t.Fatalf("recorded %+v %v", skipped, err)
	}
	if got, _ := ws.Integrations.Get(context.Background(), in.ID); got.LastRunID != res.Run.ID || got.LastResult != store.RunSucceeded {
		t.Errorf("after both: %+v", got)
	}
}
