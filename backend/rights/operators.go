package rights

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// ParseRole reads a role as people write it: full, limited or read-only, in any case.
func ParseRole(s string) (string, error) {
	r := strings.ToLower(strings.TrimSpace(s))
	if r == "readonly" || r == "read only" {
		r = store.OperatorReadOnly
	}
	if !slices.Contains(store.OperatorRoles, r) {
		return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a role: say full, limited or read-only.", s))
	}
	return r, nil
}

// checkName returns an operator's name as stored: the computer account name, trimmed.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", apperr.New(apperr.CodeInvalid, "Give the operator's name: the account name they sign in to this computer with.")
	case len(name) > 256 || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not an account name: write it as they sign in to this computer.", name))
	}
	return name, nil
}

// Add lists name as an operator with role; by, who adds them, needs the Write right on Operators.
func Add(ctx context.Context, st *store.Store, by, name, role string) (store.Operator, error) {
	if err := Need(ctx, st, by, Operators, Write); err != nil {
		return store.Operator{}, err
	}
	name, err := checkName(name)
	if err != nil {
		return store.Operator{}, err
	}
	if role, err = ParseRole(role); err != nil {
		return store.Operator{}, err
	}
	o, err := st.AddOperator(ctx, store.Operator{Name: name, Role: role, AddedBy: by})
	if errors.Is(err, store.ErrOperatorExists) {
		return o, apperr.New(apperr.CodeConflict, fmt.Sprintf("%s is already an operator of this workspace: change their role instead.", name))
	}
	return o, err
}

// SetRole gives the operator name another role; by needs the Write right on Operators. The last
// Full operator keeps Full.
func SetRole(ctx context.Context, st *store.Store, by, name, role string) error {
	if err := Need(ctx, st, by, Operators, Write); err != nil {
		return err
	}
	role, err := ParseRole(role)
	if err != nil {
		return err
	}
	return changed(ctx, st, name, st.SetOperatorRole(ctx, strings.TrimSpace(name), role))
}

// Remove takes the operator name off the list (they may then only look); by needs the Delete right
// on Operators. The last Full operator stays, also when removing themselves.
func Remove(ctx context.Context, st *store.Store, by, name string) error {
	if err := Need(ctx, st, by, Operators, Delete); err != nil {
		return err
	}
	return changed(ctx, st, name, st.RemoveOperator(ctx, strings.TrimSpace(name)))
}

// changed turns a store error of a change to the operator name into a message.
func changed(ctx context.Context, st *store.Store, name string, err error) error {
	name = strings.TrimSpace(name)
	switch {
	case errors.Is(err, store.ErrLastFull):
		return apperr.New(apperr.CodeConflict, fmt.Sprintf("%s is the last Full operator of this workspace and stays Full: make another operator Full first, "+
			"so that someone can still manage operators.", name))
	case errors.Is(err, store.ErrNotFound):
		all, lerr := st.Operators(ctx)
		if lerr != nil {
			return lerr
		}
		names := make([]string, len(all))
		for i, o := range all {
			names[i] = o.Name
		}
		return apperr.New(apperr.CodeNotFound, fmt.Sprintf("%s is not an operator of this workspace. The operators are %s.", name, strings.Join(names, ", ")))
	}
	return err
}
