package engine

import (
	"context"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// An import of a fetched snapshot skips the checks the fetch made, but a repeated sourcedId the
// fetch found is still refused: the repeat is not applied over the first row.
func TestAnImportStillSkipsARepeatedIDTheFetchFound(t *testing.T) {
	files := district()
	files["users.csv"] += "u1,,,true,ana,,Ana,Repeated,,1001,ana@example.org,,,,03,,,,,,s1,\n"
	f := newFixture(t, files)
	f.fetchFiles(files)
	plan, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || plan.Counts["users"].Failed != 1 || plan.Counts["users"].Created != 3 {
		t.Fatalf("%+v %v", plan.Counts["users"], err)
	}
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{OverrideHold: true}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded || run.Counts["users"].Failed != 1 {
		t.Fatalf("%+v %v", run, err)
	}
	var family string
	if err := f.st.DB().QueryRow(`SELECT "familyName" FROM roster_users WHERE "sourcedId" = 'u1'`).Scan(&family); err != nil || family != "Lopez" {
		t.Fatalf("u1 is %q (%v)", family, err)
	}
}
