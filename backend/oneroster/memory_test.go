package oneroster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// The ids a read keeps to find duplicates and dangling references cost a few bytes each, not the
// ids themselves: 200,000 users with GUID sourcedIds are held in under 30 bytes each (68 with the
// ids kept as strings), so a state's roster reads in bounded memory.
func TestReadKeepsIDsByHash(t *testing.T) {
	const n = 200000
	var b strings.Builder
	b.WriteString(users12)
	for i := range n {
		b.WriteString(user12(fmt.Sprintf("%08x-4b1d-4c2e-9f3a-%012x", i, i*7919), "Ana", "Lopez"))
	}
	pkg, err := Open(writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": b.String()})))
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	b = strings.Builder{}
	var users int
	var first, last int64
	_, err = pkg.Read(context.Background(), func(r roster.Record) error {
		if r.Entity != roster.Users {
			return nil
		}
		switch users++; users {
		case 1:
			first = hostile.InUse()
		case n:
			last = hostile.InUse()
		}
		return nil
	}, nil)
	if err != nil || users != n {
		t.Fatalf("read %d users: %v", users, err)
	}
	if per := (last - first) / n; per >= 30 {
		t.Errorf("the read holds %d bytes per user read (want < 30)", per)
	} else {
		t.Logf("%d bytes per user read", per)
	}
}

// Two ids of one hash are no duplicate: with a hash under which every id of a length collides, a
// read takes the same rows, refuses the same duplicate and says the same as with the real hash.
func TestAHashCollisionRefusesNoValidRow(t *testing.T) {
	users := users12
	for i := 1; i <= 9; i++ {
		users += user12(fmt.Sprintf("u%02d", i), "Ana", "Lopez")
	}
	users += strings.Replace(user12("u10", "Ben", "Okafor"), "true", "maybe", 1) // a bad value, found after the id
	users += user12("u03", "Ana", "Lopez")                                       // a duplicate
	files := map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users}
	read := func() string {
		recs, unread, rep, err := visit(t, files)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range recs {
			lines = append(lines, fmt.Sprint("record ", r.Entity, r.Values))
		}
		for _, u := range unread {
			lines = append(lines, fmt.Sprintf("unread %+v", u))
		}
		for _, f := range rep.Findings {
			lines = append(lines, fmt.Sprintf("finding %+v", f))
		}
		slices.Sort(lines)
		return fmt.Sprintf("%s\nfailed %v", strings.Join(lines, "\n"), rep.Failed)
	}
	real := read()
	for _, want := range []string{"record users[u09 ", `unread {Entity:users SourcedID:u10 File:users.csv Line:11}`,
		`unread {Entity:users SourcedID:u03 File:users.csv Line:12}`, "sourcedId \"u03\" appears earlier", "users:2"} {
		if !strings.Contains(real, want) {
			t.Fatalf("the read says\n%s\nnothing of %s", real, want)
		}
	}
	defer func(h func() func(string) uint64) { idHash = h }(idHash)
	idHash = func() func(string) uint64 { return func(id string) uint64 { return uint64(len(id)) } }
	if colliding := read(); colliding != real {
		t.Fatalf("with colliding hashes the read says\n%s\nwant\n%s", colliding, real)
	}
}
