package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// Selection returns what a connection lets through; for one nobody has chosen for, the wizard's
// default, not saved (so everything goes through until someone saves a choice).
func (s *Store) Selection(ctx context.Context, connectionID int64) (selection.Selection, error) {
	sel := selection.Default()
	var statuses string
	err := s.db.QueryRowContext(ctx, `SELECT orgs_all, classes_all, statuses, without_enrollments, guardians, hold_delete, hold_change
		FROM selections WHERE connection_id = ?`, connectionID).
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
	rows, err := s.db.QueryContext(ctx, `SELECT entity, sourced_id FROM selection_ids WHERE connection_id = ? ORDER BY entity, sourced_id`, connectionID)
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

// SaveSelection replaces a connection's selection in one transaction.
func (s *Store) SaveSelection(ctx context.Context, connectionID int64, sel selection.Selection) error {
	statuses := make([]string, len(sel.Statuses))
	for i, st := range sel.Statuses {
		statuses[i] = string(st)
	}
	return withTx(ctx, s.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO selections (connection_id, orgs_all, classes_all, statuses, without_enrollments, guardians, hold_delete, hold_change)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, connectionID, sel.OrgsAll, sel.ClassesAll, strings.Join(statuses, ","), sel.WithoutEnrollments, sel.Guardians, sel.HoldDelete, sel.HoldChange); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM selection_ids WHERE connection_id = ?`, connectionID); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO selection_ids (connection_id, entity, sourced_id) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for entity, list := range map[string][]string{"orgs": sel.Orgs, "classes": sel.Classes} {
			for _, id := range list {
				if _, err := ins.ExecContext(ctx, connectionID, entity, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ResetSelection makes a connection let everything through again, keeping its hold thresholds.
func (s *Store) ResetSelection(ctx context.Context, connectionID int64) error {
	old, err := s.Selection(ctx, connectionID)
	if err != nil {
		return err
	}
	sel := selection.Everything()
	sel.HoldDelete, sel.HoldChange = old.HoldDelete, old.HoldChange
	return s.SaveSelection(ctx, connectionID, sel)
}
