package store

import (
	"context"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Origins read ahead are what the transaction would read; an entity asked for passes over those
// before it (read in the transaction if asked for later), and a run that stops early does not wait.
func TestOriginsReadAhead(t *testing.T) {
	st := openTemp(t)
	c, err := st.AddConnection(context.Background(), Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := beginImport(t, st, c)
	held := map[roster.Entity]int{roster.Orgs: 1, roster.Users: 2, roster.Enrollments: 3}
	for ent, n := range held {
		for i := range n {
			rec := roster.NewRecord(ent)
			rec.Values[0] = string(ent) + string(rune('a'+i))
			if err := tx.Upsert(rec, "", int64(i+1)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	tx, _ = beginImport(t, st, c)
	if err := tx.Prefetch([]roster.Entity{roster.Orgs, roster.Users, roster.Classes, roster.Enrollments}); err != nil {
		t.Fatal(err)
	}
	for _, ent := range []roster.Entity{roster.Enrollments, roster.Users, roster.Enrollments} {
		o, err := tx.Origins(ent)
		if err != nil || o.Len() != held[ent] {
			t.Fatalf("%s: %d origins (%v), want %d", ent, o.Len(), err, held[ent])
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	tx, _ = beginImport(t, st, c)
	if err := tx.Prefetch(roster.Entities); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error)
	go func() { stopped <- tx.Rollback() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the rollback waits for the origins read ahead that nobody takes")
	}
}
