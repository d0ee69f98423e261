package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
)

// Integration types.
const (
	IntegrationImport = "import"
	IntegrationExport = "export"
	IntegrationSync   = "sync"
)

// RunSkipped is the status of a run refused because its integration was already running.
const RunSkipped = "skipped"

// ErrIntegrationNameTaken is returned when an integration name is already used (case-insensitive).
var ErrIntegrationNameTaken = errors.New("an integration with this name already exists")

// Integration is an import, export or sync over one connection, and its state. Its selection,
// mapping and hold thresholds are its connection's.
type Integration struct {
	ID             int64
	Name           string
	Type           string
	ConnectionID   int64
	ConnectionName string
	ConnectionKind string
	ConnectionRole string
	Entities       []string // entity tasks; empty = all
	Schedule       string   // canonical schedule text
	Conflict       string   // sync only: workspace, external, newest or ask
	Enabled        bool
	CreatedAt      string
	DueFrom        string // the schedule's due slots are those after this
	LastRunID      int64
	LastResult     string // the last run's status, "" if never run
	LastRunAt      string
	// Running is true while a live process holds the integration's run lock, since RunningSince.
	Running      bool
	RunningPID   int
	RunningSince string
}

const integrationColumns = `i.id, i.name, i.type, i.connection_id, c.name, c.kind, c.role, i.entities, i.schedule, i.conflict,
	i.enabled, i.created_at, i.due_from, i.lock_token, i.lock_pid, i.lock_since,
	COALESCE(r.id, 0), COALESCE(r.status, ''), COALESCE(r.started_at, '')`

// integrationFrom joins each integration's connection and last run (found through runs_integration).
const integrationFrom = ` FROM integrations i JOIN connections c ON c.id = i.connection_id
	LEFT JOIN runs r ON r.id = (SELECT MAX(id) FROM runs WHERE integration_id = i.id) `

func scanIntegration(row scanner) (Integration, error) {
	var in Integration
	var entities, token string
	err := row.Scan(&in.ID, &in.Name, &in.Type, &in.ConnectionID, &in.ConnectionName, &in.ConnectionKind, &in.ConnectionRole,
		&entities, &in.Schedule, &in.Conflict, &in.Enabled, &in.CreatedAt, &in.DueFrom, &token, &in.RunningPID, &in.RunningSince,
		&in.LastRunID, &in.LastResult, &in.LastRunAt)
	if errors.Is(err, sql.ErrNoRows) {
		return in, ErrNotFound
	}
	if err != nil {
		return in, err
	}
	in.Running = token != "" && scratch.Alive(in.RunningPID)
	if !in.Running {
		in.RunningPID, in.RunningSince = 0, ""
	}
	return in, json.Unmarshal([]byte(entities), &in.Entities)
}

// Integrations lists every integration by name.
func (s *Store) Integrations(ctx context.Context) ([]Integration, error) {
	return queryAll(ctx, s.db, scanIntegration, `SELECT `+integrationColumns+integrationFrom+` ORDER BY i.name`)
}

// Integration returns one integration.
func (s *Store) Integration(ctx context.Context, id int64) (Integration, error) {
	return scanIntegration(s.db.QueryRowContext(ctx, `SELECT `+integrationColumns+integrationFrom+` WHERE i.id = ?`, id))
}

// IntegrationByName returns the integration with this name (case-insensitive).
func (s *Store) IntegrationByName(ctx context.Context, name string) (Integration, error) {
	return scanIntegration(s.db.QueryRowContext(ctx, `SELECT `+integrationColumns+integrationFrom+` WHERE i.name = ?`, name))
}

func entitiesJSON(entities []string) string {
	if entities == nil {
		entities = []string{}
	}
	raw, _ := json.Marshal(entities) // strings always marshal
	return string(raw)
}

func nameTaken(err error) error {
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return ErrIntegrationNameTaken
	}
	return err
}

// AddIntegration stores a new integration (CreatedAt now, DueFrom now unless given) and returns it.
func (s *Store) AddIntegration(ctx context.Context, in Integration) (Integration, error) {
	id, err := addIntegration(ctx, s.db, in)
	if err != nil {
		return in, err
	}
	return s.Integration(ctx, id)
}

func addIntegration(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, in Integration) (int64, error) {
	if in.Conflict == "" {
		in.Conflict = "workspace"
	}
	now := Now()
	if in.DueFrom == "" {
		in.DueFrom = now
	}
	res, err := db.ExecContext(ctx, `INSERT INTO integrations (name, type, connection_id, entities, schedule, conflict, enabled, created_at, due_from)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Name, in.Type, in.ConnectionID, entitiesJSON(in.Entities), in.Schedule, in.Conflict, in.Enabled, now, in.DueFrom)
	if err != nil {
		return 0, nameTaken(err)
	}
	return res.LastInsertId()
}

// UpdateIntegration stores an integration's definition (name, type, connection, entities, schedule,
// conflict, enabled) and DueFrom.
func (s *Store) UpdateIntegration(ctx context.Context, in Integration) error {
	return nameTaken(oneRow(s.db.ExecContext(ctx, `UPDATE integrations SET name = ?, type = ?, connection_id = ?, entities = ?, schedule = ?, conflict = ?,
		enabled = ?, due_from = ? WHERE id = ?`, in.Name, in.Type, in.ConnectionID, entitiesJSON(in.Entities), in.Schedule, in.Conflict,
		in.Enabled, in.DueFrom, in.ID)))
}

// SetDueFrom records the schedule slot an integration's run was started for.
func (s *Store) SetDueFrom(ctx context.Context, id int64, at string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE integrations SET due_from = ? WHERE id = ?`, at, id)
	return err
}

// RemoveIntegration deletes an integration; its runs stay in the history.
func (s *Store) RemoveIntegration(ctx context.Context, id int64) error {
	return oneRow(s.db.ExecContext(ctx, `DELETE FROM integrations WHERE id = ?`, id))
}

// AddDefaultIntegrations gives a new connection the integrations its role implies, as migration 011
// gave the existing ones: a source "Import from <name>", a target "Export to <name>", both of them
// for a connection that is both; manual, enabled, all entities. A name already taken gets " (2)", …
func (s *Store) AddDefaultIntegrations(ctx context.Context, c Connection) ([]Integration, error) {
	var kinds [][2]string
	if c.Role != "target" {
		kinds = append(kinds, [2]string{IntegrationImport, "Import from "})
	}
	if c.Role != "source" {
		kinds = append(kinds, [2]string{IntegrationExport, "Export to "})
	}
	var out []Integration
	for _, k := range kinds {
		for n := 1; ; n++ {
			name := k[1] + c.Name
			if n > 1 {
				name += fmt.Sprintf(" (%d)", n)
			}
			in, err := s.AddIntegration(ctx, Integration{Name: name, Type: k[0], ConnectionID: c.ID, Schedule: "manual", Enabled: true})
			if errors.Is(err, ErrIntegrationNameTaken) {
				continue
			}
			if err != nil {
				return out, err
			}
			out = append(out, in)
			break
		}
	}
	return out, nil
}

// IntegrationLock is a taken run lock; Release frees it.
type IntegrationLock struct {
	store *Store
	id    int64
	token string
}

// Release frees the lock (it is a no-op once freed, or if the integration was removed).
func (l *IntegrationLock) Release() error {
	_, err := l.store.db.Exec(`UPDATE integrations SET lock_token = '', lock_pid = 0, lock_since = '' WHERE id = ? AND lock_token = ?`, l.id, l.token)
	return err
}

// ErrIntegrationRunning is returned by LockIntegration while another run of it holds the lock.
type ErrIntegrationRunning struct {
	RunID int64  // the run in progress, 0 while it has not started one (still fetching)
	Since string // when it took the lock
}

func (e ErrIntegrationRunning) Error() string {
	if e.RunID != 0 {
		return fmt.Sprintf("already running (run %d, since %s)", e.RunID, e.Since)
	}
	return fmt.Sprintf("already running (since %s)", e.Since)
}

// LockIntegration takes an integration's run lock for this process, or returns ErrIntegrationRunning.
// It is taken in one UPDATE that matches the token seen free, so of two processes (or goroutines)
// only one gets it; a lock whose process is gone (a crash, a kill) counts as free.
func (s *Store) LockIntegration(ctx context.Context, id int64) (*IntegrationLock, error) {
	var token, since string
	var pid int
	var connID int64
	err := s.db.QueryRowContext(ctx, `SELECT lock_token, lock_pid, lock_since, connection_id FROM integrations WHERE id = ?`, id).Scan(&token, &pid, &since, &connID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if token != "" && scratch.Alive(pid) {
		return nil, s.running(ctx, connID, pid, since)
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	mine := hex.EncodeToString(raw)
	res, err := s.db.ExecContext(ctx, `UPDATE integrations SET lock_token = ?, lock_pid = ?, lock_since = ? WHERE id = ? AND lock_token = ?`,
		mine, os.Getpid(), Now(), id, token)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Taken (or removed) between the read and the update.
		if err := s.db.QueryRowContext(ctx, `SELECT lock_pid, lock_since FROM integrations WHERE id = ?`, id).Scan(&pid, &since); errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, s.running(ctx, connID, pid, since)
	}
	return &IntegrationLock{store: s, id: id, token: mine}, nil
}

// running describes the run holding a lock: the holder's run still in progress on the connection.
func (s *Store) running(ctx context.Context, connID int64, pid int, since string) error {
	e := ErrIntegrationRunning{Since: since}
	err := s.db.QueryRowContext(ctx, `SELECT id FROM runs WHERE connection_id = ? AND pid = ? AND status = 'running' AND started_at >= ?
		ORDER BY id DESC LIMIT 1`, connID, pid, since).Scan(&e.RunID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return e
}
