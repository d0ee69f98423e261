package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// An integration's setup is what it lets through (its selection, with the safety-hold thresholds)
// and its field mappings. A connection's own integration of a direction is the one its buttons (and
// `rosterdesk select` or `mapping` given the connection's name) set up and run: the first added of
// that direction, a sync counting for both.

// Directions of a connection's runs, as OwnIntegration takes them.
const (
	DirectionImport = "import"
	DirectionExport = "export"
)

// OwnIntegration returns the id of a connection's own integration of direction (import or export),
// or ErrNotFound when the connection has none of that direction.
func (s *Store) OwnIntegration(ctx context.Context, connectionID int64, direction string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT MIN(id) FROM integrations WHERE connection_id = ? AND type IN (?, 'sync') HAVING MIN(id) IS NOT NULL`,
		connectionID, direction).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}

// Selection returns what an integration lets through; for one nobody has chosen for, the wizard's
// default, not saved (so everything goes through until someone saves a choice).
func (s *Store) Selection(ctx context.Context, integrationID int64) (selection.Selection, error) {
	return readSelection(ctx, s.db, integrationID)
}

// rowsQuerier is the database or a transaction.
type rowsQuerier interface {
	querier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readSelection(ctx context.Context, q rowsQuerier, integrationID int64) (selection.Selection, error) {
	sel := selection.Default()
	var statuses string
	err := q.QueryRowContext(ctx, `SELECT orgs_all, classes_all, statuses, without_enrollments, guardians, hold_delete, hold_change
		FROM selections WHERE integration_id = ?`, integrationID).
		Scan(&sel.OrgsAll, &sel.ClassesAll, &statuses, &sel.WithoutEnrollments, &sel.Guardians, &sel.HoldDelete, &sel.HoldChange)
	if errors.Is(err, sql.ErrNoRows) {
		return sel, nil
	} else if err != nil {
		return sel, err
	}
	sel.Saved = true
	sel.Statuses = []selection.Status{}
	for _, st := range strings.Split(statuses, ",") {
		if st != "" {
			sel.Statuses = append(sel.Statuses, selection.Status(st))
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT entity, sourced_id FROM selection_ids WHERE integration_id = ? ORDER BY entity, sourced_id`, integrationID)
	if err != nil {
		return sel, err
	}
	defer rows.Close()
	for rows.Next() {
		var entity, id string
		if err := rows.Scan(&entity, &id); err != nil {
			return sel, err
		}
		if entity == "orgs" {
			sel.Orgs = append(sel.Orgs, id)
		} else {
			sel.Classes = append(sel.Classes, id)
		}
	}
	return sel, rows.Err()
}

// SaveSelection replaces an integration's selection in one transaction.
func (s *Store) SaveSelection(ctx context.Context, integrationID int64, sel selection.Selection) error {
	return withTx(ctx, s.db, func(tx *sql.Tx) error { return saveSelection(ctx, tx, integrationID, sel) })
}

func saveSelection(ctx context.Context, tx *sql.Tx, integrationID int64, sel selection.Selection) error {
	statuses := make([]string, len(sel.Statuses))
	for i, st := range sel.Statuses {
		statuses[i] = string(st)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO selections (integration_id, orgs_all, classes_all, statuses, without_enrollments, guardians, hold_delete, hold_change)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, integrationID, sel.OrgsAll, sel.ClassesAll, strings.Join(statuses, ","), sel.WithoutEnrollments, sel.Guardians, sel.HoldDelete, sel.HoldChange); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM selection_ids WHERE integration_id = ?`, integrationID); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO selection_ids (integration_id, entity, sourced_id) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for entity, list := range map[string][]string{"orgs": sel.Orgs, "classes": sel.Classes} {
		for _, id := range list {
			if _, err := ins.ExecContext(ctx, integrationID, entity, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// ResetSelection makes an integration let everything through again, keeping its hold thresholds.
func (s *Store) ResetSelection(ctx context.Context, integrationID int64) error {
	return s.editSelection(ctx, integrationID, everything)
}

// SetHolds changes an integration's hold thresholds, keeping what it lets through. One nobody chose
// for lets everything through: it is saved so.
func (s *Store) SetHolds(ctx context.Context, integrationID int64, holdDelete, holdChange float64) error {
	return s.editSelection(ctx, integrationID, func(sel selection.Selection) selection.Selection {
		if !sel.Saved {
			sel = everything(sel)
		}
		sel.HoldDelete, sel.HoldChange = holdDelete, holdChange
		return sel
	})
}

// everything lets everything through with sel's hold thresholds.
func everything(sel selection.Selection) selection.Selection {
	all := selection.Everything()
	all.HoldDelete, all.HoldChange = sel.HoldDelete, sel.HoldChange
	return all
}

// editSelection replaces an integration's selection with edit's of it, in one transaction.
func (s *Store) editSelection(ctx context.Context, integrationID int64, edit func(selection.Selection) selection.Selection) error {
	return withTx(ctx, s.db, func(tx *sql.Tx) error {
		sel, err := readSelection(ctx, tx, integrationID)
		if err != nil {
			return err
		}
		return saveSelection(ctx, tx, integrationID, edit(sel))
	})
}

// ConnectionSelections returns the selections of the integrations that fetch from a connection: every
// enabled import or sync on it, and its own import (the connection's Import button runs it even when
// its schedule is off).
func (s *Store) ConnectionSelections(ctx context.Context, connectionID int64) ([]selection.Selection, error) {
	ids, err := queryAll(ctx, s.db, func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, `SELECT id FROM integrations WHERE connection_id = ?1 AND type IN ('import', 'sync')
		AND (enabled OR id = (SELECT MIN(id) FROM integrations WHERE connection_id = ?1 AND type IN ('import', 'sync'))) ORDER BY id`, connectionID)
	if err != nil {
		return nil, err
	}
	out := make([]selection.Selection, 0, len(ids))
	for _, id := range ids {
		sel, err := s.Selection(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, sel)
	}
	return out, nil
}

// CopySetup gives integration to a copy of from's selection and mappings (a new integration starts
// with those of its connection's own), replacing any it had.
func (s *Store) CopySetup(ctx context.Context, from, to int64) error {
	return withTx(ctx, s.db, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM selections WHERE integration_id = ?2`,
			`DELETE FROM selection_ids WHERE integration_id = ?2`,
			`DELETE FROM mappings WHERE integration_id = ?2`,
			`INSERT INTO selections (integration_id, orgs_all, classes_all, statuses, without_enrollments, guardians, hold_delete, hold_change)
				SELECT ?2, orgs_all, classes_all, statuses, without_enrollments, guardians, hold_delete, hold_change FROM selections WHERE integration_id = ?1`,
			`INSERT INTO selection_ids (integration_id, entity, sourced_id) SELECT ?2, entity, sourced_id FROM selection_ids WHERE integration_id = ?1`,
			`INSERT INTO mappings (integration_id, entity, mapping, saved_at, operator) SELECT ?2, entity, mapping, saved_at, operator FROM mappings WHERE integration_id = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, from, to); err != nil {
				return err
			}
		}
		return nil
	})
}
