package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// What a merge of duplicate people does to the roster (SPEC §7), in an Apply's transaction: the
// secondary's origins go to the primary (Redirect), records that refer to the secondary refer to the
// primary (Repoint), and values the registrar chose stay (Pin). Each returns what it changed, so the
// merge can be undone exactly.

// MovedOrigin is an origin a merge gave to another record: Record is the one it had ("" when its
// source id was its roster id).
type MovedOrigin struct {
	Entity     roster.Entity `json:"entity"`
	Connection int64         `json:"connection"`
	Source     string        `json:"source"`
	Record     string        `json:"record"`
	To         string        `json:"to,omitempty"` // the record it was given to
}

// MovedRef is a reference to a user a merge pointed at the primary.
type MovedRef struct {
	Entity    roster.Entity `json:"entity"`
	SourcedID string        `json:"sourcedId"`
	Column    string        `json:"column"`
	From      string        `json:"from"`
	To        string        `json:"to"`
}

// originsOf is the condition selecting the origins of one record (?1 entity, ?2 record id).
func (a *Apply) originsOf() string {
	return `entity = ?1 AND (record = ?2 OR record IS NULL AND source_id = ?2 AND connection_id IN (` + a.sourceList() + `))`
}

// sourceList is every source connection's id for an IN (…) list.
func (a *Apply) sourceList() string {
	ids := make([]string, 0, len(a.rank))
	for id := range a.rank {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	if len(ids) == 0 {
		return "NULL"
	}
	return strings.Join(ids, ", ")
}

// KeepValues gives each origin of a record that has no values of its own (it alone supplies the
// record, or supplies it alike with others) the roster row's values, so the record can be worked out
// from its origins once it has others. The caller flushes first if the record has changes queued.
func (a *Apply) KeepValues(e roster.Entity, record string) error {
	rec, err := findRecord(a.ctx, a.tx, e, record)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = a.tx.ExecContext(a.ctx, `UPDATE origins SET vals = ?3 WHERE `+a.originsOf()+` AND COALESCE(vals, '') = ''`, string(e), record, reconcile.Of(rec).Encode())
	return err
}

// Redirect gives every origin of record from to record to, each keeping the values it supplies
// (KeepValues first), and queues both records to be worked out again: to from all its origins, from
// (left with none) to become tobedeleted. Ids removed sources left on from go to to as well. The
// caller flushes first if either record has changes queued.
func (a *Apply) Redirect(e roster.Entity, from, to, when, why string) ([]MovedOrigin, error) {
	if err := a.KeepValues(e, from); err != nil {
		return nil, err
	}
	if err := a.KeepValues(e, to); err != nil {
		return nil, err
	}
	var moved []MovedOrigin
	rows, err := a.tx.QueryContext(a.ctx, `SELECT connection_id, source_id, COALESCE(record, '') FROM origins WHERE `+a.originsOf(), string(e), from)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		m := MovedOrigin{Entity: e, To: to}
		if err := rows.Scan(&m.Connection, &m.Source, &m.Record); err != nil {
			rows.Close()
			return nil, err
		}
		moved = append(moved, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(moved) == 0 {
		return nil, err
	}
	for _, m := range moved {
		if err := a.setRecord(m, to); err != nil {
			return nil, err
		}
	}
	if _, err := a.tx.ExecContext(a.ctx, `UPDATE OR IGNORE retired SET record = ? WHERE entity = ? AND record = ?`, to, string(e), from); err != nil {
		return nil, err
	}
	if err := a.Reconcile(Change{Entity: e, Record: to, When: when}); err != nil {
		return nil, err
	}
	return moved, a.Reconcile(Change{Entity: e, Record: from, When: when, Why: why, Retire: true})
}

// setRecord makes an origin supply the record with roster id to.
func (a *Apply) setRecord(m MovedOrigin, to string) error {
	var record any = to
	if m.Source == to {
		record = nil
	}
	_, err := a.tx.ExecContext(a.ctx, `UPDATE origins SET record = ? WHERE connection_id = ? AND entity = ? AND source_id = ?`, record, m.Connection, string(m.Entity), m.Source)
	return err
}

// Restore gives moved origins back the records they had and queues those records to be worked out
// again (undoing Redirect); the caller works the primary out again.
func (a *Apply) Restore(moved []MovedOrigin, primary, when string) error {
	if err := a.flush(); err != nil {
		return err
	}
	records := map[roster.Entity][]string{}
	for _, m := range moved {
		back, to := m.Record, m.To
		if back == "" {
			back = m.Source
		}
		if to == "" { // recorded before folds: a person's origin
			to = primary
		}
		if err := a.setRecord(m, back); err != nil {
			return err
		}
		if _, err := a.tx.ExecContext(a.ctx, `UPDATE OR IGNORE retired SET record = ? WHERE entity = ? AND record = ?`, back, string(m.Entity), to); err != nil {
			return err
		}
		records[m.Entity] = append(records[m.Entity], back)
		if to != primary { // a folded enrollment or role: the one it was folded into lost an origin
			records[m.Entity] = append(records[m.Entity], to)
		}
	}
	for e, list := range records {
		done := map[string]bool{}
		for _, r := range list {
			if !done[r] {
				done[r] = true
				if err := a.Reconcile(Change{Entity: e, Record: r, When: when}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// userRefs are the columns referring to users.
var userRefs = func() (out []struct {
	entity roster.Entity
	column roster.Column
}) {
	for _, e := range roster.Entities {
		for _, c := range roster.Schema(e).Columns {
			if (c.Kind == roster.Ref || c.Kind == roster.RefList) && c.Target == roster.Users {
				out = append(out, struct {
					entity roster.Entity
					column roster.Column
				}{e, c})
			}
		}
	}
	return out
}()

// Repoint makes every record referring to a user in moves (secondary → primary) refer to its
// primary instead, in the roster and in the values its origins keep: one statement per referring
// column for every merge of a run (a second system's 50,000 people merged at once), the few
// comma-separated lists (guardians' agents) row by row.
func (a *Apply) Repoint(moves map[string]string, when string) ([]MovedRef, error) {
	if len(moves) == 0 {
		return nil, nil
	}
	if err := a.flush(); err != nil {
		return nil, err
	}
	for _, q := range []string{`CREATE TEMP TABLE IF NOT EXISTS moves (secondary TEXT PRIMARY KEY, "primary" TEXT NOT NULL) WITHOUT ROWID`, `DELETE FROM moves`} {
		if _, err := a.tx.ExecContext(a.ctx, q); err != nil {
			return nil, err
		}
	}
	add, err := a.tx.PrepareContext(a.ctx, `INSERT INTO moves (secondary, "primary") VALUES (?, ?)`)
	if err != nil {
		return nil, err
	}
	defer add.Close()
	for s, p := range moves {
		if _, err := add.ExecContext(a.ctx, s, p); err != nil {
			return nil, err
		}
	}
	var out []MovedRef
	for _, ref := range userRefs {
		e, col := ref.entity, ref.column
		var found []MovedRef
		if col.Kind == roster.Ref {
			rows, err := a.tx.QueryContext(a.ctx, `SELECT t."sourcedId", m.secondary, m."primary" FROM `+table(e)+` t JOIN moves m ON m.secondary = t."`+col.Name+`"`)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				m := MovedRef{Entity: e, Column: col.Name}
				if err := rows.Scan(&m.SourcedID, &m.From, &m.To); err != nil {
					rows.Close()
					return nil, err
				}
				found = append(found, m)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
			if _, err := a.tx.ExecContext(a.ctx, `UPDATE `+table(e)+` SET "`+col.Name+`" = (SELECT "primary" FROM moves WHERE secondary = "`+col.Name+`"), "dateLastModified" = ?
				WHERE "`+col.Name+`" IN (SELECT secondary FROM moves)`, when); err != nil {
				return nil, err
			}
		} else {
			err := scanPairs(a.ctx, a.tx, `SELECT "sourcedId", "`+col.Name+`" FROM `+table(e)+` WHERE "`+col.Name+`" IS NOT NULL`, nil, func(id, val string) {
				if next := repointed(val, moves, true); next != val {
					found = append(found, MovedRef{Entity: e, SourcedID: id, Column: col.Name, From: val, To: next})
				}
			})
			if err != nil {
				return nil, err
			}
			for _, m := range found {
				if _, err := a.tx.ExecContext(a.ctx, `UPDATE `+table(e)+` SET "`+col.Name+`" = ?, "dateLastModified" = ? WHERE "sourcedId" = ?`, m.To, when, m.SourcedID); err != nil {
					return nil, err
				}
			}
		}
		for _, m := range found {
			if err := a.fixVals(e, m.SourcedID, col.Name, func(v string) string { return repointed(v, moves, col.Kind == roster.RefList) }); err != nil {
				return nil, err
			}
		}
		out = append(out, found...)
	}
	return out, nil
}

// RepointBack undoes Repoint for the references listed, where they still say what it made them say.
func (a *Apply) RepointBack(refs []MovedRef, when string) error {
	if err := a.flush(); err != nil {
		return err
	}
	for _, m := range refs {
		if err := a.setRef(m.Entity, m.SourcedID, m.Column, when, func(v string) string {
			if v == m.To {
				return m.From
			}
			return v
		}); err != nil {
			return err
		}
	}
	return nil
}

// setRef writes one reference column of a roster record (where it still reads as fix would change
// it) and the same column of the values its origins keep.
func (a *Apply) setRef(e roster.Entity, id, column, when string, fix func(string) string) error {
	var current sql.NullString
	if err := a.tx.QueryRowContext(a.ctx, `SELECT "`+column+`" FROM `+table(e)+` WHERE "sourcedId" = ?`, id).Scan(&current); err != nil {
		return err
	}
	if next := fix(current.String); next != current.String {
		if _, err := a.tx.ExecContext(a.ctx, `UPDATE `+table(e)+` SET "`+column+`" = ?, "dateLastModified" = ? WHERE "sourcedId" = ?`, next, when, id); err != nil {
			return err
		}
	}
	return a.fixVals(e, id, column, fix)
}

// fixVals applies fix to one column of the values the origins of a record keep (those that keep
// values of their own: a record several sources supply).
func (a *Apply) fixVals(e roster.Entity, id, column string, fix func(string) string) error {
	idx := roster.Schema(e).Index(column)
	type kept struct {
		conn   int64
		source string
		vals   string
	}
	var list []kept
	// Written to match the partial index origins_shared: with the OR of originsOf, a condition on
	// vals makes SQLite walk all of that index for every record.
	rows, err := a.tx.QueryContext(a.ctx, `SELECT connection_id, source_id, vals FROM origins WHERE entity = ? AND COALESCE(record, source_id) = ? AND vals <> ''`, string(e), id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k kept
		if err := rows.Scan(&k.conn, &k.source, &k.vals); err != nil {
			rows.Close()
			return err
		}
		list = append(list, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range list {
		v, err := reconcile.Decode(e, k.vals)
		if err != nil {
			return err
		}
		if next := fix(v.V[idx]); next != v.V[idx] {
			v.V[idx] = next
			if _, err := a.tx.ExecContext(a.ctx, `UPDATE origins SET vals = ? WHERE connection_id = ? AND entity = ? AND source_id = ?`, v.Encode(), k.conn, string(e), k.source); err != nil {
				return err
			}
		}
	}
	return nil
}

// repointed is a reference (or a comma-separated list of them) with every secondary in moves
// replaced by its primary; a list names each record once.
func repointed(val string, moves map[string]string, list bool) string {
	if !list {
		if p, ok := moves[val]; ok {
			return p
		}
		return val
	}
	parts := strings.Split(val, ",")
	out := parts[:0:0]
	seen := map[string]bool{}
	for _, p := range parts {
		id := strings.TrimSpace(p)
		if to, ok := moves[id]; ok {
			id = to
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return strings.Join(out, ",")
}

// Pin keeps value in a field of a record whatever its sources send, until the pair's merge is undone;
// the roster row takes it now (and any write of it still queued, as every write does). field is a
// column name or metadata.NAME.
func (a *Apply) Pin(pair int64, e roster.Entity, record, field, value, when string) error {
	if _, err := a.tx.ExecContext(a.ctx, `INSERT INTO pins (entity, record, field, value, pair) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (entity, record, field) DO UPDATE SET value = excluded.value, pair = excluded.pair`, string(e), record, field, value, pair); err != nil {
		return err
	}
	if a.pins[e] == nil {
		a.pins[e] = map[string]map[string]string{}
	}
	if a.pins[e][record] == nil {
		a.pins[e][record] = map[string]string{}
	}
	a.pins[e][record][field] = value
	var v any = value
	if value == "" {
		v = nil
	}
	if name, ok := strings.CutPrefix(field, "metadata."); ok {
		_, err := a.tx.ExecContext(a.ctx, `UPDATE `+table(e)+` SET metadata = json_set(COALESCE(metadata, '{}'), ?, ?), "dateLastModified" = ? WHERE "sourcedId" = ?`,
			`$."`+strings.ReplaceAll(name, `"`, ``)+`"`, value, when, record)
		return err
	}
	_, err := a.tx.ExecContext(a.ctx, `UPDATE `+table(e)+` SET "`+field+`" = ?, "dateLastModified" = ? WHERE "sourcedId" = ?`, v, when, record)
	return err
}

// Unpin forgets the values a pair's merge pinned (Undecide deletes them from the workspace).
func (a *Apply) Unpin(pair int64) error {
	rows, err := a.tx.QueryContext(a.ctx, `SELECT entity, record, field FROM pins WHERE pair = ?`, pair)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e, record, field string
		if err := rows.Scan(&e, &record, &field); err != nil {
			return err
		}
		delete(a.pins[roster.Entity(e)][record], field)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = a.tx.ExecContext(a.ctx, `DELETE FROM pins WHERE pair = ?`, pair)
	return err
}

// loadPins reads the pinned values, which are few: one per field a registrar chose in a merge.
func (a *Apply) loadPins(q querier) error {
	a.pins = map[roster.Entity]map[string]map[string]string{}
	rows, err := q.QueryContext(a.ctx, `SELECT entity, record, field, value FROM pins`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e, record, field, value string
		if err := rows.Scan(&e, &record, &field, &value); err != nil {
			return err
		}
		ent := roster.Entity(e)
		if a.pins[ent] == nil {
			a.pins[ent] = map[string]map[string]string{}
		}
		if a.pins[ent][record] == nil {
			a.pins[ent][record] = map[string]string{}
		}
		a.pins[ent][record][field] = value
	}
	return rows.Err()
}

// pin puts a record's pinned values in place of those its sources give.
func (a *Apply) pin(rec *roster.Record) {
	fields := a.pins[rec.Entity][rec.SourcedID()]
	if len(fields) == 0 {
		return
	}
	schema := roster.Schema(rec.Entity)
	for field, value := range fields {
		if name, ok := strings.CutPrefix(field, "metadata."); ok {
			rec.Metadata = setMetadata(rec.Metadata, name, value)
		} else if i := schema.Index(field); i >= firstField {
			rec.Values[i] = value
		}
	}
}

// setMetadata sets one extension column, keeping them in name order.
func setMetadata(m []roster.MetadataValue, name, value string) []roster.MetadataValue {
	out := make([]roster.MetadataValue, 0, len(m)+1)
	done := false
	for _, kv := range m {
		if kv.Name == name {
			kv.Value, done = value, true
		} else if !done && kv.Name > name {
			out, done = append(out, roster.MetadataValue{Name: name, Value: value}), true
		}
		out = append(out, kv)
	}
	if !done {
		out = append(out, roster.MetadataValue{Name: name, Value: value})
	}
	return out
}
