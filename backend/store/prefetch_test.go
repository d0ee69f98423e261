package store

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
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
	if err := tx.Prefetch([]roster.Entity{roster.Orgs, roster.Users, roster.Classes, roster.Enrollments}, false); err != nil {
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
	if err := tx.Prefetch(roster.Entities, false); err != nil {
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

// The origins read ahead stay within their room, by bytes: while an import is at its users, the
// roles' and demographics' are read, not the enrollments' too, which are larger than all of it (at
// 1,000,000 students 150 MB, read beside the users' 30 MB and the roles' and demographics' 50);
// those are read once the import has taken everything before them.
func TestOriginsReadAheadStayWithinTheirRoom(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	counts := map[roster.Entity]int{roster.Users: 20000, roster.Roles: 20000, roster.Demographics: 15000, roster.Enrollments: 120000}
	for ent, n := range counts {
		if _, err := st.db.Exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?3)
			INSERT INTO origins (connection_id, entity, source_id, hash, created_run) SELECT ?1, ?2, printf('%s-%07d', ?2, n), n, 0 FROM i`,
			c.ID, string(ent), n); err != nil {
			t.Fatal(err)
		}
	}
	bytes := func(ent roster.Entity) int64 {
		n := int64(counts[ent])
		return originsBytes(n, n*int64(len(ent)+8))
	}
	tx, _ := beginImport(t, st, c)
	defer tx.Rollback()
	tx.aheadBytes = bytes(roster.Roles) + bytes(roster.Demographics)
	before := hostile.InUse()
	ents := []roster.Entity{roster.Users, roster.Roles, roster.Demographics, roster.Enrollments}
	if err := tx.Prefetch(ents, false); err != nil {
		t.Fatal(err)
	}
	users, err := tx.Origins(roster.Users)
	if err != nil || users.Len() != counts[roster.Users] {
		t.Fatalf("%d users' origins: %v", users.Len(), err)
	}
	for start := time.Now(); len(tx.ahead.results[1]) == 0 || len(tx.ahead.results[2]) == 0; time.Sleep(time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the roles' and demographics' origins were not read ahead")
		}
	}
	time.Sleep(200 * time.Millisecond) // time enough to read the enrollments' if they could be
	held, room := hostile.InUse()-before, bytes(roster.Users)+tx.aheadBytes
	if held > room+room/8 {
		t.Errorf("at the users, the origins read hold %d bytes, more than the users' and the room ahead (%d)", held, room)
	} else {
		t.Logf("%d bytes held, %d the users' and the room ahead", held, room)
	}
	runtime.KeepAlive(users)
	for _, ent := range ents[1:] {
		if o, err := tx.Origins(ent); err != nil || o.Len() != counts[ent] {
			t.Fatalf("%s: %d origins (%v), want %d", ent, o.Len(), err, counts[ent])
		}
	}
}

// The ids' size is counted in bytes, as they are held: an id in another script has more bytes than
// characters, and a room or a buffer sized by its characters would be too small.
func TestCountOriginsCountsBytes(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	ids := []string{"é1", "学生-2", "u3"}
	for _, id := range ids {
		if _, err := st.db.Exec(`INSERT INTO origins (connection_id, entity, source_id, hash, created_run) VALUES (?, 'users', ?, 1, 0)`, c.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	n, size, err := countOrigins(ctx, st.db, c.ID, roster.Users)
	if want := int64(len(ids[0]) + len(ids[1]) + len(ids[2])); err != nil || n != 3 || size != want {
		t.Fatalf("%d origins of %d bytes (%v), want 3 of %d", n, size, err, want)
	}
}
