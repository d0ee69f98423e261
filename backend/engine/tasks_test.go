package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// studentsChanged is the tiny district with its teacher, class and enrollments gone, a student
// renamed, one student left and one new, and a new teacher.
func studentsChanged() map[string]string {
	files := district()
	files["users.csv"] = strings.Join([]string{strings.SplitN(files["users.csv"], "\n", 2)[0],
		"u1,,,true,ana,,Anna,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,",
		"u3,,,true,cal,,Cal,Reyes,,1003,cal@example.org,,,,03,,,,,,s1,",
		"t2,,,true,tom,,Tom,Hale,,9002,tom@example.org,,,,,,,,,,s1,", ""}, "\n")
	files["roles.csv"] = strings.Join([]string{strings.SplitN(files["roles.csv"], "\n", 2)[0],
		"r1,,,u1,primary,student,,,s1,", "r4,,,u3,primary,student,,,s1,", "r5,,,t2,primary,teacher,,,s1,", ""}, "\n")
	for _, name := range []string{"classes.csv", "enrollments.csv"} {
		files[name] = strings.SplitN(files[name], "\n", 2)[0] + "\n"
	}
	return files
}

func TestImportWithTheStudentsTaskLeavesEverythingElseAsItIs(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	f.fetchFiles(studentsChanged())
	opts := RunOptions{Entities: []string{"Students"}, OverrideHold: true}
	plan, err := f.eng.PlanImport(context.Background(), f.conn.ID, opts, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.eng.Import(context.Background(), f.conn.ID, opts, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", run, err)
	}
	users, roles := run.Counts["users"], run.Counts["roles"]
	if users.Created != 1 || users.Updated != 1 || users.Deleted != 1 || roles.Created != 1 || roles.Deleted != 1 {
		t.Fatalf("students: users %+v, roles %+v", users, roles)
	}
	for _, ent := range []string{"orgs", "classes", "enrollments", "courses"} {
		if c := run.Counts[ent]; c.Created+c.Updated+c.Deleted != 0 {
			t.Fatalf("%s changed: %+v", ent, c)
		}
	}
	for ent, c := range plan.Counts {
		if c != run.Counts[ent] {
			t.Fatalf("the plan of %s says %+v, the run did %+v", ent, c, run.Counts[ent])
		}
	}
	// The teacher, the class and its enrollments, missing from the source, are not students: kept.
	for _, rec := range []struct {
		ent roster.Entity
		id  string
	}{{roster.Users, "t1"}, {roster.Roles, "r3"}, {roster.Classes, "k1"}, {roster.Enrollments, "e3"}, {roster.Enrollments, "e2"}} {
		if s := f.status(rec.ent, rec.id); s == string(roster.StatusToBeDeleted) {
			t.Fatalf("%s %s was deleted", rec.ent, rec.id)
		}
	}
	if f.status(roster.Users, "u2") != string(roster.StatusToBeDeleted) || f.status(roster.Users, "u3") == string(roster.StatusToBeDeleted) {
		t.Fatal("the students left and new are not applied")
	}
	var n int
	if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM roster_users WHERE "sourcedId" = 't2'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the new teacher was imported (%d, %v)", n, err)
	}
}

func TestTheHoldOfATaskedImportWeighsOnlyItsRecords(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	sel := selection.Everything()
	sel.Saved, sel.HoldChange = true, 40
	if err := f.st.SaveSelection(context.Background(), ownSetup(t, f.st, f.conn, store.DirectionImport), sel); err != nil {
		t.Fatal(err)
	}
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "Ana,Lopez", "Anna,Lopez", 1)
	f.fetchFiles(files)
	// One of 3 users is 33 %, under 40; one of the 2 students is 50 %.
	if plan, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.Discard); err != nil || plan.Hold != "" {
		t.Fatalf("all users: %q %v", plan.Hold, err)
	}
	plan, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{Entities: []string{"students"}}, events.Discard)
	if err != nil || !strings.Contains(plan.Hold, "change 1 of the 2 users") {
		t.Fatalf("students: %q %v", plan.Hold, err)
	}
	if plan, err = f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{Entities: []string{"teachers", "classes"}}, events.Discard); err != nil ||
		plan.Hold != "" || plan.Counts["users"].Updated != 0 {
		t.Fatalf("teachers: %+v %v", plan, err)
	}
}

func TestExportWithTasksWritesOnlyThose(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	tgt, dir := f.target(nil)
	run := f.export(tgt.ID, RunOptions{Entities: []string{"schools", "classes"}})
	if run.Status != store.RunSucceeded || run.Counts["orgs"].Created != 2 || run.Counts["classes"].Created != 1 || run.Counts["users"] != (store.EntityCounts{}) {
		t.Fatalf("%+v", run)
	}
	_, got, pkg := zips(t, dir)
	if len(got) != 2 || len(got[roster.Orgs]) != 2 || len(got[roster.Classes]) != 1 || pkg.Mode(roster.Users) != "absent" || pkg.Mode(roster.Orgs) != "bulk" {
		t.Fatalf("exported %v, users %q", got, pkg.Mode(roster.Users))
	}
	plan, err := f.eng.PlanExport(context.Background(), tgt.ID, RunOptions{Entities: []string{"schools", "classes"}}, events.Discard)
	if err != nil || plan.Counts["orgs"].Unchanged != 2 || plan.Counts["users"] != (store.EntityCounts{}) {
		t.Fatalf("%+v %v", plan, err)
	}
}

func TestExportOfStudentsDeletesNoTeacherAtTheTarget(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	tgt, dir := f.target(nil)
	f.export(tgt.ID, RunOptions{})
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "Ana,Lopez", "Anna,Lopez", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "t1,,,true,tia,,Tia,Marsh,,9001,tia@example.org,,,,,,,,,,s1,\n", "", 1)
	files["roles.csv"] = strings.Replace(files["roles.csv"], "r3,,,t1,primary,teacher,,,s1,\n", "", 1)
	files["enrollments.csv"] = strings.Replace(files["enrollments.csv"], "e3,,,k1,s1,t1,teacher,true,,\n", "", 1)
	f.importFiles(files)
	run := f.export(tgt.ID, RunOptions{Entities: []string{"students"}})
	if users := run.Counts["users"]; users.Updated != 1 || users.Unchanged != 1 || users.Deleted != 0 || run.Counts["enrollments"] != (store.EntityCounts{}) {
		t.Fatalf("%+v", run.Counts)
	}
	// Some kinds of users only: a delta, so the target keeps the others.
	_, got, pkg := zips(t, dir)
	if pkg.Mode(roster.Users) != "delta" || len(got[roster.Users]) != 1 || got[roster.Users][0].Get("givenName") != "Anna" {
		t.Fatalf("users %q: %v", pkg.Mode(roster.Users), got[roster.Users])
	}
	run = f.export(tgt.ID, RunOptions{Entities: []string{"teachers"}})
	if run.Counts["users"].Deleted != 1 || run.Counts["roles"].Deleted != 1 {
		t.Fatalf("the teacher's deletion waits for the teachers: %+v", run.Counts)
	}
}

func TestAnUnknownTaskIsRefused(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	tgt, _ := f.target(nil)
	opts := RunOptions{Entities: []string{"students", "pupils"}}
	_, err := f.eng.Import(context.Background(), f.conn.ID, opts, events.Discard)
	if err == nil || !strings.Contains(err.Error(), `"pupils" is not an entity task`) {
		t.Fatalf("import: %v", err)
	}
	if _, err = f.eng.Export(context.Background(), tgt.ID, opts, events.Discard); err == nil || !strings.Contains(err.Error(), "schools, sessions, courses") {
		t.Fatalf("export: %v", err)
	}
	if runs, err := f.st.Runs(context.Background(), 0, 10); err != nil || len(runs) != 1 {
		t.Fatalf("a refused run is recorded: %d %v", len(runs), err)
	}
}

func TestExportToAnAPIWithTasksSendsOnlyThose(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	run, err := f.eng.Export(context.Background(), f.target.ID, RunOptions{Entities: []string{"students"}}, events.Discard)
	if err != nil || run.Counts["users"].Created != 2 || len(f.sent(0)) != 2 {
		t.Fatalf("students: %+v %v %v", run.Counts["users"], f.sent(0), err)
	}
	if run, err = f.eng.Export(context.Background(), f.target.ID, RunOptions{Entities: []string{"schools"}}, events.Discard); err != nil ||
		run.Status != store.RunSucceeded || run.Counts["users"] != (store.EntityCounts{}) || len(f.sent(2)) != 0 {
		t.Fatalf("schools: %+v %v %v", run, f.sent(2), err)
	}
	if run, err = f.export(); err != nil || run.Counts["users"].Created != 1 || run.Counts["users"].Unchanged != 2 {
		t.Fatalf("everyone: %+v %v", run.Counts["users"], err)
	}
}
