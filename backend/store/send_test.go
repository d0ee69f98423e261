package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// An export's changes to what its target has reach the baseline only through Commit, which runs
// once the target has the file: one that ends without it (a failed or cancelled delivery) leaves the
// baseline as it was, however far it got.
func TestSendChangesTheBaselineOnlyWhenCommitted(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, err := st.AddConnection(ctx, Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": "out"}})
	if err != nil {
		t.Fatal(err)
	}
	user := func(id, family string) roster.Record {
		rec := roster.NewRecord(roster.Users)
		rec.Set("sourcedId", id)
		rec.Set("familyName", family)
		return rec
	}
	send := func(commit bool, change func(x *Send) error) {
		t.Helper()
		run, err := st.StartRun(ctx, Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: "export", Mode: "full", Operator: "pat"})
		if err != nil {
			t.Fatal(err)
		}
		x, err := st.BeginSend(ctx, c.ID, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Rollback()
		if err := change(x); err != nil {
			t.Fatal(err)
		}
		if err := x.EndRead(); err != nil { // the file is being delivered
			t.Fatal(err)
		}
		if commit {
			if err := x.Commit(slices.Values([]RunRecord{{Entity: "users", SourcedID: "u1", Action: "update", Status: "ok"}})); err != nil {
				t.Fatal(err)
			}
		}
	}
	baseline := func() map[string]int64 {
		t.Helper()
		x, err := st.BeginSend(ctx, c.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Rollback()
		sent, err := x.Sent(roster.Users)
		if err != nil {
			t.Fatal(err)
		}
		return sent
	}
	send(true, func(x *Send) error {
		if err := x.Put(user("u1", "Lopez"), 11); err != nil {
			return err
		}
		return x.Put(user("u2", "Okafor"), 22)
	})
	first := baseline()
	if len(first) != 2 || first["u1"] != 11 || first["u2"] != 22 {
		t.Fatalf("after a committed export: %v", first)
	}
	changes := func(x *Send) error {
		if err := x.Put(user("u1", "Lopez-Diaz"), 12); err != nil {
			return err
		}
		if err := x.Put(user("u3", "Reyes"), 33); err != nil {
			return err
		}
		return x.Gone(roster.Users, "u2")
	}
	send(false, changes)
	if got := baseline(); len(got) != 2 || got["u1"] != 11 || got["u2"] != 22 {
		t.Fatalf("an export whose delivery failed moved the baseline: %v", got)
	}
	send(true, changes)
	if got := baseline(); len(got) != 2 || got["u1"] != 12 || got["u3"] != 33 {
		t.Fatalf("after the export was delivered: %v", got)
	}
}

// An export deleting many records at its target takes a statement for many of them, not one or more
// each: the 512 records it finds gone come back in the order it found them, each as the roster has
// it (one the roster no longer has, with just its id) or with just its id, and with the run's log of
// them take fewer than 32 statements. One statement each to remember them and one to read each back
// took most of a delta export deleting half a district.
func TestAnExportsDeletionsTakeAStatementForManyOfThem(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	src, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	datedUsers(t, st, src, 520)
	tgt, _ := st.AddConnection(ctx, Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": "out"}})
	run, err := st.StartRun(ctx, Run{ConnectionID: tgt.ID, ConnectionName: tgt.Name, Direction: "export", Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	statements := countStatements(t, st)
	x, err := st.BeginSend(ctx, tgt.ID, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Rollback()
	before := statements.Load()
	var gone []string
	for i := range 512 {
		id := fmt.Sprintf("u%04d", i)
		if i%100 == 7 {
			id += "-left" // sent once, no longer in the roster
		}
		gone = append(gone, id)
		if err := x.Gone(roster.Users, id); err != nil {
			t.Fatal(err)
		}
	}
	var whole, ids []roster.Record
	if err := x.EachGone(roster.Users, true, func(rec roster.Record) error { whole = append(whole, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := x.EachGone(roster.Users, false, func(rec roster.Record) error { ids = append(ids, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(whole) != len(gone) || len(ids) != len(gone) {
		t.Fatalf("%d and %d records gone came back, want %d", len(whole), len(ids), len(gone))
	}
	var log []RunRecord
	for i, id := range gone {
		name, date := fmt.Sprintf("Name %d", i), fmt.Sprintf("2026-02-%02dT00:00:00.000Z", i%28+1)
		if i%100 == 7 {
			name, date = "", ""
		}
		if rec := whole[i]; rec.SourcedID() != id || rec.Get("givenName") != name || rec.DateLastModified() != date || rec.Get("familyName") != "" {
			t.Fatalf("gone record %d: %v, want %s as the roster has it (%q, %q)", i, rec.Values, id, name, date)
		}
		if rec := ids[i]; rec.SourcedID() != id || slices.ContainsFunc(rec.Values[1:], func(v string) bool { return v != "" }) {
			t.Fatalf("gone record %d without its values: %v, want just %s", i, rec.Values, id)
		}
		log = append(log, RunRecord{Entity: "users", SourcedID: id, Action: "delete", Status: "ok"})
	}
	if err := x.Commit(slices.Values(log)); err != nil {
		t.Fatal(err)
	}
	if n := statements.Load() - before; n >= 32 {
		t.Errorf("512 records gone, read back twice and logged took %d statements, want fewer than 32", n)
	} else {
		t.Logf("%d statements", n)
	}
	if kept, err := st.RunRecords(ctx, run.ID, 0, 1000); err != nil || len(kept) != 512 || kept[511].SourcedID != gone[511] {
		t.Fatalf("the export's log: %d records %v", len(kept), err)
	}
}
