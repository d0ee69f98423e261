// Package integrations manages integrations (SPEC §1): an import, export or two-way sync over one
// connection, with its entity tasks, schedule and conflict policy. It runs them one at a time each
// (a lock in the workspace, so the window and `rosterdesk schedule run-due` never overlap), and
// runs those whose schedule is due, once for all the slots missed while the computer was off.
package integrations

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/schedule"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Tasks are the entity tasks an integration can be limited to, in the order people read them.
var Tasks = []string{"schools", "sessions", "courses", "classes", "students", "teachers", "guardians", "enrollments", "demographics"}

// Policies are the ways a sync resolves a field changed on both sides.
var Policies = []string{"workspace", "external", "newest", "ask"}

// Service manages and runs integrations.
type Service struct {
	store    *store.Store
	kinds    *connector.Registry
	engine   *engine.Engine
	operator string
	// Now is the clock (tests set it).
	Now func() time.Time
}

// New returns the service; operator is who its runs are recorded as run by.
func New(st *store.Store, kinds *connector.Registry, eng *engine.Engine, operator string) *Service {
	return &Service{store: st, kinds: kinds, engine: eng, operator: operator, Now: time.Now}
}

// Integration is an integration with its schedule in words and its next run.
type Integration struct {
	store.Integration
	ScheduleText string    // the schedule for people: "Every Monday at 06:30"
	NextRun      time.Time // zero when it runs only by hand or is disabled; now when a run is due
}

// Request is an integration to add, or the new definition of one to edit.
type Request struct {
	Name         string
	Type         string // import, export or sync
	ConnectionID int64
	Entities     []string // empty: all
	Schedule     string   // schedule text; empty: manual
	Conflict     string   // sync only; empty: workspace
	// The safety hold's thresholds in percent; nil keeps the integration's (a new one's are its
	// connection's own integration's).
	HoldDelete, HoldChange *float64
}

// invalid is a field's error, Details naming the field for the window's form.
func invalid(field, message string) error {
	return &apperr.Error{Code: apperr.CodeInvalid, Message: message, Details: map[string]string{"field": field}}
}

// check validates a request and returns it as stored.
func (s *Service) check(ctx context.Context, req Request) (store.Integration, error) {
	in := store.Integration{Name: strings.TrimSpace(req.Name), Type: strings.ToLower(strings.TrimSpace(req.Type)), ConnectionID: req.ConnectionID}
	if in.Name == "" {
		return in, invalid("name", "Give the integration a name, e.g. \"Nightly import from the SIS\".")
	}
	c, err := s.store.Connection(ctx, req.ConnectionID)
	if errors.Is(err, store.ErrNotFound) {
		return in, invalid("connection", "Choose the connection the integration runs with; that one no longer exists.")
	}
	if err != nil {
		return in, err
	}
	switch in.Type {
	case store.IntegrationImport:
		if c.Role == connector.RoleTarget {
			return in, invalid("connection", fmt.Sprintf("%s is a target: an import reads from a source. Choose a source, or make this an export.", c.Name))
		}
	case store.IntegrationExport:
		if c.Role == connector.RoleSource {
			return in, invalid("connection", fmt.Sprintf("%s is a source: an export writes to a target. Choose a target, or make this an import.", c.Name))
		}
	case store.IntegrationSync:
		kind, err := s.kinds.Kind(c.Kind)
		if err != nil || !slices.Contains(kind.Roles, connector.RoleBoth) {
			return in, invalid("connection", fmt.Sprintf("%s cannot be synced both ways: only a OneRoster CSV folder or ZIP file, or an SFTP drop, is both read and written.", c.Name))
		}
		if c.Role != connector.RoleBoth {
			return in, invalid("connection", fmt.Sprintf("%s is only a %s: a two-way sync reads from it and writes to it. Edit the connection and choose the role \"both\".", c.Name, c.Role))
		}
	default:
		return in, invalid("type", fmt.Sprintf("%q is not a type of integration: say import, export or sync.", req.Type))
	}
	in.Entities = []string{}
	for _, e := range req.Entities {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" || slices.Contains(in.Entities, e) {
			continue
		}
		if !slices.Contains(Tasks, e) {
			return in, invalid("entities", fmt.Sprintf("%q is not an entity task. The entity tasks are %s.", e, strings.Join(Tasks, ", ")))
		}
		in.Entities = append(in.Entities, e)
	}
	if len(in.Entities) == len(Tasks) {
		in.Entities = []string{} // all of them
	}
	slices.SortFunc(in.Entities, func(a, b string) int { return slices.Index(Tasks, a) - slices.Index(Tasks, b) })
	spec, err := schedule.Parse(req.Schedule)
	if err != nil {
		return in, invalid("schedule", apperr.From(err).Message)
	}
	in.Schedule = spec.String()
	in.Conflict = strings.ToLower(strings.TrimSpace(req.Conflict))
	switch {
	case in.Conflict == "":
		in.Conflict = Policies[0]
	case in.Type != store.IntegrationSync && in.Conflict != Policies[0]:
		return in, invalid("conflict", "A conflict policy is for a two-way sync only: an import or export has one side that wins.")
	case !slices.Contains(Policies, in.Conflict):
		return in, invalid("conflict", fmt.Sprintf("%q is not a conflict policy: say workspace, external, newest or ask.", req.Conflict))
	}
	for field, pct := range map[string]*float64{"holdDelete": req.HoldDelete, "holdChange": req.HoldChange} {
		if pct != nil && (*pct <= 0 || *pct > 100) {
			return in, invalid(field, fmt.Sprintf("The safety hold thresholds are percentages between 1 and 100, not %g.", *pct))
		}
	}
	return in, nil
}

func nameTaken(name string) error {
	return &apperr.Error{Code: apperr.CodeConflict, Message: fmt.Sprintf("An integration named %q already exists. Choose another name.", name),
		Details: map[string]string{"field": "name"}}
}

// Add validates and stores a new integration, enabled; its schedule counts from now. It starts with
// a copy of the selection, hold thresholds and mappings of its connection's own integration of its
// direction (a sync's are those of its import), the thresholds the request gives replacing those.
func (s *Service) Add(ctx context.Context, req Request) (Integration, error) {
	if err := rights.Need(ctx, s.store, s.operator, rights.Integrations, rights.Write); err != nil {
		return Integration{}, err
	}
	in, err := s.check(ctx, req)
	if err != nil {
		return Integration{}, err
	}
	in.Enabled, in.DueFrom = true, store.FormatTime(s.Now())
	in, err = s.store.AddIntegration(ctx, in)
	if errors.Is(err, store.ErrIntegrationNameTaken) {
		return Integration{}, nameTaken(in.Name)
	}
	if err != nil {
		return Integration{}, err
	}
	if err := s.copySetup(ctx, in, req); err != nil {
		return Integration{}, errors.Join(err, s.store.RemoveIntegration(ctx, in.ID))
	}
	return s.view(in, s.Now()), nil
}

// copySetup gives a new integration its connection's own setup, then the request's thresholds.
func (s *Service) copySetup(ctx context.Context, in store.Integration, req Request) error {
	direction := store.DirectionImport
	if in.Type == store.IntegrationExport {
		direction = store.DirectionExport
	}
	own, err := s.store.OwnIntegration(ctx, in.ConnectionID, direction)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	case own != in.ID:
		if err := s.store.CopySetup(ctx, own, in.ID); err != nil {
			return err
		}
	}
	return s.setHolds(ctx, in.ID, req)
}

// setHolds stores the thresholds a request gives, keeping any it leaves out.
func (s *Service) setHolds(ctx context.Context, id int64, req Request) error {
	if req.HoldDelete == nil && req.HoldChange == nil {
		return nil
	}
	sel, err := s.store.Selection(ctx, id)
	if err != nil {
		return err
	}
	if req.HoldDelete != nil {
		sel.HoldDelete = *req.HoldDelete
	}
	if req.HoldChange != nil {
		sel.HoldChange = *req.HoldChange
	}
	return s.store.SetHolds(ctx, id, sel.HoldDelete, sel.HoldChange)
}

// Setup is what an integration lets through and how it maps records (SPEC §1).
type Setup struct {
	Selection selection.Selection
	// Mapped lists the entities with a saved mapping; the others are mapped by default.
	Mapped []string
}

// Setup returns an integration's selection, hold thresholds and mapped entities.
func (s *Service) Setup(ctx context.Context, id int64) (Setup, error) {
	if _, err := s.get(ctx, id); err != nil {
		return Setup{}, err
	}
	sel, err := s.store.Selection(ctx, id)
	if err != nil {
		return Setup{}, err
	}
	mapped, err := s.store.MappedEntities(ctx, id)
	return Setup{Selection: sel, Mapped: mapped}, err
}

// Edit replaces an integration's definition. A changed schedule counts from now: the slots of the
// one before are not caught up.
func (s *Service) Edit(ctx context.Context, id int64, req Request) (Integration, error) {
	if err := rights.Need(ctx, s.store, s.operator, rights.Integrations, rights.Write); err != nil {
		return Integration{}, err
	}
	old, err := s.get(ctx, id)
	if err != nil {
		return Integration{}, err
	}
	in, err := s.check(ctx, req)
	if err != nil {
		return Integration{}, err
	}
	in.ID, in.Enabled, in.DueFrom = id, old.Enabled, old.DueFrom
	if in.Schedule != old.Schedule {
		in.DueFrom = store.FormatTime(s.Now())
	}
	if err := s.store.UpdateIntegration(ctx, in); errors.Is(err, store.ErrIntegrationNameTaken) {
		return Integration{}, nameTaken(in.Name)
	} else if err != nil {
		return Integration{}, notFound(err)
	}
	if err := s.setHolds(ctx, id, req); err != nil {
		return Integration{}, err
	}
	return s.Get(ctx, id)
}

// SetEnabled enables or disables an integration. Enabled again, its schedule counts from now: what
// it missed while disabled is not caught up.
func (s *Service) SetEnabled(ctx context.Context, id int64, on bool) (Integration, error) {
	if err := rights.Need(ctx, s.store, s.operator, rights.Integrations, rights.Write); err != nil {
		return Integration{}, err
	}
	in, err := s.get(ctx, id)
	if err != nil {
		return Integration{}, err
	}
	if in.Enabled != on {
		in.Enabled = on
		if on {
			in.DueFrom = store.FormatTime(s.Now())
		}
		if err := s.store.UpdateIntegration(ctx, in); err != nil {
			return Integration{}, notFound(err)
		}
	}
	return s.Get(ctx, id)
}

// Remove deletes an integration with its selection and mappings; its runs stay in the history.
func (s *Service) Remove(ctx context.Context, id int64) error {
	if err := rights.Need(ctx, s.store, s.operator, rights.Integrations, rights.Delete); err != nil {
		return err
	}
	return notFound(s.store.RemoveIntegration(ctx, id))
}

// List lists every integration by name.
func (s *Service) List(ctx context.Context) ([]Integration, error) {
	ins, err := s.store.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]Integration, len(ins))
	for i, in := range ins {
		out[i] = s.view(in, now)
	}
	return out, nil
}

// Get returns one integration.
func (s *Service) Get(ctx context.Context, id int64) (Integration, error) {
	in, err := s.get(ctx, id)
	if err != nil {
		return Integration{}, err
	}
	return s.view(in, s.Now()), nil
}

// ByName returns the integration of this name (case-insensitive); not found, the error lists the names.
func (s *Service) ByName(ctx context.Context, name string) (Integration, error) {
	in, err := s.store.IntegrationByName(ctx, strings.TrimSpace(name))
	if errors.Is(err, store.ErrNotFound) {
		all, lerr := s.store.Integrations(ctx)
		if lerr != nil {
			return Integration{}, lerr
		}
		names := make([]string, len(all))
		for i, in := range all {
			names[i] = fmt.Sprintf("%q", in.Name)
		}
		if len(names) == 0 {
			return Integration{}, apperr.New(apperr.CodeNotFound, fmt.Sprintf("There is no integration named %q; this workspace has none yet (add one with: rosterdesk integration add).", name))
		}
		return Integration{}, apperr.New(apperr.CodeNotFound, fmt.Sprintf("There is no integration named %q. The integrations are %s.", name, strings.Join(names, ", ")))
	}
	if err != nil {
		return Integration{}, err
	}
	return s.view(in, s.Now()), nil
}

func (s *Service) get(ctx context.Context, id int64) (store.Integration, error) {
	in, err := s.store.Integration(ctx, id)
	return in, notFound(err)
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.New(apperr.CodeNotFound, "That integration no longer exists.")
	}
	return err
}

// view adds the schedule in words and the next run at now.
func (s *Service) view(in store.Integration, now time.Time) Integration {
	v := Integration{Integration: in}
	spec, err := schedule.Parse(in.Schedule)
	if err != nil { // only a workspace edited by hand holds one
		v.ScheduleText = "Not a schedule: " + in.Schedule
		return v
	}
	v.ScheduleText = spec.Describe()
	if !in.Enabled || spec.Every == schedule.Manual {
		return v
	}
	from := dueFrom(in, now)
	if _, due := schedule.Due(spec, from, now); due {
		v.NextRun = now
	} else {
		// After a slot already run, which `schedule run-due --now` may have run ahead of the clock.
		v.NextRun = spec.Next(later(from, now))
	}
	return v
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// dueFrom is the time after which an integration's slots are due, in now's zone.
func dueFrom(in store.Integration, now time.Time) time.Time {
	t, err := time.Parse(store.TimeLayout, in.DueFrom)
	if err != nil {
		return now // an unreadable mark runs nothing missed
	}
	return t.In(now.Location())
}

// Local is t as the window and the command line show it: RFC 3339 with the computer's offset, ""
// for none.
func Local(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(time.RFC3339)
}

// StoredLocal is a time as the workspace stores it (UTC), as Local shows it.
func StoredLocal(s string) string {
	t, err := time.Parse(store.TimeLayout, s)
	if err != nil {
		return s
	}
	return Local(t)
}
