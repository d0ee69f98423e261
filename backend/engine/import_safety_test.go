package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// sisExport is district() as SIS exports write it: users.csv and enrollments.csv with a BOM and
// CRLF line ends.
func sisExport() map[string]string {
	files := district()
	for _, name := range []string{"users.csv", "enrollments.csv"} {
		files[name] = "\uFEFF" + strings.ReplaceAll(files[name], "\n", "\r\n")
	}
	return files
}

// rosterValue reads one column of a roster record.
func (f *fixture) rosterValue(e roster.Entity, id, column string) string {
	f.t.Helper()
	var v string
	if err := f.st.DB().QueryRow(`SELECT "`+column+`" FROM roster_`+string(e)+` WHERE "sourcedId" = ?`, id).Scan(&v); err != nil {
		f.t.Fatalf("%s %s: %v", e, id, err)
	}
	return v
}

// rows counts the roster records of an entity with a sourcedId.
func (f *fixture) rows(e roster.Entity, id string) int {
	f.t.Helper()
	var n int
	if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM roster_`+string(e)+` WHERE "sourcedId" = ?`, id).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func warnsAt(findings []oneroster.Finding, file string, line int, column string) bool {
	for _, w := range findings {
		if w.File == file && w.Line == line && w.Column == column {
			return true
		}
	}
	return false
}

// planThenImport plans the import of what was fetched, then applies it with opts.
func (f *fixture) planThenImport(opts RunOptions) (Plan, store.Run) {
	f.t.Helper()
	plan, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil {
		f.t.Fatal(err)
	}
	run, err := f.eng.Import(context.Background(), f.conn.ID, opts, events.Discard)
	if err != nil {
		f.t.Fatal(err)
	}
	return plan, run
}

// A bulk re-import where the rows of existing records fail keeps those records as they are: the
// rows count as failed, never as missing.
func TestFailedRowsOfABulkReimportKeepTheirRecords(t *testing.T) {
	f := newFixture(t, sisExport())
	f.importFiles(sisExport())
	next := sisExport()
	next["users.csv"] = strings.Replace(next["users.csv"], "u2,,,true,ben,,Ben,Okafor", "u2,,,maybe,ben,,Benjamin,Okafor", 1)
	next["enrollments.csv"] = strings.Replace(next["enrollments.csv"], "e2,,,k1,s1,u2,student,,,", "e2,,,k1,s1,u2,student,,1/05/2023,", 1)
	f.fetchFiles(next)
	plan, run := f.planThenImport(RunOptions{}) // the safety hold on: a failed row must not look like a deletion to it either
	for _, c := range []map[string]store.EntityCounts{plan.Counts, run.Counts} {
		if u := c["users"]; u.Failed != 1 || u.Deleted != 0 || u.Unchanged != 2 {
			t.Fatalf("users %+v", u)
		}
		if e := c["enrollments"]; e.Failed != 1 || e.Deleted != 0 || e.Unchanged != 2 {
			t.Fatalf("enrollments %+v", e)
		}
	}
	if plan.Hold != "" || run.Status != store.RunSucceeded || !strings.Contains(run.Message, "0 deleted, 2 failed") {
		t.Fatalf("plan hold %q, run %+v", plan.Hold, run)
	}
	if f.status(roster.Users, "u2") != "active" || f.rosterValue(roster.Users, "u2", "givenName") != "Ben" || f.status(roster.Enrollments, "e2") != "active" {
		t.Fatal("a record whose row failed lost its roster values")
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if !slices.Contains(records, store.RunRecord{Entity: "enrollments", SourcedID: "enrollments.csv line 3", Action: "read", Status: "failed", Field: "beginDate",
		Reason: outcome.ReadFailed, Message: "the date 1/05/2023 could be day/month or month/day; write it as YYYY-MM-DD"}) {
		t.Fatalf("the run says which row failed and why: %+v", records)
	}
}

// A failed row whose sourcedId cannot be read could be any record missing from the file: none of
// them is deleted, and the run says why.
func TestARowWithoutASourcedIDStopsTheDeletionsOfItsFile(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	next := district()
	next["enrollments.csv"] = strings.Replace(next["enrollments.csv"], "e2,,,k1,s1,u2,student,,,", ",,,k1,s1,u2,student,,,", 1)
	next["enrollments.csv"] = strings.Replace(next["enrollments.csv"], "e3,,,k1,s1,t1,teacher,true,,\n", "", 1)
	next["users.csv"] = strings.Replace(next["users.csv"], "t1,,,true,tia,,Tia,Marsh,,9001,tia@example.org,,,,,,,,,,s1,\n", "", 1)
	f.fetchFiles(next)
	plan, run := f.planThenImport(RunOptions{OverrideHold: true}) // t1 leaving is a third of the users
	for _, c := range []map[string]store.EntityCounts{plan.Counts, run.Counts} {
		if e := c["enrollments"]; e.Deleted != 0 || e.Skipped != 2 || e.Failed != 1 {
			t.Fatalf("enrollments %+v", e)
		}
	}
	if run.Counts["users"].Deleted != 1 || f.status(roster.Users, "t1") != "tobedeleted" {
		t.Fatalf("other files delete as before: %+v", run.Counts["users"])
	}
	if f.status(roster.Enrollments, "e2") != "active" || f.status(roster.Enrollments, "e3") != "active" {
		t.Fatal("an enrollment was deleted on a guess")
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	kept := store.RunRecord{Entity: "enrollments", SourcedID: "e3", Action: "skip", Status: "skipped", Reason: outcome.UnreadableRows, Field: "enrollments.csv", Message: "line 3"}
	if !slices.Contains(records, kept) || outcome.Sentence(kept) != "not in the new bulk file, but not deleted: the sourcedId of enrollments.csv line 3 cannot be read, and this record may be one of them. Fix the file, then fetch and import again." {
		t.Fatalf("records %+v", records)
	}
}

// A file most of whose rows fail is refused whole: the fetch says why and the roster stays.
func TestAFileWhereMostRowsFailChangesNothing(t *testing.T) {
	files := district()
	for i := 0; i < 9; i++ {
		files["users.csv"] += fmt.Sprintf("x%d,,,true,x%d,,Xan,Doe,,,,,,,03,,,,,,s1,\n", i, i)
	}
	f := newFixture(t, files)
	f.importFiles(files)
	next := map[string]string{}
	for k, v := range files {
		next[k] = v
	}
	next["users.csv"] = strings.Replace(files["users.csv"], ",true,", ",ja,", 7)
	testzip.Write(t, f.source, next)
	_, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard)
	if err == nil || !strings.Contains(err.Error(), "users.csv: 7 of its 12 rows cannot be read") || !strings.Contains(err.Error(), `line 2, column enabledUser: "ja" is not true or false`) {
		t.Fatalf("fetch: %v", err)
	}
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || run.Counts["users"].Deleted != 0 || run.Counts["users"].Unchanged != 12 {
		t.Fatalf("import after the refused fetch: %+v %v", run.Counts["users"], err)
	}
}

// A source that was never fetched is read by the import itself: the same file stops the import.
func TestAnImportOfAFileWhereMostRowsFailStops(t *testing.T) {
	files := district()
	for i := 0; i < 9; i++ {
		files["users.csv"] += fmt.Sprintf("x%d,,,yes please,x%d,,Xan,Doe,,,,,,,03,,,,,,s1,\n", i, i)
	}
	f := newFixture(t, files)
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err == nil || run.Status != store.RunFailed || !strings.Contains(run.Message, "9 of its 12 rows cannot be read") {
		t.Fatalf("run %+v err %v", run, err)
	}
	if counts, _ := f.st.RosterCounts(context.Background()); counts.Active[roster.Orgs] != 0 {
		t.Fatalf("the refused import changed the roster: %+v", counts.Active)
	}
}

// CR-only line ends, trailing commas and empty rows: the re-import reads every record, deletes none.
func TestOddExportsReimportWithoutLosingRecords(t *testing.T) {
	tests := map[string]func(string) string{
		"CR-only line ends": func(users string) string { return strings.ReplaceAll(users, "\n", "\r") },
		"trailing commas": func(users string) string {
			return strings.ReplaceAll(strings.ReplaceAll(users, "\n", ",,\n"), "pronouns,,\n", "pronouns\n")
		},
		"empty rows": func(users string) string { return users + ",,,,,,,,,,,,,,,,,,,,,\r\n,,,,,,,,,,,,,,,,,,,,,\r\n" },
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, district())
			f.importFiles(district())
			next := district()
			next["users.csv"] = edit(next["users.csv"] + "u5,,,true,eve,,Eve,Ng,,1005,,,,,03,,,,,,s1,\n")
			f.fetchFiles(next)
			plan, run := f.planThenImport(RunOptions{})
			for _, c := range []store.EntityCounts{plan.Counts["users"], run.Counts["users"]} {
				if c.Created != 1 || c.Unchanged != 3 || c.Deleted != 0 || c.Failed != 0 {
					t.Fatalf("users %+v", c)
				}
			}
			if f.rosterValue(roster.Users, "u5", "familyName") != "Ng" || f.rosterValue(roster.Users, "u5", "primaryOrgSourcedId") != "s1" {
				t.Fatal("u5 read wrong")
			}
			last, _ := f.eng.LastFetch(context.Background(), f.conn.ID)
			if len(last.Warnings) == 0 {
				t.Fatalf("the oddity is not reported: %+v", last)
			}
		})
	}
}

func TestANULByteFailsItsRowAndKeepsTheRecord(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	next := district()
	next["users.csv"] = strings.Replace(next["users.csv"], "Ben,Okafor", "Ben,Oka\x00for", 1)
	testzip.Write(t, f.source, next)
	res, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].File != "users.csv" || res.Errors[0].Line != 3 || res.Errors[0].Column != "familyName" {
		t.Fatalf("errors %+v", res.Errors)
	}
	_, run := f.planThenImport(RunOptions{})
	if c := run.Counts["users"]; c.Failed != 1 || c.Deleted != 0 || f.rosterValue(roster.Users, "u2", "familyName") != "Okafor" {
		t.Fatalf("users %+v", c)
	}
}

// Delta rows without a status are users of status Blank: counted so at fetch, let through only when
// Blank is chosen, and then applied as current records.
func TestDeltaUsersWithoutAStatusAreBlank(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	delta := map[string]string{
		"manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.users,delta\nfile.roles,delta\nfile.enrollments,delta\n",
		"users.csv": "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\r\n" +
			"u5,,2026-11-01T10:00:00.000Z,true,eve,,Eve,Ng,,1005,,,,,03,,,,,,s1,\r\n" +
			"u6,active,2026-11-01T10:00:00.000Z,true,fay,,Fay,Cole,,1006,,,,,03,,,,,,s1,\r\n",
		"roles.csv": "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\r\n" +
			"r5,active,2026-11-01T10:00:00.000Z,u5,primary,student,,,s1,\r\nr6,active,2026-11-01T10:00:00.000Z,u6,primary,student,,,s1,\r\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\r\n" +
			"e5,active,2026-11-01T10:00:00.000Z,k1,s1,u5,student,,,\r\ne6,active,2026-11-01T10:00:00.000Z,k1,s1,u6,student,,,\r\n",
	}
	testzip.Write(t, f.source, delta)
	res, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard)
	if err != nil || res.Counts[roster.Users] != 2 || res.Failed[roster.Users] != 0 || !warnsAt(res.Warnings, "users.csv", 2, "status") {
		t.Fatalf("fetch %+v", res)
	}
	shape, err := f.eng.Shape(context.Background(), f.conn.ID, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	sel := selection.Default()
	sel.Saved = true
	counted := map[selection.Status]int{}
	for _, c := range shape.Graph.UserCounts(sel) {
		counted[c.Status] += c.Count
	}
	if counted[selection.Blank] != 1 {
		t.Fatalf("user counts %+v", counted)
	}

	f.choose(func(s *selection.Selection) {
		s.WithoutEnrollments, s.Statuses = false, []selection.Status{selection.Active}
	})
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || run.Counts["users"].Created != 1 || run.Counts["users"].Skipped != 1 || run.Counts["enrollments"].Created != 1 {
		t.Fatalf("without Blank: %+v %v", run.Counts, err)
	}
	if n := f.rows(roster.Users, "u5"); n != 0 {
		t.Fatal("a Blank user went through although Blank is not chosen")
	}

	f.choose(func(s *selection.Selection) {
		s.WithoutEnrollments, s.Statuses = false, []selection.Status{selection.Active, selection.Blank}
	})
	run, err = f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || run.Counts["users"].Created != 1 || run.Counts["enrollments"].Created != 1 {
		t.Fatalf("with Blank: %+v %v", run.Counts, err)
	}
	if f.status(roster.Users, "u5") != "active" || f.status(roster.Enrollments, "e5") != "active" {
		t.Fatal("a Blank user is applied as a current record")
	}
}

// district11 is a OneRoster 1.1 bulk package: each user's orgs and role sit on its users.csv row.
func district11() map[string]string {
	return map[string]string{
		"manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\n",
		"orgs.csv":     "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd1,,,Springfield District,district,,\ns1,,,Evergreen,school,,d1\ns2,,,Lincoln,school,,d1\n",
		"users.csv": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\r\n" +
			"u1,,,true,s1,student,ana,,Ana,Lopez,,1001,,,,,03,\r\n" +
			"u2,,,true,s1,student,ben,,Ben,Okafor,,1002,,,,,03,\r\n" +
			"t1,,,true,\"s1,s2\",teacher,tia,,Tia,Marsh,,9001,,,,,,\r\n",
	}
}

// In 1.1 a user's roles come from its users.csv row: a bulk users.csv is the complete reference for
// them too, and a row that fails keeps the user's roles as they were.
func TestRolesOf11UsersFollowTheirRows(t *testing.T) {
	f := newFixture(t, district11())
	f.importFiles(district11())
	next := district11()
	next["users.csv"] = strings.NewReplacer(
		"u1,,,true,s1,student", "u1,,,true,s2,student", // moved school
		"u2,,,true,s1,student,ben,,Ben", "u2,,,ja,s1,student,ben,,Benjamin", // the user fails
		"t1,,,true,\"s1,s2\",teacher,tia,,Tia", "t1,,,true,\"s1,s2\",coach,tia,,Tiana", // the role fails
	).Replace(next["users.csv"])
	f.fetchFiles(next)
	_, run := f.planThenImport(RunOptions{OverrideHold: true})
	if c := run.Counts["roles"]; c.Created != 1 || c.Deleted != 1 || c.Unchanged != 0 {
		t.Fatalf("roles %+v", c)
	}
	if f.status(roster.Roles, "u1-s1") != "tobedeleted" || f.status(roster.Roles, "u1-s2") != "active" {
		t.Fatal("a 1.1 user's role at the school it left is still active")
	}
	for _, id := range []string{"u2-s1", "t1-s1", "t1-s2"} {
		if f.status(roster.Roles, id) != "active" {
			t.Fatalf("role %s of a row that failed was deleted", id)
		}
	}
	if f.rosterValue(roster.Users, "u2", "givenName") != "Ben" || f.rosterValue(roster.Users, "t1", "givenName") != "Tiana" {
		t.Fatal("users: a failed row keeps its values, a row whose role failed is read")
	}
}

// A 1.1 user row whose values are out of place hides which orgs its roles are at: no role is deleted.
func TestMisplaced11RowsStopRoleDeletions(t *testing.T) {
	f := newFixture(t, district11())
	f.importFiles(district11())
	next := district11()
	next["users.csv"] = strings.NewReplacer(
		"u1,,,true,s1,student", "u1,,,true,s2,student",
		"t1,,,true,\"s1,s2\",teacher,tia,,Tia,Marsh,,9001,,,,,,\r\n", "t1,,,true,s1,s2,teacher,tia,,Tia,Marsh,,9001,,,,,,TiaM#2027\r\n", // orgs unquoted, a password
	).Replace(next["users.csv"])
	f.fetchFiles(next)
	_, run := f.planThenImport(RunOptions{OverrideHold: true})
	if c := run.Counts["roles"]; c.Deleted != 0 || c.Skipped != 3 || f.status(roster.Roles, "u1-s1") != "active" {
		t.Fatalf("roles %+v", c)
	}
}
