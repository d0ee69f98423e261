package store

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// UserRoles are the roles of the roster's users, deleted ones included: a run limited to some kinds
// of users (students, say) must know the kind of a user it no longer sends or no longer receives.
type UserRoles struct {
	Role map[string]string // user → its primary role, else its first
	User map[string]string // role record → its user
}

// UserRoles reads the roster's roles.
func (s *Store) UserRoles(ctx context.Context) (UserRoles, error) { return userRoles(ctx, s.db) }

// UserRoles reads the roster's roles as the export sees them.
func (x *Send) UserRoles() (UserRoles, error) { return userRoles(x.ctx, x.tx) }

func userRoles(ctx context.Context, q querier) (UserRoles, error) {
	out := UserRoles{Role: map[string]string{}, User: map[string]string{}}
	rows, err := q.QueryContext(ctx, `SELECT "sourcedId", COALESCE("userSourcedId", ''), COALESCE("role", ''), COALESCE("roleType", '') = 'primary'
		FROM `+table(roster.Roles)+` ORDER BY rowid`)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	primary := map[string]bool{}
	for rows.Next() {
		var id, user, role string
		var isPrimary bool
		if err := rows.Scan(&id, &user, &role, &isPrimary); err != nil {
			return out, err
		}
		out.User[id] = user
		if _, has := out.Role[user]; !has || isPrimary && !primary[user] {
			out.Role[user], primary[user] = role, isPrimary
		}
	}
	return out, rows.Err()
}
