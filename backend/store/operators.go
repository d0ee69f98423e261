package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Operator roles (SPEC §8); what each may do is backend/rights's table.
const (
	OperatorFull     = "full"
	OperatorLimited  = "limited"
	OperatorReadOnly = "read-only"
)

// OperatorRoles lists the roles from the most rights to the fewest.
var OperatorRoles = []string{OperatorFull, OperatorLimited, OperatorReadOnly}

// ErrOperatorExists is returned when an operator of that name is already listed (case-insensitive).
var ErrOperatorExists = errors.New("an operator with this name already exists")

// ErrLastFull is returned when a change would leave the workspace without a Full operator.
var ErrLastFull = errors.New("the last Full operator cannot be demoted or removed")

// Operator is someone listed in the workspace with a role.
type Operator struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	AddedAt string `json:"addedAt"`
	AddedBy string `json:"addedBy"` // "" for the first operator, added when the workspace was opened
}

// Operators lists the workspace's operators by name.
func (s *Store) Operators(ctx context.Context) ([]Operator, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, role, added_at, added_by FROM operators ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Operator{}
	for rows.Next() {
		var o Operator
		if err := rows.Scan(&o.Name, &o.Role, &o.AddedAt, &o.AddedBy); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OperatorRole returns the role of the operator name. A workspace with no operators yet (one only
// code outside workspace.Open has opened) has its opener as Full, as opening it would make them; in
// one with operators, a name not listed is ErrNotFound.
func (s *Store) OperatorRole(ctx context.Context, name string) (string, error) {
	var role sql.NullString
	var some bool
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT role FROM operators WHERE name = ?), EXISTS (SELECT 1 FROM operators)`, name).Scan(&role, &some)
	switch {
	case err != nil:
		return "", err
	case role.Valid:
		return role.String, nil
	case !some:
		return OperatorFull, nil
	}
	return "", ErrNotFound
}

// AddFirstOperator lists name as Full if the workspace has no operators yet, and says whether it did.
func (s *Store) AddFirstOperator(ctx context.Context, name string) (bool, error) {
	// Read first: an insert waits for the write lock, which another process's long import holds.
	var some bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM operators)`).Scan(&some); err != nil || some {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO operators (name, role, added_at, added_by)
		SELECT ?, ?, ?, '' WHERE NOT EXISTS (SELECT 1 FROM operators)`, name, OperatorFull, Now())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AddOperator lists a new operator, added now.
func (s *Store) AddOperator(ctx context.Context, o Operator) (Operator, error) {
	o.AddedAt = Now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO operators (name, role, added_at, added_by) VALUES (?, ?, ?, ?)`, o.Name, o.Role, o.AddedAt, o.AddedBy)
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return o, ErrOperatorExists
	}
	return o, err
}

// lastFull is the condition, in one statement with its change, that the operator named by the
// statement's name parameter is not the only Full one, so two changes at once cannot both pass it.
const lastFull = `role = 'full' AND (SELECT COUNT(*) FROM operators WHERE role = 'full') = 1`

// SetOperatorRole changes an operator's role: ErrNotFound when not listed, ErrLastFull when it would
// demote the last Full operator.
func (s *Store) SetOperatorRole(ctx context.Context, name, role string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE operators SET role = ? WHERE name = ? AND (? = 'full' OR NOT (`+lastFull+`))`, role, name, role)
	return s.operatorChanged(ctx, name, res, err)
}

// RemoveOperator takes an operator off the list: ErrNotFound when not listed, ErrLastFull when it is
// the last Full operator.
func (s *Store) RemoveOperator(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM operators WHERE name = ? AND NOT (`+lastFull+`)`, name)
	return s.operatorChanged(ctx, name, res, err)
}

// operatorChanged says why a change of the operator name changed nothing.
func (s *Store) operatorChanged(ctx context.Context, name string, res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var listed bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM operators WHERE name = ?)`, name).Scan(&listed); err != nil {
		return err
	}
	if listed {
		return ErrLastFull
	}
	return ErrNotFound
}
