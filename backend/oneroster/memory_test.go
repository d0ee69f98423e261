package oneroster

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

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
	inUse := func() int64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	var users int
	var first, last int64
	_, err = pkg.Read(context.Background(), func(r roster.Record) error {
		if r.Entity != roster.Users {
			return nil
		}
		switch users++; users {
		case 1:
			first = inUse()
		case n:
			last = inUse()
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
