package api

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/schedule"
	"github.com/rosterdesk/rosterdesk/backend/schedule/osjob"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// IntegrationsChanged is emitted when a run of an integration starts or ends (no data): the
// Integrations page and the dashboard read their lists again.
const IntegrationsChanged = "integrations:changed"

// IntegrationsAPI manages integrations, runs them as jobs, registers the operating system's schedule
// and lists the conflicts of two-way syncs waiting for a choice.
type IntegrationsAPI struct {
	ws      *workspace.Workspace
	svc     *integrations.Service
	jobs    *jobs.Jobs
	emitter events.Emitter
	// running holds the integrations this window is running and their jobs, so its scheduler starts
	// each once and the window follows a run it did not start from the page.
	mu      sync.Mutex
	running map[int64]windowJob
}

// windowJob is a run this window is running: its job, and whether its scheduler started it.
type windowJob struct {
	id        string
	scheduled bool
}

// NewIntegrationsAPI returns the facade.
func NewIntegrationsAPI(ws *workspace.Workspace, j *jobs.Jobs, emitter events.Emitter) *IntegrationsAPI {
	return &IntegrationsAPI{ws: ws, svc: ws.Integrations, jobs: j, emitter: emitter, running: map[int64]windowJob{}}
}

// Integration is an integration as the Integrations page shows it. Times are RFC 3339 in the
// computer's zone ("" when none): NextRun is "" for a manual or disabled one.
type Integration struct {
	ID             int64    `json:"id"`
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	ConnectionID   int64    `json:"connectionId"`
	Connection     string   `json:"connection"`
	ConnectionKind string   `json:"connectionKind"`
	Entities       []string `json:"entities"`
	Schedule       string   `json:"schedule"`
	ScheduleText   string   `json:"scheduleText"`
	Conflict       string   `json:"conflict"`
	Enabled        bool     `json:"enabled"`
	LastRunID      int64    `json:"lastRunId"`
	LastResult     string   `json:"lastResult"`
	LastRunAt      string   `json:"lastRunAt"`
	NextRun        string   `json:"nextRun"`
	Running        bool     `json:"running"`
	// JobID is the job of the run this window is running ("" when none), started by Run now or by
	// the window's scheduler: the window shows its progress and result.
	JobID string `json:"jobId"`
	// JobScheduled says the window's scheduler started that run (not Run now), so a page reloaded
	// while it runs names it rightly.
	JobScheduled bool `json:"jobScheduled"`
}

// IntegrationInput is an integration to add (ID 0) or edit.
type IntegrationInput struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Type         string   `json:"type"`
	ConnectionID int64    `json:"connectionId"`
	Entities     []string `json:"entities"`
	Schedule     string   `json:"schedule"`
	Conflict     string   `json:"conflict"`
	// The safety hold's thresholds in percent; null keeps them (a new integration's are its
	// connection's own integration's).
	HoldDelete *float64 `json:"holdDelete"`
	HoldChange *float64 `json:"holdChange"`
}

// ScheduleCheck is a schedule's text read back: canonical, in words and its next three runs, or
// the error saying what is wrong.
type ScheduleCheck struct {
	Text     string   `json:"text"`
	Describe string   `json:"describe"`
	Next     []string `json:"next"`
	Error    string   `json:"error"`
}

// OSSchedule is the operating system's entry that runs `rosterdesk schedule run-due` every five
// minutes for this workspace: registered or not, and what it is (or would be).
type OSSchedule struct {
	Registered bool   `json:"registered"`
	Kind       string `json:"kind"`
	Where      string `json:"where"`
	Command    string `json:"command"`
	Text       string `json:"text"`
	// Unknown, when set, says why the computer's scheduler would not say whether the entry is there:
	// a state to show with a way to check, not a failure of the window.
	Unknown string `json:"unknown,omitempty"`
}

func toIntegration(in integrations.Integration) Integration {
	return Integration{ID: in.ID, Name: in.Name, Type: in.Type, ConnectionID: in.ConnectionID, Connection: in.ConnectionName,
		ConnectionKind: in.ConnectionKind, Entities: in.Entities, Schedule: in.Schedule, ScheduleText: in.ScheduleText,
		Conflict: in.Conflict, Enabled: in.Enabled, LastRunID: in.LastRunID, LastResult: in.LastResult,
		LastRunAt: integrations.StoredLocal(in.LastRunAt), NextRun: integrations.Local(in.NextRun), Running: in.Running}
}

// List returns every integration by name.
func (a *IntegrationsAPI) List() ([]Integration, error) {
	ins, err := a.svc.List(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]Integration, len(ins))
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, in := range ins {
		out[i] = toIntegration(in)
		out[i].JobID, out[i].JobScheduled = a.running[in.ID].id, a.running[in.ID].scheduled
	}
	return out, nil
}

// Save adds (ID 0) or edits an integration. A wrong value is an invalid error whose details name
// the field ({"field": "schedule"}).
func (a *IntegrationsAPI) Save(in IntegrationInput) (Integration, error) {
	req := integrations.Request{Name: in.Name, Type: in.Type, ConnectionID: in.ConnectionID, Entities: in.Entities, Schedule: in.Schedule, Conflict: in.Conflict,
		HoldDelete: in.HoldDelete, HoldChange: in.HoldChange}
	var saved integrations.Integration
	var err error
	if in.ID == 0 {
		saved, err = a.svc.Add(context.Background(), req)
	} else {
		saved, err = a.svc.Edit(context.Background(), in.ID, req)
	}
	if err != nil {
		return Integration{}, err
	}
	return toIntegration(saved), nil
}

// Remove deletes an integration; its runs stay in the history.
func (a *IntegrationsAPI) Remove(id int64) error { return a.svc.Remove(context.Background(), id) }

// SetEnabled enables or disables an integration's schedule.
func (a *IntegrationsAPI) SetEnabled(id int64, on bool) (Integration, error) {
	in, err := a.svc.SetEnabled(context.Background(), id, on)
	return toIntegration(in), err
}

// CheckSchedule reads a schedule as the form's field is typed: its canonical text, in words, and
// its next three runs; a text that is no schedule answers Error (not an error of the call).
func (a *IntegrationsAPI) CheckSchedule(text string) (ScheduleCheck, error) {
	spec, err := schedule.Parse(text)
	if err != nil {
		return ScheduleCheck{Text: text, Next: []string{}, Error: apperr.From(err).Message}, nil
	}
	check := ScheduleCheck{Text: spec.String(), Describe: spec.Describe(), Next: []string{}}
	for t, i := spec.Next(a.svc.Now()), 0; !t.IsZero() && i < 3; t, i = spec.Next(t), i+1 {
		check.Next = append(check.Next, integrations.Local(t))
	}
	return check, nil
}

// StartRun runs an integration now in the background (planOnly: computes its plan, changing
// nothing) and returns the job id. The job's result is an integrations.Result: the recorded run
// (skipped when another run of it is going) or the plan. initial is "" or, for a first sync with
// data on both sides, the side that is the starting truth (workspace or external).
func (a *IntegrationsAPI) StartRun(id int64, planOnly bool, initial string, overrideHold bool) string {
	return a.start(id, integrations.RunRequest{PlanOnly: planOnly, Initial: initial, OverrideHold: overrideHold})
}

// start runs an integration as a job, telling the window when it starts and ends. The job is in
// running before the window is told (the lock is held until then), so the list it reads names it.
func (a *IntegrationsAPI) start(id int64, req integrations.RunRequest) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	job := a.jobs.Start("integration", func(ctx context.Context, rep events.Reporter) (any, error) {
		a.emitter.Emit(IntegrationsChanged, nil)
		defer func() {
			a.mu.Lock()
			delete(a.running, id)
			a.mu.Unlock()
			a.emitter.Emit(IntegrationsChanged, nil)
		}()
		return a.svc.Run(ctx, id, req, rep)
	})
	a.running[id] = windowJob{id: job, scheduled: !req.Slot.IsZero()}
	return job
}

// runDue starts, each as a job, the integrations due at now that this window is not running
// already, and returns their job ids.
func (a *IntegrationsAPI) runDue(now time.Time) ([]string, error) {
	due, err := a.svc.DueAt(context.Background(), now)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, d := range due {
		a.mu.Lock()
		busy := a.running[d.ID].id != ""
		a.mu.Unlock()
		if !busy {
			ids = append(ids, a.start(d.ID, integrations.RunRequest{Slot: d.Slot}))
		}
	}
	return ids, nil
}

// Scheduler is the window's own scheduler: while the window is open it runs the integrations that
// are due, as jobs whose progress the dashboard and the Integrations page show, and which can be
// cancelled there. It is not bound to the window.
type Scheduler struct{ api *IntegrationsAPI }

// schedulerNow is the window's scheduler's clock (a development build can set it ahead: see
// scheduler_dev.go).
var schedulerNow = time.Now

// schedulerTick, when not 0, replaces the interval Run is given (a development build whose clock is
// set checks every second, so a browser test sees a schedule come due within seconds).
var schedulerTick time.Duration

// NewScheduler returns the scheduler of the facade's window.
func NewScheduler(a *IntegrationsAPI) *Scheduler { return &Scheduler{api: a} }

// Run checks what is due at once and then every interval, until ctx ends (the window closes).
func (s *Scheduler) Run(ctx context.Context, interval time.Duration, log func(error)) {
	if schedulerTick > 0 {
		interval = schedulerTick
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if _, err := s.api.runDue(schedulerNow()); err != nil {
			log(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (a *IntegrationsAPI) osSchedule(reg osjob.Registration, registered bool) OSSchedule {
	return OSSchedule{Registered: registered, Kind: reg.Kind, Where: reg.Where, Command: reg.Command, Text: reg.Text}
}

// OSSchedule says whether the operating system runs this workspace's schedules while the window
// is closed, and what it runs (or would register).
func (a *IntegrationsAPI) OSSchedule() (OSSchedule, error) {
	reg, ok, err := osjob.Status(a.ws.Store.Path())
	if unknown := (*osjob.CannotTellError)(nil); errors.As(err, &unknown) {
		return OSSchedule{Unknown: unknown.Error()}, nil
	}
	if err != nil {
		return OSSchedule{}, err
	}
	if !ok {
		exe, err := os.Executable()
		if err != nil {
			return OSSchedule{}, err
		}
		reg = osjob.Plan(exe, a.ws.Store.Path())
	}
	return a.osSchedule(reg, ok), nil
}

// InstallOSSchedule registers `rosterdesk schedule run-due` for this workspace with the operating
// system, every five minutes, and returns what it registered.
func (a *IntegrationsAPI) InstallOSSchedule() (OSSchedule, error) {
	exe, err := os.Executable()
	if err != nil {
		return OSSchedule{}, err
	}
	reg, err := a.svc.RegisterOS(context.Background(), exe)
	if err != nil {
		return OSSchedule{}, err
	}
	return a.osSchedule(reg, true), nil
}

// RemoveOSSchedule removes this workspace's entry from the operating system's scheduler.
func (a *IntegrationsAPI) RemoveOSSchedule() (OSSchedule, error) {
	if err := a.svc.UnregisterOS(context.Background()); err != nil {
		return OSSchedule{}, err
	}
	return a.OSSchedule()
}

// Conflicts lists the conflicts of a sync integration's connection waiting for a choice (policy
// ask), or chosen and not applied yet.
func (a *IntegrationsAPI) Conflicts(id int64) ([]store.SyncConflict, error) {
	in, err := a.svc.Get(context.Background(), id)
	if err != nil {
		return nil, err
	}
	return a.ws.Store.SyncConflicts(context.Background(), in.ConnectionID)
}

// ResolveConflict takes the workspace's or the external value for a conflict (its key); the
// integration's next run applies it.
func (a *IntegrationsAPI) ResolveConflict(id int64, key string, take string) error {
	in, err := a.svc.Get(context.Background(), id)
	if err != nil {
		return err
	}
	if take != store.SideWorkspace && take != store.SideExternal {
		return apperr.New(apperr.CodeInvalid, "Choose the workspace's value or the external one.")
	}
	ent, field, sourcedID, ok := store.SplitConflictKey(key)
	if !ok {
		return apperr.New(apperr.CodeNotFound, "That conflict is no longer waiting: a run has applied it. Refresh the list.")
	}
	return a.ws.Engine.ResolveConflict(context.Background(), in.ConnectionID, ent, sourcedID, field, take)
}
