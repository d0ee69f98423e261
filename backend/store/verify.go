package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Supplied is one record a source supplies, as the roster keeps that source's values of it: its
// own values where several sources supply the record (so a field another source wins by precedence
// is not taken for a difference), else the roster row's. References are in roster ids.
type Supplied struct {
	SourceID string
	RecordID string // the roster's id of it
	Live     bool   // false once the source deleted it or left it out
	Record   roster.Record
}

// EachSupplied streams the records a connection supplies of entity e in order of the source's ids
// (the origins' primary key), for a merge with the source's own records sorted the same way.
func (s *Store) EachSupplied(ctx context.Context, connectionID int64, e roster.Entity, fn func(Supplied) error) error {
	names := roster.Schema(e).Names()
	rows, err := s.db.QueryContext(ctx, `SELECT o.source_id, COALESCE(o.record, o.source_id), o.hash, COALESCE(o.vals, ''), `+blanks(names)+`, COALESCE(metadata, '')
		FROM origins o LEFT JOIN `+table(e)+` r ON r."sourcedId" = COALESCE(o.record, o.source_id)
		WHERE o.connection_id = ? AND o.entity = ? ORDER BY o.source_id`, connectionID, string(e))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sp Supplied
		var hash int64
		var vals, meta string
		rec := roster.NewRecord(e)
		ptrs := []any{&sp.SourceID, &sp.RecordID, &hash, &vals}
		for i := range rec.Values {
			ptrs = append(ptrs, &rec.Values[i])
		}
		if err := rows.Scan(append(ptrs, &meta)...); err != nil {
			return err
		}
		sp.Live = hash != 0
		if vals != "" { // the source's own values: several sources supply the record
			v, err := reconcile.Decode(e, vals)
			if err != nil {
				return err
			}
			rec.Values, rec.Metadata = v.V, nil
			for name, value := range v.M {
				rec.Metadata = append(rec.Metadata, roster.MetadataValue{Name: name, Value: value})
			}
		} else if meta != "" {
			if rec.Metadata, err = decodeMetadata(meta); err != nil {
				return err
			}
		}
		sp.Record = rec
		if err := fn(sp); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SuppliedAs returns the roster id of the record a connection calls sourceID, or ErrNotFound.
func (s *Store) SuppliedAs(ctx context.Context, connectionID int64, e roster.Entity, sourceID string) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(record, source_id) FROM origins WHERE connection_id = ? AND entity = ? AND source_id = ?`,
		connectionID, string(e), sourceID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return id, err
}
