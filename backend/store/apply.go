package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Apply writes one run's changes to the roster in a single transaction with prepared statements,
// so the roster is never left half-applied and bulk loads stay fast.
type Apply struct {
	ctx          context.Context
	tx           *sql.Tx
	connectionID int64
	runID        int64
	upserts      map[roster.Entity]*sql.Stmt
	deletes      map[roster.Entity]*sql.Stmt
	origin       *sql.Stmt
	originGone   *sql.Stmt
	record       *sql.Stmt
}

// BeginApply opens the run's transaction. Exactly one of Commit or Rollback must follow.
func (s *Store) BeginApply(ctx context.Context, connectionID, runID int64) (*Apply, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	a := &Apply{ctx: ctx, tx: tx, connectionID: connectionID, runID: runID,
		upserts: map[roster.Entity]*sql.Stmt{}, deletes: map[roster.Entity]*sql.Stmt{}}
	prepare := func(dst **sql.Stmt, query string) {
		if err == nil {
			*dst, err = tx.PrepareContext(ctx, query)
		}
	}
	prepare(&a.origin, `INSERT INTO origins (connection_id, entity, source_id, roster_id, hash) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, entity, source_id) DO UPDATE SET roster_id = excluded.roster_id, hash = excluded.hash`)
	prepare(&a.originGone, `UPDATE origins SET hash = 0 WHERE connection_id = ? AND entity = ? AND source_id = ?`)
	prepare(&a.record, `INSERT INTO run_records (run_id, entity, sourced_id, action, status, field, message) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	for _, e := range roster.Entities {
		names := roster.Schema(e).Names()
		set := make([]string, 0, len(names))
		for _, n := range names[1:] {
			set = append(set, `"`+n+`" = excluded."`+n+`"`)
		}
		var upsert, del *sql.Stmt
		prepare(&upsert, `INSERT INTO `+table(e)+` (`+quoted(names)+`, metadata) VALUES (?`+strings.Repeat(", ?", len(names))+`)
			ON CONFLICT ("sourcedId") DO UPDATE SET `+strings.Join(set, ", ")+`, metadata = excluded.metadata`)
		prepare(&del, `UPDATE `+table(e)+` SET status = 'tobedeleted', "dateLastModified" = ? WHERE "sourcedId" = ?`)
		a.upserts[e], a.deletes[e] = upsert, del
	}
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return a, nil
}

// Origins returns source sourcedId → last applied content hash for one entity of this connection.
func (a *Apply) Origins(e roster.Entity) (map[string]int64, error) {
	rows, err := a.tx.QueryContext(a.ctx, `SELECT source_id, hash FROM origins WHERE connection_id = ? AND entity = ?`, a.connectionID, string(e))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var h int64
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		out[id] = h
	}
	return out, rows.Err()
}

// Upsert writes a record into the roster and remembers its origin and content hash.
func (a *Apply) Upsert(rec roster.Record, hash int64) error {
	args := make([]any, 0, len(rec.Values)+1)
	for _, v := range rec.Values {
		args = append(args, v)
	}
	var meta any // NULL when the record has no extension columns
	if len(rec.Metadata) > 0 {
		m := make(map[string]string, len(rec.Metadata))
		for _, kv := range rec.Metadata {
			m[kv.Name] = kv.Value
		}
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		meta = string(b)
	}
	if _, err := a.upserts[rec.Entity].ExecContext(a.ctx, append(args, meta)...); err != nil {
		return err
	}
	id := rec.SourcedID()
	_, err := a.origin.ExecContext(a.ctx, a.connectionID, string(rec.Entity), id, id, hash)
	return err
}

// MarkDeleted sets a record's status to tobedeleted as of when; its origin hash becomes 0 so the
// record counts as changed if the source sends it again.
func (a *Apply) MarkDeleted(e roster.Entity, sourcedID, when string) error {
	if _, err := a.deletes[e].ExecContext(a.ctx, when, sourcedID); err != nil {
		return err
	}
	_, err := a.originGone.ExecContext(a.ctx, a.connectionID, string(e), sourcedID)
	return err
}

// Record stores one per-record outcome of the run.
func (a *Apply) Record(r RunRecord) error {
	_, err := a.record.ExecContext(a.ctx, a.runID, r.Entity, r.SourcedID, r.Action, r.Status, r.Field, r.Message)
	return err
}

// Commit makes the run's changes visible at once.
func (a *Apply) Commit() error { return a.tx.Commit() }

// Rollback discards the run's changes; safe after Commit.
func (a *Apply) Rollback() error { return a.tx.Rollback() }
