package engine

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
)

// A bulk export that no longer sends a state's roster logs a deletion for each record, as an import
// does: its log spills beside the workspace past a few MB instead of growing in memory (17 bytes a
// deletion packed, 17 MB for a million), and the run's records all come back from it.
func TestALargeExportsLogHoldsLittle(t *testing.T) {
	const n = 1000000
	f := newFixture(t, district())
	f.importFiles(district())
	tgt, _ := f.target(map[string]string{"mode": "bulk"})
	// The target was sent a million users the roster no longer has.
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(f.st.Path())+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < ?)
		INSERT INTO sent (connection_id, entity, sourced_id, hash, vals, created_run) SELECT ?, 'users', printf('gone-%07d', n), n, '', 0 FROM i`,
		n-1, tgt.ID)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	before := heap()
	var held uint64
	spilled := false
	look := events.ReporterFunc(func(p events.Progress) {
		if p.Stage == "exporting roles" { // the users' deletions are logged by now
			held = heap() - before
			entries, _ := os.ReadDir(f.eng.staging)
			for _, e := range entries {
				spilled = spilled || strings.Contains(e.Name(), "-spill-")
			}
		}
	})
	run, err := f.eng.Export(context.Background(), tgt.ID, RunOptions{OverrideHold: true}, look)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%.1f bytes held a deletion logged, spilled: %v", float64(held)/n, spilled)
	if per := float64(held) / n; per > 8 || !spilled {
		t.Errorf("%.1f bytes held a deletion logged (want at most 8), spilled: %v", per, spilled)
	}
	if got := run.Counts["users"].Deleted; got != n {
		t.Fatalf("%d users deleted, want %d", got, n)
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, n-1, 1)
	if want := fmt.Sprintf("gone-%07d", n-1); len(records) != 1 || records[0].SourcedID != want {
		t.Fatalf("the last record logged is %+v, want %s", records, want)
	}
	if entries, _ := os.ReadDir(f.eng.staging); len(entries) != 1 { // the stored fetch's folder
		t.Errorf("the export left %d entries in the staging folder", len(entries)-1)
	}
}
