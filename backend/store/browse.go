package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// derived are columns the roster browser shows that a record does not store, as SQL on the entity's
// table: a user's role, that of its primary role (another role when it has none), and its school, the
// name of its primaryOrgSourcedId or else of that role's org. The roles index on (userSourcedId,
// roleType, role, orgSourcedId) finds a user's role without reading the roles table; ordering 135,000
// users by either still looks one up per user.
var derived = map[roster.Entity]map[string]string{
	roster.Users: {
		"role": `(SELECT r."role" FROM roster_roles r WHERE r."userSourcedId" = roster_users."sourcedId" ORDER BY r."roleType" LIMIT 1)`,
		"school": `COALESCE((SELECT o."name" FROM roster_orgs o WHERE o."sourcedId" = roster_users."primaryOrgSourcedId"),
			(SELECT o."name" FROM roster_roles r JOIN roster_orgs o ON o."sourcedId" = r."orgSourcedId"
			WHERE r."userSourcedId" = roster_users."sourcedId" ORDER BY r."roleType" LIMIT 1))`,
	},
}

// column is the SQL of one of entity e's columns, stored or derived.
func column(e roster.Entity, c string) string {
	if sql, ok := derived[e][c]; ok {
		return sql
	}
	return `"` + c + `"`
}

// check refuses columns the entity does not have; only stored columns are searched.
func (q RosterQuery) check() error {
	schema := roster.Schema(q.Entity)
	known := func(c string, derivedToo bool) error {
		if _, ok := derived[q.Entity][c]; (ok && derivedToo) || schema.Index(c) >= 0 {
			return nil
		}
		return fmt.Errorf("%s has no column %s", q.Entity, c)
	}
	for _, c := range q.In {
		if err := known(c, false); err != nil {
			return err
		}
	}
	for c := range q.Match {
		if err := known(c, true); err != nil {
			return err
		}
	}
	if q.Sort != "" {
		if err := known(q.Sort, true); err != nil {
			return err
		}
	}
	for _, c := range q.Columns {
		if err := known(c, true); err != nil {
			return err
		}
	}
	return nil
}

// order is the query's ORDER BY, key being the SQL of the column sorted by: without regard to case
// (blanks first going up), then sourcedId, so that pages follow each other without a record twice
// or missed.
func (q RosterQuery) order(key, id string) string {
	dir := ""
	if q.Desc {
		dir = " DESC"
	}
	if q.Sort == "" || q.Sort == "sourcedId" {
		return ` ORDER BY ` + id + dir
	}
	return ` ORDER BY ` + key + ` COLLATE NOCASE` + dir + `, ` + id + dir
}

// EachRoster calls fn with each record matching the query (from Offset, at most Limit of them, all
// when Limit is 0), its columns in order with blanks as "". fn may not keep row.
func (s *Store) EachRoster(ctx context.Context, q RosterQuery, fn func(row []string) error) error {
	if err := q.check(); err != nil {
		return err
	}
	where, args, err := q.where()
	if err != nil {
		return err
	}
	cols := make([]string, len(q.Columns))
	for i, c := range q.Columns {
		cols[i] = `COALESCE(` + column(q.Entity, c) + `, '')`
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	t := table(q.Entity)
	query := `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + t + where + q.order("", `"sourcedId"`) + ` LIMIT ? OFFSET ?`
	if q.Sort != "" && q.Sort != "sourcedId" {
		// Sorted, SQLite would work out every column of every record it orders (a user's role and
		// school are lookups): first the page's records by their key alone, then their columns.
		query = `SELECT ` + strings.Join(cols, ", ") + ` FROM (SELECT rowid AS row_, ` + column(q.Entity, q.Sort) + ` AS key_, "sourcedId" AS id_ FROM ` + t + where +
			q.order("key_", "id_") + ` LIMIT ? OFFSET ?) AS page_ JOIN ` + t + ` ON ` + t + `.rowid = page_.row_` + q.order("page_.key_", "page_.id_")
	}
	rows, err := s.db.QueryContext(ctx, query, append(args, limit, q.Offset)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]string, len(q.Columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}
