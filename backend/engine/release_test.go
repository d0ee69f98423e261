package engine

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	generator "github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// otherSystemFeed is another system's export of the district: u1 with another e-mail, and u9, whom the
// first system does not know.
func otherSystemFeed() map[string]string {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org", "ana.lopez@second.example", 1) +
		"u9,,,true,zoe,,Zoe,Park,,1009,zoe@example.org,,,,03,,,,,,s1,\n"
	files["roles.csv"] += "r9,,,u9,primary,student,,,s1,\n"
	return files
}

// addSourceAndImport adds a source connection reading files and imports it.
func (f *fixture) addSourceAndImport(name string, files map[string]string, settings map[string]string) store.Connection {
	f.t.Helper()
	path := filepath.Join(f.t.TempDir(), name+".zip")
	testzip.Write(f.t, path, files)
	if settings == nil {
		settings = map[string]string{}
	}
	settings["path"] = path
	c, err := f.st.AddConnection(context.Background(), store.Connection{Name: name, Kind: "oneroster-csv", Role: "source", Settings: settings})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.eng.Import(context.Background(), c.ID, RunOptions{OverrideHold: true}, events.Discard); err != nil {
		f.t.Fatal(err)
	}
	return c
}

func TestReleasingASourceKeepsWhatOthersSupplyAndDeletesOrKeepsTheRest(t *testing.T) {
	for _, keep := range []bool{false, true} {
		f := newFixture(t, district())
		f.importFiles(district())
		second := f.addSourceAndImport("Second", otherSystemFeed(), nil)
		if got := f.rosterValue(roster.Users, "u9", "status"); got != "active" {
			t.Fatalf("u9 after the second import: %s", got)
		}
		supply, err := f.st.Supply(context.Background(), second.ID)
		if err != nil || supply.Only[roster.Users] != 1 || supply.Shared[roster.Users] != 3 || supply.Only[roster.Roles] != 1 {
			t.Fatalf("supply %+v %v", supply, err)
		}
		// Put the second first, so that releasing it changes a value the roster keeps.
		if _, err := f.eng.SetPrecedence(context.Background(), []int64{second.ID, f.conn.ID}); err != nil {
			t.Fatal(err)
		}
		if got := f.rosterValue(roster.Users, "u1", "email"); got != "ana.lopez@second.example" {
			t.Fatalf("u1 e-mail with the second source first: %q", got)
		}
		run, err := f.eng.ReleaseSource(context.Background(), second.ID, keep, events.Discard)
		if err != nil || run.Status != store.RunSucceeded {
			t.Fatalf("release: %+v %v", run, err)
		}
		if got := f.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
			t.Errorf("keep=%v: u1 e-mail after the second source went: %q", keep, got)
		}
		if got := f.rosterValue(roster.Users, "u2", "status"); got != "active" {
			t.Errorf("keep=%v: u2, which the first source supplies, is %s", keep, got)
		}
		want, deleted := "tobedeleted", 2 // u9 and its role
		if keep {
			want, deleted = "active", 0
		}
		if got := f.rosterValue(roster.Users, "u9", "status"); got != want {
			t.Errorf("keep=%v: u9, which only the second source supplied, is %s", keep, got)
		}
		if c := run.Counts["users"]; c.Deleted+run.Counts["roles"].Deleted != deleted || c.Updated != 1 || run.Counts["orgs"].Updated != 0 {
			t.Errorf("keep=%v: counts %+v", keep, run.Counts)
		}
		var left int
		f.st.DB().QueryRow(`SELECT COUNT(*) FROM origins WHERE connection_id = ?`, second.ID).Scan(&left)
		if left != 0 {
			t.Errorf("keep=%v: %d origins of the released source left", keep, left)
		}
		// The first source's next import finds everything unchanged: its origins were untouched.
		again := f.importFiles(district())
		if c := again.Counts["users"]; c.Created+c.Updated+c.Deleted != 0 {
			t.Errorf("keep=%v: re-import of the first source after the release: %+v", keep, again.Counts)
		}
	}
}

func TestANewOrderOfSourcesAppliesAtOnceInARecordedRun(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	second := f.addSourceAndImport("Second", otherSystemFeed(), nil)
	if got := f.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
		t.Fatalf("the first source comes first by default, yet u1's e-mail is %q", got)
	}
	run, err := f.eng.SetPrecedence(context.Background(), []int64{second.ID})
	if err != nil || run.Status != store.RunSucceeded || run.ConnectionName != PrecedenceRun {
		t.Fatalf("%+v %v", run, err)
	}
	if got := f.rosterValue(roster.Users, "u1", "email"); got != "ana.lopez@second.example" {
		t.Fatalf("after putting the second first, u1's e-mail is %q", got)
	}
	if c := run.Counts["users"]; c.Updated != 1 || !strings.Contains(run.Message, "Second") {
		t.Errorf("run %+v", run)
	}
	var logged string
	f.st.DB().QueryRow(`SELECT reason || ' ' || "before" || ' ' || "after" FROM run_records WHERE run_id = ? AND sourced_id = 'u1' AND field = 'email'`, run.ID).Scan(&logged)
	if logged != "changed ana@example.org ana.lopez@second.example" {
		t.Errorf("logged %q", logged)
	}
	sources, _ := f.st.Sources(context.Background())
	if len(sources) != 2 || sources[0].ID != second.ID {
		t.Errorf("order %+v", sources)
	}
	if _, err := f.eng.SetPrecedence(context.Background(), []int64{f.conn.ID}); err != nil {
		t.Fatal(err)
	}
	if got := f.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
		t.Errorf("back in the first order, u1's e-mail is %q", got)
	}
	if _, err := f.eng.SetPrecedence(context.Background(), []int64{12345}); err == nil {
		t.Error("an unknown connection was accepted")
	}
}

func TestATargetKeepsARecordsIDWhenItsFirstSourceStopsSendingIt(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	// The second system has u2 under its own id too, so u2's roster id stays the first system's.
	f.addSourceAndImport("Second", otherSystemFeed(), nil)
	target, dir := f.target(map[string]string{"mode": "delta"})
	f.export(target.ID, RunOptions{})
	// The first system's next bulk file no longer has u2 (or its role and enrollment).
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	files["roles.csv"] = strings.Replace(files["roles.csv"], "r2,,,u2,primary,student,,,s1,\n", "", 1)
	files["enrollments.csv"] = strings.Replace(files["enrollments.csv"], "e2,,,k1,s1,u2,student,,,\n", "", 1)
	run := f.importFiles(files)
	if c := run.Counts["users"]; c.Deleted != 0 || c.Updated != 0 {
		t.Fatalf("the first source dropping u2, which the second still sends: %+v", c)
	}
	if got := f.rosterValue(roster.Users, "u2", "status"); got != "active" {
		t.Fatalf("u2 is %s", got)
	}
	again := f.export(target.ID, RunOptions{})
	if c := again.Counts["users"]; c.Created+c.Updated+c.Deleted != 0 {
		t.Errorf("the target was told about u2 again: %+v", again.Counts)
	}
	names, _, _ := zips(t, dir)
	if len(names) != 1 {
		t.Errorf("an unchanged delta wrote a file: %v", names)
	}
}

func TestARecordOfARemovedOwnIDsSourceIsNeverMetByIDHoweverItWasRemoved(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	files := district()
	files["users.csv"] += "z1,,,true,zed,,Zed,Quill,,7001,zed@example.org,,,,03,,,,,,s1,\n"
	library := f.addSourceAndImport("Library", files, map[string]string{"ids": "own"})
	// Removed without releasing its records first (as a script calling the store might).
	if err := f.st.RemoveConnection(context.Background(), library.ID); err != nil {
		t.Fatal(err)
	}
	other := district()
	other["users.csv"] += "z1,,,true,nora,,Nora,Vance,,8001,nora@example.org,,,,03,,,,,,s1,\n"
	feed := f.addSourceAndImport("Second", other, nil)
	if got := f.rosterValue(roster.Users, "z1", "givenName"); got != "Zed" {
		t.Errorf("the removed library's Zed became %q", got)
	}
	if got := f.rosterValue(roster.Users, "z1~"+strconv.FormatInt(feed.ID, 10), "givenName"); got != "Nora" {
		t.Errorf("Nora's record: %q", got)
	}
}

// cancelling cancels a context at the first progress it is told.
type cancelling struct{ cancel context.CancelFunc }

func (c cancelling) Report(events.Progress) { c.cancel() }

func TestACancelledReleaseChangesNothing(t *testing.T) {
	f := newFixture(t, district())
	f.generate(generator.Options{Students: 600, Seed: 3})
	f.importSource()
	second, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Second", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{"path": f.source}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Import(context.Background(), second.ID, RunOptions{OverrideHold: true}, events.Discard); err != nil {
		t.Fatal(err)
	}
	var before int
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM origins WHERE connection_id = ?`, second.ID).Scan(&before)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run, err := f.eng.ReleaseSource(ctx, second.ID, false, cancelling{cancel})
	if err == nil || run.Status != store.RunCancelled {
		t.Fatalf("a cancelled release: %+v %v", run, err)
	}
	var after int
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM origins WHERE connection_id = ?`, second.ID).Scan(&after)
	if before < 4096 || after != before {
		t.Errorf("origins of the source: %d before, %d after a cancelled release", before, after)
	}
}
