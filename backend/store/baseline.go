package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// BaselineRow is what both sides of a sync connection held of one record after its last sync; Gone
// says both sides no longer hold it, so its baseline is forgotten (only Entity and SourcedID count).
type BaselineRow struct {
	Entity    roster.Entity
	SourcedID string
	Values    reconcile.Values
	Hash      int64
	Gone      bool
}

// BaselineEmpty says whether a connection has no baseline: it was never synced.
func (s *Store) BaselineEmpty(ctx context.Context, connectionID int64) (bool, error) {
	var empty bool
	err := s.db.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM sync_baseline WHERE connection_id = ?)`, connectionID).Scan(&empty)
	return empty, err
}

// EachBaseline streams the content hash of every record of an entity in a connection's baseline,
// in sourcedId order: a sync compares hashes first and reads the values of the few records that
// changed (BaselineRecord), so it reads 8 bytes a record of the baseline, not its values.
func (s *Store) EachBaseline(ctx context.Context, connectionID int64, e roster.Entity, fn func(sourcedID string, hash int64) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT sourced_id, hash FROM sync_baseline WHERE connection_id = ? AND entity = ? ORDER BY sourced_id`, connectionID, string(e))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h int64
		if err := rows.Scan(&id, &h); err != nil {
			return err
		}
		if err := fn(id, h); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BaselineRecord returns one record's baseline, or ErrNotFound.
func (s *Store) BaselineRecord(ctx context.Context, connectionID int64, e roster.Entity, sourcedID string) (BaselineRow, error) {
	r := BaselineRow{Entity: e, SourcedID: sourcedID}
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT vals, hash FROM sync_baseline WHERE connection_id = ? AND entity = ? AND sourced_id = ?`,
		connectionID, string(e), sourcedID).Scan(&raw, &r.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err == nil {
		r.Values, err = reconcile.Decode(e, raw)
	}
	return r, err
}

// PutBaseline stores records' new baselines, and forgets those of rows Gone, in the run's
// transaction, so they change with the roster. rows is read once, as it comes: a first sync stores
// a baseline for every record.
func (a *Apply) PutBaseline(rows iter.Seq2[BaselineRow, error]) error {
	set, err := a.tx.PrepareContext(a.ctx, `INSERT INTO sync_baseline (connection_id, entity, sourced_id, vals, hash) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, entity, sourced_id) DO UPDATE SET vals = excluded.vals, hash = excluded.hash`)
	if err != nil {
		return err
	}
	defer set.Close()
	drop, err := a.tx.PrepareContext(a.ctx, `DELETE FROM sync_baseline WHERE connection_id = ? AND entity = ? AND sourced_id = ?`)
	if err != nil {
		return err
	}
	defer drop.Close()
	for r, err := range rows {
		if err == nil && r.Gone {
			_, err = drop.ExecContext(a.ctx, a.connectionID, string(r.Entity), r.SourcedID)
		} else if err == nil {
			_, err = set.ExecContext(a.ctx, a.connectionID, string(r.Entity), r.SourcedID, r.Values.Encode(), r.Hash)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Sides of a sync and the choices of a conflict.
const (
	SideWorkspace = "workspace"
	SideExternal  = "external"
)

// SyncConflict is a field (or, Field "", a whole record: deleted on one side, changed on the other)
// that both sides of a sync connection changed to different values while its policy was "ask". It
// waits until a registrar chooses a side (Resolution); the next sync applies the choice. A side whose
// record is missing (deleted) says so in WorkspaceGone / ExternalGone; Baseline is blank for a record
// both sides created.
type SyncConflict struct {
	ID            int64  `json:"id"`
	Key           string `json:"key"` // entity/field/sourcedId, what ResolveSyncConflict takes
	ConnectionID  int64  `json:"connectionId"`
	Entity        string `json:"entity"`
	SourcedID     string `json:"sourcedId"`
	Field         string `json:"field"`
	Baseline      string `json:"baseline"`
	Workspace     string `json:"workspace"`
	External      string `json:"external"`
	WorkspaceGone bool   `json:"workspaceGone"`
	ExternalGone  bool   `json:"externalGone"`
	FoundRun      int64  `json:"foundRun"`
	FoundAt       string `json:"foundAt"`
	Resolution    string `json:"resolution"` // "" while waiting, else workspace or external
	ResolvedAt    string `json:"resolvedAt"`
	ResolvedBy    string `json:"resolvedBy"`
}

// ConflictKey names a conflict of a connection: the sourcedId comes last, so it may hold any character.
func ConflictKey(e, field, sourcedID string) string { return e + "/" + field + "/" + sourcedID }

// SplitConflictKey reads a key made by ConflictKey.
func SplitConflictKey(key string) (e, field, sourcedID string, ok bool) {
	parts := strings.SplitN(key, "/", 3)
	if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// SyncConflicts lists a connection's open conflicts (waiting, or chosen and not applied yet), the
// waiting ones first.
func (s *Store) SyncConflicts(ctx context.Context, connectionID int64) ([]SyncConflict, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, entity, sourced_id, field, baseline, workspace, external, COALESCE(found_run, 0), found_at,
		COALESCE(resolution, ''), COALESCE(resolved_at, ''), resolved_by FROM sync_conflicts
		WHERE connection_id = ? AND applied_run IS NULL ORDER BY resolution IS NOT NULL, entity, sourced_id, field`, connectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SyncConflict{}
	for rows.Next() {
		c := SyncConflict{ConnectionID: connectionID}
		var base, ws, ext sql.NullString
		if err := rows.Scan(&c.ID, &c.Entity, &c.SourcedID, &c.Field, &base, &ws, &ext, &c.FoundRun, &c.FoundAt, &c.Resolution, &c.ResolvedAt, &c.ResolvedBy); err != nil {
			return nil, err
		}
		c.Baseline, c.Workspace, c.External = base.String, ws.String, ext.String
		c.WorkspaceGone, c.ExternalGone = !ws.Valid, !ext.Valid
		c.Key = ConflictKey(c.Entity, c.Field, c.SourcedID)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ResolveSyncConflict records the side a registrar chose for an open conflict; the next sync applies
// it. A key the connection has no open conflict for is ErrNotFound.
func (s *Store) ResolveSyncConflict(ctx context.Context, connectionID int64, key, take, operator string) error {
	if take != SideWorkspace && take != SideExternal {
		return apperr.New(apperr.CodeInvalid, fmt.Sprintf("A conflict is resolved by taking the roster's value (workspace) or the connection's (external), not %q.", take))
	}
	e, field, id, ok := SplitConflictKey(key)
	if !ok {
		return ErrNotFound
	}
	res, err := s.db.ExecContext(ctx, `UPDATE sync_conflicts SET resolution = ?, resolved_at = ?, resolved_by = ?
		WHERE connection_id = ? AND entity = ? AND field = ? AND sourced_id = ? AND applied_run IS NULL`,
		take, Now(), operator, connectionID, e, field, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, ErrNotFound)
	}
	return nil
}

// PutConflict records a conflict a sync found waiting, in the run's transaction. An open conflict of
// the same field takes the new values and waits again: a choice made on the values before no longer
// answers it.
func (a *Apply) PutConflict(c SyncConflict) error {
	side := func(v string, gone bool) any {
		if gone {
			return nil
		}
		return v
	}
	_, err := a.tx.ExecContext(a.ctx, `INSERT INTO sync_conflicts (connection_id, entity, sourced_id, field, baseline, workspace, external, found_run, found_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, entity, sourced_id, field) WHERE applied_run IS NULL DO UPDATE SET
			resolution = CASE WHEN workspace IS excluded.workspace AND external IS excluded.external THEN resolution END,
			resolved_at = CASE WHEN workspace IS excluded.workspace AND external IS excluded.external THEN resolved_at END,
			baseline = excluded.baseline, workspace = excluded.workspace, external = excluded.external,
			found_run = excluded.found_run, found_at = excluded.found_at`,
		a.connectionID, c.Entity, c.SourcedID, c.Field, c.Baseline, side(c.Workspace, c.WorkspaceGone), side(c.External, c.ExternalGone), a.runID, Now())
	return err
}

// ConflictApplied marks an open conflict as applied by this run, or settled by the sides agreeing.
func (a *Apply) ConflictApplied(id int64) error {
	_, err := a.tx.ExecContext(a.ctx, `UPDATE sync_conflicts SET applied_run = ? WHERE id = ?`, a.runID, id)
	return err
}

// SyncEdit writes a sync's change to a record the roster has (new values, or its deletion as
// status tobedeleted) in the run's transaction, keeping the record's origins as they are: the change
// stands until a source sends a change to the record, which then applies as any import does. Values
// registrars pinned in merges of duplicates stay.
func (a *Apply) SyncEdit(rec roster.Record) error {
	if err := a.flush(); err != nil {
		return err
	}
	a.pin(&rec)
	q, args, err := rowUpdate(rec)
	if err != nil {
		return err
	}
	res, err := a.tx.ExecContext(a.ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, fmt.Errorf("%s %s left the roster while the sync ran", rec.Entity, rec.SourcedID()))
	}
	return nil
}
