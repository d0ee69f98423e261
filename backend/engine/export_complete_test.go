package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// A changes file that deletes a person, or a course, but not the records that point at them leaves
// those records live in the roster. An export that takes everything sends none of them (a target
// must never receive an enrollment of a person it was not sent) and tells a target that had them to
// delete them; an optional reference to a deleted record (a guardian, a term) is left out.
func TestAnExportOfEverythingSendsNoRecordPointingAtADeletedOne(t *testing.T) {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,", "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,u2,03,", 1)
	files["academicSessions.csv"] += "t1f,,,Fall,term,2026-08-15,2026-12-20,y1,2027\n"
	files["classes.csv"] = strings.Replace(files["classes.csv"], "s1,y1,Math,,1", "s1,\"y1,t1f\",Math,,1", 1)
	f := newFixture(t, files)
	f.importFiles(files)
	tgt, dir := f.target(map[string]string{"mode": "bulk"})
	if run := f.export(tgt.ID, RunOptions{}); run.Counts["enrollments"].Created != 3 {
		t.Fatalf("first export: %+v", run.Counts)
	}

	users, _, _ := strings.Cut(district()["users.csv"], "\n")
	sessions, _, _ := strings.Cut(district()["academicSessions.csv"], "\n")
	f.importFiles(map[string]string{
		"manifest.csv":         deltaManifest("academicSessions", "users"),
		"users.csv":            users + "\r\nu2,tobedeleted,2026-11-20T08:00:00.000Z,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\r\n",
		"academicSessions.csv": sessions + "\r\nt1f,tobedeleted,2026-11-20T08:00:00.000Z,Fall,term,2026-08-15,2026-12-20,y1,2027\r\n",
	})
	if f.status(roster.Enrollments, "e2") != "active" || f.status(roster.Roles, "r2") != "active" {
		t.Fatal("the changes file was to delete the person alone")
	}
	run := f.export(tgt.ID, RunOptions{OverrideHold: true})
	if c := run.Counts["enrollments"]; c.Deleted != 1 || c.Unchanged != 2 {
		t.Errorf("enrollments %+v: the target must be told to delete Ben's", c)
	}
	if c := run.Counts["roles"]; c.Deleted != 1 {
		t.Errorf("roles %+v: the target must be told to delete Ben's", c)
	}
	_, got, pkg := zips(t, dir)
	report, err := pkg.Read(context.Background(), func(roster.Record) error { return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range report.Warnings() {
		if strings.Contains(w.Message, "which is not in") {
			t.Errorf("%s line %d, %s %s", w.File, w.Line, w.Column, w.Message)
		}
	}
	for _, e := range got[roster.Enrollments] {
		if e.Get("userSourcedId") == "u2" {
			t.Errorf("enrollment %s of the deleted person was sent", e.SourcedID())
		}
	}
	for _, u := range got[roster.Users] {
		if u.SourcedID() == "u1" && u.Get("agentSourcedIds") != "" {
			t.Errorf("Ana is sent with the deleted person as her agent: %q", u.Get("agentSourcedIds"))
		}
	}
	for _, c := range got[roster.Classes] {
		if c.Get("termSourcedIds") != "y1" {
			t.Errorf("class %s is sent with terms %q, the deleted term among them", c.SourcedID(), c.Get("termSourcedIds"))
		}
	}
	if len(got[roster.Classes]) != 1 || len(got[roster.Users]) != 2 {
		t.Errorf("sent %d classes and %d users, want the class and the two people left", len(got[roster.Classes]), len(got[roster.Users]))
	}
}
