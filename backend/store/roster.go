package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func table(e roster.Entity) string { return "roster_" + string(e) }

func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, ", ")
}

// blanks selects columns with NULL (how a blank value is stored) read back as "".
func blanks(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `COALESCE("` + n + `", '')`
	}
	return strings.Join(q, ", ")
}

// RosterCounts holds the number of roster records per entity: Active leaves out records marked
// tobedeleted, which are counted in Deleted.
type RosterCounts struct {
	Active  map[roster.Entity]int `json:"active"`
	Deleted map[roster.Entity]int `json:"deleted"`
}

// RosterCounts counts the roster per entity; users kept as redundant secondaries of merges (and their
// demographics) are not counted.
func (s *Store) RosterCounts(ctx context.Context) (RosterCounts, error) {
	c := RosterCounts{Active: map[roster.Entity]int{}, Deleted: map[roster.Entity]int{}}
	for _, e := range roster.Entities {
		var active, deleted int
		err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) - COUNT(CASE WHEN status = 'tobedeleted' THEN 1 END),
			COUNT(CASE WHEN status = 'tobedeleted' THEN 1 END) FROM `+table(e)+sendable(e, " WHERE ")).Scan(&active, &deleted)
		if err != nil {
			return c, err
		}
		c.Active[e], c.Deleted[e] = active, deleted
	}
	return c, nil
}

// RosterQuery asks for one page of an entity's records.
type RosterQuery struct {
	Entity  roster.Entity
	Columns []string // columns to return, in order
	Search  string   // case-insensitive substring matched against SearchIn
	In      []string // columns searched
	Offset  int
	Limit   int
}

// RosterPage is one page of records and the number of records matching the query.
type RosterPage struct {
	Total int        `json:"total"`
	Rows  [][]string `json:"rows"`
}

// QueryRoster returns a page of records in sourcedId order.
func (s *Store) QueryRoster(ctx context.Context, q RosterQuery) (RosterPage, error) {
	page := RosterPage{Rows: [][]string{}}
	schema := roster.Schema(q.Entity)
	for _, c := range append(append([]string{}, q.Columns...), q.In...) {
		if schema.Index(c) < 0 {
			return page, fmt.Errorf("%s has no column %s", q.Entity, c)
		}
	}
	where, args := "", []any{}
	if q.Search != "" && len(q.In) > 0 {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q.Search) + "%"
		conds := make([]string, len(q.In))
		for i, c := range q.In {
			conds[i] = `"` + c + `" LIKE ? ESCAPE '\'`
			args = append(args, like)
		}
		where = " WHERE " + strings.Join(conds, " OR ")
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table(q.Entity)+where, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+blanks(q.Columns)+` FROM `+table(q.Entity)+where+` ORDER BY "sourcedId" LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		vals := make([]string, len(q.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return page, err
		}
		page.Rows = append(page.Rows, vals)
	}
	return page, rows.Err()
}

// RosterVersion changes whenever an import changes the roster: the last successful import's run id.
func (s *Store) RosterVersion(ctx context.Context) (string, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM runs WHERE direction = 'import' AND status = 'succeeded'`).Scan(&id)
	return fmt.Sprint(id), err
}
