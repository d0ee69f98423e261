package mapping

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// benchMapping is a realistic users mapping for a SIS: twelve fields, mostly direct, two code tables
// and two transformations.
var benchMapping = Mapping{Entity: "users", Fields: []Field{
	{To: "student_number", Type: Direct, From: "identifier", Key: true},
	{To: "first_name", Type: Direct, From: "givenName"},
	{To: "last_name", Type: Transformation, Expr: "upper(familyName)"},
	{To: "middle_name", Type: Direct, From: "middleName"},
	{To: "email", Type: Direct, From: "email"},
	{To: "grade", Type: Direct, From: "grades"},
	{To: "gender", Type: Codes, From: "demographics.sex", Codes: CodeTable{{"female", "F"}, {"male", "M"}, {"other", "X"}}, Unmatched: UnmatchedDefault, Default: "U"},
	{To: "birth_date", Type: Transformation, Expr: `formatDate(demographics.birthDate, "MM/DD/YYYY")`},
	{To: "school_code", Type: Direct, From: "school.identifier"},
	{To: "role", Type: Direct, From: "role"},
	{To: "username", Type: Direct, From: "username"},
	{To: "active", Type: Codes, From: "enabledUser", Codes: CodeTable{{"true", "A"}, {"false", "I"}}, Unmatched: UnmatchedFail},
}}

// benchSources are a thousand students with varied names, sexes and birth dates.
func benchSources() []Source {
	given := []string{"Ana", "Élodie", "Mohammed", "Chloé", "Nguyễn", "Seán"}
	family := []string{"o'brien", "García", "Smith-Jones", "Østergaard", "Lee", "van der Berg"}
	sexes := []string{"female", "male", "", "other", "Female"}
	school := record(roster.Orgs, map[string]string{"sourcedId": "s1", "name": "Lincoln High", "type": "school", "identifier": "LHS"})
	src := make([]Source, 1000)
	for i := range src {
		id := fmt.Sprintf("%07d", i)
		src[i] = Source{
			Record: *record(roster.Users, map[string]string{"sourcedId": "u" + id, "enabledUser": "true", "givenName": given[i%len(given)],
				"familyName": family[i%len(family)], "identifier": id, "email": "s" + id + "@school.org", "grades": "09", "username": "s" + id}),
			Demographics: record(roster.Demographics, map[string]string{"sex": sexes[i%len(sexes)], "birthDate": fmt.Sprintf("2011-%02d-%02d", i%12+1, i%28+1)}),
			School:       school,
			Roles:        []roster.Record{*record(roster.Roles, map[string]string{"role": "student", "roleType": "primary", "orgSourcedId": "s1"})},
		}
	}
	return src
}

// BenchmarkApply maps users with benchMapping and builds each payload; make bench reads records/s.
func BenchmarkApply(b *testing.B) {
	p, err := Compile(benchMapping)
	if err != nil {
		b.Fatal(err)
	}
	src := benchSources()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := p.Apply(src[i%len(src)])
		if r.Failed {
			b.Fatal(r.Error())
		}
		_ = r.Payload(false)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// A Program is shared by the goroutines of a run: results must not depend on who maps what.
func TestApplyConcurrently(t *testing.T) {
	p, err := Compile(benchMapping)
	if err != nil {
		t.Fatal(err)
	}
	src := benchSources()
	want := make([]string, len(src))
	for i, s := range src {
		want[i] = string(p.Apply(s).Payload(false))
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := len(src) - 1; i >= 0; i-- {
				if got := string(p.Apply(src[i]).Payload(false)); got != want[i] {
					t.Errorf("record %d: %s, want %s", i, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}
