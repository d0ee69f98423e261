package store

import (
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Folding: once a merge points a secondary's enrollments and roles at the primary, one that repeats
// a record the primary has (the same class and role; the same org, role and role type) is the same
// record twice. Its origins go to the primary's record, as a merged person's do, so the class has
// the student once and each source that sends either record supplies that one.

// foldKeys are, per entity, the columns that make two of a person's records the same record.
var foldKeys = map[roster.Entity][]string{
	roster.Enrollments: {"userSourcedId", "classSourcedId", "role"},
	roster.Roles:       {"userSourcedId", "orgSourcedId", "role", "roleType"},
}

// Folded is a record a merge folded into another of the same person, with the origins it gave it.
type Folded struct {
	Entity   roster.Entity
	From, To string
	Origins  []MovedOrigin
}

// Fold folds the moved enrollments and roles that repeat one the same person has into it: their
// origins (values kept) go to it, both are queued to be worked out again, and what moved is
// returned for undo. The records are read in one pass per entity for every merge of a run.
func (a *Apply) Fold(moved []MovedRef, when, why string) ([]Folded, error) {
	var folds []Folded
	for e, key := range foldKeys {
		movedIDs := map[string]bool{}
		users := map[string]bool{}
		for _, m := range moved {
			if m.Entity == e {
				movedIDs[m.SourcedID] = true
				users[m.To] = true
			}
		}
		if len(movedIDs) == 0 {
			continue
		}
		if err := a.flush(); err != nil {
			return nil, err
		}
		// The live records of the people concerned, by key: those that did not move first, so a
		// moved record folds into the primary's own.
		kept := map[string]string{}
		var candidates [][2]string // moved record, its key
		cols := `"sourcedId", ` + `COALESCE("` + strings.Join(key, `", ''), COALESCE("`) + `", '')`
		rows, err := a.tx.QueryContext(a.ctx, `SELECT `+cols+` FROM `+table(e)+` WHERE COALESCE(status, 'active') <> 'tobedeleted'`)
		if err != nil {
			return nil, err
		}
		vals := make([]string, len(key)+1)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			if !users[vals[1]] {
				continue
			}
			k := strings.Join(vals[1:], "\x00")
			if movedIDs[vals[0]] {
				candidates = append(candidates, [2]string{vals[0], k})
			} else if _, ok := kept[k]; !ok {
				kept[k] = vals[0]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, c := range candidates {
			if to, ok := kept[c[1]]; ok {
				folds = append(folds, Folded{Entity: e, From: c[0], To: to})
			} else {
				kept[c[1]] = c[0] // a second moved copy folds into the first
			}
		}
		for i := range folds {
			if f := &folds[i]; f.Entity == e {
				if f.Origins, err = a.Redirect(e, f.From, f.To, when, why); err != nil {
					return nil, err
				}
			}
		}
	}
	return folds, nil
}
