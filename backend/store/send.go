package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sort"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Send is one export. It reads the roster and what the target was last sent in a read transaction
// (a consistent snapshot that blocks no one), collects the changes to that baseline in a temporary
// table of its own connection, and writes them with the run's records in one short transaction once
// the target has the file: a failed or cut-off delivery leaves the baseline as it was (the next
// delta sends the same changes again), and no other run waits while a file uploads.
type Send struct {
	ctx          context.Context
	conn         *sql.Conn // the temporary table of changes lives on this connection
	tx           *sql.Tx   // the read transaction, until EndRead
	connectionID int64
	runID        int64
	put          *batch // changes are written many rows per statement, as imports are
	gone         *batch // ... and so are the records gone
	prior        *sql.Stmt
	closed       bool
}

// BeginSend starts an export's read transaction. Rollback must follow, after Commit or not.
func (s *Store) BeginSend(ctx context.Context, connectionID, runID int64) (*Send, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	x := &Send{ctx: ctx, conn: conn, connectionID: connectionID, runID: runID}
	for _, q := range []string{`CREATE TEMP TABLE IF NOT EXISTS send_changes (entity TEXT NOT NULL, sourced_id TEXT NOT NULL,
			hash INTEGER NOT NULL, vals TEXT NOT NULL)`, `CREATE TEMP TABLE IF NOT EXISTS send_gone (entity TEXT NOT NULL, sourced_id TEXT NOT NULL)`,
		`DELETE FROM temp.send_changes`, `DELETE FROM temp.send_gone`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			return nil, err
		}
	}
	// Deferred (ReadOnly leaves out the workspace's "immediate"): it writes only its temporary
	// table, and must not keep others from writing while an export reads.
	if x.tx, err = conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}); err != nil {
		conn.Close()
		return nil, err
	}
	p := &preparer{ctx: ctx, tx: x.tx}
	x.put = p.batch(`INSERT INTO temp.send_changes (entity, sourced_id, hash, vals) VALUES `, nil, 4, ``)
	x.gone = p.batch(`INSERT INTO temp.send_gone (entity, sourced_id) VALUES `, nil, 2, ``)
	x.prior = p.stmt(`SELECT vals FROM sent WHERE connection_id = ? AND entity = ? AND sourced_id = ?`)
	if p.err != nil {
		x.Rollback()
		return nil, p.err
	}
	return x, nil
}

// Sent returns sourcedId → content hash of what the target was last sent of one entity.
func (x *Send) Sent(e roster.Entity) (map[string]int64, error) {
	return hashes(x.ctx, x.tx, `SELECT sourced_id, hash FROM sent WHERE connection_id = ? AND entity = ?`, x.connectionID, string(e))
}

// SentRows walks what the target was last sent of one entity a record at a time, in sourcedId
// order: the order Each reads the roster in, so an export compares the two side by side and holds
// neither (a map of the enrollments a state was sent took some 100 MB).
type SentRows struct {
	rows *sql.Rows
	err  error
	ID   string
	Hash int64 // the content hash of what was sent
}

// SentInOrder starts the walk of what the target was last sent of e. Close must follow.
func (x *Send) SentInOrder(e roster.Entity) (*SentRows, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT sourced_id, hash FROM sent WHERE connection_id = ? AND entity = ? ORDER BY sourced_id`, x.connectionID, string(e))
	if err != nil {
		return nil, err
	}
	return &SentRows{rows: rows}, nil
}

// Next moves to the next record sent; false at the end or on an error (Err says which).
func (r *SentRows) Next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	r.err = r.rows.Scan(&r.ID, &r.Hash)
	return r.err == nil
}

// Err is the error that ended the walk, if any.
func (r *SentRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// Close ends the walk.
func (r *SentRows) Close() error { return r.rows.Close() }

// hashes reads a query of (sourcedId, content hash) rows into a map.
func hashes(ctx context.Context, q querier, query string, args ...any) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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

// Prior returns the values the target was last sent of one record.
func (x *Send) Prior(e roster.Entity, id string) ([]string, error) {
	var raw string
	if err := x.prior.QueryRowContext(x.ctx, x.connectionID, string(e), id).Scan(&raw); err != nil {
		return nil, err
	}
	var vals []string
	return vals, json.Unmarshal([]byte(raw), &vals)
}

// Put remembers that the target now has this record.
func (x *Send) Put(rec roster.Record, hash int64) error {
	raw, err := json.Marshal(rec.Values)
	if err != nil {
		return err
	}
	return x.put.add(x.ctx, string(rec.Entity), rec.SourcedID(), hash, string(raw))
}

// Gone forgets a record the target was told to delete.
func (x *Send) Gone(e roster.Entity, id string) error {
	return x.gone.add(x.ctx, string(e), id)
}

// EachGone streams the records of an entity Gone was called with, in the order it was: an export
// finds them as it walks the roster and writes their rows after the roster's. With whole, each
// comes as the roster has it (one it no longer has, with just its id), read in the same query:
// one query for each record took most of a delta export deleting half a district; without, each
// comes with just its id.
func (x *Send) EachGone(e roster.Entity, whole bool, fn func(roster.Record) error) error {
	if err := x.gone.flush(x.ctx); err != nil {
		return err
	}
	columns, join := `g.sourced_id`, ``
	if whole {
		names := roster.Schema(e).Names()
		columns = `COALESCE(r."sourcedId", g.sourced_id), ` + blanks(names[1:]) + `, COALESCE(r.metadata, '')`
		join = ` LEFT JOIN ` + table(e) + ` AS r ON r."sourcedId" = g.sourced_id`
	}
	rows, err := x.tx.QueryContext(x.ctx, `SELECT `+columns+` FROM temp.send_gone AS g`+join+` WHERE g.entity = ? ORDER BY g.rowid`, string(e))
	if err != nil {
		return err
	}
	defer rows.Close()
	ptrs := make([]any, len(roster.Schema(e).Names())+1)
	for rows.Next() {
		var rec roster.Record
		if whole {
			rec, err = scanRecord(rows, e, ptrs)
		} else {
			rec = roster.NewRecord(e)
			err = rows.Scan(&rec.Values[0])
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Each streams every record of an entity in sourcedId order, as of the transaction's start.
// A user kept as the redundant secondary of a merge (and its demographics) is never sent.
func (x *Send) Each(ctx context.Context, e roster.Entity, fn func(roster.Record) error) error {
	return eachRecordWhere(ctx, x.tx, e, sendable(e, " WHERE ")+` ORDER BY "sourcedId"`, nil, fn)
}

// sendable is the condition leaving out redundant users and their demographics ("" for other
// entities), after word (WHERE or AND).
func sendable(e roster.Entity, word string) string {
	if e == roster.Users || e == roster.Demographics {
		return word + redundantUsers
	}
	return ""
}

// EachPartial streams the live (not tobedeleted) records of an entity with only the named columns
// filled: reading a few columns of a million rows is several times faster than reading them whole.
func (x *Send) EachPartial(ctx context.Context, e roster.Entity, columns []string, fn func(roster.Record) error) error {
	return eachPartial(ctx, x.tx, e, columns, sendable(e, " AND "), fn)
}

// Sizes counts the rows of each roster table, live or not: room to reserve for the roster's shape,
// read in a fraction of what reading the statuses to leave out the deleted ones would take.
func (x *Send) Sizes() (map[roster.Entity]int, error) {
	out := map[roster.Entity]int{}
	for _, e := range roster.Entities {
		var n int
		if err := x.tx.QueryRowContext(x.ctx, `SELECT COUNT(*) FROM `+table(e)).Scan(&n); err != nil {
			return nil, err
		}
		out[e] = n
	}
	return out, nil
}

// Find returns one roster record.
func (x *Send) Find(e roster.Entity, id string) (roster.Record, error) {
	return findRecord(x.ctx, x.tx, e, id)
}

// MetadataNames lists the extension columns any record of an entity has, so an export's file has
// a column for each (a record's own may be fewer).
func (x *Send) MetadataNames(e roster.Entity) ([]string, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT DISTINCT j.key FROM `+table(e)+`, json_each(`+table(e)+`.metadata) AS j
		WHERE `+table(e)+`.metadata IS NOT NULL ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// EndRead ends the read transaction: the changes are collected, the file is written, and the
// roster need not stay as it was while the file is delivered.
func (x *Send) EndRead() error {
	for _, b := range []*batch{x.put, x.gone} {
		if err := b.flush(x.ctx); err != nil {
			return err
		}
	}
	tx := x.tx
	x.tx = nil
	return tx.Commit()
}

// Commit writes the collected changes to the baseline and the run's records, in one transaction.
// The target has the file by now, so a cancel that comes late no longer stops the bookkeeping.
func (x *Send) Commit(records iter.Seq[RunRecord]) error {
	if x.tx != nil {
		if err := x.EndRead(); err != nil {
			return err
		}
	}
	ctx := context.WithoutCancel(x.ctx)
	tx, err := x.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sent (connection_id, entity, sourced_id, hash, vals, created_run)
		SELECT ?, entity, sourced_id, hash, vals, ? FROM temp.send_changes WHERE true -- else ON reads as a join's
		ON CONFLICT (connection_id, entity, sourced_id) DO UPDATE SET hash = excluded.hash, vals = excluded.vals`, x.connectionID, x.runID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sent WHERE connection_id = ? AND (entity, sourced_id) IN
		(SELECT entity, sourced_id FROM temp.send_gone)`, x.connectionID); err != nil {
		return err
	}
	if err := writeRunRecords(ctx, tx, x.runID, records); err != nil {
		return err
	}
	return tx.Commit()
}

// Rollback ends the export's transaction if still open, forgets the collected changes and returns
// the connection; safe after Commit.
func (x *Send) Rollback() error {
	if x.closed {
		return nil
	}
	x.closed = true
	if x.tx != nil {
		x.tx.Rollback()
		x.tx = nil
	}
	_, err := x.conn.ExecContext(context.Background(), `DELETE FROM temp.send_changes`)
	if _, gone := x.conn.ExecContext(context.Background(), `DELETE FROM temp.send_gone`); err == nil {
		err = gone
	}
	x.conn.Close()
	return err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func eachRecord(ctx context.Context, q querier, e roster.Entity, fn func(roster.Record) error) error {
	return eachRecordWhere(ctx, q, e, ` ORDER BY "sourcedId"`, nil, fn)
}

func eachRecordWhere(ctx context.Context, q querier, e roster.Entity, tail string, args []any, fn func(roster.Record) error) error {
	names := roster.Schema(e).Names()
	rows, err := q.QueryContext(ctx, `SELECT `+blanks(names)+`, COALESCE(metadata, '') FROM `+table(e)+tail, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	ptrs := make([]any, len(names)+1)
	for rows.Next() {
		rec, err := scanRecord(rows, e, ptrs)
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanRecord reads a row of the entity's columns and its metadata into a new record; ptrs is
// scratch space of one more than the entity's columns.
func scanRecord(rows *sql.Rows, e roster.Entity, ptrs []any) (roster.Record, error) {
	rec := roster.NewRecord(e)
	for i := range rec.Values {
		ptrs[i] = &rec.Values[i]
	}
	var meta string
	ptrs[len(rec.Values)] = &meta
	err := rows.Scan(ptrs...)
	if err == nil && meta != "" {
		rec.Metadata, err = decodeMetadata(meta)
	}
	return rec, err
}

func findRecord(ctx context.Context, q querier, e roster.Entity, id string) (roster.Record, error) {
	rec, found := roster.Record{}, false
	err := eachRecordWhere(ctx, q, e, ` WHERE "sourcedId" = ?`, []any{id}, func(r roster.Record) error {
		rec, found = r, true
		return nil
	})
	if err == nil && !found {
		err = ErrNotFound
	}
	return rec, err
}

// decodeMetadata reads the extension columns kept as a JSON object, in name order (the object does
// not keep the file's order, and a stable order keeps exports byte-for-byte repeatable).
func decodeMetadata(raw string) ([]roster.MetadataValue, error) {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, errors.New("a roster record's extension columns are unreadable: " + err.Error())
	}
	out := make([]roster.MetadataValue, 0, len(m))
	for k, v := range m {
		out = append(out, roster.MetadataValue{Name: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// EachPartial is Send.EachPartial outside an export.
func (s *Store) EachPartial(ctx context.Context, e roster.Entity, columns []string, fn func(roster.Record) error) error {
	return eachPartial(ctx, s.db, e, columns, "", fn)
}

func eachPartial(ctx context.Context, q querier, e roster.Entity, columns []string, where string, fn func(roster.Record) error) error {
	schema := roster.Schema(e)
	at := make([]int, len(columns))
	for i, c := range columns {
		if at[i] = schema.Index(c); at[i] < 0 {
			return fmt.Errorf("%s has no column %s", e, c)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT `+blanks(columns)+` FROM `+table(e)+` WHERE status IS NOT 'tobedeleted'`+where)
	if err != nil {
		return err
	}
	defer rows.Close()
	ptrs := make([]any, len(columns))
	for rows.Next() {
		rec := roster.NewRecord(e)
		for i, col := range at {
			ptrs[i] = &rec.Values[col]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}
