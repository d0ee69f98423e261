package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Deletions are queued and written batchRows at a time, yet a run reads and writes as if each were
// written at once: 600 users marked tobedeleted (two full batches and some left over) keep their
// own dates and their origins turn 0; a record deleted and then read (Current), sent again (Upsert)
// or deleted again in the same run sees the deletion before it, and a deletion after an upsert of
// the same record wins.
func TestQueuedDeletionsKeepTheirOrder(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	user := func(i int) roster.Record {
		rec := roster.NewRecord(roster.Users)
		rec.Set("sourcedId", fmt.Sprintf("u%04d", i))
		rec.Set("givenName", fmt.Sprintf("Name %d", i))
		return rec
	}
	const n = 620
	tx, _ := beginImport(t, st, c)
	for i := range n {
		if err := tx.Upsert(user(i), "", int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	tx, _ = beginImport(t, st, c)
	for i := range 600 {
		id := fmt.Sprintf("u%04d", i)
		if err := tx.MarkDeleted(roster.Users, id, id, fmt.Sprintf("2026-01-01T00:00:%02d.000Z", i%60), func(string) {}); err != nil {
			t.Fatal(err)
		}
	}
	// Read back at once, in the same run.
	if rec, err := tx.Current(roster.Users, "u0599"); err != nil || rec.Status() != roster.StatusToBeDeleted {
		t.Fatalf("u0599 read after its deletion: %q %v", rec.Status(), err)
	}
	// Sent again after its deletion: active again.
	if err := tx.MarkDeleted(roster.Users, "u0605", "u0605", "2026-01-02T00:00:00.000Z", func(string) {}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Upsert(user(605), "", 7); err != nil {
		t.Fatal(err)
	}
	// Changed, then deleted: deleted.
	if err := tx.Upsert(user(610), "", 8); err != nil {
		t.Fatal(err)
	}
	if err := tx.MarkDeleted(roster.Users, "u0610", "u0610", "2026-01-03T00:00:00.000Z", func(string) {}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	status := func(id string) (s, date string, hash int64) {
		t.Helper()
		if err := st.db.QueryRow(`SELECT u.status, COALESCE(u."dateLastModified", ''), o.hash FROM roster_users u JOIN origins o ON o.source_id = u."sourcedId"
			WHERE u."sourcedId" = ?`, id).Scan(&s, &date, &hash); err != nil {
			t.Fatal(err)
		}
		return
	}
	for i := range 600 {
		id := fmt.Sprintf("u%04d", i)
		if s, date, hash := status(id); s != string(roster.StatusToBeDeleted) || date != fmt.Sprintf("2026-01-01T00:00:%02d.000Z", i%60) || hash != 0 {
			t.Fatalf("%s: %s %s hash %d, want tobedeleted as of its own date, hash 0", id, s, date, hash)
		}
	}
	if s, _, hash := status("u0605"); s != string(roster.StatusActive) || hash != 7 {
		t.Errorf("u0605 deleted then sent again: %s hash %d, want active, hash 7", s, hash)
	}
	if s, date, hash := status("u0610"); s != string(roster.StatusToBeDeleted) || date != "2026-01-03T00:00:00.000Z" || hash != 0 {
		t.Errorf("u0610 changed then deleted: %s %s hash %d, want tobedeleted, hash 0", s, date, hash)
	}
	if s, _, hash := status("u0615"); s != string(roster.StatusActive) || hash != 616 {
		t.Errorf("u0615 untouched: %s hash %d", s, hash)
	}
}
