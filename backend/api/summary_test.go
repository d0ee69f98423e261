package api

import (
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

func summary(t *testing.T, f facades) RosterSummary {
	t.Helper()
	s, err := f.roster.Summary()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The dashboard's summary: what the roster holds, the last import from a source, the fields the
// sources disagree on; a change to the roster (here a second source) shows at once.
func TestSummaryOfTheRosterAndWhatWaits(t *testing.T) {
	f := newFacades(t)
	if s := summary(t, f); s.LastImport != nil || s.Counts[roster.Users] != 0 || s.Conflicts != 0 || s.Duplicates != 0 {
		t.Fatalf("empty workspace: %+v", s)
	}
	f.addAndImport(t, "North SIS", usersFeed("u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,"), map[string]string{})
	s := summary(t, f)
	if s.LastImport == nil || s.LastImport.ConnectionName != "North SIS" || s.LastImport.Status != store.RunSucceeded ||
		s.Counts[roster.Users] != 1 || s.Counts[roster.Orgs] != 1 || s.Conflicts != 0 {
		t.Fatalf("after the first import: %+v (last %+v)", s, s.LastImport)
	}
	first := s.LastImport.ID
	f.addAndImport(t, "Health office", usersFeed("u1,,,true,ana,,Anna,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,",
		"u2,,,true,bo,,Bo,Lee,,1002,bo@example.org,,,,04,,,,,,s1,"), map[string]string{})
	s = summary(t, f)
	if s.LastImport == nil || s.LastImport.ConnectionName != "Health office" || s.LastImport.ID <= first || s.Counts[roster.Users] != 2 || s.Conflicts != 1 {
		t.Fatalf("after the second source: %+v (last %+v)", s, s.LastImport)
	}
}

// Pairs waiting for review are counted; a merge changes the counts (the merged secondary is on its
// way out) but is not an import from a source.
func TestSummaryCountsDuplicatesAndMerges(t *testing.T) {
	f := newFacades(t)
	d := f.duplicates()
	f.importDistrict(t, 150, 0.1)
	before := summary(t, f)
	if before.LastImport == nil || before.LastImport.ConnectionName != "Lakeside SIS" || before.Duplicates == 0 {
		t.Fatalf("after the import and its scan: %+v", before)
	}
	page, err := d.Pairs(PairsRequest{Status: "pending"})
	if err != nil || page.Total != before.Duplicates {
		t.Fatalf("queue %d pairs, summary %d, %v", page.Total, before.Duplicates, err)
	}
	pair := page.Pairs[0]
	if run, err := d.Resolve(pair.ID, engine.Decision{Primary: pair.Left, Secondaries: []string{pair.Right}, Outcome: "delete"}); err != nil || run.Status != "succeeded" {
		t.Fatalf("resolve: %+v %v", run, err)
	}
	after := summary(t, f)
	if after.Counts[roster.Users] != before.Counts[roster.Users]-1 || after.Duplicates != before.Duplicates-1 || after.LastImport.ID != before.LastImport.ID {
		t.Fatalf("after a merge: users %d → %d, pairs %d → %d, last import %d → %d", before.Counts[roster.Users], after.Counts[roster.Users],
			before.Duplicates, after.Duplicates, before.LastImport.ID, after.LastImport.ID)
	}
}

// Workspace names the logs folder, which Help shows.
func TestWorkspaceNamesTheLogsFolder(t *testing.T) {
	f := newFacades(t)
	info, err := f.settings.Workspace()
	if want := filepath.Join(f.dir, "config", "Rosterdesk", "logs"); err != nil || info.Logs != want {
		t.Fatalf("logs %q, want %q (%v)", info.Logs, want, err)
	}
}
