package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Mapping returns the saved mapping of an integration's entity (the JSON of mapping.Mapping); found
// is false when none is saved and the entity's default applies.
func (s *Store) Mapping(ctx context.Context, integrationID int64, e roster.Entity) (raw string, found bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT mapping FROM mappings WHERE integration_id = ? AND entity = ?`, integrationID, string(e)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return raw, err == nil, err
}

// SaveMapping stores the mapping of an integration's entity, replacing the one before.
func (s *Store) SaveMapping(ctx context.Context, integrationID int64, e roster.Entity, raw, operator string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO mappings (integration_id, entity, mapping, saved_at, operator) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (integration_id, entity) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at, operator = excluded.operator`,
		integrationID, string(e), raw, Now(), operator)
	return err
}

// DeleteMapping forgets the mapping of an integration's entity: its default applies again.
func (s *Store) DeleteMapping(ctx context.Context, integrationID int64, e roster.Entity) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM mappings WHERE integration_id = ? AND entity = ?`, integrationID, string(e))
	return err
}

// MappedEntities lists the entities an integration has a saved mapping of.
func (s *Store) MappedEntities(ctx context.Context, integrationID int64) ([]string, error) {
	return queryAll(ctx, s.db, func(row scanner) (string, error) {
		var e string
		return e, row.Scan(&e)
	}, `SELECT entity FROM mappings WHERE integration_id = ? ORDER BY entity`, integrationID)
}

// Delivery is one record an API target answered for: now holding this object under Key, or
// (Gone) no longer holding it.
type Delivery struct {
	Entity    string
	SourcedID string
	Hash      int64
	Object    string // the JSON object delivered
	Key       string
	Gone      bool
}

// Delivered records, in one short transaction, what an API target answered for since the last
// call: the records it now has join its baseline, those it deleted leave it, with their run
// records. Called every few hundred answers, so a push cut short (a crash, a lost connection)
// still knows what the target holds and never creates a record there twice.
func (s *Store) Delivered(ctx context.Context, connectionID, runID int64, ds []Delivery, records []RunRecord) error {
	ctx = context.WithoutCancel(ctx) // the target has these records: record them even when cancelled
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	p := &preparer{ctx: ctx, tx: tx}
	put := p.stmt(`INSERT INTO sent (connection_id, entity, sourced_id, hash, vals, target_key, created_run) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, entity, sourced_id) DO UPDATE SET hash = excluded.hash, vals = excluded.vals, target_key = excluded.target_key`)
	gone := p.stmt(`DELETE FROM sent WHERE connection_id = ? AND entity = ? AND sourced_id = ?`)
	log := p.stmt(insertRunRecord)
	if p.err != nil {
		return p.err
	}
	for _, d := range ds {
		if d.Gone {
			_, err = gone.ExecContext(ctx, connectionID, d.Entity, d.SourcedID)
		} else {
			_, err = put.ExecContext(ctx, connectionID, d.Entity, d.SourcedID, d.Hash, d.Object, d.Key, runID)
		}
		if err != nil {
			return err
		}
	}
	for _, r := range records {
		if _, err := log.ExecContext(ctx, r.args(runID)...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Delivered returns what an API target was last sent of one record: the key it knows it by and
// the JSON object it holds.
func (x *Send) Delivered(e roster.Entity, id string) (key, object string, err error) {
	var k sql.NullString
	err = x.tx.QueryRowContext(x.ctx, `SELECT target_key, vals FROM sent WHERE connection_id = ? AND entity = ? AND sourced_id = ?`,
		x.connectionID, string(e), id).Scan(&k, &object)
	return k.String, object, err
}

// RosterID returns the roster sourcedId of a record asked for by it or by any source's id of it.
func (s *Store) RosterID(ctx context.Context, e roster.Entity, id string) (string, error) {
	if err := checkEntity(e); err != nil {
		return "", err
	}
	rec, err := findRecord(ctx, s.db, e, id)
	if errors.Is(err, ErrNotFound) {
		rec, err = s.recordBySourceID(ctx, e, id)
	}
	if err != nil {
		return "", err
	}
	return rec.SourcedID(), nil
}

// Where returns the live records of entity e whose column holds value, in the export's read
// transaction (the relatives of one record, for a preview).
func (x *Send) Where(e roster.Entity, column, value string) ([]roster.Record, error) {
	var out []roster.Record
	err := eachRecordWhere(x.ctx, x.tx, e, ` WHERE "`+column+`" = ? AND status IS NOT 'tobedeleted'`+sendable(e, " AND "), []any{value}, func(r roster.Record) error {
		out = append(out, r)
		return nil
	})
	return out, err
}
