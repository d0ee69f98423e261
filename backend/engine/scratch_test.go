package engine

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
)

// What a fetch and an export set aside in the staging folder while they run carries this process's
// id, so that a killed run's leftovers are removed at the next opening (store's removeTemporaries)
// and a running one's are not.
func TestARunsTemporariesCarryTheProcessID(t *testing.T) {
	f := newFixture(t, district())
	tgt, _ := f.target(map[string]string{"mode": "bulk"})
	seen := map[string]bool{}
	look := events.ReporterFunc(func(events.Progress) {
		entries, _ := os.ReadDir(f.eng.staging)
		for _, e := range entries {
			seen[e.Name()] = true
		}
	})
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, look); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{OverrideHold: true}, events.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Export(context.Background(), tgt.ID, RunOptions{}, look); err != nil {
		t.Fatal(err)
	}
	ours := fmt.Sprintf("rdtmp%d-", os.Getpid())
	var fetch, export bool
	for name := range seen {
		if !strings.HasPrefix(name, ours) {
			t.Errorf("%s in the staging folder does not carry the process id", name)
		}
		fetch = fetch || strings.HasPrefix(name, fmt.Sprintf("%sc%d-", ours, f.conn.ID))
		export = export || strings.HasPrefix(name, ours+"export-")
	}
	if !fetch || !export {
		t.Fatalf("the runs were not seen at work: %v", seen)
	}
}
