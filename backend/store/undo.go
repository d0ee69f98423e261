package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// ModeUndo is the mode of a run that undid an import run.
const ModeUndo = "undo"

// ReapplyHash is the content hash an undo leaves on the origins of the records it put back: no
// record's content hashes to it (barring one chance in 2^64), so the next import of the source
// applies what the source says of them again rather than finding them unchanged.
const ReapplyHash int64 = 2

// Reason codes of an undo run's records besides "changed" (a field put back, before → after).
const (
	ReasonUndoRemoved = "undo_removed" // created by the undone run: removed from the roster
	ReasonUndoLeft    = "undo_left"    // the undone run made its source supply it too: that source no longer does
	ReasonUndoGone    = "undo_gone"    // the undone run changed it, but it is no longer in the roster: nothing to put back
)

// UndoRefusal says why a run cannot be undone, in words for the registrar.
type UndoRefusal struct{ Err *apperr.Error }

func (r *UndoRefusal) Error() string { return r.Err.Message }
func (r *UndoRefusal) Unwrap() error { return r.Err }

func refuseUndo(code, message string) error { return &UndoRefusal{Err: apperr.New(code, message)} }

// UndoCounts say, for one entity, what undoing a run does.
type UndoCounts struct {
	Removed  int `json:"removed"`  // records the run created, removed with their origins
	Restored int `json:"restored"` // records whose fields go back to their values before the run
	Fields   int `json:"fields"`   // fields put back, in all
	Revived  int `json:"revived"`  // records the run marked tobedeleted, back to their status before
	Left     int `json:"left"`     // records other sources supply that the run's source joined: it no longer does
	Gone     int `json:"gone"`     // records the run changed that are no longer in the roster: nothing to put back
}

// Undo is the undoing of one import run, in one transaction: Check, then Count or Apply, then
// Commit or Rollback.
type Undo struct {
	ctx  context.Context
	tx   *sql.Tx
	run  Run
	logs []undoLog // the run's logged changes, per record
}

// undoLog is what a run logged of one record: the fields it changed with their values before it,
// and whether it marked the record tobedeleted (with its dateLastModified before, where logged).
type undoLog struct {
	entity    roster.Entity
	id        string
	fields    []string
	before    []string
	deleted   bool
	deletedAt string
	created   bool // the run created it too: removed with the others, nothing to put back
	gone      bool // no longer in the roster
}

// BeginUndo opens the transaction that undoes run (or, write false, only looks at what undoing it
// would do). Refusals that need no look at the records come first: only a succeeded import of a
// source that is still there, not an undo, not undone already.
func (s *Store) BeginUndo(ctx context.Context, run Run, write bool) (*Undo, error) {
	if err := undoable(ctx, s.db, run); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	u := &Undo{ctx: ctx, tx: tx, run: run}
	if write { // the write lock first: a transaction that reads first cannot write once another has
		if _, err := tx.ExecContext(ctx, `DELETE FROM origins WHERE 0`); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	if err := u.load(); err != nil {
		tx.Rollback()
		return nil, err
	}
	return u, nil
}

func undoable(ctx context.Context, q originReader, run Run) error {
	refuse := func(why string) error {
		return refuseUndo(apperr.CodeInvalid, fmt.Sprintf("Run #%d cannot be undone: %s", run.ID, why))
	}
	switch {
	case run.Direction != "import":
		return refuse("only an import into the roster can be undone, and this run is an " + run.Direction + ".")
	case run.Mode == ModeUndo:
		return refuse("it is itself an undo, and an undo cannot be undone. Import from the source again to bring its records back.")
	case run.ConnectionID == 0:
		return refuse("it is not an import of a source (duplicates, the order of the sources, or a source since removed).")
	case run.Status != RunSucceeded:
		return refuse("it " + run.Status + " and changed nothing.")
	}
	var by int64
	err := q.QueryRowContext(ctx, `SELECT id FROM runs WHERE undo_of = ? AND status = 'succeeded'`, run.ID).Scan(&by)
	switch {
	case err == nil:
		return refuse(fmt.Sprintf("it was undone already, by run #%d.", by))
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	var removal int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM connections WHERE id = ?`, run.ConnectionID).Scan(&removal); err != nil {
		return err
	}
	if removal == 0 {
		return refuse("its source was removed since.")
	}
	return nil
}

// load reads the run's logged changes, and keeps in a temporary table the records they name and
// those the run joined, for Check.
func (u *Undo) load() error {
	rows, err := u.tx.QueryContext(u.ctx, `SELECT entity, sourced_id, action, field, "before" FROM run_records
		WHERE run_id = ? AND status = 'ok' AND action IN ('update', 'delete') ORDER BY entity, sourced_id, rowid`, u.run.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ent, id, action, field, before string
		if err := rows.Scan(&ent, &id, &action, &field, &before); err != nil {
			return err
		}
		n := len(u.logs)
		if n == 0 || string(u.logs[n-1].entity) != ent || u.logs[n-1].id != id {
			u.logs = append(u.logs, undoLog{entity: roster.Entity(ent), id: id})
			n++
		}
		l := &u.logs[n-1]
		if action == "delete" {
			l.deleted, l.deletedAt = true, before
		} else if field != "" {
			l.fields, l.before = append(l.fields, field), append(l.before, before)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := u.markLogs(); err != nil {
		return err
	}
	for _, q := range []string{
		`DROP TABLE IF EXISTS temp.undo_keys`,
		`CREATE TEMP TABLE undo_keys (entity TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID`,
	} {
		if _, err := u.tx.ExecContext(u.ctx, q); err != nil {
			return err
		}
	}
	_, err = u.tx.ExecContext(u.ctx, `INSERT OR IGNORE INTO temp.undo_keys (entity, id)
		SELECT entity, sourced_id FROM run_records WHERE run_id = ?1 AND status = 'ok' AND action IN ('update', 'delete')
		UNION ALL SELECT entity, COALESCE(record, source_id) FROM origins WHERE created_run = -?1 AND created_run < 0 AND connection_id = ?2`, u.run.ID, u.run.ConnectionID)
	return err
}

// markLogs marks the logged records the run also created and those no longer in the roster, entity
// by entity, found in SQL: the few such records are read, not every logged one.
func (u *Undo) markLogs() error {
	for i := 0; i < len(u.logs); {
		ent := u.logs[i].entity
		n := i
		for n < len(u.logs) && u.logs[n].entity == ent {
			n++
		}
		logs := u.logs[i:n]
		i = n
		logged := `SELECT DISTINCT rr.sourced_id FROM run_records rr WHERE rr.run_id = ?1 AND rr.entity = ?3 AND rr.status = 'ok' AND rr.action IN ('update', 'delete') AND `
		for _, m := range []struct {
			cond string
			mark func(*undoLog)
		}{
			{`EXISTS (SELECT 1 FROM origins o WHERE o.connection_id = ?2 AND o.entity = ?3 AND o.created_run = ?1
				AND (o.source_id = rr.sourced_id AND o.record IS NULL OR o.record = rr.sourced_id))`, func(l *undoLog) { l.created = true }},
			{`NOT EXISTS (SELECT 1 FROM ` + table(ent) + ` r WHERE r."sourcedId" = rr.sourced_id)`, func(l *undoLog) { l.gone = true }},
		} {
			rows, err := u.tx.QueryContext(u.ctx, logged+m.cond, u.run.ID, u.run.ConnectionID, string(ent))
			if err != nil {
				return err
			}
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				if j, ok := slices.BinarySearchFunc(logs, id, func(l undoLog, id string) int { return strings.Compare(l.id, id) }); ok {
					m.mark(&logs[j])
				}
			}
			if err := rows.Close(); err != nil {
				return err
			}
		}
	}
	return nil
}

// ofRun is a condition on a record (entity ent, roster id id) being one the run changed, joined or
// created; ?1 is the run, ?2 its connection.
func ofRun(ent, id string) string {
	return `(EXISTS (SELECT 1 FROM temp.undo_keys k WHERE k.entity = ` + ent + ` AND k.id = ` + id + `)
		OR EXISTS (SELECT 1 FROM origins c WHERE c.connection_id = ?2 AND c.entity = ` + ent + ` AND c.source_id = ` + id + ` AND c.record IS NULL AND c.created_run = ?1)
		OR EXISTS (SELECT 1 FROM origins c WHERE c.entity = ` + ent + ` AND c.record = ` + id + ` AND c.connection_id = ?2 AND c.created_run = ?1))`
}

// Check refuses the undo when anything changed the run's records since, naming the first such
// record and the run: a later run logged it (an import, a sync, an undo, a merge of duplicates), a
// later import joined it, or a decision on duplicates since involves it. A later run that was undone
// since, and its undo, changed nothing in the end: undoing the later run first lets this one be undone.
func (u *Undo) Check() error {
	args := []any{u.run.ID, u.run.ConnectionID}
	var later int64
	var ent, id string
	// Later runs' logs are found by their index on the run; the run's own records by its keys, and
	// those it created by their origins' primary key: no scan of the roster or its origins.
	err := u.tx.QueryRowContext(u.ctx, `SELECT rr.run_id, rr.entity, rr.sourced_id FROM run_records rr JOIN runs r ON r.id = rr.run_id
		WHERE rr.run_id > ?1 AND rr.status = 'ok' AND rr.action IN ('update', 'delete') AND r.status = 'succeeded' AND r.direction IN ('import', 'sync')
		AND NOT (r.mode = 'undo' AND r.undo_of > ?1) AND NOT EXISTS (SELECT 1 FROM runs u WHERE u.undo_of = r.id AND u.status = 'succeeded')
		AND `+ofRun("rr.entity", "rr.sourced_id")+` ORDER BY rr.run_id LIMIT 1`, args...).Scan(&later, &ent, &id)
	if err == nil {
		return u.changedSince(ent, id, later, "changed it")
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = u.tx.QueryRowContext(u.ctx, `SELECT -o.created_run, o.entity, COALESCE(o.record, o.source_id) FROM origins o
		WHERE o.created_run < 0 AND o.created_run < -?1 AND `+ofRun("o.entity", "COALESCE(o.record, o.source_id)")+`
		ORDER BY o.created_run DESC LIMIT 1`, args...).Scan(&later, &ent, &id)
	if err == nil {
		return u.changedSince(ent, id, later, "made another source supply it too")
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = u.tx.QueryRowContext(u.ctx, `SELECT p.decided_run, CASE WHEN `+ofRun("'users'", `p."left"`)+` THEN p."left" ELSE p."right" END
		FROM duplicate_pairs p WHERE p.decided_run > ?1 AND p.status IN ('merged', 'ignored')
		AND (`+ofRun("'users'", `p."left"`)+` OR `+ofRun("'users'", `p."right"`)+`) ORDER BY p.decided_run LIMIT 1`, args...).Scan(&later, &id)
	if err == nil {
		return u.changedSince("users", id, later, "merged it as a duplicate")
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// singular is an entity's name for one record of it.
func singular(ent string) string {
	switch ent {
	case string(roster.Classes):
		return "class"
	case string(roster.AcademicSessions):
		return "academic session"
	}
	return strings.TrimSuffix(ent, "s")
}

func (u *Undo) changedSince(ent, id string, later int64, what string) error {
	return refuseUndo(apperr.CodeConflict, fmt.Sprintf("Run #%d cannot be undone: run #%d %s since (%s %s), and undoing would overwrite that. Only runs whose records nothing changed since can be undone; undo the later run first where it can be.",
		u.run.ID, later, what, singular(ent), id))
}

// Count says, per entity, what undoing the run does.
func (u *Undo) Count() (map[string]UndoCounts, error) {
	out := map[string]UndoCounts{}
	add := func(ent roster.Entity, fn func(*UndoCounts)) {
		c := out[string(ent)]
		fn(&c)
		out[string(ent)] = c
	}
	for _, l := range u.logs {
		add(l.entity, func(c *UndoCounts) {
			switch {
			case l.created: // counted removed below
			case l.gone:
				c.Gone++
			default:
				if l.deleted {
					c.Revived++
				}
				if len(l.fields) > 0 {
					c.Restored++
					c.Fields += len(l.fields)
				}
			}
		})
	}
	// The records it created are those it counted: nothing changed them since (Check). Those it
	// joined are found by their index, not by reading every origin of the source.
	for ent, c := range u.run.Counts {
		add(roster.Entity(ent), func(out *UndoCounts) { out.Removed += c.Created })
	}
	rows, err := u.tx.QueryContext(u.ctx, `SELECT entity, COUNT(*) FROM origins
		WHERE created_run = -?1 AND created_run < 0 AND connection_id = ?2 GROUP BY 1`, u.run.ID, u.run.ConnectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ent string
		var n int
		if err := rows.Scan(&ent, &n); err != nil {
			return nil, err
		}
		add(roster.Entity(ent), func(c *UndoCounts) { c.Left += n })
	}
	return out, rows.Err()
}

// Apply undoes the run, logging what it puts back as the records of run undoRun, as of when. stage
// is told each step as it begins.
func (u *Undo) Apply(undoRun int64, when string, stage func(string, int)) (map[string]UndoCounts, error) {
	counts, err := u.Count()
	if err != nil {
		return nil, err
	}
	record, err := u.tx.PrepareContext(u.ctx, insertRunRecord)
	if err != nil {
		return nil, err
	}
	defer record.Close()
	log := func(r RunRecord) error {
		_, err := record.ExecContext(u.ctx, r.args(undoRun)...)
		return err
	}
	// Its joins first: the origins left then say whether a record is supplied by one source alone.
	stage("restoring", len(u.logs))
	if err := u.leave(log); err != nil {
		return nil, err
	}
	for _, l := range u.logs {
		if err := u.restore(l, when, log); err != nil {
			return nil, err
		}
	}
	stage("removing", 0)
	if err := u.remove(undoRun); err != nil {
		return nil, err
	}
	// The next fetch of an API source asks for everything again, not only what changed since the
	// run's fetch: the records the run changed are then applied again.
	_, err = u.tx.ExecContext(u.ctx, `UPDATE connections SET applied_at = '' WHERE id = ?`, u.run.ConnectionID)
	return counts, err
}

// leave takes back the run's source's supply of the records it joined: its origins go, and a record
// one source alone supplies again has its values in the roster row only, as before the join. The
// roster values come back with the logged fields (restore).
func (u *Undo) leave(log func(RunRecord) error) error {
	var joined [][2]string
	err := scanPairs(u.ctx, u.tx, `SELECT entity, COALESCE(record, source_id) FROM origins WHERE created_run = ?2 AND created_run < 0 AND connection_id = ?1`,
		[]any{u.run.ConnectionID, -u.run.ID}, func(ent, id string) { joined = append(joined, [2]string{ent, id}) })
	if err != nil {
		return err
	}
	if _, err := u.tx.ExecContext(u.ctx, `DELETE FROM origins WHERE created_run = ?2 AND created_run < 0 AND connection_id = ?1`, u.run.ConnectionID, -u.run.ID); err != nil {
		return err
	}
	for _, j := range joined {
		_, err := u.tx.ExecContext(u.ctx, `UPDATE origins SET vals = NULL WHERE entity = ?1 AND COALESCE(record, source_id) = ?2
			AND (SELECT COUNT(*) FROM origins o WHERE o.entity = ?1 AND COALESCE(o.record, o.source_id) = ?2) = 1`, j[0], j[1])
		if err != nil {
			return err
		}
		if err := log(RunRecord{Entity: j[0], SourcedID: j[1], Action: "update", Status: "ok", Reason: ReasonUndoLeft,
			Message: u.run.ConnectionName}); err != nil {
			return err
		}
	}
	return nil
}

// restore puts one record the run logged back as it was: its fields' values before the run, its
// status active again where the run marked it tobedeleted. The run's source's origins of it get
// ReapplyHash, live again, and where they keep values of their own, the record's values as put
// back: worked out with the other sources' values in precedence order, they give the record again.
func (u *Undo) restore(l undoLog, when string, log func(RunRecord) error) error {
	if err := u.ctx.Err(); err != nil {
		return err
	}
	switch {
	case l.created:
		return nil // removed with the others
	case l.gone:
		return log(RunRecord{Entity: string(l.entity), SourcedID: l.id, Action: "skip", Status: "skipped", Reason: ReasonUndoGone})
	}
	rec, err := findRecord(u.ctx, u.tx, l.entity, l.id)
	if err != nil {
		return err
	}
	for i, f := range l.fields {
		before := l.before[i]
		var current string
		if f == "metadata" { // logged here as the roster keeps them, a JSON object
			if current, err = metadataJSON(rec); err != nil {
				return err
			}
			if rec.Metadata, err = parseMetadataLine(before); err != nil {
				return fmt.Errorf("the extension values of %s %s before run #%d cannot be read: %w", l.entity, l.id, u.run.ID, err)
			}
			if before, err = metadataJSON(rec); err != nil {
				return err
			}
		} else {
			current = rec.Get(f)
			rec.Set(f, before)
		}
		if err := log(RunRecord{Entity: string(l.entity), SourcedID: l.id, Action: "update", Status: "ok", Field: f, Reason: "changed", Before: current, After: before}); err != nil {
			return err
		}
	}
	rec.Values[2] = when
	if l.deleted && rec.Status() == roster.StatusToBeDeleted {
		rec.Values[1] = string(roster.StatusActive)
		if err := log(RunRecord{Entity: string(l.entity), SourcedID: l.id, Action: "update", Status: "ok", Field: "status", Reason: "changed",
			Before: string(roster.StatusToBeDeleted), After: string(roster.StatusActive)}); err != nil {
			return err
		}
		if l.deletedAt != "" && len(l.fields) == 0 { // only the deletion to revert: the record as it was
			rec.Values[2] = l.deletedAt
		}
	}
	if err := putRow(u.ctx, u.tx, rec); err != nil {
		return err
	}
	// Its source's origins: live ones, or, where it supplies it no more (the run ended that), all.
	_, err = u.tx.ExecContext(u.ctx, `UPDATE origins SET hash = ?4, vals = CASE WHEN vals <> '' THEN ?5 ELSE vals END
		WHERE connection_id = ?1 AND entity = ?2 AND (source_id = ?3 AND record IS NULL OR record = ?3)
		AND (hash <> 0 OR NOT EXISTS (SELECT 1 FROM origins o WHERE o.connection_id = ?1 AND o.entity = ?2
			AND (o.source_id = ?3 AND o.record IS NULL OR o.record = ?3) AND o.hash <> 0))`,
		u.run.ConnectionID, string(l.entity), l.id, ReapplyHash, reconcile.Of(rec).Encode())
	return err
}

// remove takes the records the run created out of the roster with their origins, each logged, and
// the pairs of possible duplicates waiting for review that name them.
func (u *Undo) remove(undoRun int64) error {
	for _, e := range roster.Entities {
		created := `SELECT COALESCE(record, source_id) FROM origins WHERE connection_id = ?2 AND entity = ?3 AND created_run = ?1`
		steps := []struct {
			q    string
			args []any
		}{
			{`INSERT INTO run_records (run_id, entity, sourced_id, action, status, reason, message)
				SELECT ?4, ?3, COALESCE(record, source_id), 'delete', 'ok', ?5, '' FROM origins
				WHERE connection_id = ?2 AND entity = ?3 AND created_run = ?1 ORDER BY source_id`,
				[]any{u.run.ID, u.run.ConnectionID, string(e), undoRun, ReasonUndoRemoved}},
			{`DELETE FROM ` + table(e) + ` WHERE "sourcedId" IN (` + created + `)`, []any{u.run.ID, u.run.ConnectionID, string(e)}},
			{`DELETE FROM origins WHERE connection_id = ?2 AND entity = ?3 AND created_run = ?1`, []any{u.run.ID, u.run.ConnectionID, string(e)}},
		}
		if e == roster.Users {
			steps = append(steps[:2], struct {
				q    string
				args []any
			}{`DELETE FROM duplicate_pairs WHERE status = 'pending' AND ("left" IN (` + created + `) OR "right" IN (` + created + `))`,
				[]any{u.run.ID, u.run.ConnectionID, string(e)}}, steps[2])
		}
		for _, s := range steps {
			if err := u.ctx.Err(); err != nil {
				return err
			}
			if _, err := u.tx.ExecContext(u.ctx, s.q, s.args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// Commit makes the undo visible at once.
func (u *Undo) Commit() error {
	if _, err := u.tx.ExecContext(u.ctx, `DROP TABLE temp.undo_keys`); err != nil {
		u.tx.Rollback()
		return err
	}
	if err := renewStamp(u.ctx, u.tx); err != nil {
		u.tx.Rollback()
		return err
	}
	return u.tx.Commit()
}

// Rollback discards the undo (or the look at it); safe after Commit.
func (u *Undo) Rollback() error {
	err := u.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// putRow writes a roster record's values over its row.
func putRow(ctx context.Context, tx *sql.Tx, rec roster.Record) error {
	q, args, err := rowUpdate(rec)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, q, args...)
	return err
}

// rowUpdate is the statement that writes a record's values (blanks as NULL) and metadata over its
// roster row, with its arguments.
func rowUpdate(rec roster.Record) (string, []any, error) {
	meta, err := metadata(rec)
	if err != nil {
		return "", nil, err
	}
	names := roster.Schema(rec.Entity).Names()
	set := make([]string, 0, len(names))
	args := make([]any, 0, len(names)+2)
	for i, n := range names[1:] {
		set = append(set, `"`+n+`" = ?`)
		if v := rec.Values[i+1]; v != "" {
			args = append(args, v)
		} else {
			args = append(args, nil)
		}
	}
	return `UPDATE ` + table(rec.Entity) + ` SET ` + strings.Join(set, ", ") + `, metadata = ? WHERE "sourcedId" = ?`, append(args, meta, rec.SourcedID()), nil
}

// metadataJSON is a record's extension values as the roster keeps them ("" for none).
func metadataJSON(rec roster.Record) (string, error) {
	m, err := metadata(rec)
	if m == nil || err != nil {
		return "", err
	}
	return m.(string), nil
}

// parseMetadataLine reads extension values logged by an import: a JSON object, or name=value pairs
// joined by "; ".
func parseMetadataLine(s string) ([]roster.MetadataValue, error) {
	if s == "" {
		return nil, nil
	}
	var out []roster.MetadataValue
	if strings.HasPrefix(s, "{") {
		var m map[string]string
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return nil, err
		}
		for k, v := range m {
			out = append(out, roster.MetadataValue{Name: k, Value: v})
		}
		slices.SortFunc(out, func(a, b roster.MetadataValue) int { return strings.Compare(a.Name, b.Name) })
		return out, nil
	}
	for _, part := range strings.Split(s, "; ") {
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is no name=value pair", part)
		}
		out = append(out, roster.MetadataValue{Name: name, Value: value})
	}
	return out, nil
}
