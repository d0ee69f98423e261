package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"iter"
	"os"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
)

// Run statuses.
const (
	RunRunning     = "running"
	RunSucceeded   = "succeeded"
	RunFailed      = "failed"
	RunHeld        = "held"
	RunCancelled   = "cancelled"
	RunInterrupted = "interrupted"
)

// EntityCounts are the outcomes of one run for one entity.
type EntityCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Deleted   int `json:"deleted"`
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"` // not let through by the connection's selection
}

// Run is one execution of an import, export or sync.
type Run struct {
	ID             int64                   `json:"run"`
	ConnectionID   int64                   `json:"connectionId"`
	ConnectionName string                  `json:"connection"`
	Direction      string                  `json:"direction"`
	Mode           string                  `json:"mode"`
	Operator       string                  `json:"operator"`
	Status         string                  `json:"status"`
	StartedAt      string                  `json:"startedAt"`
	FinishedAt     string                  `json:"finishedAt"`
	Counts         map[string]EntityCounts `json:"counts"`
	Message        string                  `json:"message"`
	IntegrationID  int64                   `json:"integrationId,omitempty"` // 0: not of an integration
	Integration    string                  `json:"integration,omitempty"`   // its name ("" once removed)
	Trigger        string                  `json:"trigger,omitempty"`       // "schedule", or "" for the operator
	UndoOf         int64                   `json:"undoOf,omitempty"`        // an undo: the run it undoes
	UndoneBy       int64                   `json:"undoneBy,omitempty"`      // the undo that undid this run
}

// RunRecord is the outcome for one record of a run, as data: where it is shown, a sentence is built from
// the reason code and the values, so reports and translations read the same thing.
type RunRecord struct {
	Entity    string `json:"entity"`
	SourcedID string `json:"sourcedId"`
	Action    string `json:"action"`
	Status    string `json:"status"`
	Field     string `json:"field"`
	Message   string `json:"message"` // words from outside no code carries: a server's reply, a reader's finding
	Reason    string `json:"reason"`  // what happened and why, as a code
	// Field's value before the run and after it. An import's deletion logs as Before the record's
	// dateLastModified (its Field), which an undo puts back; a conflict the roster's and the
	// connection's values; outcome's reason codes say what each carries.
	Before string `json:"before"`
	After  string `json:"after"`
}

// runRecordColumns are a RunRecord's columns in the order of its fields.
const runRecordColumns = `entity, sourced_id, action, status, field, message, reason, "before", "after"`

const insertRunRecord = `INSERT INTO run_records (run_id, ` + runRecordColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// args are the values of an insertRunRecord.
func (r RunRecord) args(runID int64) []any { return append([]any{runID}, r.values()...) }

// values are the record's runRecordColumns.
func (r RunRecord) values() []any {
	return []any{r.Entity, r.SourcedID, r.Action, r.Status, r.Field, r.Message, r.Reason, r.Before, r.After}
}

// runRecords is a batch of per-record outcomes of the run in tx: a run that deletes or would
// delete half a district logs half a million, and one statement each took a third of the time of
// the import held for it.
func runRecords(ctx context.Context, tx *sql.Tx, runID int64) *batch {
	return (&preparer{ctx: ctx, tx: tx}).batch(`INSERT INTO run_records (run_id, `+runRecordColumns+`) VALUES `, []any{runID}, 9, ``)
}

// writeRunRecords stores per-record outcomes of the run in tx.
func writeRunRecords(ctx context.Context, tx *sql.Tx, runID int64, records iter.Seq[RunRecord]) error {
	b := runRecords(ctx, tx, runID)
	for r := range records {
		if err := b.add(ctx, r.values()...); err != nil {
			return err
		}
	}
	return b.flush(ctx)
}

// StartRun records a run as running and returns it with its id.
func (s *Store) StartRun(ctx context.Context, r Run) (Run, error) {
	r.Status, r.StartedAt = RunRunning, Now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO runs (connection_id, connection_name, direction, mode, operator, pid, status, started_at, integration_id, trigger, undo_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sql.NullInt64{Int64: r.ConnectionID, Valid: r.ConnectionID != 0}, r.ConnectionName, r.Direction, r.Mode, r.Operator, os.Getpid(), r.Status, r.StartedAt,
		sql.NullInt64{Int64: r.IntegrationID, Valid: r.IntegrationID != 0}, r.Trigger, sql.NullInt64{Int64: r.UndoOf, Valid: r.UndoOf != 0})
	if err != nil {
		return r, err
	}
	r.ID, err = res.LastInsertId()
	return r, err
}

// FinishRun records a run's final status, counts and message. It uses its own context so a
// cancelled run can still be recorded as cancelled.
func (s *Store) FinishRun(r *Run) error {
	counts, err := json.Marshal(r.Counts)
	if err != nil {
		return err
	}
	r.FinishedAt = Now()
	_, err = s.db.Exec(`UPDATE runs SET status = ?, finished_at = ?, counts = ?, message = ? WHERE id = ?`,
		r.Status, r.FinishedAt, string(counts), r.Message, r.ID)
	return err
}

const runColumns = `runs.id, COALESCE(runs.connection_id, 0), runs.connection_name, runs.direction, runs.mode, runs.operator, runs.status,
	runs.started_at, COALESCE(runs.finished_at, ''), runs.counts, runs.message, COALESCE(runs.integration_id, 0), runs.trigger, COALESCE(i.name, ''),
	COALESCE(runs.undo_of, 0), COALESCE((SELECT u.id FROM runs u WHERE u.undo_of = runs.id AND u.status = 'succeeded'), 0)`

// runsFrom joins each run's integration for its name.
const runsFrom = ` FROM runs LEFT JOIN integrations i ON i.id = runs.integration_id `

func scanRun(row scanner) (Run, error) {
	var r Run
	var counts string
	err := row.Scan(&r.ID, &r.ConnectionID, &r.ConnectionName, &r.Direction, &r.Mode, &r.Operator, &r.Status, &r.StartedAt, &r.FinishedAt, &counts, &r.Message, &r.IntegrationID, &r.Trigger, &r.Integration, &r.UndoOf, &r.UndoneBy)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(counts), &r.Counts)
}

// Runs lists the most recent runs first, optionally only those of one connection (connectionID > 0).
func (s *Store) Runs(ctx context.Context, connectionID int64, limit int) ([]Run, error) {
	return s.FindRuns(ctx, RunQuery{ConnectionID: connectionID, Limit: limit})
}

// RunQuery narrows the history; a zero field does not filter.
type RunQuery struct {
	ConnectionID int64  `json:"connectionId"`
	Direction    string `json:"direction"` // import, export, …
	Mode         string `json:"mode"`      // full, selective, ids, …
	Status       string `json:"status"`
	// From and To bound the start time (To excluded), as the workspace writes times (UTC).
	From string `json:"from"`
	To   string `json:"to"`
	// Search is a run's number, or a record's sourcedId in the runs' logs.
	Search string `json:"search"`
	Limit  int    `json:"limit"`
}

// FindRuns lists the runs a query matches, most recent first.
func (s *Store) FindRuns(ctx context.Context, q RunQuery) ([]Run, error) {
	conds, args := []string{"1"}, []any{}
	add := func(cond string, v ...any) { conds, args = append(conds, cond), append(args, v...) }
	if q.ConnectionID > 0 {
		add("runs.connection_id = ?", q.ConnectionID)
	}
	if q.Direction != "" {
		add("runs.direction = ?", q.Direction)
	}
	if q.Mode != "" {
		add("runs.mode = ?", q.Mode)
	}
	if q.Status != "" {
		add("runs.status = ?", q.Status)
	}
	if q.From != "" {
		add("runs.started_at >= ?", q.From)
	}
	if q.To != "" {
		add("runs.started_at < ?", q.To)
	}
	if search := strings.TrimSpace(q.Search); search != "" {
		// A run's number, or a record its log names (each run's log is found by its index).
		add("(CAST(runs.id AS TEXT) = ? OR EXISTS (SELECT 1 FROM run_records r WHERE r.run_id = runs.id AND r.sourced_id = ?))", strings.TrimPrefix(search, "#"), search)
	}
	if q.Limit <= 0 {
		q.Limit = 500
	}
	return queryAll(ctx, s.db, scanRun, `SELECT `+runColumns+runsFrom+`WHERE `+strings.Join(conds, " AND ")+` ORDER BY runs.id DESC LIMIT ?`, append(args, q.Limit)...)
}

// Run returns one run.
func (s *Store) Run(ctx context.Context, id int64) (Run, error) {
	return scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+runsFrom+`WHERE runs.id = ?`, id))
}

// RunRecords returns a page of a run's per-record outcomes, failures first.
func (s *Store) RunRecords(ctx context.Context, runID int64, offset, limit int) ([]RunRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runRecordColumns+` FROM run_records
		WHERE run_id = ? ORDER BY status = 'ok', rowid LIMIT ? OFFSET ?`, runID, limit, offset)
	if err != nil {
		return nil, err
	}
	out := []RunRecord{}
	err = eachRunRecord(rows, func(r RunRecord) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

// RecordQuery narrows a run's logged outcomes; a zero field does not filter.
type RecordQuery struct {
	Entity string `json:"entity"`
	Action string `json:"action"`
	Status string `json:"status"` // ok, failed, skipped
	Search string `json:"search"` // part of a record's ID
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

// RecordPage is a page of a run's logged outcomes, failures first, with how many match in all.
type RecordPage struct {
	Records []RunRecord `json:"records"`
	Total   int         `json:"total"`
}

// FindRunRecords returns the page of a run's logged outcomes a query matches (read through the run's
// index: a run's log, not the whole history, is scanned).
func (s *Store) FindRunRecords(ctx context.Context, runID int64, q RecordQuery) (RecordPage, error) {
	where, args := "run_id = ?", []any{runID}
	for _, f := range []struct{ column, value string }{{"entity", q.Entity}, {"action", q.Action}, {"status", q.Status}} {
		if f.value != "" {
			where, args = where+" AND "+f.column+" = ?", append(args, f.value)
		}
	}
	if search := strings.TrimSpace(q.Search); search != "" {
		where, args = where+" AND instr(sourced_id, ?) > 0", append(args, search)
	}
	page := RecordPage{Records: []RunRecord{}}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM run_records WHERE `+where, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+runRecordColumns+` FROM run_records WHERE `+where+`
		ORDER BY status = 'ok', rowid LIMIT ? OFFSET ?`, append(args, max(q.Limit, 1), max(q.Offset, 0))...)
	if err != nil {
		return page, err
	}
	err = eachRunRecord(rows, func(r RunRecord) error {
		page.Records = append(page.Records, r)
		return nil
	})
	return page, err
}

// RecordChoices are the entities, actions and statuses a run's log has, to filter it by.
type RecordChoices struct {
	Entities []string `json:"entities"`
	Actions  []string `json:"actions"`
	Statuses []string `json:"statuses"`
}

// RunRecordChoices lists the entities, actions and statuses in a run's log, each sorted.
func (s *Store) RunRecordChoices(ctx context.Context, runID int64) (RecordChoices, error) {
	c := RecordChoices{Entities: []string{}, Actions: []string{}, Statuses: []string{}}
	for _, f := range []struct {
		column string
		into   *[]string
	}{{"entity", &c.Entities}, {"action", &c.Actions}, {"status", &c.Statuses}} {
		values, err := queryAll(ctx, s.db, func(row scanner) (v string, err error) { return v, row.Scan(&v) },
			`SELECT DISTINCT `+f.column+` FROM run_records WHERE run_id = ? ORDER BY 1`, runID)
		if err != nil {
			return c, err
		}
		*f.into = values
	}
	return c, nil
}

// CountRunRecords counts a run's logged per-record outcomes.
func (s *Store) CountRunRecords(ctx context.Context, runID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM run_records WHERE run_id = ?`, runID).Scan(&n)
	return n, err
}

// markInterrupted records runs still marked running whose process is gone (a crash, a kill, a power
// cut) as interrupted. Their transactions never committed, so nothing of them was applied. Runs of a
// live process (the window importing while a scheduled command opens the workspace) are left alone.
func (s *Store) markInterrupted() error {
	rows, err := s.db.Query(`SELECT id, pid FROM runs WHERE status = 'running'`)
	if err != nil {
		return err
	}
	var stale []int64
	for rows.Next() {
		var id int64
		var pid int
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return err
		}
		if !scratch.Alive(pid) {
			stale = append(stale, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range stale {
		if _, err := s.db.Exec(`UPDATE runs SET status = 'interrupted', finished_at = ?,
			message = 'Rosterdesk stopped before the run finished; nothing from it was applied.' WHERE id = ?`, Now(), id); err != nil {
			return err
		}
	}
	return nil
}

// AddRunRecords stores per-record outcomes outside an apply transaction: the plan of a run that was
// held, whose own transaction was rolled back.
func (s *Store) AddRunRecords(ctx context.Context, runID int64, records iter.Seq[RunRecord]) error {
	return withTx(ctx, s.db, func(tx *sql.Tx) error { return writeRunRecords(ctx, tx, runID, records) })
}

// RunLog streams every per-record outcome of a run, one row per record (per field for updates):
// the logged ones, then the records it created and (imports) those it joined, which are counted on
// the run and found through origins (imports) or sent (exports) rather than logged one by one.
func (s *Store) RunLog(ctx context.Context, run Run, fn func(RunRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runRecordColumns+` FROM run_records WHERE run_id = ? ORDER BY rowid`, run.ID)
	if err != nil {
		return err
	}
	if err := eachRunRecord(rows, fn); err != nil {
		return err
	}
	// Their reasons are the codes of backend/outcome (created, also_supplied), after the connection's id.
	created := `SELECT entity, COALESCE(record, source_id), 'create', 'ok', '', '', 'created', '', source_id FROM origins WHERE created_run = ? AND connection_id = ? ORDER BY entity, source_id`
	if run.Direction == "export" {
		created = `SELECT entity, sourced_id, 'create', 'ok', '', '', 'created', '', sourced_id FROM sent WHERE created_run = ? AND connection_id = ? ORDER BY entity, sourced_id`
	}
	if rows, err = s.db.QueryContext(ctx, created, run.ID, run.ConnectionID); err != nil {
		return err
	}
	if err := eachRunRecord(rows, fn); err != nil || run.Direction == "export" {
		return err
	}
	// Records another source brought in that this one now supplies too (created_run -run).
	rows, err = s.db.QueryContext(ctx, `SELECT entity, COALESCE(record, source_id), 'update', 'ok', '', '', 'also_supplied', '', source_id
		FROM origins WHERE created_run = ? AND connection_id = ? ORDER BY entity, source_id`, -run.ID, run.ConnectionID)
	if err != nil {
		return err
	}
	return eachRunRecord(rows, fn)
}

func eachRunRecord(rows *sql.Rows, fn func(RunRecord) error) error {
	defer rows.Close()
	for rows.Next() {
		var r RunRecord
		if err := rows.Scan(&r.Entity, &r.SourcedID, &r.Action, &r.Status, &r.Field, &r.Message, &r.Reason, &r.Before, &r.After); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DirectionHistory is the direction of the run that records a clearing of the history.
const DirectionHistory = "history"

// keptRun is true of the runs clearing the history keeps: those still running, and those held for
// review that no later run of the same connection and direction has followed.
const keptRun = `(runs.status = 'running' OR (runs.status = 'held' AND NOT EXISTS (SELECT 1 FROM runs l
	WHERE l.connection_id IS runs.connection_id AND l.direction = runs.direction AND l.id > runs.id)))`

// HistoryCounts says what clearing the history does: the runs it deletes and those it keeps.
type HistoryCounts struct {
	Cleared int `json:"cleared"`
	Kept    int `json:"kept"`
}

// CountHistory says what clearing the history would do now.
func (s *Store) CountHistory(ctx context.Context) (HistoryCounts, error) {
	return countHistory(ctx, s.db, 0)
}

func countHistory(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, except int64) (HistoryCounts, error) {
	var c HistoryCounts
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE NOT `+keptRun+`), COUNT(*) FILTER (WHERE `+keptRun+`)
		FROM runs WHERE id != ?`, except).Scan(&c.Cleared, &c.Kept)
	return c, err
}

// ClearHistory deletes every run but those kept, with their per-record outcomes, in one transaction,
// and records the clearing as a run of its own by operator, whose message says what went. The new
// run is written first, so run numbers keep growing and a number never names two runs.
func (s *Store) ClearHistory(ctx context.Context, operator string, message func(HistoryCounts) string) (Run, HistoryCounts, error) {
	r := Run{Direction: DirectionHistory, Mode: "full", Operator: operator, Status: RunSucceeded, StartedAt: Now(), Counts: map[string]EntityCounts{}}
	var counts HistoryCounts
	err := withTx(ctx, s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO runs (connection_name, direction, mode, operator, pid, status, started_at) VALUES ('', ?, ?, ?, ?, ?, ?)`,
			r.Direction, r.Mode, r.Operator, os.Getpid(), r.Status, r.StartedAt)
		if err != nil {
			return err
		}
		if r.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if counts, err = countHistory(ctx, tx, r.ID); err != nil {
			return err
		}
		// run_records go with their runs (ON DELETE CASCADE).
		if _, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE id != ? AND NOT `+keptRun, r.ID); err != nil {
			return err
		}
		r.Message, r.FinishedAt = message(counts), Now()
		_, err = tx.ExecContext(ctx, `UPDATE runs SET message = ?, finished_at = ? WHERE id = ?`, r.Message, r.FinishedAt, r.ID)
		return err
	})
	return r, counts, err
}
