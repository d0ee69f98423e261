package engine

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// twoSchools is district() with a second school, its course, class, two users and their enrollments.
func twoSchools() map[string]string {
	files := district()
	files["orgs.csv"] += "s2,,,Lincoln High School,school,S2,d1\n"
	files["courses.csv"] += "c2,,,y1,Biology,B9,09,s2,Science,\n"
	files["classes.csv"] += "k2,,,Biology 9A,09,c2,B9A,scheduled,Lab 1,s2,y1,Science,,2\n"
	files["users.csv"] += "u4,,,true,dee,,Dee,Park,,1004,dee@example.org,,,,09,,,,,,s2,\n" +
		"t2,,,true,tom,,Tom,Ruiz,,9002,tom@example.org,,,,,,,,,,s2,\n"
	files["roles.csv"] += "r4,,,u4,primary,student,,,s2,\nr5,,,t2,primary,teacher,,,s2,\n"
	files["enrollments.csv"] += "e4,,,k2,s2,u4,student,,,\ne5,,,k2,s2,t2,teacher,true,,\n"
	return files
}

func (f *fixture) choose(mod func(*selection.Selection)) {
	f.t.Helper()
	sel := selection.Everything()
	sel.Saved = true
	mod(&sel)
	if err := f.st.SaveSelection(context.Background(), ownSetup(f.t, f.st, f.conn, store.DirectionImport), sel); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) runs() int {
	f.t.Helper()
	var n int
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&n)
	return n
}

func TestPlanShowsFieldChangesAndHoldAndChangesNothing(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	next := district()
	next["users.csv"] = strings.Replace(next["users.csv"], "Ben,Okafor", "Benjamin,Okafor", 1)
	next["enrollments.csv"] = strings.Replace(next["enrollments.csv"], "e2,,,k1,s1,u2,student,,,\n", "", 1)
	f.importFiles(district()) // unchanged: nothing to hold
	runsBefore := f.runs()
	f.fetchFiles(next)

	plan, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c := plan.Counts["users"]; c.Updated != 1 || c.Unchanged != 2 {
		t.Fatalf("users %+v", c)
	}
	if c := plan.Counts["enrollments"]; c.Deleted != 1 {
		t.Fatalf("enrollments %+v", c)
	}
	if !slices.Contains(plan.Records, store.RunRecord{Entity: "users", SourcedID: "u2", Action: "update", Status: "ok", Field: "givenName", Reason: outcome.Changed, Before: "Ben", After: "Benjamin"}) {
		t.Fatalf("the plan does not show the field change: %+v", plan.Records)
	}
	if !strings.Contains(plan.Hold, "delete 1 of the 3 enrollments") {
		t.Fatalf("hold: %q", plan.Hold)
	}
	if f.status(roster.Enrollments, "e2") != "active" || f.runs() != runsBefore {
		t.Fatal("planning changed the roster or recorded a run")
	}

	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != store.RunHeld || run.Message != plan.Hold || run.Counts["enrollments"].Deleted != 1 {
		t.Fatalf("held run: %+v", run)
	}
	if f.status(roster.Enrollments, "e2") != "active" {
		t.Fatal("a held run changed the roster")
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if !hasRecord(records, "enrollments", "e2", "delete", "", "") {
		t.Fatalf("the held run keeps its plan for review: %+v", records)
	}

	run, err = f.eng.Import(context.Background(), f.conn.ID, RunOptions{OverrideHold: true}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded || f.status(roster.Enrollments, "e2") != "tobedeleted" {
		t.Fatalf("applied anyway: %+v %v", run, err)
	}
}

func TestCreatingIntoAnEmptyRosterNeverHolds(t *testing.T) {
	f := newFixture(t, district())
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", run, err)
	}
}

func TestSelectiveImportTakesTheChosenSchoolAndDeletesWhatLeavesTheSelection(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{"s1"} })
	run := f.importFiles(twoSchools())
	if run.Mode != "selective" || run.Counts["classes"].Created != 1 || run.Counts["classes"].Skipped != 1 || run.Counts["users"].Created != 3 {
		t.Fatalf("%+v", run)
	}
	counts, _ := f.st.RosterCounts(context.Background())
	if counts.Active[roster.Orgs] != 2 || counts.Active[roster.Enrollments] != 3 {
		t.Fatalf("roster: %+v", counts)
	}
	// Now the other school: the first one's records leave the roster, for review first.
	f.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{"s2"} })
	held, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || held.Status != store.RunHeld {
		t.Fatalf("%+v %v", held, err)
	}
	run = f.importFiles(twoSchools())
	if f.status(roster.Classes, "k1") != "tobedeleted" || f.status(roster.Classes, "k2") != "active" || f.status(roster.Orgs, "d1") != "active" {
		t.Fatalf("after switching schools: %+v", run.Counts)
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if !hasRecord(records, "classes", "k1", "delete", "", "no longer in the selection") {
		t.Fatalf("records: %+v", records)
	}
	if c := run.Counts["classes"]; c.Deleted != 1 || c.Created != 1 || c.Skipped != 0 {
		t.Fatalf("a class leaving the selection counts as deleted only: %+v", c)
	}
}

// target adds an oneroster-csv target writing into a folder and returns the connection and folder.
func (f *fixture) target(settings map[string]string) (store.Connection, string) {
	f.t.Helper()
	dir := f.t.TempDir()
	s := map[string]string{"path": dir, "version": "1.2", "mode": "bulk"}
	for k, v := range settings {
		s[k] = v
	}
	f.eng.kinds = connector.NewRegistry(csvzip.Kind())
	c, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: s})
	if err != nil {
		f.t.Fatal(err)
	}
	return c, dir
}

func (f *fixture) export(id int64, opts RunOptions) store.Run {
	f.t.Helper()
	run, err := f.eng.Export(context.Background(), id, opts, events.Discard)
	if err != nil {
		f.t.Fatalf("export: %v (%+v)", err, run)
	}
	return run
}

// exportRun reads the run number in the name of a file an export wrote (…-run12.zip).
var exportRun = regexp.MustCompile(`-run([0-9]+)\.zip$`)

// zips lists the ZIP files an export wrote into dir, oldest first, and reads the newest into records
// per entity. Newest is by run number: by name, run10 would come before run9, and a bulk file before
// an earlier delta.
func zips(t *testing.T, dir string) ([]string, map[roster.Entity][]roster.Record, *oneroster.Package) {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	if len(names) == 0 {
		return nil, nil, nil
	}
	run := map[string]int{}
	for _, name := range names {
		m := exportRun.FindStringSubmatch(name)
		if m == nil {
			t.Fatalf("%s is not named as an export names its file", name)
		}
		run[name], _ = strconv.Atoi(m[1])
	}
	slices.SortFunc(names, func(a, b string) int { return run[a] - run[b] })
	pkg, err := oneroster.Open(names[len(names)-1])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pkg.Close() })
	out := map[roster.Entity][]roster.Record{}
	report, err := pkg.Read(context.Background(), func(rec roster.Record) error {
		out[rec.Entity] = append(out[rec.Entity], rec)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs := report.Errors(); len(errs) > 0 {
		t.Fatalf("the exported file has errors: %+v", errs)
	}
	return names, out, pkg
}

func TestBulkExportOfOneSchoolIsCompleteAndReadable(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.importFiles(twoSchools())
	tgt, dir := f.target(nil)
	sel := selection.Everything()
	sel.Saved, sel.OrgsAll, sel.Orgs = true, false, []string{"s2"}
	if err := f.st.SaveSelection(context.Background(), ownSetup(t, f.st, tgt, store.DirectionExport), sel); err != nil {
		t.Fatal(err)
	}
	run := f.export(tgt.ID, RunOptions{})
	if run.Status != store.RunSucceeded || run.Direction != "export" || run.Mode != "selective" {
		t.Fatalf("%+v", run)
	}
	names, got, pkg := zips(t, dir)
	if len(names) != 1 || pkg.Mode(roster.Demographics) != "bulk" {
		t.Fatalf("files %v, demographics %q (an empty bulk file is written, not left absent)", names, pkg.Mode(roster.Demographics))
	}
	if len(got[roster.Orgs]) != 2 || len(got[roster.Classes]) != 1 || len(got[roster.Users]) != 2 || len(got[roster.Enrollments]) != 2 {
		t.Fatalf("exported: orgs %d classes %d users %d enrollments %d", len(got[roster.Orgs]), len(got[roster.Classes]), len(got[roster.Users]), len(got[roster.Enrollments]))
	}
	for _, u := range got[roster.Users] {
		if u.Status() != "" {
			t.Fatalf("bulk rows carry no status: %v", u.Values)
		}
	}
	// The plan of the same export now: everything unchanged.
	plan, err := f.eng.PlanExport(context.Background(), tgt.ID, RunOptions{}, events.Discard)
	if err != nil || plan.Counts["users"].Unchanged != 2 || plan.Counts["users"].Created != 0 {
		t.Fatalf("%+v %v", plan, err)
	}
}

func TestDeltaExportSendsOnlyChangesAndNothingWhenNothingChanged(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.importFiles(twoSchools())
	tgt, dir := f.target(map[string]string{"mode": "delta"})
	first := f.export(tgt.ID, RunOptions{})
	if first.Counts["users"].Created != 5 {
		t.Fatalf("%+v", first)
	}
	again := f.export(tgt.ID, RunOptions{})
	names, _, _ := zips(t, dir)
	if again.Counts["users"].Unchanged != 5 || !strings.Contains(again.Message, "Nothing changed") || len(names) != 1 {
		t.Fatalf("unchanged re-export: %+v, files %v", again, names)
	}
	// A change in the roster, and a school leaving the selection.
	next := twoSchools()
	next["users.csv"] = strings.Replace(next["users.csv"], "Ana,Lopez", "Ana,Lopez-Diaz", 1)
	f.importFiles(next)
	sel := selection.Everything()
	sel.Saved, sel.OrgsAll, sel.Orgs = true, false, []string{"s1"}
	if err := f.st.SaveSelection(context.Background(), ownSetup(t, f.st, tgt, store.DirectionExport), sel); err != nil {
		t.Fatal(err)
	}
	held := f.export(tgt.ID, RunOptions{})
	if held.Status != store.RunHeld {
		t.Fatalf("dropping a school deletes 40 %% of the target's users: %+v", held)
	}
	run := f.export(tgt.ID, RunOptions{OverrideHold: true})
	if c := run.Counts["users"]; c.Updated != 1 || c.Deleted != 2 || c.Unchanged != 2 {
		t.Fatalf("users %+v", c)
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if !hasRecord(records, "users", "u1", "update", "familyName", `familyName: "Lopez" → "Lopez-Diaz"`) {
		t.Fatalf("records %+v", records)
	}
	names, got, _ := zips(t, dir)
	if len(names) != 2 {
		t.Fatalf("files %v", names)
	}
	statuses := map[string]string{}
	for _, u := range got[roster.Users] {
		statuses[u.SourcedID()] = string(u.Status())
	}
	if len(statuses) != 3 || statuses["u1"] != "active" || statuses["u4"] != "tobedeleted" || statuses["t2"] != "tobedeleted" {
		t.Fatalf("delta users: %v", statuses)
	}
}

func TestExportIn11PutsOrgsAndRoleOnTheUser(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	tgt, dir := f.target(map[string]string{"version": "1.1", "mode": "delta"})
	f.export(tgt.ID, RunOptions{})
	_, got, pkg := zips(t, dir)
	if pkg.Version() != "1.1" || len(got[roster.Roles]) != 3 {
		t.Fatalf("version %s, roles read back %d", pkg.Version(), len(got[roster.Roles]))
	}
	// A changed role changes the 1.1 user row, so a delta sends the user again.
	next := district()
	next["roles.csv"] = strings.Replace(next["roles.csv"], "r3,,,t1,primary,teacher", "r3,,,t1,primary,aide", 1)
	f.importFiles(next)
	run := f.export(tgt.ID, RunOptions{})
	if c := run.Counts["users"]; c.Updated != 1 || c.Unchanged != 2 {
		t.Fatalf("users %+v", c)
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if !hasRecord(records, "users", "t1", "update", "orgSourcedIds, role", "") {
		t.Fatalf("records %+v", records)
	}
}

func TestCancelledExportSendsNothingAndKeepsTheBaseline(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	tgt, dir := f.target(map[string]string{"mode": "delta"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancelled halfway through the entities, after part of the baseline was written in the transaction.
	run, err := f.eng.Export(ctx, tgt.ID, RunOptions{}, events.ReporterFunc(func(p events.Progress) {
		if p.Stage == "exporting users" {
			cancel()
		}
	}))
	if err == nil || run.Status != store.RunCancelled {
		t.Fatalf("%+v %v", run, err)
	}
	if names, _, _ := zips(t, dir); len(names) != 0 {
		t.Fatalf("a cancelled export left %v", names)
	}
	if next := f.export(tgt.ID, RunOptions{}); next.Counts["users"].Created != 3 {
		t.Fatalf("the baseline moved: %+v", next)
	}
	staged, _ := os.ReadDir(f.eng.staging)
	for _, e := range staged {
		if strings.Contains(e.Name(), "export-") {
			t.Fatalf("a temporary export file was left: %s", e.Name())
		}
	}
}

func TestExportToASourceIsRefused(t *testing.T) {
	f := newFixture(t, district())
	if _, err := f.eng.Export(context.Background(), f.conn.ID, RunOptions{}, events.Discard); err == nil || !strings.Contains(err.Error(), "not a target") {
		t.Fatalf("%v", err)
	}
}

func hasRecord(records []store.RunRecord, entity, id, action, field, message string) bool {
	for _, r := range records {
		if r.Entity == entity && r.SourcedID == id && r.Action == action && (field == "" || r.Field == field) && (message == "" || outcome.Sentence(r) == message) {
			return true
		}
	}
	return false
}

// pulls is a source kind that stages a fixed package and remembers what each fetch asked for, to
// check what the engine asks of sources that can pull school by school (the REST kind's own tests
// check that it honours it).
type pulls struct {
	files string
	asked []connector.Pull
}

func (p *pulls) Stage(_ context.Context, dir string, pull connector.Pull, _ events.Reporter) (string, error) {
	p.asked = append(p.asked, pull)
	raw, err := os.ReadFile(p.files)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "pulled.zip")
	return path, os.WriteFile(path, raw, 0o600)
}

func (p *pulls) Test(context.Context) (string, error) { return "fine", nil }

func TestFetchAsksOnlyForTheChosenSchools(t *testing.T) {
	f := newFixture(t, twoSchools())
	src := &pulls{files: f.source}
	f.eng.kinds = connector.NewRegistry(connector.Kind{Name: "oneroster-csv", Label: "test", Roles: []string{connector.RoleSource},
		NewSource: func(map[string]string, map[string]string) (connector.Source, error) { return src, nil }})
	f.fetchFiles(twoSchools())
	f.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{"d1"} }) // the district covers both schools
	f.fetchFiles(twoSchools())
	f.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{"s2"} })
	f.fetchFiles(twoSchools())
	if len(src.asked) != 3 || src.asked[0].Schools != nil || strings.Join(src.asked[1].Schools, ",") != "s1,s2" || strings.Join(src.asked[2].Schools, ",") != "s2" {
		t.Fatalf("pulls: %+v", src.asked)
	}
}

// A delta holds only what changed: a new enrollment whose class and user did not change still goes
// through when they are chosen (the roster tells what the delta leaves out).
func TestSelectiveImportOfADelta(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{"s1"} })
	f.importFiles(twoSchools())
	run := f.importFiles(map[string]string{
		"manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.enrollments,delta\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n" +
			"e8,active,2026-11-01T10:00:00.000Z,k1,s1,t1,teacher,false,,\n" +
			"e9,active,2026-11-01T10:00:00.000Z,k2,s2,u4,student,,,\n",
	})
	if c := run.Counts["enrollments"]; c.Created != 1 || c.Skipped != 1 {
		t.Fatalf("enrollments %+v", c)
	}
	if f.status(roster.Enrollments, "e8") != "active" {
		t.Fatal("the chosen school's new enrollment is missing")
	}
}

func TestPlanOfABrokenSourceSaysWhy(t *testing.T) {
	f := newFixture(t, district())
	if err := os.WriteFile(f.source, []byte("not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.Discard); err == nil || !strings.Contains(err.Error(), "not a ZIP") {
		t.Fatalf("%v", err)
	}
	tgt, _ := f.target(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.eng.PlanExport(ctx, tgt.ID, RunOptions{}, events.Discard); err == nil {
		t.Fatal("a cancelled plan gave a plan")
	}
}

// during is a target that runs a function while it "delivers", to see what the workspace allows then.
type during struct{ deliver func() error }

func (d during) Deliver(context.Context, string, string, events.Reporter) (string, error) {
	return "the test target", d.deliver()
}
func (d during) Test(context.Context) (string, error) { return "fine", nil }

// While a file is delivered (an SFTP upload can take minutes) the workspace is not locked: another
// run can write to it.
func TestDeliveryLocksNothing(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	target := during{deliver: func() error {
		return f.st.RecordTest(context.Background(), f.conn.ID, store.TestOutcome{At: store.Now(), OK: true, Message: "written during a delivery"})
	}}
	f.eng.kinds = connector.NewRegistry(connector.Kind{Name: "oneroster-csv", Label: "test", Roles: []string{connector.RoleTarget},
		NewTarget: func(map[string]string, map[string]string) (connector.Target, error) { return target, nil }})
	tgt, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.eng.Export(context.Background(), tgt.ID, RunOptions{}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", run, err)
	}
	if c, _ := f.st.Connection(context.Background(), f.conn.ID); c.LastTest.Message != "written during a delivery" {
		t.Fatalf("the write during the delivery was lost: %+v", c.LastTest)
	}
	if again := f.export(tgt.ID, RunOptions{Mode: "delta"}); again.Counts["users"].Unchanged != 3 {
		t.Fatalf("the baseline was not written after the delivery: %+v", again.Counts["users"])
	}
}

// blocked is a source whose Stage waits until released, so a test can start a second fetch meanwhile.
type blocked struct {
	pulls
	started, release chan struct{}
}

func (b *blocked) Stage(ctx context.Context, dir string, pull connector.Pull, rep events.Reporter) (string, error) {
	close(b.started)
	<-b.release
	return b.pulls.Stage(ctx, dir, pull, rep)
}

// Two fetches of one connection never run at once: the second is refused, naming it, and the
// first goes on; once it ends the connection can be fetched again.
func TestASecondFetchOfOneConnectionIsRefusedWhileTheFirstRuns(t *testing.T) {
	f := newFixture(t, twoSchools())
	src := &blocked{pulls: pulls{files: f.source}, started: make(chan struct{}), release: make(chan struct{})}
	f.eng.kinds = connector.NewRegistry(connector.Kind{Name: "oneroster-csv", Label: "test", Roles: []string{connector.RoleSource},
		NewSource: func(map[string]string, map[string]string) (connector.Source, error) { return src, nil }})
	first := make(chan error, 1)
	go func() {
		_, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard)
		first <- err
	}()
	<-src.started
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err == nil || !strings.Contains(err.Error(), "SIS is being fetched already") {
		t.Fatalf("second fetch: %v", err)
	}
	close(src.release)
	if err := <-first; err != nil {
		t.Fatalf("first fetch: %v", err)
	}
	src.started, src.release = make(chan struct{}), make(chan struct{})
	close(src.release)
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatalf("a fetch after the first ended: %v", err)
	}
}
