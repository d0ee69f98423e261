package api

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

func (f facades) duplicates() *DuplicatesAPI {
	return NewDuplicatesAPI(f.settings.store, f.settings.engine, f.sync.jobs)
}

// importDistrict imports a generated district with near-duplicate second records of some students.
func (f facades) importDistrict(t *testing.T, students int, duplicates float64) {
	t.Helper()
	zip := filepath.Join(f.dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: students, Seed: 12, Duplicates: duplicates}); err != nil {
		t.Fatal(err)
	}
	card, err := f.conns.Add(connections.Request{Name: "Lakeside SIS", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{f.sync.StartFetch(card.ID), f.sync.StartImport(card.ID, false)} {
		if job := f.wait(t, id); job.Status != jobs.Succeeded {
			t.Fatalf("job %+v %+v", job, job.Error)
		}
	}
}

func TestDuplicatesScanMergeSideBySideAndUndo(t *testing.T) {
	f := newFacades(t)
	d := f.duplicates()
	if err := d.SetScanAfterImport(false); err != nil {
		t.Fatal(err)
	}
	f.importDistrict(t, 150, 0.1)
	if page, err := d.Pairs(PairsRequest{}); err != nil || page.Total != 0 {
		t.Fatalf("no scan after the import was asked for: %+v %v", page, err)
	}

	job := f.wait(t, d.StartScan())
	scan, ok := job.Result.(engine.DuplicateScan)
	if job.Status != jobs.Succeeded || !ok || scan.People < 150 || scan.Pending == 0 {
		t.Fatalf("scan job %+v %+v", job, job.Error)
	}
	page, err := d.Pairs(PairsRequest{Status: "pending", Search: "  "})
	if err != nil || page.Total != scan.Pending || len(page.Pairs) != min(page.Total, 50) {
		t.Fatalf("queue: %d pairs of %d, scan %+v, %v", len(page.Pairs), page.Total, scan, err)
	}
	pair := page.Pairs[0]

	// The registrar puts the pair's right record first, with stray spaces and an empty "Add record".
	view, err := d.MergeView(pair.ID, []string{" " + pair.Right + " ", "", pair.Right, pair.Left})
	if err != nil || len(view.Records) != 2 || view.Records[0] != pair.Right || view.Records[1] != pair.Left {
		t.Fatalf("merge view records %v, %v", view.Records, err)
	}
	given := -1
	for i, fl := range view.Fields {
		if fl.Name == "givenName" {
			given = i
		}
	}
	if given < 0 {
		t.Fatalf("no givenName in %+v", view.Fields)
	}
	// The merged record keeps the secondary's given name.
	want := view.Fields[given].Values[1] + " (chosen)"
	run, err := d.Resolve(pair.ID, engine.Decision{Primary: " " + pair.Right, Secondaries: []string{pair.Left, " "}, Outcome: "delete",
		Values: map[string]string{"givenName": want}})
	if err != nil || run.Status != "succeeded" {
		t.Fatalf("resolve: %+v %v", run, err)
	}
	rec, err := f.roster.Record("users", pair.Right)
	if err != nil || fieldValue(rec.Fields, "givenName") != want {
		t.Fatalf("merged record %+v %v", rec, err)
	}
	decided, err := d.Pair(pair.ID)
	if err != nil || decided.Status != "merged" || decided.DecidedRun != run.ID || decided.Primary != pair.Right {
		t.Fatalf("decided pair %+v %v", decided, err)
	}
	if merged, _ := d.Pairs(PairsRequest{Status: "merged"}); merged.Total != scan.Merged+1 || merged.Counts["pending"] != scan.Pending-1 {
		t.Fatalf("merged page %+v", merged)
	}

	undo, err := d.Undo(pair.ID)
	if err != nil || undo.Status != "succeeded" {
		t.Fatalf("undo: %+v %v", undo, err)
	}
	for _, id := range []string{pair.Left, pair.Right} {
		rec, err := f.roster.Record("users", id)
		if err != nil || rec.Status != "active" || fieldValue(rec.Fields, "givenName") == want {
			t.Fatalf("after undo %s: %+v %v", id, rec, err)
		}
	}
	if back, _ := d.Pair(pair.ID); back.Status != "pending" {
		t.Fatalf("after undo the pair is %q", back.Status)
	}
}

func fieldValue(fields []store.FieldView, name string) string {
	for _, f := range fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func TestDuplicatesRefusalsSayWhatToFix(t *testing.T) {
	f := newFacades(t)
	d := f.duplicates()
	if _, err := d.Pairs(PairsRequest{Status: "maybe"}); apperr.From(err).Code != apperr.CodeInvalid {
		t.Fatalf("unknown status: %v", err)
	}
	if _, err := d.Pair(999); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("unknown pair: %v", err)
	}
	for _, text := range []string{
		`{"domains": [`,
		`{"domains": [{"name": "ID", "mode": "sometimes", "rules": [{"field": "identifier", "compare": "exact"}]}]}`,
		`{"domains": [{"name": "ID", "mode": "manual", "rules": [{"field": "shoeSize", "compare": "exact"}]}]}`,
	} {
		_, err := d.SetDomains(text)
		if e := apperr.From(err); e.Code != apperr.CodeInvalid || e.Message == "" {
			t.Errorf("SetDomains(%s): %+v", text, e)
		}
	}
	defaults := d.DefaultDomains()
	if cfg, err := d.Domains(); err != nil || len(cfg.Domains) != len(defaults.Domains) {
		t.Fatalf("the defaults before any change: %+v %v", cfg, err)
	}
	saved, err := d.SetDomains(`{"domains": [{"name": "ID", "mode": "unattended", "rules": [{"field": "identifier", "compare": "normalized"}]}]}`)
	if err != nil || len(saved.Domains) != 1 || saved.Domains[0].Mode != "unattended" {
		t.Fatalf("saved %+v %v", saved, err)
	}
	if cfg, _ := d.Domains(); len(cfg.Domains) != 1 || cfg.Domains[0].Name != "ID" {
		t.Fatalf("domains after saving %+v", cfg)
	}
	if on, err := d.ScanAfterImport(); err != nil || !on {
		t.Fatalf("imports scan by default: %v %v", on, err)
	}
	if err := d.SetScanAfterImport(false); err != nil {
		t.Fatal(err)
	}
	if on, _ := d.ScanAfterImport(); on {
		t.Fatal("the scan after imports stays on")
	}
	if ids := cleanIDs([]string{" a ", "", "b", "a"}); strings.Join(ids, ",") != "a,b" {
		t.Fatalf("cleanIDs %q", ids)
	}
}

func TestDuplicatesGroupOfThree(t *testing.T) {
	f := newFacades(t)
	d := f.duplicates()
	f.importDistrict(t, 150, 0.1)
	page, err := d.Pairs(PairsRequest{Status: "pending"})
	if err != nil || len(page.Pairs) < 2 {
		t.Fatalf("queue %+v %v", page, err)
	}
	pair, third := page.Pairs[0], page.Pairs[1].Right
	view, err := d.MergeView(pair.ID, []string{pair.Left, pair.Right, " " + third})
	if err != nil || len(view.Records) != 3 || view.Records[2] != third || len(view.Names) != 3 {
		t.Fatalf("a group of three: %+v %v", view.Records, err)
	}
	for _, fl := range view.Fields {
		if len(fl.Values) != 3 {
			t.Fatalf("field %s has %d values", fl.Name, len(fl.Values))
		}
	}
	run, err := d.Resolve(pair.ID, engine.Decision{Primary: pair.Left, Secondaries: []string{pair.Right, third}, Outcome: "delete"})
	if err != nil || run.Status != "succeeded" {
		t.Fatalf("resolve a group: %+v %v", run, err)
	}
	for _, id := range []string{pair.Right, third} {
		if rec, _ := f.roster.Record("users", id); rec.Status != "tobedeleted" {
			t.Fatalf("%s after the group merge: %q", id, rec.Status)
		}
	}
}
