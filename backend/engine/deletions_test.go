package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

const demographicsHeader = "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican," +
	"nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode," +
	"stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus"

// twoSchoolsWithDemographics is twoSchools with a bulk demographics file (with a BOM) for its students.
func twoSchoolsWithDemographics() map[string]string {
	files := twoSchools()
	files["manifest.csv"] = strings.Replace(files["manifest.csv"], "file.demographics,absent", "file.demographics,bulk", 1)
	files["demographics.csv"] = "\ufeff" + demographicsHeader + "\r\n" +
		"u1,,,2017-03-02,female,false,false,false,false,true,false,true,US,CA,Fresno,\r\n" +
		"u2,,,2017-07-19,male,false,false,true,false,false,false,false,US,CA,Fresno,\r\n" +
		"u4,,,2011-01-30,female,false,true,false,false,false,false,false,US,CA,Clovis,\r\n"
	return files
}

// deltaManifest is the manifest of a 1.2 delta package holding files (by name without .csv).
func deltaManifest(files ...string) string {
	m := "propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.2\r\n"
	for _, file := range files {
		m += "file." + file + ",delta\r\n"
	}
	return m + "source.systemName,Test SIS\r\nsource.systemCode,T\r\n"
}

// A selective delta applies the deletions of roles and demographics the roster holds from the source
// when their user is no longer kept: Ana left her class in one delta and her school in the next, Ben
// left the district while Deleted is not chosen. Left alone, their roles and demographics would stay
// active for users who left. The deletions of Dee, at a school that is not chosen (and her role at the
// district, which is kept as the chosen school's parent), change nothing, pull nothing in and fill
// no lines of the run's log.
func TestASelectiveDeltaDeletesTheRolesAndDemographicsOfUsersItNoLongerKeeps(t *testing.T) {
	bulk := twoSchoolsWithDemographics()
	f := newFixture(t, bulk)
	f.choose(func(s *selection.Selection) {
		s.OrgsAll, s.Orgs, s.WithoutEnrollments = false, []string{"s1"}, false
		s.Statuses = []selection.Status{selection.Active, selection.Inactive, selection.Blank}
	})
	f.importFiles(bulk)
	if f.status(roster.Roles, "r1") != "active" || f.status(roster.Demographics, "u1") != "active" || f.rows(roster.Demographics, "u4") != 0 {
		t.Fatal("the bulk import did not take the chosen school's roles and demographics only")
	}

	enrollments := "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\r\n"
	f.importFiles(map[string]string{
		"manifest.csv":    deltaManifest("enrollments"),
		"enrollments.csv": enrollments + "e1,tobedeleted,2026-11-20T08:00:00.000Z,k1,s1,u1,student,,,\r\n",
	})
	users, _, _ := strings.Cut(district()["users.csv"], "\n")
	roles, _, _ := strings.Cut(district()["roles.csv"], "\n")
	const at = "tobedeleted,2026-11-23T08:00:00.000Z,"
	run := f.importFiles(map[string]string{
		"manifest.csv": deltaManifest("users", "roles", "enrollments", "demographics"),
		"users.csv": users + "\r\n" +
			"u2," + at + "true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\r\n" +
			"u4," + at + "true,dee,,Dee,Park,,1004,dee@example.org,,,,09,,,,,,s2,\r\n",
		"roles.csv": roles + "\r\n" +
			"r1," + at + "u1,primary,student,,,s1,\r\n" +
			"r2," + at + "u2,primary,student,,,s1,\r\n" +
			"r4," + at + "u4,primary,student,,,s2,\r\n" +
			"r4d," + at + "u4,secondary,student,,,d1,\r\n",
		"enrollments.csv": enrollments +
			"e2," + at + "k1,s1,u2,student,,,\r\n" +
			"e4," + at + "k2,s2,u4,student,,,\r\n",
		"demographics.csv": demographicsHeader + "\r\n" +
			"u1," + at + ",,,,,,,,,,,,\r\n" +
			"u2," + at + ",,,,,,,,,,,,\r\n" +
			"u4," + at + ",,,,,,,,,,,,\r\n",
	})
	if c := run.Counts["roles"]; c.Deleted != 2 || c.Failed != 0 {
		t.Errorf("roles %+v, want r1 and r2 deleted", c)
	}
	if c := run.Counts["demographics"]; c.Deleted != 2 || c.Failed != 0 {
		t.Errorf("demographics %+v, want Ana's and Ben's deleted", c)
	}
	for _, rec := range []struct {
		ent roster.Entity
		id  string
	}{{roster.Roles, "r1"}, {roster.Roles, "r2"}, {roster.Demographics, "u1"}, {roster.Demographics, "u2"}, {roster.Enrollments, "e2"}} {
		if got := f.status(rec.ent, rec.id); got != "tobedeleted" {
			t.Errorf("%s %s is %s in the roster after the source deleted it", rec.ent, rec.id, got)
		}
	}
	// Deleted is not chosen, so Ben's user stays; the other school's records stay out.
	if f.status(roster.Users, "u2") != "active" {
		t.Error("a user was deleted although Deleted is not chosen")
	}
	dee := map[roster.Entity][]string{roster.Users: {"u4"}, roster.Roles: {"r4", "r4d"}, roster.Enrollments: {"e4"}, roster.Demographics: {"u4"}}
	for ent, ids := range dee {
		for _, id := range ids {
			if n := f.rows(ent, id); n != 0 {
				t.Errorf("the deletion of Dee's %s %s put it in the roster", ent, id)
			}
		}
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	for _, r := range records {
		if slices.Contains(dee[roster.Entity(r.Entity)], r.SourcedID) {
			t.Errorf("the deletion of Dee's %s %s is in the run's log: %+v", r.Entity, r.SourcedID, r)
		}
	}
	// What the roster holds is complete: no current role, enrollment or demographics of a user it
	// does not hold.
	for ent, user := range map[roster.Entity]string{roster.Roles: "userSourcedId", roster.Enrollments: "userSourcedId", roster.Demographics: "sourcedId"} {
		var n int
		if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM roster_` + string(ent) + ` r WHERE r.status IS NOT 'tobedeleted' AND NOT EXISTS
			(SELECT 1 FROM roster_users u WHERE u."sourcedId" = r."` + user + `" AND u.status IS NOT 'tobedeleted')`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d current records point at a user the roster does not hold (%v)", ent, n, err)
		}
	}
}

// A source that deletes a person in one delta, their role in the next and their demographics in a
// third: the roster does not keep them active for a user it deleted.
func TestLaterDeletionsOfADeletedUsersRecordsApply(t *testing.T) {
	bulk := twoSchoolsWithDemographics()
	f := newFixture(t, bulk)
	f.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs, s.WithoutEnrollments = false, []string{"s1"}, false })
	f.importFiles(bulk)
	users, _, _ := strings.Cut(district()["users.csv"], "\n")
	roles, _, _ := strings.Cut(district()["roles.csv"], "\n")
	f.importFiles(map[string]string{
		"manifest.csv": deltaManifest("users", "enrollments"),
		"users.csv":    users + "\r\nu1,tobedeleted,2026-11-20T08:00:00.000Z,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\r\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\r\n" +
			"e1,tobedeleted,2026-11-20T08:00:00.000Z,k1,s1,u1,student,,,\r\n",
	})
	if f.status(roster.Users, "u1") != "tobedeleted" || f.status(roster.Roles, "r1") != "active" {
		t.Fatal("the first delta did not delete the user alone")
	}
	f.importFiles(map[string]string{
		"manifest.csv": deltaManifest("roles"),
		"roles.csv":    roles + "\r\nr1,tobedeleted,2026-11-23T08:00:00.000Z,u1,primary,student,,,s1,\r\n",
	})
	// Now nothing in the roster places Ana at the chosen school.
	run := f.importFiles(map[string]string{
		"manifest.csv":     deltaManifest("demographics"),
		"demographics.csv": demographicsHeader + "\r\nu1,tobedeleted,2026-11-24T08:00:00.000Z,,,,,,,,,,,,,\r\n",
	})
	if c := run.Counts["demographics"]; c.Deleted != 1 || c.Failed != 0 {
		t.Errorf("demographics %+v", c)
	}
	if d, r := f.status(roster.Demographics, "u1"), f.status(roster.Roles, "r1"); d != "tobedeleted" || r != "tobedeleted" {
		t.Errorf("after the source deleted them, the deleted user's demographics are %s and role %s", d, r)
	}
}

// With Deleted chosen, a source that deletes a person after their enrollment and role went in
// earlier changes files deletes them from the roster too, though nothing places them at the chosen
// school any more. The deletion of a person this source never sent (another school's) changes
// nothing and fills no line of the run's log.
func TestAUserDeletedAfterTheirEnrollmentsAndRolesIsDeleted(t *testing.T) {
	bulk := twoSchoolsWithDemographics()
	f := newFixture(t, bulk)
	f.choose(func(s *selection.Selection) {
		s.OrgsAll, s.Orgs, s.WithoutEnrollments = false, []string{"s1"}, false
		s.Statuses = slices.Clone(selection.Statuses)
	})
	f.importFiles(bulk)
	users, _, _ := strings.Cut(district()["users.csv"], "\n")
	roles, _, _ := strings.Cut(district()["roles.csv"], "\n")
	f.importFiles(map[string]string{
		"manifest.csv": deltaManifest("roles", "enrollments"),
		"roles.csv":    roles + "\r\nr1,tobedeleted,2026-11-20T08:00:00.000Z,u1,primary,student,,,s1,\r\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\r\n" +
			"e1,tobedeleted,2026-11-20T08:00:00.000Z,k1,s1,u1,student,,,\r\n",
	})
	if f.status(roster.Users, "u1") != "active" || f.status(roster.Enrollments, "e1") != "tobedeleted" || f.status(roster.Roles, "r1") != "tobedeleted" {
		t.Fatal("the first delta did not delete Ana's enrollment and role alone")
	}
	run := f.importFiles(map[string]string{
		"manifest.csv": deltaManifest("users"),
		"users.csv": users + "\r\n" +
			"u1,tobedeleted,2026-11-24T08:00:00.000Z,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\r\n" +
			"u4,tobedeleted,2026-11-24T08:00:00.000Z,true,dee,,Dee,Park,,1004,dee@example.org,,,,09,,,,,,s2,\r\n",
	})
	if c := run.Counts["users"]; c.Deleted != 1 {
		t.Errorf("users %+v, want Ana deleted", c)
	}
	if got := f.status(roster.Users, "u1"); got != "tobedeleted" {
		t.Errorf("Ana is %s in the roster after the source deleted her", got)
	}
	if f.rows(roster.Users, "u4") != 0 {
		t.Error("the deletion of Dee, whom this source never sent, put her in the roster")
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	for _, r := range records {
		if r.SourcedID == "u4" {
			t.Errorf("the deletion of Dee is in the run's log: %+v", r)
		}
	}
}

// An import's deletions are logged once their dates are read, many at a time, yet in the order they
// were made among what else it logs: Ana deleted at the source, then a deletion of someone never
// imported (skipped, which touches nothing in the workspace), then Ben missing from the file. Each
// deletion carries the date its record had (which an undo puts back), not the deletion's.
func TestAnImportLogsItsDeletionsInTheOrderItMakesThem(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	header, _, _ := strings.Cut(district()["users.csv"], "\n")
	next := district()
	next["users.csv"] = header + "\n" +
		"u1,tobedeleted,2026-11-20T08:00:00.000Z,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\n" +
		"x9,tobedeleted,2026-11-20T08:00:00.000Z,true,xan,,Xan,Ito,,1009,xan@example.org,,,,03,,,,,,s1,\n" +
		"t1,,,true,tia,,Tia,Marsh,,9001,tia@example.org,,,,,,,,,,s1,\n"
	f.fetchFiles(next)
	plan, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, r := range plan.Records {
		if r.Entity == string(roster.Users) {
			users = append(users, r.SourcedID+" "+r.Action+" "+r.Reason+" "+r.Before)
		}
	}
	want := []string{"u1 delete " + outcome.DeletedAtSource + " " + f.rosterValue(roster.Users, "u1", "dateLastModified"),
		"x9 skip " + outcome.NeverSent + " ", "u2 delete " + outcome.MissingFromBulk + " " + f.rosterValue(roster.Users, "u2", "dateLastModified")}
	if !slices.Equal(users, want) {
		t.Fatalf("the users' lines of the plan:\n%s\nwant\n%s", strings.Join(users, "\n"), strings.Join(want, "\n"))
	}
}
