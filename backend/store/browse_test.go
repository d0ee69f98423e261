package store

import (
	"context"
	"slices"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// browse returns the rows of a query on filterRoster's district, each joined by "|".
func browse(t *testing.T, st *Store, q RosterQuery) []string {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100
	}
	page, err := st.QueryRoster(context.Background(), q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	out := []string{}
	for _, r := range page.Rows {
		out = append(out, r[0]+"|"+r[len(r)-1])
	}
	return out
}

// The browser orders by any column, stored or derived (a user's role and school), ignoring case,
// ties and blanks in sourcedId order; filters per column combine with the search and the filters.
func TestRosterSortsAndFiltersByColumn(t *testing.T) {
	st := filterRoster(t)
	users := func(sort string, desc bool, match map[string]string, search string, f RosterFilter) []string {
		return browse(t, st, RosterQuery{Entity: roster.Users, Columns: []string{"sourcedId", sort}, Sort: sort, Desc: desc,
			Match: match, Search: search, In: []string{"sourcedId"}, Filter: f})
	}
	for _, tc := range []struct {
		name string
		got  []string
		want []string
	}{
		{"school (primaryOrgSourcedId, else the org of the role), its name without regard to case, none first", users("school", false, nil, "", RosterFilter{}),
			[]string{"u6|", "u1|North High", "u4|North High", "u2|south Middle", "u3|south Middle", "u5|south Middle"}},
		{"school going down, ties going down too", users("school", true, nil, "", RosterFilter{}),
			[]string{"u5|south Middle", "u3|south Middle", "u2|south Middle", "u4|North High", "u1|North High", "u6|"}},
		{"role", users("role", true, nil, "", RosterFilter{}),
			[]string{"u4|teacher", "u5|student", "u3|student", "u2|student", "u1|student", "u6|"}},
		{"grades", users("grades", false, nil, "", RosterFilter{}),
			[]string{"u4|", "u3|09, 10", "u1|09,10", "u2|10", "u5|11", "u6|KG"}},
		{"a column's filter, any case", users("school", false, map[string]string{"school": "NORTH"}, "", RosterFilter{}),
			[]string{"u1|North High", "u4|North High"}},
		{"two columns' filters", users("givenName", false, map[string]string{"school": "south", "role": "stud"}, "", RosterFilter{}),
			[]string{"u2|Name u2", "u3|Name u3", "u5|Name u5"}},
		{"with the search and a filter", users("grades", false, map[string]string{"grades": "10"}, "u", RosterFilter{Status: "active"}),
			[]string{"u3|09, 10", "u1|09,10", "u2|10"}},
		{"names without regard to case", browse(t, st, RosterQuery{Entity: roster.Orgs, Columns: []string{"sourcedId", "name"}, Sort: "name"}),
			[]string{"north|North High", "south|south Middle", "dist|Springfield District"}},
		{"a wildcard is a letter", users("givenName", false, map[string]string{"givenName": "%"}, "", RosterFilter{}), []string{}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	ctx := context.Background()
	for _, q := range []RosterQuery{
		{Entity: roster.Users, Sort: "password2"},
		{Entity: roster.Users, Match: map[string]string{"nope": "x"}},
		{Entity: roster.Users, Search: "x", In: []string{"school"}}, // the search looks in stored columns only
		{Entity: roster.Orgs, Columns: []string{"school"}},
	} {
		if _, err := st.QueryRoster(ctx, q); err == nil {
			t.Errorf("%+v: accepted", q)
		}
	}
}

// A page does not count every match unless it tells the total itself; CountRoster does.
func TestRosterPagesCountOnlyWhenTheyTell(t *testing.T) {
	st := filterRoster(t)
	ctx := context.Background()
	q := RosterQuery{Entity: roster.Users, Columns: []string{"sourcedId"}, Limit: 2}
	if page, err := st.QueryRoster(ctx, q); err != nil || page.Total != -1 || len(page.Rows) != 2 {
		t.Errorf("a full first page: %+v %v", page, err)
	}
	q.Match = map[string]string{"school": "south"}
	if n, err := st.CountRoster(ctx, q); err != nil || n != 3 {
		t.Errorf("count %d %v", n, err)
	}
	q.Limit = 10
	if page, err := st.QueryRoster(ctx, q); err != nil || page.Total != 3 {
		t.Errorf("a short first page tells its total: %+v %v", page, err)
	}
	q.Offset = 1
	if page, err := st.QueryRoster(ctx, q); err != nil || page.Total != -1 || len(page.Rows) != 2 {
		t.Errorf("a later page does not: %+v %v", page, err)
	}
}
