package cli

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// Who started a run: `integration run` is the operator's (no trigger), `schedule run-due` the
// schedule's; both are the integration's, and `runs show` and `runs list` say so. A run still going
// is already the integration's last run in `integration list`.
func TestRunsSayWhoStartedThem(t *testing.T) {
	dir := t.TempDir()
	districtWorkspace(t, dir)
	if _, errOut, code := run(t, dir, "integration", "add", "Hourly", "--type", "import", "--source", "SIS", "--schedule", "hourly :00"); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := run(t, dir, "integration", "run", "Hourly", "--json")
	byHand := decode[store.Run](t, out)
	if code != 0 || byHand.Status != store.RunSucceeded || byHand.IntegrationID == 0 || byHand.Trigger != "" {
		t.Fatalf("integration run: %d %s %s", code, out, errOut)
	}
	out, _, _ = run(t, dir, "schedule", "run-due", "--now", time.Now().Add(2*time.Hour).Format(time.RFC3339), "--json")
	due := decode[[]integrations.Outcome](t, out)
	if len(due) != 1 || due[0].Status != store.RunSucceeded {
		t.Fatalf("run-due: %s", out)
	}
	out, _, _ = run(t, dir, "runs", "show", strconv.FormatInt(due[0].Run, 10), "--json")
	if r := decode[struct{ Run store.Run }](t, out).Run; r.ID != due[0].Run || r.IntegrationID != byHand.IntegrationID || r.Trigger != integrations.TriggerSchedule {
		t.Errorf("runs show: %s", out)
	}
	out, _, _ = run(t, dir, "runs", "list", "--json")
	triggers := map[int64]string{}
	for _, r := range decode[[]store.Run](t, out) {
		triggers[r.ID] = r.Trigger
	}
	if want := map[int64]string{byHand.ID: "", due[0].Run: integrations.TriggerSchedule}; len(triggers) != 2 || triggers[byHand.ID] != "" || triggers[due[0].Run] != "schedule" {
		t.Errorf("runs list: triggers %v, want %v", triggers, want)
	}

	// A run here stops as it applies, until `integration list` has looked.
	ws, err := workspace.Open(filepath.Join(dir, "workspace.db"), applog.Discard())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	applying, release, done := runHeld(t, ws, byHand.IntegrationID, "applying")
	<-applying
	out, _, _ = run(t, dir, "integration", "list", "--json")
	release()
	going := <-done
	var listed integrationJSON
	for _, in := range decode[[]integrationJSON](t, out) {
		if in.Name == "Hourly" {
			listed = in
		}
	}
	if listed.LastRun != going.Run.ID || listed.LastResult != store.RunRunning {
		t.Errorf("while run %d went, integration list said %+v", going.Run.ID, listed)
	}
}

// runHeld runs an integration of ws in the background, stopping at its first progress report of the
// stage given ("": any) until release is called; done gives its result.
func runHeld(t *testing.T, ws *workspace.Workspace, id int64, stage string) (reached <-chan struct{}, release func(), done <-chan integrations.Result) {
	at, resume := make(chan struct{}), make(chan struct{})
	var once sync.Once
	hold := events.ReporterFunc(func(p events.Progress) {
		if stage == "" || p.Stage == stage {
			once.Do(func() { close(at); <-resume })
		}
	})
	out := make(chan integrations.Result)
	go func() {
		res, err := ws.Integrations.Run(context.Background(), id, integrations.RunRequest{}, hold)
		if err != nil {
			t.Error(err)
		}
		out <- res
	}()
	return at, func() { close(resume) }, out
}

// schedule status says plainly when the operating system does not say whether the entry is there:
// on stderr, as known:false in JSON, with exit status 1. (crontab is a stand-in here.)
func TestScheduleStatusWhenItCannotTell(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("crontab is the scheduler on Linux; schtasks and launchd are told apart in osjob's tests")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	crontab := filepath.Join(bin, "crontab")
	standIn := func(script string) {
		if err := os.WriteFile(crontab, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+":/usr/bin:/bin")
	standIn(`echo "no crontab for ms" >&2; exit 1`)
	out, errOut, code := run(t, dir, "schedule", "status", "--json")
	if got := decode[osScheduleJSON](t, out); code != 0 || got.Registered || !got.Known || !strings.Contains(got.Command, "schedule run-due") {
		t.Fatalf("nothing registered: %d %s %s", code, out, errOut)
	}
	standIn(`echo "crontab: cannot open /var/spool/cron/crontabs: Permission denied" >&2; exit 1`)
	out, errOut, code = run(t, dir, "schedule", "status")
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "rosterdesk: Rosterdesk cannot tell whether scheduled integrations run while it is closed: crontab -l failed: crontab: cannot open") ||
		!strings.Contains(errOut, "Run crontab -l to see your crontab") {
		t.Errorf("cannot tell: %d %q %q", code, out, errOut)
	}
	out, _, code = run(t, dir, "schedule", "status", "--json")
	if got := decode[osScheduleJSON](t, out); code != 1 || got.Registered || got.Known || !strings.Contains(got.Message, "Permission denied") {
		t.Errorf("cannot tell, as JSON: %d %s", code, out)
	}
}
