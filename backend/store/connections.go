package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotFound is returned when a connection, run or snapshot does not exist.
var ErrNotFound = errors.New("not found")

// ErrNameTaken is returned when a connection name is already used (names are case-insensitive).
var ErrNameTaken = errors.New("a connection with this name already exists")

// Connection is an endpoint's stored definition. Settings never hold secrets.
type Connection struct {
	ID        int64
	Name      string
	Kind      string
	Role      string
	Settings  map[string]string
	SecretRef string // where its secrets are kept in the secret store; set by AddConnection
	CreatedAt string
	// AppliedAt is when the data its last successful import applied was fetched ("" if never).
	AppliedAt string
	LastTest  TestOutcome
	// Precedence is the connection's place in the reconciliation order: lower comes first.
	Precedence int
}

// TestOutcome is the result of a connection's last Test connection (At is "" if never tested).
type TestOutcome struct {
	At      string `json:"at"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// AddConnection stores a new connection and returns it with its id.
func (s *Store) AddConnection(ctx context.Context, c Connection) (Connection, error) {
	settings, err := json.Marshal(c.Settings)
	if err != nil {
		return c, err
	}
	c.CreatedAt = Now()
	ref := make([]byte, 16)
	if _, err := rand.Read(ref); err != nil {
		return c, err
	}
	c.SecretRef = hex.EncodeToString(ref)
	// A new source comes last in the reconciliation order.
	res, err := s.db.ExecContext(ctx, `INSERT INTO connections (name, kind, role, settings, secret_ref, created_at, precedence)
		VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(precedence), 0) + 1 FROM connections))`,
		c.Name, c.Kind, c.Role, string(settings), c.SecretRef, c.CreatedAt)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed") {
			return c, ErrNameTaken
		}
		return c, err
	}
	c.ID, err = res.LastInsertId()
	return c, err
}

const connectionColumns = `id, name, kind, role, settings, secret_ref, created_at, applied_at, last_test_at, last_test_ok, last_test_message, precedence`

func scanConnection(row scanner) (Connection, error) {
	var c Connection
	var settings string
	if err := row.Scan(&c.ID, &c.Name, &c.Kind, &c.Role, &settings, &c.SecretRef, &c.CreatedAt, &c.AppliedAt, &c.LastTest.At, &c.LastTest.OK, &c.LastTest.Message, &c.Precedence); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c, ErrNotFound
		}
		return c, err
	}
	return c, json.Unmarshal([]byte(settings), &c.Settings)
}

// Connections lists every connection by name.
func (s *Store) Connections(ctx context.Context) ([]Connection, error) {
	return s.connections(ctx, `ORDER BY name`)
}

// Sources lists the connections that feed the roster (role source or both) in reconciliation order.
func (s *Store) Sources(ctx context.Context) ([]Connection, error) {
	return s.connections(ctx, `WHERE role <> 'target' ORDER BY precedence, id`)
}

// setPrecedence puts the given connections first in the reconciliation order, in the order given;
// the others follow in the order they had. Only the order changes: engine.SetPrecedence also works
// the roster out again, which is what a registrar means by a new order (Apply.Reorder).
func (s *Store) setPrecedence(ctx context.Context, ids []int64) error {
	return withTx(ctx, s.db, func(tx *sql.Tx) error { return orderSources(ctx, tx, ids) })
}

func orderSources(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for i, id := range ids {
		if err := oneRow(tx.ExecContext(ctx, `UPDATE connections SET precedence = ? WHERE id = ?`, -len(ids)+i, id)); err != nil {
			return err
		}
	}
	// Number them 1, 2, … again, so a new connection (MAX + 1) still comes last. One by one: an UPDATE
	// whose subquery counts the same table sees the rows it already changed.
	rows, err := tx.QueryContext(ctx, `SELECT id FROM connections ORDER BY precedence, id`)
	if err != nil {
		return err
	}
	var order []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		order = append(order, id)
	}
	rows.Close()
	for i, id := range order {
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET precedence = ? WHERE id = ?`, i+1, id); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) connections(ctx context.Context, tail string) ([]Connection, error) {
	return queryAll(ctx, s.db, scanConnection, `SELECT `+connectionColumns+` FROM connections `+tail)
}

// Connection returns the connection with the given id.
func (s *Store) Connection(ctx context.Context, id int64) (Connection, error) {
	return scanConnection(s.db.QueryRowContext(ctx, `SELECT `+connectionColumns+` FROM connections WHERE id = ?`, id))
}

// ConnectionByName returns the connection with the given name (case-insensitive).
func (s *Store) ConnectionByName(ctx context.Context, name string) (Connection, error) {
	return scanConnection(s.db.QueryRowContext(ctx, `SELECT `+connectionColumns+` FROM connections WHERE name = ?`, name))
}

// UpdateSettings replaces a connection's settings (an edit, or a host key pinned after a test).
func (s *Store) UpdateSettings(ctx context.Context, id int64, settings map[string]string) error {
	raw, err := json.Marshal(settings)
	if err != nil {
		return err
	}
	return oneRow(s.db.ExecContext(ctx, `UPDATE connections SET settings = ? WHERE id = ?`, string(raw), id))
}

// MarkApplied records that an import applied data of this connection fetched at fetchedAt.
func (s *Store) MarkApplied(ctx context.Context, id int64, fetchedAt string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE connections SET applied_at = ? WHERE id = ?`, fetchedAt, id)
	return err
}

// RecordTest stores the outcome of a Test connection.
func (s *Store) RecordTest(ctx context.Context, id int64, t TestOutcome) error {
	_, err := s.db.ExecContext(ctx, `UPDATE connections SET last_test_at = ?, last_test_ok = ?, last_test_message = ? WHERE id = ?`,
		t.At, t.OK, t.Message, id)
	return err
}

// RemoveConnection deletes a connection with its snapshot and provenance. Roster records stay (other
// connections may supply them) and runs keep the connection's name for history.
func (s *Store) RemoveConnection(ctx context.Context, id int64) error {
	c, err := s.Connection(ctx, id)
	if err != nil {
		return err
	}
	// Its origins go with it, the ids they gave roster records kept (engine.ReleaseSource has
	// usually done this already, in the run that released its records).
	err = withTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := retire(ctx, tx, id, OwnIDs(c.Settings)); err != nil {
			return err
		}
		return oneRow(tx.ExecContext(ctx, `DELETE FROM connections WHERE id = ?`, id))
	})
	if err == nil {
		removeCopies(copiesDir(s.path), id) // of no use now (the stamp changed), and student ids
	}
	return err
}

// Snapshot is the staged result of the last fetch of a source. Path is a file in the workspace's
// staging folder.
type Snapshot struct {
	ConnectionID int64
	FetchedAt    string
	Path         string
	Report       json.RawMessage
}

// StagingDir is the folder beside a workspace file that holds its stored fetches.
func StagingDir(workspace string) string { return workspace + ".staging" }

// PutSnapshot records a new snapshot and returns the path of the one it replaces ("" if none), which
// the caller removes from disk. The path is kept relative to the staging folder, so a copy of the
// workspace with its staging folder reads its own files, never the original's.
func (s *Store) PutSnapshot(ctx context.Context, snap Snapshot) (previous string, err error) {
	rel, ok := s.inStaging(snap.Path)
	if !ok {
		return "", fmt.Errorf("a stored fetch must be in a folder of %s, not %s", StagingDir(s.path), snap.Path)
	}
	err = withTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT path FROM snapshots WHERE connection_id = ?`, snap.ConnectionID).Scan(&previous); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO snapshots (connection_id, fetched_at, path, report) VALUES (?, ?, ?, ?)
			ON CONFLICT (connection_id) DO UPDATE SET fetched_at = excluded.fetched_at, path = excluded.path, report = excluded.report`,
			snap.ConnectionID, snap.FetchedAt, rel, string(snap.Report))
		return err
	})
	return s.stagedPath(previous), err
}

// Snapshot returns the last snapshot of a source, or ErrNotFound, also when its staged file is gone
// (a workspace copied without its staging folder): a fetch is needed, not an error naming a file
// that has the source's name.
func (s *Store) Snapshot(ctx context.Context, connectionID int64) (Snapshot, error) {
	snap := Snapshot{ConnectionID: connectionID}
	var report string
	err := s.db.QueryRowContext(ctx, `SELECT fetched_at, path, report FROM snapshots WHERE connection_id = ?`, connectionID).
		Scan(&snap.FetchedAt, &snap.Path, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return snap, ErrNotFound
	}
	if err != nil {
		return snap, err
	}
	if snap.Path = s.stagedPath(snap.Path); snap.Path == "" {
		return snap, ErrNotFound
	}
	if _, err := os.Stat(snap.Path); errors.Is(err, fs.ErrNotExist) {
		return snap, ErrNotFound
	}
	snap.Report = json.RawMessage(report)
	return snap, nil
}

// stagedPath resolves a stored snapshot path in this workspace's staging folder; "" if there is none.
// Older workspaces stored absolute paths: such a path counts only inside this workspace's own staging
// folder, as a copied workspace's would point at the original's files.
func (s *Store) stagedPath(stored string) string {
	if stored == "" {
		return ""
	}
	if !filepath.IsAbs(stored) {
		stored = filepath.Join(StagingDir(s.path), filepath.FromSlash(stored))
	}
	if _, ok := s.inStaging(stored); !ok {
		return ""
	}
	return stored
}

// inStaging returns path relative to the staging folder, and whether it lies in a fetch's folder
// there (the folder a new fetch replaces as a whole).
func (s *Store) inStaging(path string) (string, bool) {
	rel, err := filepath.Rel(StagingDir(s.path), path)
	if err != nil || !filepath.IsLocal(rel) || filepath.Dir(rel) == "." {
		return "", false
	}
	return filepath.ToSlash(rel), true
}
