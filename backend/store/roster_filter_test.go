package store

import (
	"context"
	"slices"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// filterRoster is a small district as SIS exports have it: a district and two schools, users with
// roles at one school or both, grades written "09,10" or "09, 10", enabledUser "False" in any case,
// a user being deleted, and classes of each school.
func filterRoster(t *testing.T) *Store {
	t.Helper()
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "SIS", Kind: "k", Role: "source"})
	tx, _ := beginImport(t, st, c)
	add := func(e roster.Entity, kv ...string) {
		rec := roster.NewRecord(e)
		for i := 0; i < len(kv); i += 2 {
			rec.Set(kv[i], kv[i+1])
		}
		if err := tx.Upsert(rec, "", 1); err != nil {
			t.Fatal(err)
		}
	}
	add(roster.Orgs, "sourcedId", "dist", "name", "Springfield District", "type", "district")
	add(roster.Orgs, "sourcedId", "north", "name", "North High", "type", "school", "parentSourcedId", "dist")
	add(roster.Orgs, "sourcedId", "south", "name", "south Middle", "type", "school", "parentSourcedId", "dist")
	users := []struct{ id, grades, enabled, primaryOrg string }{
		{"u1", "09,10", "true", ""},   // student at north
		{"u2", "10", "true", "south"}, // student at north and south, mainly south
		{"u3", "09, 10", "True", ""},  // student at south
		{"u4", "", "False", ""},       // teacher at north, disabled
		{"u5", "11", "true", ""},      // student at south, being deleted
		{"u6", "KG", "false", ""},     // student at no school, disabled
	}
	for _, u := range users {
		add(roster.Users, "sourcedId", u.id, "givenName", "Name "+u.id, "grades", u.grades, "enabledUser", u.enabled, "primaryOrgSourcedId", u.primaryOrg)
	}
	for _, r := range [][3]string{{"r1", "u1", "north"}, {"r2", "u2", "north"}, {"r3", "u2", "south"}, {"r4", "u3", "south"}, {"r5", "u5", "south"}} {
		add(roster.Roles, "sourcedId", r[0], "userSourcedId", r[1], "orgSourcedId", r[2], "role", "student", "roleType", "primary")
	}
	add(roster.Roles, "sourcedId", "r6", "userSourcedId", "u4", "orgSourcedId", "north", "role", "teacher", "roleType", "primary")
	add(roster.Classes, "sourcedId", "c1", "title", "Algebra", "grades", "09,10", "schoolSourcedId", "north")
	add(roster.Classes, "sourcedId", "c2", "title", "Biology", "grades", "10", "schoolSourcedId", "south")
	add(roster.Classes, "sourcedId", "c3", "title", "Choir", "grades", "09", "schoolSourcedId", "south")
	if err := tx.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := tx.MarkDeleted(roster.Users, "u5", "u5", "2026-11-30T10:00:00.000Z", func(string) {}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return st
}

func filtered(t *testing.T, st *Store, e roster.Entity, search string, f RosterFilter) []string {
	t.Helper()
	q := RosterQuery{Entity: e, Columns: []string{"sourcedId"}, Search: search, In: []string{"sourcedId"}, Filter: f, Limit: 100}
	page, err := st.QueryRoster(context.Background(), q)
	if err != nil {
		t.Fatalf("%s %+v: %v", e, f, err)
	}
	ids := []string{}
	for _, r := range page.Rows {
		ids = append(ids, r[0])
	}
	if page.Total != len(ids) {
		t.Errorf("%s %+v: total %d, rows %v", e, f, page.Total, ids)
	}
	// The IDs of the filtered view (select all) are the same records.
	all, err := st.RosterIDs(context.Background(), q, 1000)
	if err != nil || !slices.Equal(all, ids) {
		t.Errorf("%s %+v: RosterIDs %v %v, page %v", e, f, all, err, ids)
	}
	return ids
}

func TestRosterFilters(t *testing.T) {
	st := filterRoster(t)
	for _, tc := range []struct {
		name   string
		entity roster.Entity
		search string
		filter RosterFilter
		want   []string
	}{
		{"users with a role at a school", roster.Users, "", RosterFilter{School: "north"}, []string{"u1", "u2", "u4"}},
		{"users at the other school", roster.Users, "", RosterFilter{School: "south"}, []string{"u2", "u3", "u5"}},
		{"a grade in a comma list, spaces or not", roster.Users, "", RosterFilter{Grade: "09"}, []string{"u1", "u3"}},
		{"a grade matches a whole item only", roster.Users, "", RosterFilter{Grade: "1"}, []string{}},
		{"grade 10", roster.Users, "", RosterFilter{Grade: "10"}, []string{"u1", "u2", "u3"}},
		{"active: enabled and not being deleted", roster.Users, "", RosterFilter{Status: "active"}, []string{"u1", "u2", "u3"}},
		{"inactive: enabledUser false in any case", roster.Users, "", RosterFilter{Status: "inactive"}, []string{"u4", "u6"}},
		{"tobedeleted", roster.Users, "", RosterFilter{Status: "tobedeleted"}, []string{"u5"}},
		{"a role", roster.Users, "", RosterFilter{Role: "teacher"}, []string{"u4"}},
		{"a role at a school", roster.Users, "", RosterFilter{School: "south", Role: "teacher"}, []string{}},
		{"filters combine with each other", roster.Users, "", RosterFilter{School: "north", Grade: "10", Status: "active", Role: "student"}, []string{"u1", "u2"}},
		{"and with the search", roster.Users, "u2", RosterFilter{School: "south"}, []string{"u2"}},
		{"classes of a school", roster.Classes, "", RosterFilter{School: "south"}, []string{"c2", "c3"}},
		{"classes of a grade", roster.Classes, "", RosterFilter{Grade: "09"}, []string{"c1", "c3"}},
		{"orgs of a type", roster.Orgs, "", RosterFilter{Type: "school"}, []string{"north", "south"}},
		{"no filter", roster.Orgs, "", RosterFilter{}, []string{"dist", "north", "south"}},
	} {
		if got := filtered(t, st, tc.entity, tc.search, tc.filter); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRosterFiltersRefuseWhatDoesNotApply(t *testing.T) {
	st := filterRoster(t)
	ctx := context.Background()
	for _, q := range []RosterQuery{
		{Entity: roster.Orgs, Filter: RosterFilter{Grade: "09"}},
		{Entity: roster.Classes, Filter: RosterFilter{Status: "active"}},
		{Entity: roster.Users, Filter: RosterFilter{Type: "school"}},
		{Entity: roster.Users, Filter: RosterFilter{Status: "gone"}},
	} {
		q.Columns, q.Limit = []string{"sourcedId"}, 10
		if _, err := st.QueryRoster(ctx, q); err == nil {
			t.Errorf("%s %+v: accepted", q.Entity, q.Filter)
		}
	}
}

func TestRosterIDsStopAtTheLimit(t *testing.T) {
	st := filterRoster(t)
	ids, err := st.RosterIDs(context.Background(), RosterQuery{Entity: roster.Users, Filter: RosterFilter{Status: "active"}}, 2)
	if err != nil || !slices.Equal(ids, []string{"u1", "u2"}) {
		t.Fatalf("%v %v", ids, err)
	}
}

func TestRosterFilterChoicesComeFromTheData(t *testing.T) {
	st := filterRoster(t)
	c, err := st.RosterFilterChoices(context.Background(), roster.Users)
	if err != nil {
		t.Fatal(err)
	}
	if want := []FilterChoice{{"north", "North High"}, {"south", "south Middle"}}; !slices.Equal(c.Schools, want) {
		t.Errorf("schools %v, want %v", c.Schools, want)
	}
	if want := []string{"KG", "09", "10", "11"}; !slices.Equal(c.Grades, want) {
		t.Errorf("grades %v, want %v (school order)", c.Grades, want)
	}
	if want := []string{"student", "teacher"}; !slices.Equal(c.Roles, want) {
		t.Errorf("roles %v", c.Roles)
	}
	if want := []string{"district", "school"}; !slices.Equal(c.OrgTypes, want) {
		t.Errorf("org types %v", c.OrgTypes)
	}
	if c, _ := st.RosterFilterChoices(context.Background(), roster.Classes); !slices.Equal(c.Grades, []string{"09", "10"}) {
		t.Errorf("class grades %v", c.Grades)
	}
}
