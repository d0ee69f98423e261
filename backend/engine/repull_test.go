package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// email is a roster user's e-mail.
func (f *fixture) email(id string) string {
	f.t.Helper()
	var s string
	if err := f.st.DB().QueryRow(`SELECT email FROM roster_users WHERE "sourcedId" = ?`, id).Scan(&s); err != nil {
		f.t.Fatalf("users %s: %v", id, err)
	}
	return s
}

// exists says whether the roster has a record of e with this id.
func (f *fixture) exists(e roster.Entity, id string) bool {
	f.t.Helper()
	var n int
	if err := f.st.DB().QueryRow(`SELECT count(*) FROM roster_`+string(e)+` WHERE "sourcedId" = ?`, id).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n > 0
}

// changedAtSource is the district after the source changed: Ana's and Tia's e-mails, a new student
// Cal in Math 3A, and Ben gone from the bulk files.
func changedAtSource() map[string]string {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org", "ana.lopez@example.org", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "tia@example.org", "tia.marsh@example.org", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n",
		"u9,,,true,cal,,Cal,Reyes,,1009,cal@example.org,,,,03,,,,,,s1,\n", 1)
	files["roles.csv"] = strings.Replace(files["roles.csv"], "r2,,,u2,", "r9,,,u9,", 1)
	files["enrollments.csv"] = strings.Replace(files["enrollments.csv"], "e2,,,k1,s1,u2,", "e9,,,k1,s1,u9,", 1)
	return files
}

// Re-pulling users from a source fetches it afresh and imports just those users: Ana is updated,
// Tia (changed too, not chosen) and Cal (new, not chosen) are not, Ben (gone from the bulk file)
// is not deleted, and an ID the fetch lacks changes nothing and is listed. The run is an import of
// mode "ids" whose not-found ID is a skipped record.
func TestRepullUsersUpdatesOnlyThoseAndDeletesNothing(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	testzip.Write(t, f.source, changedAtSource())
	ctx := context.Background()
	res, err := f.eng.Resync(ctx, f.conn.ID, roster.Users, []string{" u1", "nope", "u1"}, false, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded || res.Run.Mode != "ids" || res.Run.Direction != "import" {
		t.Fatalf("%+v %v", res, err)
	}
	if !slices.Equal(res.NotFound, []string{"nope"}) {
		t.Errorf("not found %v", res.NotFound)
	}
	if c := res.Run.Counts["users"]; c.Updated != 1 || c.Created != 0 || c.Deleted != 0 || c.Skipped != 1 {
		t.Errorf("users counts %+v", c)
	}
	if got := f.email("u1"); got != "ana.lopez@example.org" {
		t.Errorf("Ana not updated: %s", got)
	}
	if got := f.email("t1"); got != "tia@example.org" {
		t.Errorf("Tia was not chosen, yet: %s", got)
	}
	if f.status(roster.Users, "u2") != "active" || f.status(roster.Enrollments, "e2") != "active" || f.exists(roster.Users, "u9") {
		t.Error("a re-pull deleted or created records it was not asked for")
	}
	records, _ := f.st.RunRecords(ctx, res.Run.ID, 0, 100)
	if !slices.ContainsFunc(records, func(r store.RunRecord) bool {
		return r.SourcedID == "nope" && r.Status == "skipped" && r.Reason == outcome.NotFound
	}) {
		t.Errorf("the not-found ID is a skipped record: %+v", records)
	}
	if !strings.Contains(res.Run.Message, "nope") {
		t.Errorf("message %q", res.Run.Message)
	}
}

// With dependencies, a new enrollment comes with its user (and the user's role) and its class,
// which exist already; nothing else is touched. Without, the enrollment would come alone.
func TestRepullEnrollmentWithDependenciesBringsItsUser(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	testzip.Write(t, f.source, changedAtSource())
	ctx := context.Background()
	res, err := f.eng.Resync(ctx, f.conn.ID, roster.Enrollments, []string{"e9"}, true, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded || len(res.NotFound) != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if f.status(roster.Enrollments, "e9") != "active" || f.status(roster.Users, "u9") != "active" || f.status(roster.Roles, "r9") != "active" {
		t.Error("the enrollment did not come with its user and role")
	}
	if c := res.Run.Counts; c["enrollments"].Created != 1 || c["users"].Created != 1 || c["classes"].Unchanged != 1 || c["users"].Updated != 0 {
		t.Errorf("counts %+v", c)
	}
	if f.email("u1") != "ana@example.org" || f.status(roster.Users, "u2") != "active" {
		t.Error("records not depended on changed")
	}
}

// A record the selection leaves out is skipped with its reason (a later import would delete it
// again); the import mapping applies to what a re-pull takes.
func TestRepullSkipsWhatTheSelectionLeavesOutAndMaps(t *testing.T) {
	f := newFixture(t, twoSchools())
	ctx := context.Background()
	own := ownSetup(t, f.st, f.conn, store.DirectionImport)
	if err := f.st.SaveSelection(ctx, own, schoolOnly("s1")); err != nil {
		t.Fatal(err)
	}
	f.importFiles(twoSchools())
	m := mapping.Mapping{Entity: "users", Fields: []mapping.Field{{To: "familyName", Type: mapping.Transformation, Expr: "upper(familyName)"}}}
	if err := f.eng.SaveMapping(ctx, own, m); err != nil {
		t.Fatal(err)
	}
	res, err := f.eng.Resync(ctx, f.conn.ID, roster.Users, []string{"u1", "u4"}, true, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", res, err)
	}
	if f.exists(roster.Users, "u4") {
		t.Error("a user outside the selection was pulled in")
	}
	var family string
	f.st.DB().QueryRow(`SELECT familyName FROM roster_users WHERE "sourcedId" = 'u1'`).Scan(&family)
	if family != "LOPEZ" {
		t.Errorf("mapping not applied: %q", family)
	}
	records, _ := f.st.RunRecords(ctx, res.Run.ID, 0, 100)
	if !slices.ContainsFunc(records, func(r store.RunRecord) bool {
		return r.SourcedID == "u4" && r.Status == "skipped" && r.Reason == outcome.OutsideSelection
	}) || res.Run.Counts["users"].Skipped != 1 {
		t.Errorf("u4 is skipped as outside the selection: %+v %+v", records, res.Run.Counts["users"])
	}
}

// A chosen record the source marks tobedeleted takes that status, as an import would; the other
// deletions of the same changes file do not apply.
func TestRepullAppliesTheSourcesDeletionOfAChosenRecordOnly(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	users, _, _ := strings.Cut(district()["users.csv"], "\n")
	const at = "tobedeleted,2026-11-23T08:00:00.000Z,"
	testzip.Write(t, f.source, map[string]string{
		"manifest.csv": deltaManifest("users"),
		"users.csv": users + "\r\n" +
			"u1," + at + "true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\r\n" +
			"u2," + at + "true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\r\n",
	})
	res, err := f.eng.Resync(context.Background(), f.conn.ID, roster.Users, []string{"u1"}, true, events.Discard)
	if err != nil || len(res.NotFound) != 0 || res.Run.Counts["users"].Deleted != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if f.status(roster.Users, "u1") != "tobedeleted" || f.status(roster.Users, "u2") != "active" {
		t.Errorf("u1 %s, u2 %s", f.status(roster.Users, "u1"), f.status(roster.Users, "u2"))
	}
}

// A dependency the source marks tobedeleted is not deleted by a re-pull: only the chosen records'
// own deletions apply. Ana's school, which the delta deletes, stays.
func TestRepullDeletesNoDependency(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	users, _, _ := strings.Cut(district()["users.csv"], "\n")
	orgs, _, _ := strings.Cut(district()["orgs.csv"], "\n")
	testzip.Write(t, f.source, map[string]string{
		"manifest.csv": deltaManifest("orgs", "users"),
		"orgs.csv":     orgs + "\r\ns1,tobedeleted,2026-11-23T08:00:00.000Z,Evergreen Elementary School,school,S1,d1\r\n",
		"users.csv":    users + "\r\nu1,active,2026-11-23T08:00:00.000Z,true,ana,,Anna,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\r\n",
	})
	res, err := f.eng.Resync(context.Background(), f.conn.ID, roster.Users, []string{"u1"}, true, events.Discard)
	if err != nil || res.Run.Counts["users"].Updated != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if f.status(roster.Orgs, "s1") != "active" {
		t.Errorf("the school, a dependency the source deletes, is %s", f.status(roster.Orgs, "s1"))
	}
}

// A re-pull takes the workspace before it fetches: while another Rosterdesk writes it, the re-pull
// waits as long as it is told to, names who holds it, then is refused with the usual words, having
// fetched nothing and recorded no run. Once the workspace is free it goes through.
func TestRepullOfABusyWorkspaceRefusesBeforeFetching(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	testzip.Write(t, f.source, changedAtSource())
	ctx := context.Background()
	before, _ := f.st.Snapshot(ctx, f.conn.ID)
	runs, _ := f.st.Runs(ctx, 0, 100)
	other, err := f.st.LockWriter("pat") // another Rosterdesk's import
	if err != nil {
		t.Fatal(err)
	}
	var holder string
	f.eng.WaitForOthers(ctx, 200*time.Millisecond, func(h string) { holder = h })
	var stages []string
	done := make(chan error, 1)
	go func() {
		_, err := f.eng.Resync(ctx, f.conn.ID, roster.Users, []string{"u1"}, false, events.ReporterFunc(func(p events.Progress) { stages = append(stages, p.Stage) }))
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		other.Release()
		<-done
		t.Fatalf("the re-pull was still going 20 s on, the workspace busy (it fetched first: %v)", stages)
	}
	other.Release()
	if apperr.From(err).Code != apperr.CodeBusy || !strings.Contains(holder, "pat") {
		t.Fatalf("error %v, told the holder %q", err, holder)
	}
	if len(stages) > 0 {
		t.Errorf("a refused re-pull fetched: %v", stages)
	}
	if after, _ := f.st.Snapshot(ctx, f.conn.ID); after.FetchedAt != before.FetchedAt || after.Path != before.Path {
		t.Errorf("a refused re-pull replaced the snapshot: %+v, was %+v", after, before)
	}
	if again, _ := f.st.Runs(ctx, 0, 100); len(again) != len(runs) {
		t.Errorf("a refused re-pull recorded a run")
	}
	res, err := f.eng.Resync(ctx, f.conn.ID, roster.Users, []string{"u1"}, false, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded || f.email("u1") != "ana.lopez@example.org" {
		t.Fatalf("once free: %+v %v", res, err)
	}
}

// A chosen ID whose row in the fresh fetch failed to read is no "not found": it is a failed record of
// the run, read_failed, with the reader's finding naming the file, line and column; it changes
// nothing, and the other chosen IDs go through.
func TestRepullReportsAChosenIDInARowThatFailedToRead(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	files := changedAtSource()
	files["users.csv"] = strings.Replace(files["users.csv"], "t1,,,true,tia,", "t1,,,sometimes,tia,", 1)
	testzip.Write(t, f.source, files)
	ctx := context.Background()
	res, err := f.eng.Resync(ctx, f.conn.ID, roster.Users, []string{"u1", "t1", "nope"}, false, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", res, err)
	}
	if !slices.Equal(res.NotFound, []string{"nope"}) {
		t.Errorf("not found %v: t1 is in the fetch, in a row that failed to read", res.NotFound)
	}
	if c := res.Run.Counts["users"]; c.Updated != 1 || c.Failed != 1 || c.Skipped != 1 {
		t.Errorf("users counts %+v", c)
	}
	if f.email("u1") != "ana.lopez@example.org" || f.email("t1") != "tia@example.org" {
		t.Errorf("u1 %s, t1 %s", f.email("u1"), f.email("t1"))
	}
	records, _ := f.st.RunRecords(ctx, res.Run.ID, 0, 100)
	i := slices.IndexFunc(records, func(r store.RunRecord) bool { return r.SourcedID == "t1" })
	if i < 0 {
		t.Fatalf("t1 is not in the run's records: %+v", records)
	}
	if r := records[i]; r.Status != "failed" || r.Reason != outcome.ReadFailed || r.Field != "enabledUser" ||
		!strings.Contains(r.Message, "users.csv, line 4, column enabledUser") || !strings.Contains(r.Message, `"sometimes" is not true or false`) {
		t.Errorf("t1's record %+v", r)
	}
	if !strings.Contains(res.Run.Message, "failed to read") || !strings.Contains(res.Run.Message, "t1") || !strings.Contains(res.Run.Message, "1 failed") {
		t.Errorf("message %q", res.Run.Message)
	}
}
