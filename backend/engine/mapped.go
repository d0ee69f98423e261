package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Mapping returns the mapping of an integration's entity: the saved one, or the entity's default
// (saved false). A target that takes records (an API) is sent every OneRoster field under its own
// name by default; any other connection's mapping is an import mapping, whose default takes every
// field as it comes.
func (e *Engine) Mapping(ctx context.Context, integrationID int64, ent roster.Entity) (m mapping.Mapping, saved bool, err error) {
	in, err := e.store.Integration(ctx, integrationID)
	if err != nil {
		return m, false, notFound(err, "integration")
	}
	imp, err := e.importing(ctx, in.ConnectionID)
	if err != nil {
		return m, false, err
	}
	return e.savedMapping(ctx, in.ID, ent, imp)
}

// savedMapping is the mapping of integration id's entity, import or not; id 0 (a connection
// without integrations) has the default.
func (e *Engine) savedMapping(ctx context.Context, id int64, ent roster.Entity, imp bool) (m mapping.Mapping, saved bool, err error) {
	raw, saved, err := e.store.Mapping(ctx, id, ent)
	if err != nil || !saved {
		if imp {
			return mapping.DefaultImport(ent), false, err
		}
		return mapping.Default(ent), false, err
	}
	m, err = mapping.Parse([]byte(raw))
	if err != nil {
		return m, true, fmt.Errorf("the saved mapping of %s is unreadable (%v); save it again", ent, err)
	}
	m.Import = imp
	return m, true, nil
}

// importing says whether a connection's mappings are import mappings: those of every connection
// but a target that takes records.
func (e *Engine) importing(ctx context.Context, connectionID int64) (bool, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return false, notFound(err, "connection")
	}
	kind, err := e.kinds.Kind(conn.Kind)
	if err != nil {
		return false, err
	}
	return kind.NewRecordTarget == nil, nil
}

// SaveMapping checks a mapping and stores it for the integration (an import mapping unless its
// connection is a target that takes records); one with problems is refused with each problem
// (field, and for an expression the line and column) in the error's details.
func (e *Engine) SaveMapping(ctx context.Context, integrationID int64, m mapping.Mapping) error {
	if err := rights.Need(ctx, e.store, e.operator, rights.Integrations, rights.Write); err != nil {
		return err
	}
	in, err := e.store.Integration(ctx, integrationID)
	if err != nil {
		return notFound(err, "integration")
	}
	imp, err := e.importing(ctx, in.ConnectionID)
	if err != nil {
		return err
	}
	m.Import = imp
	if problems := mapping.Check(m); len(problems) > 0 {
		return refused(m, problems)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := e.store.SaveMapping(ctx, in.ID, roster.Entity(m.Entity), string(raw), e.operator); err != nil {
		return err
	}
	e.log.Info("mapping saved", "integration", in.Name, "entity", m.Entity, "fields", len(m.Fields), "import", imp, "operator", e.operator)
	return nil
}

// importMappings compiles the saved import mappings of a source, by entity, for integrationID's run
// (0: the connection's own import); an entity without one is taken as it comes.
func (e *Engine) importMappings(ctx context.Context, connectionID, integrationID int64) (map[roster.Entity]*mapping.Program, error) {
	id, err := e.setupOf(ctx, connectionID, integrationID, store.DirectionImport)
	if err != nil {
		return nil, err
	}
	out := map[roster.Entity]*mapping.Program{}
	for _, ent := range roster.Entities {
		m, saved, err := e.savedMapping(ctx, id, ent, true)
		if err != nil {
			return nil, err
		}
		if !saved {
			continue
		}
		prog, err := mapping.Compile(m)
		if err != nil {
			return nil, refused(m, mapping.Check(m))
		}
		out[ent] = prog
	}
	return out, nil
}

// ResetMapping forgets an integration's mapping of an entity: its default applies again.
func (e *Engine) ResetMapping(ctx context.Context, integrationID int64, ent roster.Entity) error {
	if err := rights.Need(ctx, e.store, e.operator, rights.Integrations, rights.Write); err != nil {
		return err
	}
	return e.store.DeleteMapping(ctx, integrationID, ent)
}

// refused is the error of a mapping that cannot be used, listing its problems.
func refused(m mapping.Mapping, problems []mapping.Problem) error {
	details := make([]string, len(problems))
	for i, p := range problems {
		details[i] = problemText(p)
	}
	msg := fmt.Sprintf("The %s mapping cannot be saved: %s", m.Entity, details[0])
	if len(details) > 1 {
		msg += words.Sprintf(" (and %d more problems)", len(details)-1)
	}
	return &apperr.Error{Code: apperr.CodeInvalid, Message: msg, Details: details}
}

func problemText(p mapping.Problem) string {
	where := ""
	if p.To != "" {
		where = p.To + ": "
	}
	if p.Line > 0 {
		where += fmt.Sprintf("line %d, column %d: ", p.Line, p.Column)
	}
	return where + p.Message
}

// compiled is an entity's mapping ready for many records, with which relatives it reads.
type compiled struct {
	entity roster.Entity
	prog   *mapping.Program
	key    string // the target field that identifies a record
	reads  map[string]bool
}

// compile compiles a target's mapping of ent: that of the run's integration, or of the target's own
// export integration when the run is not of one (integrationID 0).
func (e *Engine) compile(ctx context.Context, connectionID, integrationID int64, ent roster.Entity) (compiled, error) {
	id, err := e.setupOf(ctx, connectionID, integrationID, store.DirectionExport)
	if err != nil {
		return compiled{}, err
	}
	m, _, err := e.savedMapping(ctx, id, ent, false)
	if err != nil {
		return compiled{}, err
	}
	prog, err := mapping.Compile(m)
	if err != nil {
		return compiled{}, refused(m, mapping.Check(m))
	}
	c := compiled{entity: ent, prog: prog, reads: relativesRead(m)}
	for _, f := range m.Fields {
		if f.Key {
			c.key = f.To
		}
	}
	return c, nil
}

// relative names what a mapping can read beside a record.
var relative = regexp.MustCompile(`\b(demographics|school|roles|role|course|terms)\b`)

// relativesRead says which relatives of a record a mapping reads, so an export reads only those. An
// expression is searched as text: a name that only appears in a string literal costs a read, never
// a wrong value.
func relativesRead(m mapping.Mapping) map[string]bool {
	reads := map[string]bool{}
	for _, f := range m.Fields {
		var text string
		switch f.Type {
		case mapping.Direct, mapping.Codes:
			text, _, _ = strings.Cut(f.From, ".")
		case mapping.Transformation:
			text = f.Expr
		}
		for _, name := range relative.FindAllString(text, -1) {
			reads[name] = true
		}
	}
	if reads["role"] || reads["school"] {
		reads["roles"] = true // a user's role, and its school when it names no primary org, come from its roles
	}
	return reads
}

// relatives reads what a mapping reads beside a record: a user's demographics, roles and school; a
// class's school, course and terms. An export reads them for every record it walks in sourcedId
// order: a user's demographics and roles come from sorted walks of their own (a merge join: no
// index, nothing held), schools, courses and terms from lookups of those small entities. A preview
// asks for one record's directly.
type relatives struct {
	demographics func(user string) ([]roster.Record, error)
	roles        func(user string) ([]roster.Record, error)
	find         map[roster.Entity]func(id string) (*roster.Record, error) // orgs, courses, sessions
	cursors      []*store.Cursor
}

// openRelatives prepares the relatives an export's walk of c's entity needs.
func openRelatives(ctx context.Context, x *store.Send, c compiled) (*relatives, error) {
	r := &relatives{find: map[roster.Entity]func(string) (*roster.Record, error){}}
	sorted := func(ent roster.Entity, column string) (func(string) ([]roster.Record, error), error) {
		cur, err := x.Sorted(ent, column)
		if err != nil {
			return nil, err
		}
		r.cursors = append(r.cursors, cur)
		return cur.Take, nil
	}
	var err error
	for _, need := range relativesOf(c) {
		switch need {
		case roster.Demographics:
			r.demographics, err = sorted(roster.Demographics, "sourcedId")
		case roster.Roles:
			r.roles, err = sorted(roster.Roles, "userSourcedId")
		default:
			var all map[string]roster.Record
			if all, err = lookup(ctx, x, need); err == nil {
				r.find[need] = func(id string) (*roster.Record, error) {
					if rec, ok := all[id]; ok {
						return &rec, nil
					}
					return nil, nil
				}
			}
		}
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

// oneRelatives reads the relatives of single records, for a preview.
func oneRelatives(x *store.Send, c compiled) *relatives {
	r := &relatives{find: map[roster.Entity]func(string) (*roster.Record, error){}}
	for _, need := range relativesOf(c) {
		switch need {
		case roster.Demographics:
			r.demographics = func(id string) ([]roster.Record, error) { return x.Where(roster.Demographics, "sourcedId", id) }
		case roster.Roles:
			r.roles = func(id string) ([]roster.Record, error) { return x.Where(roster.Roles, "userSourcedId", id) }
		default:
			r.find[need] = func(id string) (*roster.Record, error) {
				found, err := x.Where(need, "sourcedId", id)
				if len(found) == 0 {
					return nil, err
				}
				return &found[0], err
			}
		}
	}
	return r
}

// relativesOf lists the entities c's mapping reads beside its records.
func relativesOf(c compiled) []roster.Entity {
	var out []roster.Entity
	add := func(name string, ent roster.Entity) {
		if c.reads[name] {
			out = append(out, ent)
		}
	}
	switch c.entity {
	case roster.Users:
		add("demographics", roster.Demographics)
		add("roles", roster.Roles)
		add("school", roster.Orgs)
	case roster.Classes:
		add("school", roster.Orgs)
		add("course", roster.Courses)
		add("terms", roster.AcademicSessions)
	}
	return out
}

// lookup reads an entity's live records by sourcedId; only for the small ones (orgs, courses,
// sessions), never users or enrollments.
func lookup(ctx context.Context, x *store.Send, ent roster.Entity) (map[string]roster.Record, error) {
	out := map[string]roster.Record{}
	err := x.Each(ctx, ent, func(rec roster.Record) error {
		if rec.Status() != roster.StatusToBeDeleted {
			out[rec.SourcedID()] = rec
		}
		return nil
	})
	return out, err
}

func (r *relatives) close() {
	for _, c := range r.cursors {
		c.Close()
	}
}

// source is what the mapping reads of rec. In an export's walk, records come in sourcedId order.
func (r *relatives) source(rec roster.Record) (mapping.Source, error) {
	src := mapping.Source{Record: rec}
	var err error
	one := func(ent roster.Entity, id string) *roster.Record {
		if f := r.find[ent]; f != nil && err == nil && id != "" {
			var found *roster.Record
			found, err = f(id)
			return found
		}
		return nil
	}
	switch rec.Entity {
	case roster.Users:
		if r.demographics != nil {
			var d []roster.Record
			if d, err = r.demographics(rec.SourcedID()); len(d) > 0 {
				src.Demographics = &d[0]
			}
		}
		if r.roles != nil && err == nil {
			src.Roles, err = r.roles(rec.SourcedID())
		}
		src.School = one(roster.Orgs, userSchool(rec, src.Roles))
	case roster.Classes:
		src.School = one(roster.Orgs, rec.Get("schoolSourcedId"))
		src.Course = one(roster.Courses, rec.Get("courseSourcedId"))
		if r.find[roster.AcademicSessions] != nil {
			for _, id := range strings.Split(rec.Get("termSourcedIds"), ",") {
				if t := one(roster.AcademicSessions, strings.TrimSpace(id)); t != nil {
					src.Terms = append(src.Terms, *t)
				}
			}
		}
	}
	return src, err
}

// userSchool is a user's primary school: its primary org, else the org of its primary role, else
// of its first role.
func userSchool(user roster.Record, roles []roster.Record) string {
	if id := user.Get("primaryOrgSourcedId"); id != "" {
		return id
	}
	if r, ok := roster.PrimaryRole(roles); ok {
		return r.Get("orgSourcedId")
	}
	return ""
}

// MappingTarget is an integration whose records are mapped, with the entities it maps: an export to
// a target that takes records (an API) and the entities it has an address for, or an import or sync
// from a source.
type MappingTarget struct {
	ID   int64  `json:"id"` // the integration's
	Name string `json:"name"`
	// ConnectionID is the connection it runs with; Own says it is that connection's own integration
	// of its direction, the one the connection's card opens.
	ConnectionID   int64  `json:"connectionId"`
	ConnectionName string `json:"connectionName"`
	Own            bool   `json:"own"`
	// Direction is export (an API target: its fields are the API's) or import (a source: its
	// fields are roster fields).
	Direction string   `json:"direction"`
	Entities  []string `json:"entities"`
	// Problem says why the target cannot be opened (a secret not stored here), "" when it can.
	Problem string `json:"problem"`
}

// MappingTargets lists the integrations with mappings, in name order: the exports to targets that
// take records one at a time (an API), and the imports and syncs from sources (import mappings, for
// every entity).
func (e *Engine) MappingTargets(ctx context.Context) ([]MappingTarget, error) {
	ins, err := e.store.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	out := []MappingTarget{}
	endpoints := map[int64]MappingTarget{} // per connection: opening a target once is enough
	for _, in := range ins {
		kind, err := e.kinds.Kind(in.ConnectionKind)
		if err != nil {
			continue
		}
		t := MappingTarget{ID: in.ID, Name: in.Name, ConnectionID: in.ConnectionID, ConnectionName: in.ConnectionName, Direction: store.DirectionImport}
		switch {
		case kind.NewRecordTarget == nil && kind.NewSource != nil && in.Type != store.IntegrationExport:
			t.Entities = entityNames()
		case kind.NewRecordTarget != nil && in.Type == store.IntegrationExport:
			t.Direction = store.DirectionExport
			got, ok := endpoints[in.ConnectionID]
			if !ok {
				got.Entities = []string{}
				conn, err := e.store.Connection(ctx, in.ConnectionID)
				if err != nil {
					return nil, err
				}
				// Opening needs the stored secrets (a target refuses to open without its key); it sends nothing.
				if _, records, err := e.openTarget(conn); err != nil {
					got.Problem = apperr.From(err).Message
				} else if records != nil {
					got.Entities = append(got.Entities, records.Endpoints()...)
				}
				endpoints[in.ConnectionID] = got
			}
			t.Entities, t.Problem = got.Entities, got.Problem
		default:
			continue
		}
		own, err := e.setupOf(ctx, in.ConnectionID, 0, t.Direction)
		if err != nil {
			return nil, err
		}
		t.Own = own == in.ID
		out = append(out, t)
	}
	return out, nil
}

func entityNames() []string {
	out := make([]string, len(roster.Entities))
	for i, e := range roster.Entities {
		out[i] = string(e)
	}
	return out
}
