package store

import (
	"context"
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
