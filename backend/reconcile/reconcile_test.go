package reconcile

import (
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// user is a source's values of a user: the named columns set, extension columns from meta.
func user(cols map[string]string, meta map[string]string) Values {
	rec := roster.NewRecord(roster.Users)
	for name, v := range cols {
		rec.Set(name, v)
	}
	v := Of(rec)
	if len(meta) > 0 {
		v.M = meta
	}
	return v
}

func origin(conn int64, live bool, v Values) Origin {
	return Origin{Connection: conn, SourcedID: "u1", Live: live, Values: v}
}

func TestMergeKeepsTheFirstNonBlankValueOfTheLiveOrigins(t *testing.T) {
	col := roster.Schema(roster.Users).Index
	origins := []Origin{
		origin(2, true, user(map[string]string{"sourcedId": "u1", "status": "active", "givenName": "Ana", "email": ""}, map[string]string{"legacy": ""})),
		origin(1, false, user(map[string]string{"givenName": "Gone", "email": "gone@example.org", "middleName": "Dead"}, map[string]string{"legacy": "D-1"})),
		origin(3, true, user(map[string]string{"givenName": "Anna", "email": "ana@example.org", "familyName": "Lopez"}, map[string]string{"legacy": "L-1", "house": "Red"})),
	}
	res := Merge(roster.Users, "u1~7", origins)
	if !res.Live || res.Record.SourcedID() != "u1~7" || res.Record.Status() != roster.StatusActive {
		t.Fatalf("record %v live %v", res.Record.Values[:3], res.Live)
	}
	for name, want := range map[string]string{"givenName": "Ana", "email": "ana@example.org", "familyName": "Lopez", "middleName": "", "phone": ""} {
		if got := res.Record.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]int{"givenName": 0, "email": 2, "familyName": 2, "middleName": -1, "sourcedId": -1, "status": -1} {
		if got := res.From[col(name)]; got != want {
			t.Errorf("%s from origin %d, want %d", name, got, want)
		}
	}
	if !slices.Equal(res.Record.Metadata, []roster.MetadataValue{{Name: "house", Value: "Red"}, {Name: "legacy", Value: "L-1"}}) || res.MetaFrom["legacy"] != 2 {
		t.Errorf("metadata %v from %v", res.Record.Metadata, res.MetaFrom)
	}
}

func TestMergeOfARecordNoOriginSuppliesKeepsTheFirstOriginsValues(t *testing.T) {
	res := Merge(roster.Users, "u1", []Origin{
		origin(1, false, user(map[string]string{"givenName": "Ana", "email": ""}, nil)),
		origin(2, false, user(map[string]string{"givenName": "Anna", "email": "ana@example.org"}, nil)),
	})
	if res.Live || res.Record.Status() != roster.StatusToBeDeleted {
		t.Fatalf("live %v status %s", res.Live, res.Record.Status())
	}
	if res.Record.Get("givenName") != "Ana" || res.Record.Get("email") != "ana@example.org" {
		t.Errorf("values %v", res.Record.Values)
	}
}

func TestConflictsAreFieldsWhereLiveOriginsDisagree(t *testing.T) {
	origins := []Origin{
		origin(1, true, user(map[string]string{"givenName": "Ana", "email": "", "familyName": "Lopez"}, map[string]string{"legacy": "L-1"})),
		origin(2, false, user(map[string]string{"givenName": "Gone", "familyName": "Other"}, map[string]string{"legacy": "D-1"})),
		origin(3, true, user(map[string]string{"givenName": "Anna", "email": "ana@example.org", "familyName": "Lopez"}, map[string]string{"legacy": "L-2"})),
	}
	got := Conflicts(roster.Users, origins, Merge(roster.Users, "u1", origins))
	want := []Conflict{
		{Field: "givenName", Values: []string{"Ana", "", "Anna"}, Kept: 0},
		{Field: "metadata.legacy", Values: []string{"L-1", "", "L-2"}, Kept: 0},
	}
	if len(got) != len(want) {
		t.Fatalf("conflicts %+v", got)
	}
	for i := range want {
		if got[i].Field != want[i].Field || !slices.Equal(got[i].Values, want[i].Values) || got[i].Kept != want[i].Kept {
			t.Errorf("conflict %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// A blank is no disagreement, and neither is a dead origin.
	one := []Origin{origins[0], origins[1]}
	if c := Conflicts(roster.Users, one, Merge(roster.Users, "u1", one)); len(c) != 0 {
		t.Errorf("one live origin has no conflicts: %+v", c)
	}
}

func TestStoredValuesReadBackAndDamageIsNamed(t *testing.T) {
	v := user(map[string]string{"givenName": "Zoë, \"Z\"", "email": "z@example.org"}, map[string]string{"legacy": "L-1"})
	back, err := Decode(roster.Users, v.Encode())
	if err != nil || !slices.Equal(back.V, v.V) || back.M["legacy"] != "L-1" {
		t.Fatalf("%+v %v", back, err)
	}
	if _, err := Decode(roster.Orgs, v.Encode()); err == nil || !strings.Contains(err.Error(), "orgs") {
		t.Errorf("users' values read as an org's: %v", err)
	}
	if _, err := Decode(roster.Users, `{"v":[`); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged values: %v", err)
	}
}
