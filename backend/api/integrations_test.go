package api

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// events counts the events emitted by name.
type eventCount struct {
	mu sync.Mutex
	n  map[string]int
}

func (e *eventCount) Emit(name string, _ any) {
	e.mu.Lock()
	e.n[name]++
	e.mu.Unlock()
}

func (e *eventCount) count(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n[name]
}

func TestIntegrationsFacadeSavesRunsAndSchedules(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv(secrets.EnvBackend, "file")
	ws, err := workspace.Open(filepath.Join(dir, "workspace.db"), applog.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	zip := filepath.Join(dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 30, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	c, err := ws.Connections.Add(context.Background(), connections.Request{Name: "SIS", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	ev := &eventCount{n: map[string]int{}}
	j := jobs.New(ev)
	a := NewIntegrationsAPI(ws, j, ev)

	list, err := a.List()
	if err != nil || len(list) != 1 || list[0].Name != "Import from SIS" || list[0].Connection != "SIS" || list[0].ConnectionKind != "oneroster-csv" || list[0].NextRun != "" {
		t.Fatalf("list %+v %v", list, err)
	}
	if _, err := a.Save(IntegrationInput{Name: "Nightly", Type: "import", ConnectionID: c.ID, Schedule: "nightly"}); apperr.From(err).Details.(map[string]string)["field"] != "schedule" {
		t.Fatalf("a bad schedule: %v", err)
	}
	check, _ := a.CheckSchedule("weekly tue 6:30")
	if check.Text != "weekly tue 06:30" || check.Describe != "Every Tuesday at 06:30" || len(check.Next) != 3 || check.Error != "" {
		t.Fatalf("check %+v", check)
	}
	if next, err := time.Parse(time.RFC3339, check.Next[1]); err != nil || next.Weekday() != time.Tuesday || next.Hour() != 6 {
		t.Errorf("next runs %v: %v", check.Next, err)
	}
	if check, _ := a.CheckSchedule("daily 7"); check.Error == "" {
		t.Errorf("daily 7: %+v", check)
	}
	saved, err := a.Save(IntegrationInput{Name: "Hourly import", Type: "import", ConnectionID: c.ID, Schedule: "hourly :00", Entities: []string{"schools"}})
	if err != nil || saved.ID == 0 || saved.NextRun == "" || saved.ScheduleText != "Every hour, on the hour" {
		t.Fatalf("saved %+v %v", saved, err)
	}
	// The window's scheduler: an hour and a bit later it is due, and starts once.
	ws.Integrations.Now = func() time.Time { return time.Now().Add(61 * time.Minute) }
	ids, err := a.runDue(time.Now().Add(61 * time.Minute))
	if err != nil || len(ids) != 1 {
		t.Fatalf("due: %v %v", ids, err)
	}
	job, _ := j.Wait(ids[0])
	res, ok := job.Result.(integrations.Result)
	if job.Status != jobs.Succeeded || !ok || res.Run.Status != store.RunSucceeded {
		t.Fatalf("scheduled job %+v", job)
	}
	if ev.count(IntegrationsChanged) != 2 {
		t.Errorf("%d integrations:changed events, want one at the start and one at the end", ev.count(IntegrationsChanged))
	}
	if again, _ := a.runDue(time.Now().Add(62 * time.Minute)); len(again) != 0 {
		t.Errorf("ran again: %v", again)
	}
	list, _ = a.List()
	for _, in := range list {
		if in.ID == saved.ID && (in.LastRunID != res.Run.ID || in.LastResult != "succeeded" || !strings.Contains(in.LastRunAt, "T")) {
			t.Errorf("listed %+v", in)
		}
	}
	// Run now, a plan only: nothing recorded.
	job, _ = j.Wait(a.StartRun(saved.ID, true, ""))
	if res, ok := job.Result.(integrations.Result); job.Status != jobs.Succeeded || !ok || res.Run.ID != 0 || res.Plan.Direction != "import" {
		t.Fatalf("plan job %+v", job)
	}
	if err := a.Remove(saved.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetEnabled(saved.ID, false); apperr.From(err).Code != apperr.CodeNotFound {
		t.Errorf("a removed integration: %v", err)
	}
}
