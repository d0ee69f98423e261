package api

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
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

// emitFunc is an emitter calling a function.
type emitFunc func(name string, data any)

func (f emitFunc) Emit(name string, data any) { f(name, data) }

// integrationsWorkspace is a workspace with the source SIS, a generated district.
func integrationsWorkspace(t *testing.T) (*workspace.Workspace, store.Connection) {
	t.Helper()
	dir := t.TempDir()
	ws := openWorkspace(t, dir)
	zip := filepath.Join(dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 30, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	c, err := ws.Connections.Add(context.Background(), connections.Request{Name: "SIS", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	return ws, c
}

func TestIntegrationsFacadeSavesRunsAndSchedules(t *testing.T) {
	ws, c := integrationsWorkspace(t)
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
	job, _ = j.Wait(a.StartRun(saved.ID, true, "", false))
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

// A run the window's scheduler starts is listed with its job while it goes, so the window shows its
// progress and can cancel it; its run says the schedule started it. The list names no job after.
func TestTheWindowFollowsAScheduledRun(t *testing.T) {
	ws, c := integrationsWorkspace(t)
	var a *IntegrationsAPI
	var j *jobs.Jobs
	var mu sync.Mutex
	var listed []string  // each integration's job as the list said when the window was told
	var scheduled []bool // and whether it said the scheduler started it
	cancel := false
	a = NewIntegrationsAPI(ws, nil, emitFunc(func(name string, _ any) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case name == IntegrationsChanged:
			list, err := a.List()
			if err != nil {
				t.Error(err)
			}
			for _, in := range list {
				if in.Schedule != "manual" {
					listed = append(listed, in.JobID)
					if in.JobID != "" {
						scheduled = append(scheduled, in.JobScheduled)
					}
				}
			}
		case cancel && strings.HasPrefix(name, events.JobProgress):
			j.Cancel(strings.TrimPrefix(name, events.JobProgress)) // the registrar cancels from the card
		}
	}))
	j = jobs.New(a.emitter)
	a.jobs = j
	in, err := a.Save(IntegrationInput{Name: "Hourly import", Type: "import", ConnectionID: c.ID, Schedule: "hourly :00"})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := a.runDue(time.Now().Add(61 * time.Minute))
	if err != nil || len(ids) != 1 {
		t.Fatalf("due: %v %v", ids, err)
	}
	job, _ := j.Wait(ids[0])
	res, _ := job.Result.(integrations.Result)
	if job.Status != jobs.Succeeded || res.Run.Trigger != integrations.TriggerSchedule || res.Run.IntegrationID != in.ID {
		t.Fatalf("scheduled job %+v", job)
	}
	mu.Lock()
	if want := []string{ids[0], ""}; !slices.Equal(listed, want) || !slices.Equal(scheduled, []bool{true}) {
		t.Errorf("the list named the jobs %q (scheduled %v) as the run started and ended, want %q", listed, scheduled, want)
	}
	listed, cancel = nil, true
	mu.Unlock()

	ids, err = a.runDue(time.Now().Add(121 * time.Minute))
	if err != nil || len(ids) != 1 {
		t.Fatalf("due again: %v %v", ids, err)
	}
	if job, _ = j.Wait(ids[0]); job.Status != jobs.Cancelled {
		t.Fatalf("cancelled job %+v", job)
	}
	got, err := a.svc.Get(context.Background(), in.ID)
	if err != nil || got.LastResult != store.RunCancelled {
		t.Fatalf("after the cancel %+v %v", got, err)
	}
	if r, err := ws.Store.Run(context.Background(), got.LastRunID); err != nil || r.Trigger != integrations.TriggerSchedule {
		t.Errorf("the cancelled run %+v %v", r, err)
	}
	// Run now is listed as not scheduled, so a window reloaded meanwhile does not call it scheduled.
	mu.Lock()
	listed, scheduled, cancel = nil, nil, false
	mu.Unlock()
	if job, _ = j.Wait(a.StartRun(in.ID, true, "", false)); job.Status != jobs.Succeeded {
		t.Errorf("Run now %+v", job)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(listed) != 2 || !slices.Equal(scheduled, []bool{false}) {
		t.Errorf("Run now was listed as %q, scheduled %v", listed, scheduled)
	}
}

// When the computer's scheduler will not say whether this workspace's entry is there, the window gets
// a state saying so and where to look, not an error. (A stand-in crontab plays the scheduler.)
func TestOSScheduleThatCannotTellIsAState(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("crontab is the scheduler on Linux; schtasks and launchd are told apart in osjob's tests")
	}
	ws, _ := integrationsWorkspace(t)
	a := NewIntegrationsAPI(ws, jobs.New(discard{}), discard{})
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "crontab"), []byte("#!/bin/sh\necho 'crontab: cannot open /var/spool/cron/crontabs: Permission denied' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":/usr/bin:/bin")
	got, err := a.OSSchedule()
	if err != nil || got.Registered || !strings.Contains(got.Unknown, "cannot tell whether") || !strings.Contains(got.Unknown, "Run crontab -l") {
		t.Fatalf("cannot tell: %+v %v", got, err)
	}
}
