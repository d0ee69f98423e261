package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// hidden stands for a password: `roster show`, `roster conflicts` and the window never show one.
const hidden = "(hidden)"

// firstField is the first column that reconciles (after sourcedId, status and dateLastModified).
const firstField = 3

// RecordView is one roster record with where each value came from (SPEC §7): its origins, the fields
// its sources disagree on and the runs that touched it.
type RecordView struct {
	Entity           roster.Entity `json:"entity"`
	ID               string        `json:"id"` // roster sourcedId, what targets see
	Status           string        `json:"status"`
	DateLastModified string        `json:"dateLastModified"`
	Fields           []FieldView   `json:"fields"`
	Metadata         []FieldView   `json:"metadata"`
	Origins          []OriginView  `json:"origins"`
	Conflicts        []ConflictRow `json:"conflicts"`
	Runs             []RunTouch    `json:"runs"`
	// AlsoNamed are other records that sources call by this record's id (sources with ids of their
	// own): asked for by that id, the roster's record comes first; these by their roster ids.
	AlsoNamed []Named `json:"alsoNamed"`
	// Merges are the decisions on duplicates this user (or its demographics) is part of: merged
	// into another record, or others merged into it.
	Merges []MergeNote `json:"merges"`
}

// MergeNote is a merge of duplicate people a record is part of.
type MergeNote struct {
	Pair      int64  `json:"pair"`
	Primary   string `json:"primary"`
	Secondary string `json:"secondary"`
	Outcome   string `json:"outcome"` // delete | ignore
	Run       int64  `json:"run"`
}

// FieldView is one value of a record and the connection it came from ("" when blank).
type FieldView struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	From   string `json:"from"`
	Chosen bool   `json:"chosen"` // chosen by a registrar in a merge of duplicates: it stays whatever sources send
}

// OriginView is one source's link to a record: its own id of it, and whether it still supplies it.
type OriginView struct {
	ConnectionID int64  `json:"connectionId"`
	Connection   string `json:"connection"`
	SourcedID    string `json:"sourcedId"`
	Live         bool   `json:"live"`
	Precedence   int    `json:"precedence"` // the source's rank in the reconciliation order, 1 first
}

// RunTouch is a run that created, changed or failed on a record.
type RunTouch struct {
	RunID      int64  `json:"run"`
	StartedAt  string `json:"startedAt"`
	Connection string `json:"connection"`
	Direction  string `json:"direction"`
	Action     string `json:"action"`
	Status     string `json:"status"`
	Field      string `json:"field"`
	Message    string `json:"message"`
	Reason     string `json:"reason"` // as a RunRecord's
	Before     string `json:"before"`
	After      string `json:"after"`
}

// Record is the touch's outcome as a run record, to build its sentence from.
func (t RunTouch) Record() RunRecord {
	return RunRecord{Action: t.Action, Status: t.Status, Field: t.Field, Message: t.Message, Reason: t.Reason, Before: t.Before, After: t.After}
}

// runTouches is how many runs a record view lists.
const runTouches = 50

// origin is an origin row joined with its connection, as the read side needs it.
type origin struct {
	reconcile.Origin
	name       string
	precedence int
	createdRun int64
}

// RecordView finds a record by its roster sourcedId, else by a source's id of it, and tells where each
// of its values came from.
func (s *Store) RecordView(ctx context.Context, e roster.Entity, id string) (RecordView, error) {
	if err := checkEntity(e); err != nil {
		return RecordView{}, err
	}
	rec, err := findRecord(ctx, s.db, e, id)
	if errors.Is(err, ErrNotFound) {
		rec, err = s.recordBySourceID(ctx, e, id)
	}
	if err != nil {
		return RecordView{}, err
	}
	view := RecordView{Entity: e, ID: rec.SourcedID(), Status: string(rec.Status()), DateLastModified: rec.DateLastModified(),
		Fields: []FieldView{}, Metadata: []FieldView{}, Origins: []OriginView{}, Conflicts: []ConflictRow{}, Merges: []MergeNote{}}
	if view.Status == "" {
		view.Status = string(roster.StatusActive)
	}
	origins, err := s.recordOrigins(ctx, e, view.ID, rec)
	if err != nil {
		return view, err
	}
	in := make([]reconcile.Origin, len(origins))
	for i, o := range origins {
		in[i] = o.Origin
		view.Origins = append(view.Origins, OriginView{ConnectionID: o.Connection, Connection: o.name, SourcedID: o.SourcedID, Live: o.Live, Precedence: o.precedence})
	}
	merged := reconcile.Merge(e, view.ID, in)
	chosen := map[string]bool{}
	if err := scanPairs(ctx, s.db, `SELECT field, '' FROM pins WHERE entity = ? AND record = ?`, []any{string(e), view.ID}, func(f, _ string) { chosen[f] = true }); err != nil {
		return view, err
	}
	// from names the origin whose value the roster holds: the one Merge picks, or else the first
	// holding it (a record no source supplies any more keeps the values it had).
	from := func(picked int, value string, of func(reconcile.Values) string) string {
		if value == "" {
			return ""
		}
		if picked >= 0 && of(origins[picked].Values) == value {
			return origins[picked].name
		}
		for _, o := range origins {
			if of(o.Values) == value {
				return o.name
			}
		}
		return ""
	}
	for c, col := range roster.Schema(e).Columns {
		if c < firstField {
			continue
		}
		f := FieldView{Name: col.Name, Value: rec.Values[c], Chosen: chosen[col.Name]}
		if !f.Chosen {
			f.From = from(merged.From[c], f.Value, func(v reconcile.Values) string { return v.V[c] })
		}
		view.Fields = append(view.Fields, masked(f))
	}
	for _, m := range rec.Metadata {
		picked, ok := merged.MetaFrom[m.Name]
		if !ok {
			picked = -1
		}
		f := FieldView{Name: m.Name, Value: m.Value, Chosen: chosen["metadata."+m.Name]}
		if !f.Chosen {
			f.From = from(picked, m.Value, func(v reconcile.Values) string { return v.M[m.Name] })
		}
		view.Metadata = append(view.Metadata, f)
	}
	view.Conflicts = conflictRows(e, view.ID, origins, merged)
	if view.Runs, err = s.runTouches(ctx, e, view.ID, origins); err != nil {
		return view, err
	}
	if e == roster.Users || e == roster.Demographics {
		rows, err := s.db.QueryContext(ctx, `SELECT pair, "primary", secondary, outcome, run FROM merges WHERE "primary" = ?1 OR secondary = ?1 ORDER BY run`, view.ID)
		if err != nil {
			return view, err
		}
		defer rows.Close()
		for rows.Next() {
			var m MergeNote
			if err := rows.Scan(&m.Pair, &m.Primary, &m.Secondary, &m.Outcome, &m.Run); err != nil {
				return view, err
			}
			view.Merges = append(view.Merges, m)
		}
		if err := rows.Err(); err != nil {
			return view, err
		}
	}
	named, err := s.sourceNamed(ctx, e, view.ID)
	view.AlsoNamed = slices.DeleteFunc(named, func(n Named) bool { return n.Record == view.ID })
	return view, err
}

func checkEntity(e roster.Entity) error {
	if slices.Contains(roster.Entities, e) {
		return nil
	}
	names := make([]string, len(roster.Entities))
	for i, e := range roster.Entities {
		names[i] = string(e)
	}
	return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a roster entity: use one of %s", e, strings.Join(names, ", ")))
}

func masked(f FieldView) FieldView {
	if f.Name == "password" && f.Value != "" {
		f.Value = hidden
	}
	return f
}

// Named is a roster record a source calls by some id.
type Named struct {
	Record     string `json:"record"`
	Connection string `json:"connection"` // the first source in precedence order that calls it so
}

// sourceNamed lists the records sources call id, each once.
func (s *Store) sourceNamed(ctx context.Context, e roster.Entity, id string) ([]Named, error) {
	conns, err := s.connectionIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := []Named{}
	err = scanPairs(ctx, s.db, `SELECT COALESCE(o.record, o.source_id), c.name FROM origins o JOIN connections c ON c.id = o.connection_id
		WHERE o.connection_id IN (`+conns+`) AND o.entity = ? AND o.source_id = ? ORDER BY c.precedence, c.id`, []any{string(e), id},
		func(record, conn string) {
			if !slices.ContainsFunc(out, func(n Named) bool { return n.Record == record }) {
				out = append(out, Named{Record: record, Connection: conn})
			}
		})
	return out, err
}

// recordBySourceID finds the record a source calls id; two records so called (sources with ids of
// their own) are an error naming both, so the user can ask for one by its roster id.
func (s *Store) recordBySourceID(ctx context.Context, e roster.Entity, id string) (roster.Record, error) {
	named, err := s.sourceNamed(ctx, e, id)
	if err != nil {
		return roster.Record{}, err
	}
	switch len(named) {
	case 0:
		return roster.Record{}, apperr.New(apperr.CodeNotFound, fmt.Sprintf("no %s record has the id %q, in the roster or at any source", e, id))
	case 1:
		return findRecord(ctx, s.db, e, named[0].Record)
	}
	candidates := make([]string, len(named))
	for i, n := range named {
		candidates[i] = fmt.Sprintf("%s (from %s)", n.Record, n.Connection)
	}
	return roster.Record{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%d %s records have the id %q at their sources: %s. Ask for one by its roster id.",
		len(named), e, id, strings.Join(candidates, ", ")))
}

// connectionIDs lists every connection's id for an IN (…) list, so origins are looked up by their
// primary key (connection_id, entity, source_id).
func (s *Store) connectionIDs(ctx context.Context) (string, error) {
	var ids []string
	err := scanPairs(ctx, s.db, `SELECT id, '' FROM connections`, nil, func(id, _ string) { ids = append(ids, id) })
	return strings.Join(ids, ", "), err
}

// recordOrigins reads the origins of roster record id in reconciliation order; an origin without
// values of its own (the record's only one) has the roster row's.
func (s *Store) recordOrigins(ctx context.Context, e roster.Entity, id string, rec roster.Record) ([]origin, error) {
	conns, err := s.connectionIDs(ctx)
	if err != nil {
		return nil, err
	}
	// The source's rank among sources, 1 first, as Settings → Sources and `connection precedence` number them.
	const cols = `o.connection_id, c.name, (SELECT COUNT(*) FROM connections x WHERE x.role <> 'target' AND (x.precedence < c.precedence OR (x.precedence = c.precedence AND x.id <= c.id))),
		o.source_id, o.hash, o.created_run, o.vals FROM origins o JOIN connections c ON c.id = o.connection_id`
	rows, err := s.db.QueryContext(ctx, `SELECT `+cols+` WHERE o.entity = ?1 AND o.record = ?2
		UNION ALL SELECT `+cols+` WHERE o.connection_id IN (`+conns+`) AND o.entity = ?1 AND o.source_id = ?2 AND o.record IS NULL`, string(e), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []origin
	for rows.Next() {
		o, err := scanOrigin(rows, e, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b origin) int { return a.precedence - b.precedence })
	return out, nil
}

func scanOrigin(row interface{ Scan(...any) error }, e roster.Entity, rec roster.Record) (origin, error) {
	var o origin
	var hash int64
	var vals sql.NullString
	if err := row.Scan(&o.Connection, &o.name, &o.precedence, &o.SourcedID, &hash, &o.createdRun, &vals); err != nil {
		return o, err
	}
	o.Live = hash != 0
	if !vals.Valid || vals.String == "" { // alone, or joined with the same values: the row's
		o.Values = reconcile.Of(rec)
		return o, nil
	}
	var err error
	o.Values, err = reconcile.Decode(e, vals.String)
	return o, err
}

// runTouches lists the runs that logged the record under its roster id and the one that brought it
// in, newest first.
func (s *Store) runTouches(ctx context.Context, e roster.Entity, id string, origins []origin) ([]RunTouch, error) {
	out := []RunTouch{}
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.started_at, r.connection_name, r.direction, x.action, x.status, x.field, x.message, x.reason, x."before", x."after"
		FROM run_records x JOIN runs r ON r.id = x.run_id WHERE x.entity = ? AND x.sourced_id = ? ORDER BY x.run_id DESC, x.rowid LIMIT ?`, string(e), id, runTouches)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t RunTouch
		if err := rows.Scan(&t.RunID, &t.StartedAt, &t.Connection, &t.Direction, &t.Action, &t.Status, &t.Field, &t.Message, &t.Reason, &t.Before, &t.After); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The run that brought the record in (its first origin's created_run), and those in which other
	// sources joined it (created_run -run): counted on their runs, not logged record by record.
	var first *origin
	for i, o := range origins {
		if o.createdRun > 0 && (first == nil || o.createdRun < first.createdRun) {
			first = &origins[i]
		}
	}
	add := func(runID int64, action, reason, sourceID string) error {
		run, err := s.Run(ctx, runID)
		if errors.Is(err, ErrNotFound) {
			return nil // the run was removed from the history
		} else if err != nil {
			return err
		}
		out = append(out, RunTouch{RunID: run.ID, StartedAt: run.StartedAt, Connection: run.ConnectionName, Direction: run.Direction, Action: action, Status: "ok", Reason: reason, After: sourceID})
		return nil
	}
	for _, o := range origins {
		if o.createdRun < 0 {
			if err := add(-o.createdRun, "update", "also_supplied", o.SourcedID); err != nil {
				return nil, err
			}
		}
	}
	if first != nil {
		if err := add(first.createdRun, "create", "created", first.SourcedID); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b RunTouch) int { return cmp.Compare(b.RunID, a.RunID) })
	return out[:min(len(out), runTouches)], nil
}

// SourceValue is one source's value of a field in conflict.
type SourceValue struct {
	Connection string `json:"connection"`
	SourcedID  string `json:"sourcedId"`
	Value      string `json:"value"`
}

// ConflictRow is a field of a record whose live sources hold different values, and what the roster
// keeps (the value of the first source in precedence order that has one).
type ConflictRow struct {
	Entity    roster.Entity `json:"entity"`
	Record    string        `json:"record"`
	Field     string        `json:"field"`
	Values    []SourceValue `json:"values"`
	Kept      string        `json:"kept"`
	KeptValue string        `json:"keptValue"`
}

// ConflictQuery asks for conflicts: of one entity and field ("" for all), whose record id, field or
// a value contains Search (any case).
type ConflictQuery struct {
	Entity roster.Entity
	Field  string
	Search string
	Offset int
	Limit  int
}

// ConflictPage is one page of conflicts, the number matching, and every field in conflict of the
// entity asked for (to filter by).
type ConflictPage struct {
	Total  int           `json:"total"`
	Rows   []ConflictRow `json:"rows"`
	Fields []string      `json:"fields"`
}

func conflictRows(e roster.Entity, id string, origins []origin, merged reconcile.Result) []ConflictRow {
	in := make([]reconcile.Origin, len(origins))
	for i, o := range origins {
		in[i] = o.Origin
	}
	out := []ConflictRow{}
	for _, c := range reconcile.Conflicts(e, in, merged) {
		row := ConflictRow{Entity: e, Record: id, Field: c.Field, Values: []SourceValue{}}
		for i, o := range origins {
			if o.Live {
				row.Values = append(row.Values, SourceValue{Connection: o.name, SourcedID: o.SourcedID, Value: c.Values[i]})
			}
		}
		if c.Kept >= 0 {
			row.Kept, row.KeptValue = origins[c.Kept].name, c.Values[c.Kept]
		}
		if c.Field == "password" {
			for i := range row.Values {
				row.Values[i].Value = masked(FieldView{Name: c.Field, Value: row.Values[i].Value}).Value
			}
			row.KeptValue = hidden
		}
		out = append(out, row)
	}
	return out
}

func (q ConflictQuery) matches(r ConflictRow) bool {
	if q.Field != "" && r.Field != q.Field {
		return false
	}
	if q.Search == "" {
		return true
	}
	needle := strings.ToLower(q.Search)
	has := func(s string) bool { return strings.Contains(strings.ToLower(s), needle) }
	if has(r.Record) || has(r.Field) {
		return true
	}
	return slices.ContainsFunc(r.Values, func(v SourceValue) bool { return has(v.Value) })
}

// Conflicts returns a page of the fields that sources disagree on, record by record in entity order.
func (s *Store) Conflicts(ctx context.Context, q ConflictQuery) (ConflictPage, error) {
	return q.page(func(fn func(ConflictRow) error) error { return s.eachConflict(ctx, q.Entity, fn) })
}

// page collects the page q asks for of the conflicts each yields, and the fields in conflict.
func (q ConflictQuery) page(each func(fn func(ConflictRow) error) error) (ConflictPage, error) {
	page := ConflictPage{Rows: []ConflictRow{}, Fields: []string{}}
	err := each(func(r ConflictRow) error {
		if q.Entity != "" && r.Entity != q.Entity {
			return nil
		}
		if !slices.Contains(page.Fields, r.Field) {
			page.Fields = append(page.Fields, r.Field)
		}
		if !q.matches(r) {
			return nil
		}
		if page.Total >= q.Offset && len(page.Rows) < q.Limit {
			page.Rows = append(page.Rows, r)
		}
		page.Total++
		return nil
	})
	slices.Sort(page.Fields)
	return page, err
}

// ConflictCache keeps the conflicts of the roster as it is, so that the window pages, filters and
// searches them without working them out again (seconds for a large district) each time; an import,
// a new order of the sources or a removed connection makes it work them out again.
type ConflictCache struct {
	mu   sync.Mutex
	key  string
	rows []ConflictRow
}

// cachedConflicts is how many conflicts a cache keeps at most; beyond, each page works them out again.
const cachedConflicts = 100_000

var errTooMany = errors.New("too many conflicts to keep")

// Conflicts is Store.Conflicts, from the cache while the roster and its sources are unchanged.
func (c *ConflictCache) Conflicts(ctx context.Context, s *Store, q ConflictQuery) (ConflictPage, error) {
	if q.Entity != "" {
		if err := checkEntity(q.Entity); err != nil {
			return ConflictPage{}, err
		}
	}
	var key string
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM runs WHERE direction = 'import' AND status = 'succeeded')
		|| ';' || (SELECT COALESCE(group_concat(id || ':' || precedence || ':' || name, ';'), '') FROM connections)`).Scan(&key)
	if err != nil {
		return ConflictPage{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != key {
		c.key, c.rows = "", nil
		var rows []ConflictRow
		err := s.eachConflict(ctx, "", func(r ConflictRow) error {
			if len(rows) == cachedConflicts {
				return errTooMany
			}
			rows = append(rows, r)
			return nil
		})
		if errors.Is(err, errTooMany) {
			return s.Conflicts(ctx, q)
		} else if err != nil {
			return ConflictPage{}, err
		}
		c.key, c.rows = key, rows
	}
	return q.page(func(fn func(ConflictRow) error) error {
		for _, r := range c.rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachConflict calls fn with every conflict matching q (Offset and Limit aside), for an export.
func (s *Store) EachConflict(ctx context.Context, q ConflictQuery, fn func(ConflictRow) error) error {
	return s.eachConflict(ctx, q.Entity, func(r ConflictRow) error {
		if !q.matches(r) {
			return nil
		}
		return fn(r)
	})
}

// eachConflict works out the conflicts of every record that two or more sources supply (only their
// origins keep values, and the partial index origins_shared lists them record by record).
func (s *Store) eachConflict(ctx context.Context, only roster.Entity, fn func(ConflictRow) error) error {
	if only != "" {
		if err := checkEntity(only); err != nil {
			return err
		}
	}
	for _, e := range roster.Entities {
		if only != "" && e != only {
			continue
		}
		if err := s.entityConflicts(ctx, e, fn); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) entityConflicts(ctx context.Context, e roster.Entity, fn func(ConflictRow) error) error {
	type conn struct {
		name       string
		precedence int
	}
	conns := map[int64]conn{}
	all, err := s.Connections(ctx)
	if err != nil {
		return err
	}
	for _, c := range all {
		conns[c.ID] = conn{c.Name, c.Precedence}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(record, source_id), connection_id, source_id, hash, vals FROM origins
		WHERE entity = ? AND vals <> '' ORDER BY COALESCE(record, source_id)`, string(e)) // '': the same as the row, no conflict
	if err != nil {
		return err
	}
	defer rows.Close()
	type stored struct {
		origin
		raw string
	}
	var record string
	var group []stored
	// flush works out the conflicts of the record whose origins are in group. Most records several
	// sources supply have the same values at each: the text of their stored fields is the same, and
	// needs no decoding.
	flush := func() error {
		live, same, first := 0, true, ""
		for _, o := range group {
			if o.Live {
				if live == 0 {
					first = fieldsText(o.raw)
				}
				same = same && fieldsText(o.raw) == first
				live++
			}
		}
		if live < 2 || same {
			group = group[:0]
			return nil
		}
		slices.SortStableFunc(group, func(a, b stored) int { return a.precedence - b.precedence })
		origins := make([]origin, len(group))
		in := make([]reconcile.Origin, len(group))
		for i, o := range group {
			var err error
			if o.Values, err = reconcile.Decode(e, o.raw); err != nil {
				return err
			}
			origins[i], in[i] = o.origin, o.Origin
		}
		group = group[:0]
		for _, c := range conflictRows(e, record, origins, reconcile.Merge(e, record, in)) {
			if err := fn(c); err != nil {
				return err
			}
		}
		return nil
	}
	for rows.Next() {
		var id string
		var o stored
		var hash int64
		if err := rows.Scan(&id, &o.Connection, &o.SourcedID, &hash, &o.raw); err != nil {
			return err
		}
		o.Live = hash != 0
		c := conns[o.Connection]
		o.name, o.precedence = c.name, c.precedence
		if id != record {
			if err := flush(); err != nil {
				return err
			}
			record = id
		}
		group = append(group, o)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// fieldsText is the part of stored values (reconcile.Values.Encode) after the columns that do not
// reconcile (sourcedId, status, dateLastModified): two origins whose parts are the same text agree
// on every field. Text of another shape is returned whole.
func fieldsText(raw string) string {
	rest, ok := strings.CutPrefix(raw, `{"v":[`)
	for range firstField {
		if !ok || !strings.HasPrefix(rest, `"`) {
			return raw
		}
		end := 1
		for end < len(rest) && rest[end] != '"' {
			if rest[end] == '\\' {
				end++
			}
			end++
		}
		rest, ok = strings.CutPrefix(rest[min(end+1, len(rest)):], ",")
	}
	if !ok {
		return raw
	}
	return rest
}
