package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// syncFixture is a roster fed by the SIS (a ZIP) and a OneRoster CSV folder "Vendor" that is both
// source and target, synced two ways. The SIS changes the workspace's side; tests edit the folder's
// files for the vendor's side.
type syncFixture struct {
	*fixture
	vendor store.Connection
	dir    string
	sis    map[string]string // the SIS's files as last imported
}

func newSyncFixture(t *testing.T) *syncFixture {
	t.Helper()
	f := &syncFixture{fixture: newFixture(t, district()), dir: filepath.Join(t.TempDir(), "vendor"), sis: district()}
	f.importFiles(f.sis)
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var err error
	f.vendor, err = f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "both",
		Settings: map[string]string{"path": f.dir}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sync runs a sync with the hold overridden (the tiny district trips it on any deletion; holds have
// tests of their own).
func (f *syncFixture) sync(policy string) store.Run {
	f.t.Helper()
	run, _, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{Policy: policy, OverrideHold: true}, events.Discard)
	if err != nil {
		f.t.Fatal(err)
	}
	if run.Status != store.RunSucceeded {
		f.t.Fatalf("sync %s: %s", run.Status, run.Message)
	}
	return run
}

// editSIS changes the SIS's file and imports it.
func (f *syncFixture) editSIS(file string, edit func(string) string) {
	f.t.Helper()
	f.sis[file] = changed(f.t, f.sis[file], edit)
	f.importFiles(f.sis)
}

// editVendor changes a file of the vendor's folder.
func (f *syncFixture) editVendor(file string, edit func(string) string) {
	f.t.Helper()
	path := filepath.Join(f.dir, file)
	raw, err := os.ReadFile(path)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(changed(f.t, string(raw), edit)), 0o644); err != nil {
		f.t.Fatal(err)
	}
	// Linux dates a write by a coarse clock, some milliseconds behind: a file written just after an
	// import could read as older than it. Dated now, a millisecond on, it is later, as the policy
	// newest must see it.
	time.Sleep(2 * time.Millisecond)
	now := time.Now()
	if err := os.Chtimes(path, now, now); err != nil {
		f.t.Fatal(err)
	}
}

func changed(t *testing.T, text string, edit func(string) string) string {
	t.Helper()
	out := edit(text)
	if out == text {
		t.Fatalf("the edit changed nothing in:\n%s", text)
	}
	return out
}

func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

// dropLine removes the line starting with prefix.
func dropLine(prefix string) func(string) string {
	return func(s string) string {
		lines := strings.SplitAfter(s, "\n")
		out := lines[:0]
		for _, l := range lines {
			if !strings.HasPrefix(l, prefix) {
				out = append(out, l)
			}
		}
		return strings.Join(out, "")
	}
}

func appendLine(line string) func(string) string {
	return func(s string) string { return s + line + "\n" }
}

// absent stands for a record a side does not hold (deleted or never there).
const absent = "(absent)"

// rosterValue is a field of a live roster record, or absent.
func (f *syncFixture) rosterValue(ent roster.Entity, id, field string) string {
	f.t.Helper()
	var status, v string
	err := f.st.DB().QueryRow(`SELECT COALESCE(status, ''), COALESCE("`+field+`", '') FROM roster_`+string(ent)+` WHERE "sourcedId" = ?`, id).Scan(&status, &v)
	if err != nil || status == string(roster.StatusToBeDeleted) {
		return absent
	}
	return v
}

// vendorValue is a field of a record in the vendor's folder, or absent.
func (f *syncFixture) vendorValue(ent roster.Entity, id, field string) string {
	f.t.Helper()
	pkg, err := oneroster.Open(f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	defer pkg.Close()
	v := absent
	if _, err := pkg.Read(context.Background(), func(rec roster.Record) error {
		if rec.Entity == ent && rec.SourcedID() == id {
			v = rec.Get(field)
		}
		return nil
	}, nil); err != nil {
		f.t.Fatal(err)
	}
	return v
}

// baseValue is a field of the baseline, or absent.
func (f *syncFixture) baseValue(ent roster.Entity, id, field string) string {
	f.t.Helper()
	r, err := f.st.BaselineRecord(context.Background(), f.vendor.ID, ent, id)
	if errors.Is(err, store.ErrNotFound) {
		return absent
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return roster.Record{Entity: ent, Values: r.Values.V}.Get(field)
}

func (f *syncFixture) runRecords(run store.Run) []store.RunRecord {
	f.t.Helper()
	recs, err := f.st.RunRecords(context.Background(), run.ID, 0, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	return recs
}

func logged(recs []store.RunRecord, action, status, id, field string) bool {
	for _, r := range recs {
		if r.Action == action && r.Status == status && r.SourcedID == id && r.Field == field {
			return true
		}
	}
	return false
}

const (
	u3User = "u3,,,true,cy,,Cy,Diaz,,1003,cy@example.org,,,,03,,,,,,s1,"
	u9User = "u9,,,true,zed,,Zed,Young,,1009,zed@example.org,,,,03,,,,,,s1,"
)

// TestSyncMatrix runs each kind of change, on the workspace's side (through the SIS), on the
// vendor's side (its files) or on both, under each conflict policy, and checks both sides, the
// baseline and the run's outcomes after the sync.
func TestSyncMatrix(t *testing.T) {
	t.Parallel() // slow and self-contained: it overlaps the package's other slow tests
	type want struct{ roster, vendor, base string }
	cases := []struct {
		name       string
		id, field  string // the user the case looks at
		workspace  func(f *syncFixture)
		external   func(f *syncFixture)
		per        map[string]want // by policy; "" for every policy
		conflict   bool            // a conflict is logged (resolved, or waiting under ask)
		conflictOn string          // its field
	}{
		{name: "workspace creates", id: "u3", field: "givenName",
			workspace: func(f *syncFixture) {
				f.sis["users.csv"] += u3User + "\n"
				f.sis["roles.csv"] += "r4,,,u3,primary,student,,,s1,\n"
				f.importFiles(f.sis)
			},
			per: map[string]want{"": {"Cy", "Cy", "Cy"}}},
		{name: "workspace updates", id: "u1", field: "givenName",
			workspace: func(f *syncFixture) { f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,")) },
			per:       map[string]want{"": {"Anna", "Anna", "Anna"}}},
		{name: "workspace deletes", id: "u2", field: "givenName",
			workspace: func(f *syncFixture) {
				f.sis["users.csv"] = dropLine("u2,")(f.sis["users.csv"])
				f.sis["roles.csv"] = dropLine("r2,")(f.sis["roles.csv"])
				f.sis["enrollments.csv"] = dropLine("e2,")(f.sis["enrollments.csv"])
				f.importFiles(f.sis)
			},
			per: map[string]want{"": {absent, absent, absent}}},
		{name: "vendor creates", id: "u9", field: "givenName",
			external: func(f *syncFixture) {
				f.editVendor("users.csv", appendLine(u9User))
				f.editVendor("roles.csv", appendLine("r9,,,u9,primary,student,,,s1,"))
			},
			per: map[string]want{"": {"Zed", "Zed", "Zed"}}},
		{name: "vendor updates", id: "u1", field: "givenName",
			external: func(f *syncFixture) { f.editVendor("users.csv", replace(",Ana,Lopez,", ",Anita,Lopez,")) },
			per:      map[string]want{"": {"Anita", "Anita", "Anita"}}},
		{name: "vendor deletes", id: "u2", field: "givenName",
			external: func(f *syncFixture) {
				f.editVendor("users.csv", dropLine("u2,"))
				f.editVendor("roles.csv", dropLine("r2,"))
				f.editVendor("enrollments.csv", dropLine("e2,"))
			},
			per: map[string]want{"": {absent, absent, absent}}},
		{name: "both update to different values", id: "u1", field: "givenName", conflict: true, conflictOn: "givenName",
			workspace: func(f *syncFixture) { f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,")) },
			external:  func(f *syncFixture) { f.editVendor("users.csv", replace(",Ana,Lopez,", ",Anita,Lopez,")) },
			per: map[string]want{
				PolicyWorkspace: {"Anna", "Anna", "Anna"},
				PolicyExternal:  {"Anita", "Anita", "Anita"},
				PolicyNewest:    {"Anita", "Anita", "Anita"}, // the vendor's file was written after the SIS import
				PolicyAsk:       {"Anna", "Anita", "Ana"},    // each keeps its own; the baseline waits
			}},
		{name: "both update, the workspace later", id: "u1", field: "givenName", conflict: true, conflictOn: "givenName",
			external: func(f *syncFixture) {
				f.editVendor("users.csv", replace(",Ana,Lopez,", ",Anita,Lopez,"))
				f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,"))
			},
			per: map[string]want{
				PolicyWorkspace: {"Anna", "Anna", "Anna"},
				PolicyExternal:  {"Anita", "Anita", "Anita"},
				PolicyNewest:    {"Anna", "Anna", "Anna"},
				PolicyAsk:       {"Anna", "Anita", "Ana"},
			}},
		{name: "both update to the same value", id: "u1", field: "givenName",
			workspace: func(f *syncFixture) { f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,")) },
			external:  func(f *syncFixture) { f.editVendor("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,")) },
			per:       map[string]want{"": {"Anna", "Anna", "Anna"}}},
		{name: "both update different fields", id: "u1", field: "familyName",
			workspace: func(f *syncFixture) { f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,")) },
			external:  func(f *syncFixture) { f.editVendor("users.csv", replace(",Ana,Lopez,", ",Ana,Lopes,")) },
			per:       map[string]want{"": {"Lopes", "Lopes", "Lopes"}}},
		{name: "workspace deletes what the vendor updates", id: "u2", field: "givenName", conflict: true,
			workspace: func(f *syncFixture) {
				f.sis["users.csv"] = dropLine("u2,")(f.sis["users.csv"])
				f.importFiles(f.sis)
			},
			external: func(f *syncFixture) { f.editVendor("users.csv", replace(",Ben,Okafor,", ",Benji,Okafor,")) },
			per: map[string]want{
				PolicyWorkspace: {absent, absent, absent},
				PolicyExternal:  {"Benji", "Benji", "Benji"},
				PolicyNewest:    {"Benji", "Benji", "Benji"}, // the vendor's file was written after the deletion
				PolicyAsk:       {absent, "Benji", "Ben"},
			}},
		{name: "vendor deletes what the workspace updates", id: "u2", field: "givenName", conflict: true,
			workspace: func(f *syncFixture) { f.editSIS("users.csv", replace(",Ben,Okafor,", ",Benjamin,Okafor,")) },
			external:  func(f *syncFixture) { f.editVendor("users.csv", dropLine("u2,")) },
			per: map[string]want{
				PolicyWorkspace: {"Benjamin", "Benjamin", "Benjamin"},
				PolicyExternal:  {absent, absent, absent},
				PolicyNewest:    {"Benjamin", "Benjamin", "Benjamin"}, // a deletion in a file has no date: the change wins
				PolicyAsk:       {"Benjamin", absent, "Ben"},
			}},
	}
	for _, c := range cases {
		for _, policy := range []string{PolicyWorkspace, PolicyExternal, PolicyNewest, PolicyAsk} {
			t.Run(c.name+"/"+policy, func(t *testing.T) {
				f := newSyncFixture(t)
				f.sync(policy) // the vendor's empty folder is filled: the baseline
				if c.workspace != nil {
					c.workspace(f)
				}
				if c.external != nil {
					c.external(f)
				}
				run := f.sync(policy)
				w, ok := c.per[policy]
				if !ok {
					w = c.per[""]
				}
				got := want{f.rosterValue(roster.Users, c.id, c.field), f.vendorValue(roster.Users, c.id, c.field), f.baseValue(roster.Users, c.id, c.field)}
				if got != w {
					t.Errorf("roster, vendor, baseline = %q, want %q", got, w)
				}
				recs := f.runRecords(run)
				status := "ok"
				if policy == PolicyAsk {
					status = "skipped"
				}
				if found := logged(recs, ActionConflict, status, c.id, c.conflictOn); found != c.conflict {
					t.Errorf("conflict logged = %v, want %v: %+v", found, c.conflict, recs)
				}
				waiting, err := f.st.SyncConflicts(context.Background(), f.vendor.ID)
				if err != nil {
					t.Fatal(err)
				}
				if wantWaiting := c.conflict && policy == PolicyAsk; (len(waiting) == 1) != wantWaiting || len(waiting) > 1 {
					t.Errorf("waiting conflicts = %+v", waiting)
				}
			})
		}
	}
}

func TestSyncAskWaitsThenAppliesTheChoiceAtTheNextSync(t *testing.T) {
	f := newSyncFixture(t)
	f.sync(PolicyAsk)
	f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,"))
	f.editVendor("users.csv", replace(",Ana,Lopez,", ",Anita,Lopez,"))
	f.sync(PolicyAsk)
	again := f.sync(PolicyAsk) // unresolved, it waits again and changes nothing
	if !logged(f.runRecords(again), ActionConflict, "skipped", "u1", "givenName") {
		t.Fatal("an unresolved conflict was not listed again")
	}
	// As data: the roster's value before, the connection's after, the code saying it waits.
	if !slices.Contains(f.runRecords(again), store.RunRecord{Entity: "users", SourcedID: "u1", Action: ActionConflict, Status: "skipped", Field: "givenName",
		Reason: outcome.ConflictWaiting, Before: "Anna", After: "Anita"}) {
		t.Fatalf("the waiting conflict's data: %+v", f.runRecords(again))
	}
	waiting, _ := f.st.SyncConflicts(context.Background(), f.vendor.ID)
	if len(waiting) != 1 || waiting[0].Workspace != "Anna" || waiting[0].External != "Anita" || waiting[0].Baseline != "Ana" {
		t.Fatalf("waiting = %+v", waiting)
	}
	if err := f.eng.ResolveConflict(context.Background(), f.vendor.ID, "users", "u1", "familyName", store.SideExternal); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("resolving a field not in conflict: %v", err)
	}
	if err := f.eng.ResolveConflict(context.Background(), f.vendor.ID, "users", "u1", "givenName", store.SideExternal); err != nil {
		t.Fatal(err)
	}
	if got := f.rosterValue(roster.Users, "u1", "givenName"); got != "Anna" {
		t.Fatalf("a choice changed the roster before the next sync: %q", got)
	}
	run := f.sync(PolicyAsk)
	if r, v, b := f.rosterValue(roster.Users, "u1", "givenName"), f.vendorValue(roster.Users, "u1", "givenName"), f.baseValue(roster.Users, "u1", "givenName"); r != "Anita" || v != "Anita" || b != "Anita" {
		t.Fatalf("after the choice: roster %q, vendor %q, baseline %q", r, v, b)
	}
	if !logged(f.runRecords(run), ActionConflict, "ok", "u1", "givenName") {
		t.Fatalf("the run does not say how the conflict was resolved: %+v", f.runRecords(run))
	}
	// The code says the connection's value was kept by a registrar's choice; Message names who chose.
	if !slices.ContainsFunc(f.runRecords(run), func(r store.RunRecord) bool {
		return r.Field == "givenName" && r.Reason == outcome.ConflictChoseExternal && r.Before == "Anna" && r.After == "Anita" && r.Message != ""
	}) {
		t.Fatalf("the resolved conflict's data: %+v", f.runRecords(run))
	}
	if waiting, _ := f.st.SyncConflicts(context.Background(), f.vendor.ID); len(waiting) != 0 {
		t.Fatalf("still open: %+v", waiting)
	}
}

func TestFirstSyncWithDataOnBothSidesAsksForTheStartingTruth(t *testing.T) {
	vendorFiles := func(f *syncFixture) {
		for name, text := range district() {
			if name == "users.csv" {
				text = strings.Replace(text, ",Ana,Lopez,", ",Anita,Lopez,", 1)
				text += u9User + "\n"
			}
			if err := os.WriteFile(filepath.Join(f.dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	f := newSyncFixture(t)
	vendorFiles(f)
	_, _, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{OverrideHold: true}, events.Discard)
	if e := apperr.From(err); e.Code != apperr.CodeInvalid || fmt.Sprint(e.Details) != "map[needs:initial]" || !strings.Contains(e.Message, "--initial workspace") || !strings.Contains(e.Message, "--initial external") {
		t.Fatalf("first sync without a starting truth: %v", err)
	}
	if runs, _ := f.st.Runs(context.Background(), f.vendor.ID, 10); len(runs) != 1 || runs[0].Status != store.RunFailed {
		t.Fatalf("the refused sync is not recorded as failed: %+v", runs)
	}
	if v := f.vendorValue(roster.Users, "u1", "givenName"); v != "Anita" {
		t.Fatalf("the refused sync changed the vendor: %q", v)
	}

	for _, initial := range []string{store.SideWorkspace, store.SideExternal} {
		t.Run(initial, func(t *testing.T) {
			f := newSyncFixture(t)
			vendorFiles(f)
			run, _, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{Initial: initial, OverrideHold: true}, events.Discard)
			if err != nil || run.Status != store.RunSucceeded {
				t.Fatalf("%v %+v", err, run)
			}
			want, u9 := "Ana", absent // the vendor gets the roster's selection
			if initial == store.SideExternal {
				want, u9 = "Anita", "Zed" // the roster takes the vendor's data
			}
			if r, v, b := f.rosterValue(roster.Users, "u1", "givenName"), f.vendorValue(roster.Users, "u1", "givenName"), f.baseValue(roster.Users, "u1", "givenName"); r != want || v != want || b != want {
				t.Errorf("u1: roster %q, vendor %q, baseline %q; want %q", r, v, b, want)
			}
			if r, v := f.rosterValue(roster.Users, "u9", "givenName"), f.vendorValue(roster.Users, "u9", "givenName"); r != u9 || v != u9 {
				t.Errorf("u9: roster %q, vendor %q; want %q", r, v, u9)
			}
		})
	}
}

func TestFirstSyncFillsAMissingZipWithoutAsking(t *testing.T) {
	f := newSyncFixture(t)
	zip := filepath.Join(t.TempDir(), "vendor.zip")
	c, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor ZIP", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	run, _, err := f.eng.Sync(context.Background(), c.ID, SyncOptions{}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%v %+v", err, run)
	}
	pkg, err := oneroster.Open(zip)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	users := 0
	pkg.Read(context.Background(), func(rec roster.Record) error {
		if rec.Entity == roster.Users {
			users++
		}
		return nil
	}, nil)
	if users != 3 {
		t.Fatalf("the ZIP has %d users, want the roster's 3", users)
	}
	if c := run.Counts["users"]; c.Created != 0 || c.Unchanged != 3 {
		t.Fatalf("roster counts = %+v", c)
	}
}

// A folder that is not there yet is filled like a missing ZIP, created on the way; once a sync has
// run, a folder gone (a drive not mounted) fails the sync, as it fails a fetch, rather than reading
// as a side whose records were all deleted.
func TestFirstSyncCreatesAndFillsAMissingFolder(t *testing.T) {
	f := newSyncFixture(t)
	f.dir = filepath.Join(t.TempDir(), "sync")
	var err error
	f.vendor, err = f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor folder", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{"path": f.dir}})
	if err != nil {
		t.Fatal(err)
	}
	run := f.sync(PolicyWorkspace)
	if c := run.Counts["users"]; c.Created != 0 || c.Unchanged != 3 {
		t.Fatalf("roster counts = %+v", c)
	}
	if got, want := f.vendorValue(roster.Users, "u1", "givenName"), f.rosterValue(roster.Users, "u1", "givenName"); got != want || got == absent {
		t.Fatalf("the new folder's u1 givenName = %q, want the roster's %q", got, want)
	}
	if err := os.RemoveAll(f.dir); err != nil {
		t.Fatal(err)
	}
	for what, do := range map[string]func() error{
		"sync": func() error {
			_, _, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{OverrideHold: true}, events.Discard)
			return err
		},
		"fetch": func() error { _, err := f.eng.Fetch(context.Background(), f.vendor.ID, events.Discard); return err },
	} {
		if err := do(); err == nil || !strings.Contains(err.Error(), "cannot open "+f.dir) {
			t.Errorf("%s of a folder gone: %v", what, err)
		}
	}
	if f.rosterValue(roster.Users, "u1", "givenName") == absent {
		t.Fatal("a folder gone took the roster's records for deleted")
	}
}

// A first sync into a folder or ZIP whose folder above is missing (a network drive not connected, a
// USB stick not plugged in) creates nothing: it names the missing folder and says what to do.
func TestFirstSyncIntoAPlaceWhoseFolderIsMissingCreatesNothing(t *testing.T) {
	for _, place := range []string{"sync", "vendor.zip"} {
		t.Run(place, func(t *testing.T) {
			f := newSyncFixture(t)
			drive := filepath.Join(t.TempDir(), "drive")
			path := filepath.Join(drive, place)
			c, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor drive", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{"path": path}})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = f.eng.Sync(context.Background(), c.ID, SyncOptions{}, events.Discard)
			if err == nil || !strings.Contains(err.Error(), "The folder "+drive+",") || !strings.Contains(err.Error(), "connect it") || !strings.Contains(err.Error(), "fix the connection's path") {
				t.Fatalf("sync into %s: %v", path, err)
			}
			if _, err := os.Stat(drive); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the sync created %s: %v", drive, err)
			}
			if empty, _ := f.st.BaselineEmpty(context.Background(), c.ID); !empty {
				t.Fatal("the refused sync stored a baseline")
			}
		})
	}
}

func TestSyncHoldsInEachDirection(t *testing.T) {
	t.Run("roster", func(t *testing.T) {
		f := newSyncFixture(t)
		f.sync(PolicyWorkspace)
		f.editVendor("users.csv", dropLine("u2,"))
		f.editVendor("roles.csv", dropLine("r2,"))
		f.editVendor("enrollments.csv", dropLine("e2,"))
		_, plan, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{PlanOnly: true, OverrideHold: true}, events.Discard)
		if err != nil || !strings.Contains(plan.Hold, "in the roster") {
			t.Fatalf("a plan does not say the sync would be held: %v %+v", err, plan)
		}
		run, _, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{}, events.Discard)
		if err != nil || run.Status != store.RunHeld || !strings.Contains(run.Message, "in the roster") {
			t.Fatalf("%v %+v", err, run)
		}
		if f.rosterValue(roster.Users, "u2", "givenName") != "Ben" || f.baseValue(roster.Users, "u2", "givenName") != "Ben" {
			t.Fatal("a held sync changed the roster or the baseline")
		}
	})
	t.Run("vendor", func(t *testing.T) {
		f := newSyncFixture(t)
		f.sync(PolicyWorkspace)
		f.sis["users.csv"] = dropLine("u2,")(f.sis["users.csv"])
		f.importFiles(f.sis)
		before, _ := os.ReadFile(filepath.Join(f.dir, "users.csv"))
		run, _, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{}, events.Discard)
		if err != nil || run.Status != store.RunHeld || !strings.Contains(run.Message, "in the Vendor data") {
			t.Fatalf("%v %+v", err, run)
		}
		if after, _ := os.ReadFile(filepath.Join(f.dir, "users.csv")); string(after) != string(before) {
			t.Fatal("a held sync wrote the vendor's files")
		}
	})
}

// changedOnBothSides is a fixture synced once, then with u1 renamed in the SIS and u2 in the vendor's files.
func changedOnBothSides(t *testing.T) *syncFixture {
	f := newSyncFixture(t)
	f.sync(PolicyWorkspace)
	f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,"))
	f.editVendor("users.csv", replace(",Ben,Okafor,", ",Benji,Okafor,"))
	return f
}

func TestSyncPlanChangesNothing(t *testing.T) {
	f := changedOnBothSides(t)
	before := dirState(t, f.dir)
	runs, _ := f.st.Runs(context.Background(), f.vendor.ID, 10)
	_, plan, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{PlanOnly: true}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c := plan.Counts["users"]; c.Updated != 1 || plan.Direction != "sync" {
		t.Fatalf("plan = %+v", plan)
	}
	if !logged(plan.Records, ActionUpdate, "ok", "u1", "givenName") || !logged(plan.Records, ActionUpdate, "ok", "u2", "givenName") {
		t.Fatalf("the plan does not list both sides' updates: %+v", plan.Records)
	}
	if after := dirState(t, f.dir); after != before {
		t.Fatal("a plan wrote the vendor's files")
	}
	if f.rosterValue(roster.Users, "u2", "givenName") != "Ben" || f.baseValue(roster.Users, "u1", "givenName") != "Ana" {
		t.Fatal("a plan changed the roster or the baseline")
	}
	if after, _ := f.st.Runs(context.Background(), f.vendor.ID, 10); len(after) != len(runs) {
		t.Fatal("a plan recorded a run")
	}
}

func TestSecondSyncWithoutChangesWritesNothing(t *testing.T) {
	f := newSyncFixture(t)
	f.sync(PolicyWorkspace)
	f.editVendor("users.csv", replace(",Ben,Okafor,", ",Benji,Okafor,"))
	f.sync(PolicyWorkspace)
	files := dirState(t, f.dir)
	run := f.sync(PolicyWorkspace)
	if after := dirState(t, f.dir); after != files {
		t.Fatalf("an unchanged sync rewrote the vendor's files:\n%s\n%s", files, after)
	}
	for ent, c := range run.Counts {
		if c.Created+c.Updated+c.Deleted > 0 {
			t.Fatalf("%s: %+v", ent, c)
		}
	}
	if recs := f.runRecords(run); len(recs) != 0 {
		t.Fatalf("outcomes of an unchanged sync: %+v", recs)
	}
	var changed int
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM origins WHERE created_run = ? OR created_run = ?`, run.ID, -run.ID).Scan(&changed)
	if changed != 0 {
		t.Fatalf("an unchanged sync wrote %d origins", changed)
	}
}

func TestCancelledSyncChangesNothing(t *testing.T) {
	f := changedOnBothSides(t)
	before := dirState(t, f.dir)
	ctx, cancel := context.WithCancel(context.Background())
	run, _, err := f.eng.Sync(ctx, f.vendor.ID, SyncOptions{OverrideHold: true}, events.ReporterFunc(func(events.Progress) { cancel() }))
	if !errors.Is(err, context.Canceled) || run.Status != store.RunCancelled {
		t.Fatalf("%v %+v", err, run)
	}
	if dirState(t, f.dir) != before || f.rosterValue(roster.Users, "u2", "givenName") != "Ben" || f.baseValue(roster.Users, "u1", "givenName") != "Ana" {
		t.Fatal("a cancelled sync changed something")
	}
}

func TestSyncNeedsAConnectionThatIsBoth(t *testing.T) {
	f := newSyncFixture(t)
	_, _, err := f.eng.Sync(context.Background(), f.conn.ID, SyncOptions{}, events.Discard)
	if e := apperr.From(err); e.Code != apperr.CodeInvalid || !strings.Contains(e.Message, "role both") {
		t.Fatalf("%v", err)
	}
	_, _, err = f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{Policy: "loudest"}, events.Discard)
	if e := apperr.From(err); e.Code != apperr.CodeInvalid || !strings.Contains(e.Message, "workspace, external, newest or ask") {
		t.Fatalf("%v", err)
	}
}

// dirState is every file of dir with its modification time and content: a file written again, even
// with the same bytes, shows.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		info, _ := e.Info()
		raw, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b.WriteString(e.Name() + " " + info.ModTime().String() + "\n" + string(raw) + "\n")
	}
	return b.String()
}

func TestSyncOfSomeEntityTasksLeavesTheOthersOnBothSides(t *testing.T) {
	f := changedOnBothSides(t) // users: u1 renamed in the SIS, u2 in the vendor's files
	f.editSIS("classes.csv", replace(",M3A,", ",M3X,"))
	f.editVendor("classes.csv", replace(",Math 3A,", ",Math 3B,"))
	run, _, err := f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{Entities: []string{"classes"}, OverrideHold: true}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%v %+v", err, run)
	}
	for _, c := range []struct{ field, want string }{{"classCode", "M3X"}, {"title", "Math 3B"}} {
		if r, v := f.rosterValue(roster.Classes, "k1", c.field), f.vendorValue(roster.Classes, "k1", c.field); r != c.want || v != c.want {
			t.Errorf("class %s: roster %q, vendor %q; want %q", c.field, r, v, c.want)
		}
	}
	// The vendor's file was rewritten for the class; the users it holds stay as they were.
	if r, v, b := f.rosterValue(roster.Users, "u1", "givenName"), f.vendorValue(roster.Users, "u1", "givenName"), f.baseValue(roster.Users, "u1", "givenName"); r != "Anna" || v != "Ana" || b != "Ana" {
		t.Errorf("u1: roster %q, vendor %q, baseline %q", r, v, b)
	}
	if r, v := f.rosterValue(roster.Users, "u2", "givenName"), f.vendorValue(roster.Users, "u2", "givenName"); r != "Ben" || v != "Benji" {
		t.Errorf("u2: roster %q, vendor %q", r, v)
	}
	f.sync(PolicyWorkspace) // every task: the users' changes flow now
	if r, v := f.rosterValue(roster.Users, "u2", "givenName"), f.vendorValue(roster.Users, "u1", "givenName"); r != "Benji" || v != "Anna" {
		t.Errorf("after a sync of everything: roster u2 %q, vendor u1 %q", r, v)
	}
}

func TestSyncOfAnIntegrationIsRecordedAsItsRunWhileItRuns(t *testing.T) {
	f := newSyncFixture(t)
	in, err := f.st.AddIntegration(context.Background(), store.Integration{Name: "Vendor sync", Type: store.IntegrationSync, ConnectionID: f.vendor.ID, Schedule: "manual", Conflict: PolicyWorkspace, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	var during int64
	_, _, err = f.eng.Sync(context.Background(), f.vendor.ID, SyncOptions{IntegrationID: in.ID}, events.ReporterFunc(func(events.Progress) {
		if during == 0 {
			f.st.DB().QueryRow(`SELECT COUNT(*) FROM runs WHERE integration_id = ? AND status = 'running'`, in.ID).Scan(&during)
		}
	}))
	if err != nil || during != 1 {
		t.Fatalf("%v; running runs of the integration: %d", err, during)
	}
}

func TestAChangeFromTheConnectionStandsUntilASourceSendsANewVersion(t *testing.T) {
	f := newSyncFixture(t)
	f.sync(PolicyWorkspace)
	f.editVendor("users.csv", replace(",Ana,Lopez,", ",Anita,Lopez,"))
	f.editVendor("users.csv", dropLine("u2,"))
	f.sync(PolicyWorkspace)
	f.importFiles(f.sis) // the SIS sends the same records again
	if r, u2 := f.rosterValue(roster.Users, "u1", "givenName"), f.rosterValue(roster.Users, "u2", "givenName"); r != "Anita" || u2 != absent {
		t.Fatalf("an unchanged import undid the vendor's changes: u1 %q, u2 %q", r, u2)
	}
	if run := f.sync(PolicyWorkspace); run.Counts["users"].Updated+run.Counts["users"].Created != 0 {
		t.Fatalf("%+v", run.Counts["users"])
	}
	f.editSIS("users.csv", replace(",Lopez,", ",Lopez-Diaz,")) // a new version of u1 from the SIS
	f.sync(PolicyWorkspace)
	if r, v := f.rosterValue(roster.Users, "u1", "familyName"), f.vendorValue(roster.Users, "u1", "givenName"); r != "Lopez-Diaz" || v != "Ana" {
		t.Fatalf("the SIS's new version: roster familyName %q, vendor givenName %q", r, v)
	}
}

func TestSyncWithAOneRoster11FolderSettlesAfterTheFirstSync(t *testing.T) {
	f := newSyncFixture(t)
	f.vendor.Settings["version"] = "1.1"
	if err := f.st.UpdateSettings(context.Background(), f.vendor.ID, f.vendor.Settings); err != nil {
		t.Fatal(err)
	}
	f.editSIS("users.csv", replace("ana@example.org,,,,03,,,,,,s1,", "ana@example.org,,,,03,,,,,,s1,she/her")) // pronouns: not in 1.1
	f.sync(PolicyWorkspace)
	if _, err := os.Stat(filepath.Join(f.dir, "roles.csv")); !os.IsNotExist(err) {
		t.Fatalf("a 1.1 folder got a roles file: %v", err)
	}
	run := f.sync(PolicyWorkspace)
	for ent, c := range run.Counts {
		if c.Created+c.Updated+c.Deleted > 0 {
			t.Errorf("%s: %+v", ent, c)
		}
	}
	if !strings.Contains(run.Message, "Vendor: 0 created, 0 updated, 0 deleted") {
		t.Errorf("message: %s", run.Message)
	}
	f.editVendor("users.csv", replace(",s1,student,ana,", ",s1,teacher,ana,")) // u1's role, on the user row in 1.1
	f.sync(PolicyWorkspace)
	if r, p := f.rosterValue(roster.Roles, "r1", "role"), f.rosterValue(roster.Users, "u1", "pronouns"); r != "teacher" || p != "she/her" {
		t.Errorf("after the vendor changed u1's role: role r1 %q, pronouns %q", r, p)
	}
}

func TestSyncRoundTripsExtensionColumnsSomeRecordsLeaveBlank(t *testing.T) {
	f := newSyncFixture(t)
	f.editSIS("users.csv", func(s string) string {
		lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
		lines[0] += ",metadata.house"
		for i := 1; i < len(lines); i++ {
			lines[i] += ","
		}
		lines[1] += "Oak"
		return strings.Join(lines, "\n") + "\n"
	})
	f.sync(PolicyWorkspace)
	run := f.sync(PolicyWorkspace)
	if c := run.Counts["users"]; c.Created+c.Updated+c.Deleted > 0 || !strings.Contains(run.Message, "Vendor: 0 created, 0 updated") {
		t.Fatalf("a second sync changed users: %+v %s", c, run.Message)
	}
	if raw, _ := os.ReadFile(filepath.Join(f.dir, "users.csv")); !strings.Contains(string(raw), "metadata.house") || !strings.Contains(string(raw), "Oak") {
		t.Fatalf("the vendor's users.csv lacks the extension column:\n%s", raw)
	}
}
