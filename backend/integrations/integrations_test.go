package integrations

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

type fixture struct {
	t     *testing.T
	dir   string
	st    *store.Store
	svc   *Service
	now   time.Time
	sis   store.Connection // a source reading a generated district
	out   store.Connection // a folder target
	ctx   context.Context
	kinds *connector.Registry
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	vault, err := secrets.NewFile(filepath.Join(dir, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := connector.NewRegistry(csvzip.Kind())
	eng := engine.New(st, kinds, vault, engine.StagingDir(st.Path()), "registrar", slog.New(slog.NewTextHandler(io.Discard, nil)))
	f := &fixture{t: t, dir: dir, st: st, svc: New(st, kinds, eng, "registrar"), ctx: context.Background(), kinds: kinds}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2026, 3, 2, 10, 0, 0, 0, ny) // a Monday
	f.svc.Now = func() time.Time { return f.now }
	zip := filepath.Join(dir, "district.zip")
	if _, err := district.GenerateFile(f.ctx, zip, district.Options{Students: 40, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	if f.sis, err = st.AddConnection(f.ctx, store.Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{"path": zip}}); err != nil {
		t.Fatal(err)
	}
	if f.out, err = st.AddConnection(f.ctx, store.Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": filepath.Join(dir, "out")}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) add(req Request) Integration {
	f.t.Helper()
	in, err := f.svc.Add(f.ctx, req)
	if err != nil {
		f.t.Fatal(err)
	}
	return in
}

func (f *fixture) runsOf(id int64) []store.Run {
	f.t.Helper()
	rows, err := f.st.DB().Query(`SELECT id FROM runs WHERE integration_id = ? ORDER BY id`, id)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []store.Run
	for rows.Next() {
		var rid int64
		rows.Scan(&rid)
		r, err := f.st.Run(f.ctx, rid)
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.st.DB().QueryRow(query, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func field(err error) string {
	if d, ok := apperr.From(err).Details.(map[string]string); ok {
		return d["field"]
	}
	return ""
}

func TestAddChecksWhatAnIntegrationCanBe(t *testing.T) {
	f := newFixture(t)
	both, err := f.st.AddConnection(f.ctx, store.Connection{Name: "Drop", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{"path": f.dir}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		req          Request
		field, words string
	}{
		{Request{Name: " ", Type: "import", ConnectionID: f.sis.ID}, "name", "Give the integration a name"},
		{Request{Name: "x", Type: "import", ConnectionID: f.out.ID}, "connection", "Vendor is a target"},
		{Request{Name: "x", Type: "export", ConnectionID: f.sis.ID}, "connection", "SIS is a source"},
		{Request{Name: "x", Type: "sync", ConnectionID: f.sis.ID}, "connection", `choose the role "both"`},
		{Request{Name: "x", Type: "pull", ConnectionID: f.sis.ID}, "type", "import, export or sync"},
		{Request{Name: "x", Type: "import", ConnectionID: 999}, "connection", "no longer exists"},
		{Request{Name: "x", Type: "import", ConnectionID: f.sis.ID, Entities: []string{"users"}}, "entities", `"users" is not an entity task`},
		{Request{Name: "x", Type: "import", ConnectionID: f.sis.ID, Schedule: "daily 25:00"}, "schedule", "e.g."},
		{Request{Name: "x", Type: "import", ConnectionID: f.sis.ID, Conflict: "newest"}, "conflict", "two-way sync only"},
		{Request{Name: "x", Type: "sync", ConnectionID: both.ID, Conflict: "loudest"}, "conflict", "workspace, external, newest or ask"},
	} {
		_, err := f.svc.Add(f.ctx, c.req)
		if err == nil || field(err) != c.field || !strings.Contains(err.Error(), c.words) {
			t.Errorf("%+v: %v (field %q)", c.req, err, field(err))
		}
	}
	in := f.add(Request{Name: "Nightly", Type: "SYNC", ConnectionID: both.ID, Entities: []string{"Students", "schools", "students"}, Schedule: "Weekly Wed,MON 6:30", Conflict: "ask"})
	if in.Type != "sync" || strings.Join(in.Entities, ",") != "schools,students" || in.Schedule != "weekly mon,wed 06:30" || in.Conflict != "ask" ||
		in.ScheduleText != "Every Monday and Wednesday at 06:30" || !in.NextRun.Equal(time.Date(2026, 3, 4, 6, 30, 0, 0, f.now.Location())) {
		t.Fatalf("added %+v", in)
	}
	if _, err := f.svc.Add(f.ctx, Request{Name: "NIGHTLY", Type: "import", ConnectionID: f.sis.ID}); apperr.From(err).Code != apperr.CodeConflict || field(err) != "name" {
		t.Errorf("a name taken: %v", err)
	}
	if _, err := f.svc.ByName(f.ctx, "Weekly"); err == nil || !strings.Contains(err.Error(), `The integrations are "Nightly"`) {
		t.Errorf("an unknown name: %v", err)
	}
}

// Runs missed while the computer was off run once; a disabled integration never runs; a run is the
// integration's, its result shown in the list; an import's entity tasks reach the engine.
func TestRunDueCatchesUpOnceAndSkipsDisabled(t *testing.T) {
	f := newFixture(t)
	daily := f.add(Request{Name: "Nightly import", Type: "import", ConnectionID: f.sis.ID, Schedule: "daily 02:00", Entities: []string{"schools"}})
	off := f.add(Request{Name: "Weekly export", Type: "export", ConnectionID: f.out.ID, Schedule: "hourly :05"})
	if _, err := f.svc.SetEnabled(f.ctx, off.ID, false); err != nil {
		t.Fatal(err)
	}
	none := func(Due) events.Reporter { return events.Discard }
	f.now = f.now.Add(3 * 24 * time.Hour) // the computer was off for three days
	got, err := f.svc.RunDue(f.ctx, f.now, none)
	if err != nil {
		t.Fatal(err)
	}
	slot := time.Date(2026, 3, 5, 2, 0, 0, 0, f.now.Location())
	if len(got) != 1 || got[0].Integration != "Nightly import" || got[0].Status != "succeeded" || !got[0].Slot.Equal(slot) {
		t.Fatalf("ran %+v", got)
	}
	if runs := f.runsOf(daily.ID); len(runs) != 1 || runs[0].ID != got[0].Run || runs[0].Direction != "import" || runs[0].Operator != "registrar" || runs[0].Trigger != TriggerSchedule {
		t.Fatalf("runs of the integration %+v", runs)
	}
	if n := f.count(`SELECT COUNT(*) FROM runs WHERE integration_id = ?`, off.ID); n != 0 {
		t.Errorf("the disabled integration ran %d times", n)
	}
	// Its entity tasks: schools only.
	if orgs, users := f.count(`SELECT COUNT(*) FROM roster_orgs`), f.count(`SELECT COUNT(*) FROM roster_users`); orgs == 0 || users != 0 {
		t.Errorf("an import of schools only left %d orgs and %d users", orgs, users)
	}
	if again, err := f.svc.RunDue(f.ctx, f.now.Add(time.Hour), none); err != nil || len(again) != 0 {
		t.Fatalf("an hour later: %+v %v", again, err)
	}
	list, err := f.svc.List(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range list {
		switch in.Name {
		case "Nightly import":
			if in.LastRunID != got[0].Run || in.LastResult != "succeeded" || in.LastRunAt == "" || !in.NextRun.Equal(slot.AddDate(0, 0, 1)) {
				t.Errorf("listed %+v", in)
			}
		case "Weekly export":
			if in.LastRunID != 0 || !in.NextRun.IsZero() {
				t.Errorf("listed %+v", in)
			}
		}
	}
	// Enabled again, what it missed while disabled is not caught up.
	if _, err := f.svc.SetEnabled(f.ctx, off.ID, true); err != nil {
		t.Fatal(err)
	}
	if due, err := f.svc.DueAt(f.ctx, f.now.Add(time.Minute)); err != nil || len(due) != 0 {
		t.Errorf("due right after enabling: %+v %v", due, err)
	}
}

// A run refused by the lock is recorded as skipped, with the run going; a scheduled one takes its slot.
func TestARunWhileOneIsGoingIsSkipped(t *testing.T) {
	f := newFixture(t)
	in := f.add(Request{Name: "Hourly", Type: "import", ConnectionID: f.sis.ID, Schedule: "hourly :00"})
	lock, err := f.st.LockIntegration(f.ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	going, err := f.st.StartRun(f.ctx, store.Run{ConnectionID: f.sis.ID, ConnectionName: "SIS", Direction: "import", Mode: "full", Operator: "registrar"})
	if err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(90 * time.Minute)
	got, err := f.svc.RunDue(f.ctx, f.now, func(Due) events.Reporter { return events.Discard })
	if err != nil || len(got) != 1 || got[0].Status != store.RunSkipped || !strings.HasPrefix(got[0].Message, "Already running (run ") {
		t.Fatalf("while going: %+v %v", got, err)
	}
	if runs := f.runsOf(in.ID); len(runs) != 1 || runs[0].Status != store.RunSkipped || runs[0].Trigger != TriggerSchedule || !strings.Contains(runs[0].Message, "run "+strconv.FormatInt(going.ID, 10)) {
		t.Fatalf("recorded %+v", runs)
	}
	if due, _ := f.svc.DueAt(f.ctx, f.now); len(due) != 0 {
		t.Errorf("the skipped slot is still due: %+v", due)
	}
	lock.Release()
	res, err := f.svc.Run(f.ctx, in.ID, RunRequest{}, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded || res.Run.Trigger != "" || res.Run.IntegrationID != in.ID {
		t.Fatalf("by hand after: %+v %v", res.Run, err)
	}
	if l, _ := f.svc.Get(f.ctx, in.ID); l.LastRunID != res.Run.ID || l.LastResult != store.RunSucceeded || l.Running {
		t.Errorf("listed %+v", l)
	}
}

// While a run goes, it is already the integration's last run, with who started it: the list shows
// it running. A run that failed before the engine started one (the fetch) says so too.
func TestARunIsTheIntegrationsFromItsStart(t *testing.T) {
	f := newFixture(t)
	imp := f.add(Request{Name: "Hourly import", Type: "import", ConnectionID: f.sis.ID, Schedule: "hourly :00"})
	exp := f.add(Request{Name: "Export", Type: "export", ConnectionID: f.out.ID})
	// look looks at the integration once its run reports the stage given.
	var during store.Integration
	var looked bool
	look := func(id int64, stage string) events.Reporter {
		return events.ReporterFunc(func(p events.Progress) {
			if !looked && strings.HasPrefix(p.Stage, stage) {
				in, err := f.svc.Get(f.ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				during, looked = in.Integration, true
			}
		})
	}
	f.now = f.now.Add(time.Hour)
	got, err := f.svc.RunDue(f.ctx, f.now, func(Due) events.Reporter { return look(imp.ID, "applying") })
	if err != nil || len(got) != 1 || got[0].Status != store.RunSucceeded {
		t.Fatalf("scheduled import: %+v %v", got, err)
	}
	if !looked || during.LastRunID != got[0].Run || during.LastResult != store.RunRunning {
		t.Errorf("while the scheduled import applied, the integration listed %+v", during)
	}
	if r, _ := f.st.Run(f.ctx, got[0].Run); r.IntegrationID != imp.ID || r.Trigger != TriggerSchedule {
		t.Errorf("the scheduled import's run %+v", r)
	}
	looked = false
	if err := os.Mkdir(filepath.Join(f.dir, "out"), 0o700); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Run(f.ctx, exp.ID, RunRequest{}, look(exp.ID, "exporting"))
	if err != nil || res.Run.Status != store.RunSucceeded || res.Run.Trigger != "" || res.Run.IntegrationID != exp.ID {
		t.Fatalf("export by hand: %+v %v", res.Run, err)
	}
	if !looked || during.LastRunID != res.Run.ID || during.LastResult != store.RunRunning {
		t.Errorf("while the export ran, the integration listed %+v", during)
	}
	// The source gone when the schedule runs: the fetch fails, and the failure is the schedule's run.
	if err := os.Rename(filepath.Join(f.dir, "district.zip"), filepath.Join(f.dir, "away.zip")); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Hour)
	got, err = f.svc.RunDue(f.ctx, f.now, func(Due) events.Reporter { return events.Discard })
	if err != nil || len(got) != 1 || got[0].Status != store.RunFailed {
		t.Fatalf("scheduled import without its source: %+v %v", got, err)
	}
	if r, _ := f.st.Run(f.ctx, got[0].Run); r.IntegrationID != imp.ID || r.Trigger != TriggerSchedule {
		t.Errorf("the failed scheduled import's run %+v", r)
	}
}

// A sync integration runs engine.Sync with its policy; its run is the integration's.
func TestASyncIntegrationSyncs(t *testing.T) {
	f := newFixture(t)
	imp := f.add(Request{Name: "Import", Type: "import", ConnectionID: f.sis.ID})
	if res, err := f.svc.Run(f.ctx, imp.ID, RunRequest{}, events.Discard); err != nil || res.Run.Status != store.RunSucceeded {
		t.Fatalf("import %+v %v", res.Run, err)
	}
	if err := os.Mkdir(filepath.Join(f.dir, "drop"), 0o700); err != nil {
		t.Fatal(err)
	}
	drop, err := f.st.AddConnection(f.ctx, store.Connection{Name: "Drop", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{"path": filepath.Join(f.dir, "drop")}})
	if err != nil {
		t.Fatal(err)
	}
	in := f.add(Request{Name: "Two-way", Type: "sync", ConnectionID: drop.ID, Conflict: "newest"})
	res, err := f.svc.Run(f.ctx, in.ID, RunRequest{}, events.Discard)
	if err != nil || res.Run.Direction != "sync" || res.Run.Status != store.RunSucceeded {
		t.Fatalf("sync %+v %v", res.Run, err)
	}
	if got, _ := f.svc.Get(f.ctx, in.ID); got.LastRunID != res.Run.ID || got.LastResult != store.RunSucceeded {
		t.Errorf("listed %+v", got)
	}
}
