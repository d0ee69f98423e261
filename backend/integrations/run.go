package integrations

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/schedule"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// RunRequest says how to run an integration.
type RunRequest struct {
	PlanOnly bool   // compute what it would do, change nothing and record no run
	Initial  string // a first sync with data on both sides: the side that is the starting truth
	// Slot is the schedule slot a scheduled run is for (zero for a run started by hand): it is
	// stored on the integration as it starts, so the slot runs once whoever runs it. Its run is
	// recorded as started by the schedule.
	Slot time.Time
	// OverrideHold applies a run the safety hold would stop: its plan was reviewed.
	OverrideHold bool
}

// Result is what a run of an integration did: its recorded run, or its plan.
type Result struct {
	Integration string      `json:"integration"`
	Run         store.Run   `json:"run"`
	Plan        engine.Plan `json:"plan"`
}

// TriggerSchedule is the trigger of a run its schedule started (the window's scheduler or
// `schedule run-due`); a person's run has none.
const TriggerSchedule = "schedule"

// trigger is who started the run, as its record says.
func (r RunRequest) trigger() string {
	if r.Slot.IsZero() {
		return ""
	}
	return TriggerSchedule
}

// Run runs an integration now, under its lock: an import fetches the source afresh and imports it
// (held past the safety thresholds), an export exports, a sync syncs both ways. A run the lock
// refuses (another is still going) is recorded as skipped. Every run is recorded as the
// integration's from its start, with its trigger, also one that failed before the engine started it.
func (s *Service) Run(ctx context.Context, id int64, req RunRequest, rep events.Reporter) (Result, error) {
	in, err := s.get(ctx, id)
	if err != nil {
		return Result{}, err
	}
	res := Result{Integration: in.Name}
	lock, err := s.store.LockIntegration(ctx, id)
	var running store.ErrIntegrationRunning
	if errors.As(err, &running) {
		if req.PlanOnly {
			return res, apperr.New(apperr.CodeBusy, "The integration "+in.Name+" is "+running.Error()+". Plan it once it has finished.")
		}
		msg := running.Error()
		res.Run, err = s.record(ctx, in, req, store.RunSkipped, strings.ToUpper(msg[:1])+msg[1:]+".")
		if err == nil && !req.Slot.IsZero() {
			err = s.store.SetDueFrom(ctx, id, store.FormatTime(req.Slot)) // the slot was had, by the run going
		}
		return res, err
	}
	if err != nil {
		return res, notFound(err)
	}
	defer lock.Release()
	if !req.Slot.IsZero() {
		// Taken by another process between its check and the lock: the slot has been run.
		if in, err = s.get(ctx, id); err != nil {
			return res, err
		}
		if !dueFrom(in, req.Slot).Before(req.Slot) {
			return res, errNotDue
		}
		if err := s.store.SetDueFrom(ctx, id, store.FormatTime(req.Slot)); err != nil {
			return res, err
		}
	}
	res.Run, res.Plan, err = s.run(ctx, in, req, rep)
	if req.PlanOnly {
		return res, err
	}
	var ae *apperr.Error
	if res.Run.ID == 0 && errors.As(err, &ae) && ae.Code == apperr.CodeBusy {
		// The engine is busy with another connection's run in this process: the slot is tried again.
		if !req.Slot.IsZero() {
			s.store.SetDueFrom(ctx, id, in.DueFrom)
		}
		return res, err
	}
	if res.Run.ID == 0 && err != nil {
		status := store.RunFailed
		if ctx.Err() != nil {
			status = store.RunCancelled
		}
		run, rerr := s.record(context.WithoutCancel(ctx), in, req, status, apperr.From(err).Message)
		if rerr != nil {
			return res, errors.Join(err, rerr)
		}
		res.Run = run
	}
	return res, err
}

// errNotDue: the slot was run by another process meanwhile.
var errNotDue = errors.New("not due any more")

func (s *Service) run(ctx context.Context, in store.Integration, req RunRequest, rep events.Reporter) (store.Run, engine.Plan, error) {
	opts := engine.RunOptions{Entities: in.Entities, OverrideHold: req.OverrideHold, IntegrationID: in.ID, Trigger: req.trigger()}
	switch in.Type {
	case store.IntegrationImport:
		if _, err := s.engine.Fetch(ctx, in.ConnectionID, rep); err != nil {
			return store.Run{}, engine.Plan{}, err
		}
		if req.PlanOnly {
			p, err := s.engine.PlanImport(ctx, in.ConnectionID, opts, rep)
			return store.Run{}, p, err
		}
		run, err := s.engine.Import(ctx, in.ConnectionID, opts, rep)
		return run, engine.Plan{}, err
	case store.IntegrationExport:
		if req.PlanOnly {
			p, err := s.engine.PlanExport(ctx, in.ConnectionID, opts, rep)
			return store.Run{}, p, err
		}
		run, err := s.engine.Export(ctx, in.ConnectionID, opts, rep)
		return run, engine.Plan{}, err
	}
	return s.engine.Sync(ctx, in.ConnectionID, engine.SyncOptions{Policy: in.Conflict, Initial: req.Initial, Entities: in.Entities,
		PlanOnly: req.PlanOnly, OverrideHold: req.OverrideHold, IntegrationID: in.ID, Trigger: req.trigger()}, rep)
}

// record records a run of the integration that the engine did not start (skipped, or failed
// before it began), so the integration's last result says what happened.
func (s *Service) record(ctx context.Context, in store.Integration, req RunRequest, status, message string) (store.Run, error) {
	run, err := s.store.StartRun(ctx, store.Run{ConnectionID: in.ConnectionID, ConnectionName: in.ConnectionName, Direction: in.Type, Mode: "full",
		Operator: s.operator, IntegrationID: in.ID, Trigger: req.trigger()})
	if err != nil {
		return run, err
	}
	run.Status, run.Message = status, message
	return run, s.store.FinishRun(&run)
}

// Due is an integration whose schedule has a slot to run.
type Due struct {
	ID   int64
	Name string
	Slot time.Time
}

// DueAt lists the enabled integrations with a schedule slot in (the last slot run, now]: the latest
// slot each, so slots missed while the computer was off run once.
func (s *Service) DueAt(ctx context.Context, now time.Time) ([]Due, error) {
	ins, err := s.store.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	var out []Due
	for _, in := range ins {
		if !in.Enabled {
			continue
		}
		spec, err := schedule.Parse(in.Schedule)
		if err != nil {
			continue
		}
		if slot, due := schedule.Due(spec, dueFrom(in, now), now); due {
			out = append(out, Due{ID: in.ID, Name: in.Name, Slot: slot})
		}
	}
	return out, nil
}

// Outcome is what RunDue did with one due integration.
type Outcome struct {
	Integration string    `json:"integration"`
	Slot        time.Time `json:"slot"`
	// Status is the run's (succeeded, failed, held, cancelled, skipped), or "waiting" when another
	// run was writing to the workspace: the slot is tried again next time.
	Status  string `json:"status"`
	Run     int64  `json:"run"`
	Message string `json:"message"`
}

// RunDue runs, one after the other, the integrations due at now (see DueAt); reporter gives each
// its progress reporter.
func (s *Service) RunDue(ctx context.Context, now time.Time, reporter func(Due) events.Reporter) ([]Outcome, error) {
	due, err := s.DueAt(ctx, now)
	if err != nil {
		return nil, err
	}
	out := []Outcome{}
	for _, d := range due {
		res, err := s.Run(ctx, d.ID, RunRequest{Slot: d.Slot}, reporter(d))
		if errors.Is(err, errNotDue) {
			continue
		}
		o := Outcome{Integration: d.Name, Slot: d.Slot, Status: res.Run.Status, Run: res.Run.ID, Message: res.Run.Message}
		if res.Run.ID == 0 {
			o.Status = "waiting"
			if err != nil {
				o.Message = apperr.From(err).Message
			}
		}
		out = append(out, o)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}
