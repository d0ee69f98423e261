package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// readNewest reads the newest file in a target's folder, record by record.
func readNewest(t *testing.T, dir string, visit func(roster.Record)) {
	t.Helper()
	path, err := newestExport(dir)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	if _, err := pkg.Read(context.Background(), func(r roster.Record) error { visit(r); return nil }, nil); err != nil {
		t.Fatal(err)
	}
}

// delivered lists the records ("entity id") of the newest file in a target's folder.
func delivered(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	readNewest(t, dir, func(r roster.Record) { out = append(out, string(r.Entity)+" "+r.SourcedID()) })
	slices.Sort(out)
	return out
}

// Re-sync by IDs of enrollments: with dependencies, each goes with its class (and the class's
// course, school, term), user (with role and org) and school; without, alone. An ID that matches
// nothing changes nothing and is listed as not found. Each run is recorded with the mode "ids".
func TestResyncEnrollmentsWithAndWithoutDependencies(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	target, dir := f.target(nil)
	ctx := context.Background()
	res, err := f.eng.Resync(ctx, target.ID, roster.Enrollments, []string{"e1", " ", "nope"}, true, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded || res.Run.Mode != "ids" {
		t.Fatalf("%+v %v", res, err)
	}
	if !slices.Equal(res.NotFound, []string{"nope"}) || res.Run.Counts["enrollments"].Skipped != 1 {
		t.Errorf("not found %v, counts %+v", res.NotFound, res.Run.Counts["enrollments"])
	}
	want := []string{"academicSessions y1", "classes k1", "courses c1", "enrollments e1", "orgs d1", "orgs s1", "roles r1", "users u1"}
	if got := delivered(t, dir); !slices.Equal(got, want) {
		t.Errorf("with dependencies sent %v, want %v", got, want)
	}
	res, err = f.eng.Resync(ctx, target.ID, roster.Enrollments, []string{"e2"}, false, events.Discard)
	if err != nil || res.Run.Counts["enrollments"].Created != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if got := delivered(t, dir); !slices.Equal(got, []string{"enrollments e2"}) {
		t.Errorf("alone sent %v", got)
	}
}

// Users and orgs: with dependencies a user goes with its roles and their orgs (and the orgs' parents);
// alone, the record only, its references as they are.
func TestResyncUsersAndOrgsDependencies(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	target, dir := f.target(nil)
	ctx := context.Background()
	if _, err := f.eng.Resync(ctx, target.ID, roster.Users, []string{"u2"}, true, events.Discard); err != nil {
		t.Fatal(err)
	}
	if got, want := delivered(t, dir), []string{"orgs d1", "orgs s1", "roles r2", "users u2"}; !slices.Equal(got, want) {
		t.Errorf("user with dependencies: %v, want %v", got, want)
	}
	if _, err := f.eng.Resync(ctx, target.ID, roster.Orgs, []string{"s1"}, false, events.Discard); err != nil {
		t.Fatal(err)
	}
	// s1 went with its parent before: unchanged since, nothing is written; a user alone goes alone.
	if _, err := f.eng.Resync(ctx, target.ID, roster.Users, []string{"t1"}, false, events.Discard); err != nil {
		t.Fatal(err)
	}
	if got := delivered(t, dir); !slices.Equal(got, []string{"users t1"}) {
		t.Errorf("user alone: %v", got)
	}
}

// Objects other than users, enrollments, classes and orgs are refused, and so is a list of no IDs.
func TestResyncRefusesOtherObjects(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	ctx := context.Background()
	target, _ := f.target(nil)
	if _, err := f.eng.Resync(ctx, target.ID, roster.Courses, []string{"c1"}, true, events.Discard); err == nil {
		t.Error("courses are not an object of re-sync by IDs")
	}
	if _, err := f.eng.Resync(ctx, target.ID, roster.Users, []string{" "}, true, events.Discard); err == nil {
		t.Error("no ids")
	}
}

// A user re-sent with its dependencies keeps, in the delta, the guardians the target holds from an
// earlier export (a delta without them would take them away there), and only those: to a target
// that never got the guardian, the reference is trimmed so nothing points at a record it lacks.
func TestResyncKeepsReferencesToRecordsTheTargetHolds(t *testing.T) {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org,,,,03", "ana@example.org,,,t1,03", 1)
	f := newFixture(t, files)
	f.importFiles(files)
	ctx := context.Background()
	agents := func(dir string) string {
		t.Helper()
		got := "no u1"
		readNewest(t, dir, func(r roster.Record) {
			if r.Entity == roster.Users && r.SourcedID() == "u1" {
				got = r.Get("agentSourcedIds")
			}
		})
		return got
	}
	holds, dir := f.target(nil)
	f.export(holds.ID, RunOptions{})
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org", "ana.lopez@example.org", 1)
	f.importFiles(files)
	if _, err := f.eng.Resync(ctx, holds.ID, roster.Users, []string{"u1"}, true, events.Discard); err != nil {
		t.Fatal(err)
	}
	if got := agents(dir); got != "t1" {
		t.Errorf("to a target holding the guardian: agentSourcedIds %q, want t1", got)
	}
	freshDir := t.TempDir()
	fresh, err := f.st.AddConnection(ctx, store.Connection{Name: "New vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": freshDir, "version": "1.2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Resync(ctx, fresh.ID, roster.Users, []string{"u1"}, true, events.Discard); err != nil {
		t.Fatal(err)
	}
	if got := agents(freshDir); got != "" {
		t.Errorf("to a target without the guardian: agentSourcedIds %q, want none", got)
	}
}
