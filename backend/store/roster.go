package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
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
	Filter  RosterFilter
	Match   map[string]string // column -> case-insensitive substring it must contain
	IDs     []string          // when not nil, only these records (sourcedIds)
	Sort    string            // column to order by ("" for sourcedId); ties in sourcedId order
	Desc    bool
	Live    bool // only records not being deleted
	Offset  int
	Limit   int
}

// RosterFilter narrows the roster browser; a blank field does not filter. Each applies to some
// entities only (see filterable).
type RosterFilter struct {
	School string `json:"school"` // users: a role at this org; classes: their schoolSourcedId
	Grade  string `json:"grade"`  // users, classes: grades lists it
	Status string `json:"status"` // users: active, inactive (enabledUser false) or tobedeleted
	Role   string `json:"role"`   // users: a role of this kind (at School when both are given)
	Type   string `json:"type"`   // orgs: their type
}

// UserStatuses are the values of RosterFilter.Status, as the selection wizard counts users: a user
// being deleted is tobedeleted whatever enabledUser says.
var UserStatuses = []string{"active", "inactive", "tobedeleted"}

// filterNames names RosterFilter's fields in order.
var filterNames = []string{"school", "grade", "status", "role", "type"}

// filterable names, per entity, the RosterFilter fields that apply.
var filterable = map[roster.Entity][]string{
	roster.Users:   {"school", "grade", "status", "role"},
	roster.Classes: {"school", "grade"},
	roster.Orgs:    {"type"},
}

// likeLiteral escapes LIKE's wildcards (matched with ESCAPE '\').
var likeLiteral = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// where returns the query's WHERE clause (or "") and its arguments. Filters by school and role
// look roles up by the users' sourcedIds, which the UNIQUE index finds.
func (q RosterQuery) where() (string, []any, error) {
	conds, args := []string{}, []any{}
	if q.Search != "" && len(q.In) > 0 {
		like := "%" + likeLiteral.Replace(q.Search) + "%"
		or := make([]string, len(q.In))
		for i, c := range q.In {
			or[i] = `"` + c + `" LIKE ? ESCAPE '\'`
			args = append(args, like)
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	for _, c := range slices.Sorted(maps.Keys(q.Match)) {
		if v := strings.TrimSpace(q.Match[c]); v != "" {
			conds, args = append(conds, column(q.Entity, c)+` LIKE ? ESCAPE '\'`), append(args, "%"+likeLiteral.Replace(v)+"%")
		}
	}
	if q.IDs != nil {
		conds, args = append(conds, `"sourcedId" IN (SELECT value FROM json_each(?))`), append(args, idsJSON(q.IDs))
	}
	if q.Live {
		conds = append(conds, `status IS NOT 'tobedeleted'`)
	}
	f := q.Filter
	for i, v := range []string{f.School, f.Grade, f.Status, f.Role, f.Type} {
		if name := filterNames[i]; v != "" && !slices.Contains(filterable[q.Entity], name) {
			return "", nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s cannot be filtered by %s.", q.Entity, name))
		}
	}
	if f.Grade != "" {
		// grades is a comma list ("09,10", sometimes "09, 10"): match a whole item.
		conds = append(conds, `(',' || REPLACE("grades", ' ', '') || ',') LIKE ? ESCAPE '\'`)
		args = append(args, "%,"+likeLiteral.Replace(strings.TrimSpace(f.Grade))+",%")
	}
	switch q.Entity {
	case roster.Orgs:
		if f.Type != "" {
			conds, args = append(conds, `"type" = ?`), append(args, f.Type)
		}
	case roster.Classes:
		if f.School != "" {
			conds, args = append(conds, `"schoolSourcedId" = ?`), append(args, f.School)
		}
	case roster.Users:
		if f.School != "" || f.Role != "" {
			role, roleArgs := []string{}, []any{}
			if f.School != "" {
				role, roleArgs = append(role, `"orgSourcedId" = ?`), append(roleArgs, f.School)
			}
			if f.Role != "" {
				role, roleArgs = append(role, `"role" = ?`), append(roleArgs, f.Role)
			}
			conds = append(conds, `"sourcedId" IN (SELECT "userSourcedId" FROM roster_roles WHERE `+strings.Join(role, " AND ")+`)`)
			args = append(args, roleArgs...)
		}
		switch f.Status {
		case "":
		case "active":
			conds = append(conds, `COALESCE("status", '') <> 'tobedeleted' AND LOWER(COALESCE("enabledUser", '')) <> 'false'`)
		case "inactive":
			conds = append(conds, `COALESCE("status", '') <> 'tobedeleted' AND LOWER("enabledUser") = 'false'`)
		case "tobedeleted":
			conds = append(conds, `"status" = 'tobedeleted'`)
		default:
			return "", nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a user status to filter by; use %s.", f.Status, strings.Join(UserStatuses, ", ")))
		}
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// RosterPage is one page of records. Total is the number of records matching the query when the page
// tells it (the first page, shorter than its limit), else -1: CountRoster counts them.
type RosterPage struct {
	Total int        `json:"total"`
	Rows  [][]string `json:"rows"`
}

// QueryRoster returns a page of records in the query's order, without counting them all: a count scans
// every match, and the browser shows the rows first.
func (s *Store) QueryRoster(ctx context.Context, q RosterQuery) (RosterPage, error) {
	page := RosterPage{Total: -1, Rows: [][]string{}}
	err := s.EachRoster(ctx, q, func(row []string) error {
		page.Rows = append(page.Rows, slices.Clone(row))
		return nil
	})
	if q.Offset == 0 && len(page.Rows) < q.Limit {
		page.Total = len(page.Rows)
	}
	return page, err
}

// CountRoster counts the records matching the query.
func (s *Store) CountRoster(ctx context.Context, q RosterQuery) (int, error) {
	q.Sort, q.Columns = "", nil
	if err := q.check(); err != nil {
		return 0, err
	}
	where, args, err := q.where()
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table(q.Entity)+where, args...).Scan(&n)
	return n, err
}

// RosterIDs returns the sourcedIds of the records matching the query (its columns, offset and limit
// aside), in the query's order, at most limit of them.
func (s *Store) RosterIDs(ctx context.Context, q RosterQuery, limit int) ([]string, error) {
	q.Columns, q.Offset, q.Limit = []string{"sourcedId"}, 0, limit
	ids := []string{}
	err := s.EachRoster(ctx, q, func(row []string) error {
		ids = append(ids, row[0])
		return nil
	})
	return ids, err
}

// FilterChoice is one choice of a filter: the value filtered on and what the registrar reads.
type FilterChoice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// RosterFilterChoices are the values the roster browser's filters offer, taken from the roster.
type RosterFilterChoices struct {
	Schools  []FilterChoice `json:"schools"`  // orgs of type school, by name
	Grades   []string       `json:"grades"`   // grades users or classes list, in school order
	Roles    []string       `json:"roles"`    // roles.role values
	OrgTypes []string       `json:"orgTypes"` // orgs' types
}

// RosterFilterChoices reads the schools, the grades of entity e's records, the roles and the org types.
func (s *Store) RosterFilterChoices(ctx context.Context, e roster.Entity) (RosterFilterChoices, error) {
	c := RosterFilterChoices{Schools: []FilterChoice{}, Grades: []string{}}
	rows, err := s.db.QueryContext(ctx, `SELECT "sourcedId", COALESCE("name", '') FROM roster_orgs WHERE "type" = 'school' ORDER BY "name" COLLATE NOCASE, "sourcedId"`)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var ch FilterChoice
		if err := rows.Scan(&ch.Value, &ch.Label); err != nil {
			return c, err
		}
		c.Schools = append(c.Schools, ch)
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	if e == roster.Users || e == roster.Classes {
		lists, err := textRows(ctx, s.db, `SELECT DISTINCT "grades" FROM `+table(e)+` WHERE "grades" IS NOT NULL`)
		if err != nil {
			return c, err
		}
		seen := map[string]bool{}
		for _, list := range lists {
			for _, g := range strings.Split(list, ",") {
				if g = strings.TrimSpace(g); g != "" && !seen[g] {
					seen[g] = true
					c.Grades = append(c.Grades, g)
				}
			}
		}
		slices.SortFunc(c.Grades, compareGrades)
	}
	if c.Roles, err = textRows(ctx, s.db, `SELECT DISTINCT "role" FROM roster_roles WHERE "role" IS NOT NULL ORDER BY 1`); err != nil {
		return c, err
	}
	c.OrgTypes, err = textRows(ctx, s.db, `SELECT DISTINCT "type" FROM roster_orgs WHERE "type" IS NOT NULL ORDER BY 1`)
	return c, err
}

// gradeOrder is the order of the CEDS grade levels OneRoster uses; other values follow, sorted.
var gradeOrder = []string{"IT", "PR", "PK", "TK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "PS", "UG", "Other"}

func compareGrades(a, b string) int {
	i, j := slices.Index(gradeOrder, a), slices.Index(gradeOrder, b)
	switch {
	case i >= 0 && j >= 0:
		return i - j
	case i >= 0:
		return -1
	case j >= 0:
		return 1
	}
	return strings.Compare(a, b)
}

// RosterVersion changes whenever a run changes the roster (imports, syncs, merges, new orders of the sources
// and removals are succeeded import runs): the last one's id, and how many there are, for a run that
// started before the last one and succeeded after it.
func (s *Store) RosterVersion(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) || ':' || COUNT(*) FROM runs WHERE direction IN ('import', 'sync') AND status = 'succeeded'`).Scan(&v)
	return v, err
}
