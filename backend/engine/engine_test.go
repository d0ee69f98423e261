package engine

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// district is a tiny valid OneRoster 1.2 bulk package; tests edit copies of it.
func district() map[string]string {
	return map[string]string{
		"manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.academicSessions,bulk\n" +
			"file.courses,bulk\nfile.classes,bulk\nfile.users,bulk\nfile.roles,bulk\nfile.enrollments,bulk\nfile.demographics,absent\n" +
			"file.userProfiles,absent\nsource.systemName,Test SIS\nsource.systemCode,T\n",
		"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n" +
			"d1,,,Springfield District,district,D1,\ns1,,,Evergreen Elementary School,school,S1,d1\n",
		"academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n" +
			"y1,,,2026-2027,schoolYear,2026-08-15,2027-06-15,,2027\n",
		"courses.csv": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\n" +
			"c1,,,y1,Grade 3 Math,M3,03,s1,Math,\n",
		"classes.csv": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n" +
			"k1,,,Math 3A,03,c1,M3A,scheduled,Room 4,s1,y1,Math,,1\n",
		"users.csv": "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n" +
			"u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\n" +
			"u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n" +
			"t1,,,true,tia,,Tia,Marsh,,9001,tia@example.org,,,,,,,,,,s1,\n",
		"roles.csv": "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n" +
			"r1,,,u1,primary,student,,,s1,\nr2,,,u2,primary,student,,,s1,\nr3,,,t1,primary,teacher,,,s1,\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n" +
			"e1,,,k1,s1,u1,student,,,\ne2,,,k1,s1,u2,student,,,\ne3,,,k1,s1,t1,teacher,true,,\n",
	}
}

type fixture struct {
	t      *testing.T
	st     *store.Store
	eng    *Engine
	conn   store.Connection
	source string
	log    bytes.Buffer
}

// newWorkspace is the file of a new workspace, made once and copied for each fixture: migrating
// each new one took a tenth of this package's CPU (the store's tests cover migrating).
var newWorkspace = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "engine-workspace-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "workspace.db")
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, errors.New("the new workspace's -wal file is still there after closing it")
	}
	return os.ReadFile(path)
})

func newFixture(t *testing.T, files map[string]string) *fixture {
	t.Helper()
	dir := t.TempDir()
	ws, err := newWorkspace()
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "workspace.db"), ws, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, st: st, source: filepath.Join(dir, "export.zip")}
	testzip.Write(t, f.source, files)
	vault, err := secrets.NewFile(filepath.Join(dir, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	f.eng = New(st, connector.NewRegistry(csvzip.Kind()), vault, StagingDir(st.Path()), "registrar", slog.New(slog.NewTextHandler(&f.log, nil)))
	f.conn, err = st.AddConnection(context.Background(), store.Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source",
		Settings: map[string]string{"path": f.source}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// importFiles replaces the source with files, fetches and imports it. The tiny district would trip
// the safety hold on any deletion, so the hold is overridden here; it has tests of its own.
func (f *fixture) importFiles(files map[string]string) store.Run {
	f.t.Helper()
	f.fetchFiles(files)
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{OverrideHold: true}, events.Discard)
	if err != nil {
		f.t.Fatal(err)
	}
	return run
}

// fetchFiles replaces the source with files and fetches it.
func (f *fixture) fetchFiles(files map[string]string) {
	f.t.Helper()
	testzip.Write(f.t, f.source, files)
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) status(e roster.Entity, id string) string {
	f.t.Helper()
	var s string
	if err := f.st.DB().QueryRow(`SELECT status FROM roster_`+string(e)+` WHERE "sourcedId" = ?`, id).Scan(&s); err != nil {
		f.t.Fatalf("%s %s: %v", e, id, err)
	}
	return s
}

func TestFirstImportCreatesEverythingAndRecordsTheRun(t *testing.T) {
	f := newFixture(t, district())
	run := f.importFiles(district())
	if run.Status != store.RunSucceeded || run.Operator != "registrar" {
		t.Fatalf("run = %+v", run)
	}
	want := map[string]int{"orgs": 2, "academicSessions": 1, "courses": 1, "classes": 1, "users": 3, "roles": 3, "enrollments": 3, "demographics": 0}
	for e, n := range want {
		if got := run.Counts[e].Created; got != n {
			t.Errorf("%s created = %d, want %d", e, got, n)
		}
	}
	counts, _ := f.st.RosterCounts(context.Background())
	if counts.Active[roster.Users] != 3 || counts.Active[roster.Enrollments] != 3 {
		t.Fatalf("roster counts %+v", counts.Active)
	}
	if f.status(roster.Users, "u1") != "active" {
		t.Fatal("bulk rows are stored as active")
	}
	stored, _ := f.st.Run(context.Background(), run.ID)
	if stored.Status != store.RunSucceeded || stored.Counts["users"].Created != 3 {
		t.Fatalf("stored run = %+v", stored)
	}
	if line := f.log.String(); !strings.Contains(line, `msg="import finished"`) || !strings.Contains(line, "operator=registrar") || strings.Contains(line, "Lopez") {
		t.Fatalf("the log should say the import finished, without roster data: %s", line)
	}
	// Created records are found through their origin, not a log row each.
	var created, logged int
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM origins WHERE created_run = ?`, run.ID).Scan(&created)
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM run_records WHERE run_id = ?`, run.ID).Scan(&logged)
	if created != 14 || logged != 0 {
		t.Fatalf("origins created by the run %d, log rows %d", created, logged)
	}
}

func TestUnchangedReimportWritesNothing(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	run := f.importFiles(district())
	for e, c := range run.Counts {
		if c.Created+c.Updated+c.Deleted != 0 {
			t.Errorf("%s: %+v, want only unchanged", e, c)
		}
	}
	if run.Counts["enrollments"].Unchanged != 3 {
		t.Fatalf("enrollments unchanged = %d", run.Counts["enrollments"].Unchanged)
	}
	var records int
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM run_records WHERE run_id = ?`, run.ID).Scan(&records)
	if records != 0 {
		t.Fatalf("an unchanged re-import wrote %d run records", records)
	}
}

func TestBulkReimportUpdatesChangedAndDeletesMissing(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	next := district()
	next["users.csv"] = strings.Replace(next["users.csv"], "Ben,Okafor", "Benjamin,Okafor", 1)
	next["enrollments.csv"] = strings.Replace(next["enrollments.csv"], "e2,,,k1,s1,u2,student,,,\n", "", 1)
	run := f.importFiles(next)
	if c := run.Counts["users"]; c.Updated != 1 || c.Unchanged != 2 {
		t.Fatalf("users %+v", c)
	}
	if c := run.Counts["enrollments"]; c.Deleted != 1 || c.Unchanged != 2 {
		t.Fatalf("enrollments %+v", c)
	}
	if f.status(roster.Enrollments, "e2") != "tobedeleted" {
		t.Fatal("an enrollment missing from a bulk file becomes tobedeleted")
	}
	// A second identical import must not delete it again.
	if run := f.importFiles(next); run.Counts["enrollments"].Deleted != 0 {
		t.Fatalf("deleted again: %+v", run.Counts["enrollments"])
	}
	// And when it comes back it is active again.
	if run := f.importFiles(district()); run.Counts["enrollments"].Updated != 1 || f.status(roster.Enrollments, "e2") != "active" {
		t.Fatalf("restored: %+v", run.Counts["enrollments"])
	}
}

func TestHeaderOnlyBulkFileDeletesEveryPreviousRecord(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	next := district()
	next["enrollments.csv"] = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n"
	run := f.importFiles(next)
	if run.Counts["enrollments"].Deleted != 3 {
		t.Fatalf("enrollments %+v", run.Counts["enrollments"])
	}
}

func TestDeltaAppliesStatusesAndLeavesOthersAlone(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	delta := map[string]string{
		"manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.users,delta\nfile.enrollments,delta\n",
		"users.csv": "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n" +
			"u3,active,2026-11-01T10:00:00.000Z,true,cy,,Cy,Reyes,,1003,,,,,03,,,,,,s1,\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n" +
			"e1,tobedeleted,2026-11-01T10:00:00.000Z,k1,s1,u1,student,,,\n" +
			"e9,tobedeleted,2026-11-01T10:00:00.000Z,k1,s1,u1,student,,,\n" +
			"e3,active,2026-11-01T10:00:00.000Z,k1,s1,t1,teacher,false,,\n",
	}
	run := f.importFiles(delta)
	if c := run.Counts["users"]; c.Created != 1 || c.Deleted != 0 {
		t.Fatalf("users %+v", c)
	}
	if c := run.Counts["enrollments"]; c.Deleted != 1 || c.Updated != 1 {
		t.Fatalf("enrollments %+v", c)
	}
	if f.status(roster.Users, "u1") != "active" || f.status(roster.Enrollments, "e1") != "tobedeleted" {
		t.Fatal("delta must only touch the records it lists")
	}
	var skipped string
	f.st.DB().QueryRow(`SELECT reason FROM run_records WHERE run_id = ? AND sourced_id = 'e9' AND status = 'skipped'`, run.ID).Scan(&skipped)
	if skipped != outcome.NeverSent {
		t.Fatalf("deleting an unknown record is reported as skipped, got %q", skipped)
	}
	var modified string
	f.st.DB().QueryRow(`SELECT "dateLastModified" FROM roster_users WHERE "sourcedId" = 'u3'`).Scan(&modified)
	if modified != "2026-11-01T10:00:00.000Z" {
		t.Fatalf("delta dateLastModified kept: %q", modified)
	}
}

func TestCancelledImportChangesNothing(t *testing.T) {
	f := newFixture(t, district())
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel as soon as the import starts applying.
	rep := events.ReporterFunc(func(p events.Progress) {
		if p.Stage == "applying" {
			cancel()
		}
	})
	run, err := f.eng.Import(ctx, f.conn.ID, RunOptions{}, rep)
	if !errors.Is(err, context.Canceled) || run.Status != store.RunCancelled {
		t.Fatalf("run=%+v err=%v", run, err)
	}
	counts, _ := f.st.RosterCounts(context.Background())
	for e, n := range counts.Active {
		if n != 0 {
			t.Errorf("%s: %d records after a cancelled import", e, n)
		}
	}
	stored, _ := f.st.Run(context.Background(), run.ID)
	if stored.Status != store.RunCancelled {
		t.Fatalf("stored run status %q", stored.Status)
	}
}

func TestBrokenSourceFailsFetchAndKeepsThePreviousSnapshot(t *testing.T) {
	f := newFixture(t, district())
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	before, _ := f.st.Snapshot(context.Background(), f.conn.ID)
	os.WriteFile(f.source, []byte("<html>not a zip</html>"), 0o600)
	_, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard)
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "zip") {
		t.Fatalf("want a message about the ZIP, got %v", err)
	}
	if apperr.From(err).Code != apperr.CodeBadInput {
		t.Fatalf("code %q", apperr.From(err).Code)
	}
	after, _ := f.st.Snapshot(context.Background(), f.conn.ID)
	if after.Path != before.Path {
		t.Fatal("a failed fetch replaced the snapshot")
	}
	if _, err := os.Stat(before.Path); err != nil {
		t.Fatalf("the previous snapshot's file is gone: %v", err)
	}
	entries, _ := os.ReadDir(StagingDir(f.st.Path()))
	if len(entries) != 1 {
		t.Fatalf("staging holds %d folders, want only the kept snapshot", len(entries))
	}
}

func TestImportWithoutFetchStagesAndAppliesInOnePass(t *testing.T) {
	f := newFixture(t, district())
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || run.Counts["orgs"].Created != 2 {
		t.Fatalf("run=%+v err=%v", run, err)
	}
	last, err := f.eng.LastFetch(context.Background(), f.conn.ID)
	if err != nil || last.Counts[roster.Enrollments] != 3 {
		t.Fatalf("the one-pass import keeps its snapshot and report: %+v %v", last, err)
	}
}

func TestFailedOnePassImportLeavesNoSnapshot(t *testing.T) {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "familyName", "surname", 1)
	f := newFixture(t, files)
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err == nil || run.Status != store.RunFailed || !strings.Contains(err.Error(), "familyName") {
		t.Fatalf("run=%+v err=%v", run, err)
	}
	if _, err := f.st.Snapshot(context.Background(), f.conn.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("snapshot after a failed import: %v", err)
	}
	if entries, _ := os.ReadDir(StagingDir(f.st.Path())); len(entries) != 0 {
		t.Fatalf("staging keeps %d folders", len(entries))
	}
}

func TestFetchReportsFindingsWithFileLineColumn(t *testing.T) {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "u2,,,true,ben,,Ben,Okafor", "u2,,,maybe,ben,,Ben,Okafor", 1)
	f := newFixture(t, files)
	res, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) == 0 || res.Errors[0].File != "users.csv" || res.Errors[0].Line != 3 || res.Errors[0].Column != "enabledUser" {
		t.Fatalf("errors = %+v", res.Errors)
	}
	if res.Counts[roster.Users] != 2 || res.Failed[roster.Users] != 1 {
		t.Fatalf("users counted %d failed %d", res.Counts[roster.Users], res.Failed[roster.Users])
	}
	run, _ := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if run.Counts["users"].Failed != 1 {
		t.Fatalf("import users %+v", run.Counts["users"])
	}
	last, err := f.eng.LastFetch(context.Background(), f.conn.ID)
	if err != nil || len(last.Errors) != len(res.Errors) {
		t.Fatalf("LastFetch = %+v, %v", last, err)
	}
}

func TestTestConnectionRecordsItsOutcome(t *testing.T) {
	f := newFixture(t, district())
	out, err := f.eng.Test(context.Background(), f.conn.ID, "")
	if err != nil || !out.OK || !strings.Contains(out.Message, "can read it") || out.At == "" {
		t.Fatalf("good source: %+v %v", out, err)
	}
	os.WriteFile(f.source, []byte("<html>sign in</html>"), 0o600)
	out, err = f.eng.Test(context.Background(), f.conn.ID, "")
	if err != nil || out.OK || !strings.Contains(out.Message, "not a ZIP") {
		t.Fatalf("broken source: %+v %v", out, err)
	}
	stored, _ := f.st.Connection(context.Background(), f.conn.ID)
	if stored.LastTest != out.TestOutcome {
		t.Fatalf("stored %+v, want %+v", stored.LastTest, out)
	}
}
