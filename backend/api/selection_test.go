package api

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// TestWizardJourney is the selection wizard as the window drives it: lists from the fetch, a
// spreadsheet downloaded and uploaded (a bad one first), users by status, a held import applied
// anyway, and the run's log downloaded.
func TestWizardJourney(t *testing.T) {
	f := newFacades(t)
	t.Setenv("XDG_DOWNLOAD_DIR", filepath.Join(f.dir, "downloads"))
	zip := filepath.Join(f.dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 300, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	card, err := f.conns.Add(connections.Request{Name: "SIS", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	own := ownIntegration(t, f, card.ID, store.DirectionImport)
	if _, err := f.sel.View(own); err == nil || !strings.Contains(err.Error(), "Fetch SIS first") {
		t.Fatalf("before a fetch: %v", err)
	}
	if job := f.wait(t, f.sync.StartImport(card.ID, false)); job.Error != nil {
		t.Fatal(job.Error)
	}
	view, err := f.sel.View(own)
	if err != nil || view.Selection.Saved || view.Guardians == 0 {
		t.Fatalf("view: %+v %v", view, err)
	}
	orgs, err := f.sel.Page(own, view.Selection, selection.ListQuery{What: "orgs", Limit: 50})
	if err != nil || len(orgs.Orgs) < 3 || orgs.Chosen != orgs.Listed {
		t.Fatalf("orgs: %+v %v", orgs, err)
	}
	if classes, err := f.sel.Page(own, view.Selection, selection.ListQuery{What: "classes", Limit: 50}); err != nil || len(classes.Classes) == 0 {
		t.Fatalf("classes: %+v %v", classes, err)
	}

	path, err := f.sel.DownloadSheet(own, "orgs", view.Selection)
	if err != nil || filepath.Dir(path) != filepath.Join(f.dir, "downloads") || filepath.Base(path) != "Import from SIS - orgs.xlsx" {
		t.Fatalf("download: %s %v", path, err)
	}
	if again, _ := f.sel.DownloadSheet(own, "orgs", view.Selection); filepath.Base(again) != "Import from SIS - orgs (2).xlsx" {
		t.Fatalf("a second download overwrote the first: %s", again)
	}

	upload := func(name, content string) (string, error) {
		res, err := f.sel.ReadSheet(own, "orgs", view.Selection, name, base64.StdEncoding.EncodeToString([]byte(content)))
		if err != nil {
			return "", err
		}
		if len(res.Upload.Findings) > 0 {
			return res.Upload.Findings[0].Message, nil
		}
		_, err = f.sel.Save(own, res.Selection)
		return "", err
	}
	school := ""
	for _, o := range orgs.Orgs {
		if o.Type == "school" {
			school = o.ID
			break
		}
	}
	if finding, err := upload("orgs.csv", "ID,sync\n"+school+",yes\nnope,yes\n"); err != nil || !strings.Contains(finding, "nope") {
		t.Fatalf("unknown ID: %q %v", finding, err)
	}
	if v, _ := f.sel.View(own); v.Selection.Saved {
		t.Fatal("a spreadsheet with problems changed the selection")
	}
	if _, err := upload("orgs.xlsx", "this is not a spreadsheet"); err == nil || !strings.Contains(err.Error(), "orgs.xlsx") {
		t.Fatalf("unreadable file: %v", err)
	}
	// The spreadsheet calls work on the selection being edited, which they leave unsaved.
	draft := view.Selection
	draft.OrgsAll, draft.Orgs = false, []string{school}
	res, err := f.sel.ReadSheet(own, "orgs", draft, "orgs.csv", base64.StdEncoding.EncodeToString([]byte("ID,sync\n"+school+",yes\n")))
	if err != nil || res.Before != 1 || res.After != 1 || len(res.Added)+len(res.Removed) != 0 {
		t.Fatalf("an upload compared with the draft choosing %s: %+v %v", school, res, err)
	}
	if _, err := f.sel.DownloadSheet(own, "orgs", draft); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.sel.View(own); v.Selection.Saved {
		t.Fatal("a spreadsheet call saved the draft")
	}
	if finding, err := upload("orgs.csv", "ID,sync\n"+school+",yes\n"); err != nil || finding != "" {
		t.Fatalf("good upload: %q %v", finding, err)
	}
	view, err = f.sel.View(own)
	if err != nil || view.Selection.OrgsAll || len(view.Selection.Orgs) != 1 || view.Totals["orgs"] != 2 {
		t.Fatalf("after upload: %+v %v", view.Selection, err)
	}

	// Most of the roster leaves the selection: the import holds until applied anyway.
	job := f.wait(t, f.sync.StartPlanImport(card.ID))
	if job.Error != nil || !strings.Contains(job.Result.(engine.Plan).Hold, "Held for review") {
		t.Fatalf("plan: %+v", job)
	}
	run := f.wait(t, f.sync.StartImport(card.ID, false)).Result.(store.Run)
	if run.Status != store.RunHeld {
		t.Fatalf("%+v", run)
	}
	run = f.wait(t, f.sync.StartImport(card.ID, true)).Result.(store.Run)
	if run.Status != store.RunSucceeded || run.Counts["classes"].Deleted == 0 {
		t.Fatalf("%+v", run)
	}
	logPath, err := f.history.DownloadLog(run.ID, "csv")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(logPath)
	if !strings.Contains(string(raw), "no longer in the selection") {
		t.Fatalf("the log does not say why: %.300s", raw)
	}
	if _, err := f.history.DownloadLog(run.ID, "ods"); err == nil {
		t.Fatal("an unknown log format was accepted")
	}
}

// ownIntegration is the id of a connection's own integration of direction.
func ownIntegration(t *testing.T, f facades, connectionID int64, direction string) int64 {
	t.Helper()
	id, err := f.sel.store.OwnIntegration(context.Background(), connectionID, direction)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// orgRows is the wizard's schools step for a selection: every org, as the window pages them.
func orgRows(t *testing.T, f facades, integrationID int64, sel selection.Selection) []selection.OrgRow {
	t.Helper()
	page, err := f.sel.Page(integrationID, sel, selection.ListQuery{What: selection.ListOrgs, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return page.Orgs
}

// Next through the wizard of an imported district saves the selection it proposes: the guardians
// and parents of the students go with them, so the plan deletes no user (it deleted every guardian,
// and was held, before the option).
func TestNextThroughTheWizardKeepsTheGuardians(t *testing.T) {
	f := newFacades(t)
	card := importDistrict(t, f, 300)
	own := ownIntegration(t, f, card.ID, store.DirectionImport)
	view, err := f.sel.View(own)
	if err != nil || view.Guardians == 0 || !view.Selection.Guardians {
		t.Fatalf("the wizard offers the guardians, on: %+v %v", view, err)
	}
	saved, err := f.sel.Save(own, view.Selection)
	if err != nil || !saved.Selection.Guardians {
		t.Fatalf("save: %+v %v", saved.Selection, err)
	}
	if again, _ := f.sel.View(own); !again.Selection.Guardians || !again.Selection.Saved {
		t.Fatalf("the option is stored: %+v", again.Selection)
	}
	job := f.wait(t, f.sync.StartPlanImport(card.ID))
	if job.Error != nil {
		t.Fatal(job.Error)
	}
	plan := job.Result.(engine.Plan)
	if plan.Hold != "" || plan.Counts["users"].Deleted != 0 || plan.Counts["roles"].Deleted != 0 {
		t.Fatalf("the plan deletes users: %+v, hold %q", plan.Counts, plan.Hold)
	}
	// Without the option, the guardians would go.
	without := saved.Selection
	without.Guardians = false
	if _, err := f.sel.Save(own, without); err != nil {
		t.Fatal(err)
	}
	plan = f.wait(t, f.sync.StartPlanImport(card.ID)).Result.(engine.Plan)
	if plan.Counts["users"].Deleted == 0 {
		t.Fatalf("without guardians the plan deletes them: %+v", plan.Counts)
	}
}

// A tick among thousands of chosen classes carries the tick, not the classes: the draft's lists stay
// in the facade (Held) and every call of the wizard, Save included, puts them back.
func TestLongListsStayInTheBackend(t *testing.T) {
	f := newFacades(t)
	card := importDistrict(t, f, 300)
	own := ownIntegration(t, f, card.ID, store.DirectionImport)
	heldLists = 5
	t.Cleanup(func() { heldLists = 500 })
	view, err := f.sel.View(own)
	if err != nil {
		t.Fatal(err)
	}
	q := selection.ListQuery{What: "classes", Limit: 50}
	first, err := f.sel.Page(own, view.Selection, q)
	if err != nil || len(first.Classes) < 2 {
		t.Fatalf("classes: %+v %v", first, err)
	}
	one, two := first.Classes[0].ID, first.Classes[1].ID
	chosen, err := f.sel.Choose(own, view.Selection, selection.ChooseQuery{ListQuery: q, IDs: []string{one}})
	if err != nil || !chosen.Selection.Held || chosen.Selection.Classes != nil || chosen.Page.Chosen != first.Listed-1 {
		t.Fatalf("one class unticked: %+v %v", chosen.Selection, err)
	}
	// The next tick starts from the held draft: two classes unticked.
	chosen, err = f.sel.Choose(own, chosen.Selection, selection.ChooseQuery{ListQuery: q, IDs: []string{two}})
	if err != nil || !chosen.Selection.Held || chosen.Page.Chosen != first.Listed-2 {
		t.Fatalf("two classes unticked: %+v %v", chosen.Page, err)
	}
	draft := chosen.Selection
	page, err := f.sel.Page(own, draft, selection.ListQuery{What: "classes", Limit: 50, OnlyChosen: true})
	if err != nil || page.Matched != first.Listed-2 {
		t.Fatalf("the page of the held draft: %+v %v", page, err)
	}
	preview, err := f.sel.Preview(own, draft)
	if err != nil || !preview.Selection.Held || preview.Selection.Classes != nil || preview.Totals["classes"] != first.Listed-2 {
		t.Fatalf("preview of the held draft: %+v, totals %v, %v", preview.Selection, preview.Totals, err)
	}
	saved, err := f.sel.Save(own, draft)
	if err != nil || saved.Selection.Held || saved.Selection.ClassesAll || len(saved.Selection.Classes) != first.Listed-2 {
		t.Fatalf("save: %+v %v", saved.Selection, err)
	}
	if stored, _ := f.sel.View(own); len(stored.Selection.Classes) != first.Listed-2 || slices.Contains(stored.Selection.Classes, one) {
		t.Fatalf("stored: %+v", stored.Selection)
	}
	// A held draft the facade does not hold (another app's) is refused, saying what to do.
	if _, err := NewSelectionAPI(f.sel.store, f.sel.engine).Save(own, draft); err == nil || !strings.Contains(err.Error(), "open it again") {
		t.Fatalf("a draft not held: %v", err)
	}
}
