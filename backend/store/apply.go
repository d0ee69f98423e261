package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Apply writes one run's changes to the roster in a single transaction, so the roster is never left
// half-applied. Upserts are queued and written many rows per statement, which is what makes bulk
// loads fast with SQLite; every other operation first writes what is queued, so the order of
// operations is kept.
type Apply struct {
	ctx          context.Context
	tx           *sql.Tx
	connectionID int64
	runID        int64
	upserts      map[roster.Entity]*batch
	origins      *batch
	deletes      map[roster.Entity]*sql.Stmt
	originGone   *sql.Stmt
	record       *sql.Stmt
}

// batchRows is how many rows one INSERT carries; 64 rows of the widest entity (users, 23 columns)
// stay far below SQLite's limit of 32,766 parameters.
const batchRows = 64

// batch queues rows for one INSERT … VALUES (…), (…) statement.
type batch struct {
	full  *sql.Stmt // batchRows rows
	one   *sql.Stmt // one row, for what is left at a flush
	width int
	args  []any
	rows  int
}

func (b *batch) add(ctx context.Context, values ...any) error {
	b.args = append(b.args, values...)
	if b.rows++; b.rows < batchRows {
		return nil
	}
	_, err := b.full.ExecContext(ctx, b.args...)
	b.args, b.rows = b.args[:0], 0
	return err
}

func (b *batch) flush(ctx context.Context) error {
	for i := 0; i < b.rows; i++ {
		if _, err := b.one.ExecContext(ctx, b.args[i*b.width:(i+1)*b.width]...); err != nil {
			return err
		}
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}

// preparer prepares a run's statements on its transaction, keeping the first error, so a run
// prepares them all and checks once.
type preparer struct {
	ctx context.Context
	tx  *sql.Tx
	err error
}

func (p *preparer) stmt(query string) *sql.Stmt {
	if p.err != nil {
		return nil
	}
	st, err := p.tx.PrepareContext(p.ctx, query)
	p.err = err
	return st
}

// batch prepares an INSERT of batchRows rows and one of a single row: head … VALUES, rows, tail.
func (p *preparer) batch(head string, width int, tail string) *batch {
	row := "(?" + strings.Repeat(", ?", width-1) + ")"
	rows := strings.Repeat(row+", ", batchRows-1) + row
	return &batch{full: p.stmt(head + rows + tail), one: p.stmt(head + row + tail), width: width, args: make([]any, 0, width*batchRows)}
}

// BeginApply opens the run's transaction. Exactly one of Commit or Rollback must follow.
func (s *Store) BeginApply(ctx context.Context, connectionID, runID int64) (*Apply, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	a := &Apply{ctx: ctx, tx: tx, connectionID: connectionID, runID: runID,
		upserts: map[roster.Entity]*batch{}, deletes: map[roster.Entity]*sql.Stmt{}}
	p := &preparer{ctx: ctx, tx: tx}
	a.origins = p.batch(`INSERT INTO origins (connection_id, entity, source_id, hash, created_run) VALUES `, 5,
		` ON CONFLICT (connection_id, entity, source_id) DO UPDATE SET hash = excluded.hash`)
	a.originGone = p.stmt(`UPDATE origins SET hash = 0 WHERE connection_id = ? AND entity = ? AND source_id = ?`)
	a.record = p.stmt(`INSERT INTO run_records (run_id, entity, sourced_id, action, status, field, message) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	for _, e := range roster.Entities {
		names := roster.Schema(e).Names()
		set := make([]string, 0, len(names))
		for _, n := range names[1:] {
			set = append(set, `"`+n+`" = excluded."`+n+`"`)
		}
		a.upserts[e] = p.batch(`INSERT INTO `+table(e)+` (`+quoted(names)+`, metadata) VALUES `, len(names)+1,
			` ON CONFLICT ("sourcedId") DO UPDATE SET `+strings.Join(set, ", ")+`, metadata = excluded.metadata`)
		a.deletes[e] = p.stmt(`UPDATE ` + table(e) + ` SET status = 'tobedeleted', "dateLastModified" = ? WHERE "sourcedId" = ?`)
	}
	if p.err != nil {
		tx.Rollback()
		return nil, p.err
	}
	return a, nil
}

// flush writes every queued row.
func (a *Apply) flush() error {
	for _, e := range roster.Entities {
		if err := a.upserts[e].flush(a.ctx); err != nil {
			return err
		}
	}
	return a.origins.flush(a.ctx)
}

// Origins returns source sourcedId → last applied content hash for one entity of this connection.
func (a *Apply) Origins(e roster.Entity) (map[string]int64, error) {
	if err := a.flush(); err != nil {
		return nil, err
	}
	return hashes(a.ctx, a.tx, `SELECT source_id, hash FROM origins WHERE connection_id = ? AND entity = ?`, a.connectionID, string(e))
}

// Upsert writes a record into the roster and remembers its origin and content hash.
func (a *Apply) Upsert(rec roster.Record, hash int64) error {
	b := a.upserts[rec.Entity]
	args := make([]any, 0, b.width)
	for _, v := range rec.Values {
		if v == "" {
			args = append(args, nil) // blank is stored as NULL: the driver copies every string it binds
		} else {
			args = append(args, v)
		}
	}
	var meta any // NULL when the record has no extension columns
	if len(rec.Metadata) > 0 {
		m := make(map[string]string, len(rec.Metadata))
		for _, kv := range rec.Metadata {
			m[kv.Name] = kv.Value
		}
		raw, err := json.Marshal(m)
		if err != nil {
			return err
		}
		meta = string(raw)
	}
	if err := b.add(a.ctx, append(args, meta)...); err != nil {
		return err
	}
	return a.origins.add(a.ctx, a.connectionID, string(rec.Entity), rec.SourcedID(), hash, a.runID)
}

// MarkDeleted sets a record's status to tobedeleted as of when; its origin hash becomes 0 so the
// record counts as changed if the source sends it again.
func (a *Apply) MarkDeleted(e roster.Entity, sourcedID, when string) error {
	if err := a.flush(); err != nil {
		return err
	}
	if _, err := a.deletes[e].ExecContext(a.ctx, when, sourcedID); err != nil {
		return err
	}
	_, err := a.originGone.ExecContext(a.ctx, a.connectionID, string(e), sourcedID)
	return err
}

// Current returns a roster record as it is before this run changes it.
func (a *Apply) Current(e roster.Entity, sourcedID string) (roster.Record, error) {
	return findRecord(a.ctx, a.tx, e, sourcedID)
}

// Record stores one per-record outcome of the run.
func (a *Apply) Record(r RunRecord) error {
	_, err := a.record.ExecContext(a.ctx, a.runID, r.Entity, r.SourcedID, r.Action, r.Status, r.Field, r.Message)
	return err
}

// Commit writes what is queued and makes the run's changes visible at once.
func (a *Apply) Commit() error {
	if err := a.flush(); err != nil {
		return err
	}
	return a.tx.Commit()
}

// Rollback discards the run's changes; safe after Commit.
func (a *Apply) Rollback() error { return a.tx.Rollback() }
