package api

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/store"
)

func TestHistoryRecordsReportAndClear(t *testing.T) {
	f := newFacades(t)
	t.Setenv("XDG_DOWNLOAD_DIR", f.dir)
	ctx := context.Background()
	st := f.history.store
	run, err := st.StartRun(ctx, store.Run{ConnectionName: "SIS", Direction: "import", Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	records := []store.RunRecord{{Entity: "users", SourcedID: "usr-1", Action: "update", Status: "ok", Field: "email"},
		{Entity: "users", SourcedID: "usr-2", Action: "conflict", Status: "skipped", Field: "email", Message: "changed on both sides"}}
	if err := st.AddRunRecords(ctx, run.ID, slices.Values(records)); err != nil {
		t.Fatal(err)
	}
	run.Status = store.RunSucceeded
	st.FinishRun(&run)

	page, err := f.history.Records(run.ID, store.RecordQuery{Action: "conflict", Limit: 0})
	if err != nil || page.Total != 1 || len(page.Records) != 1 || page.Records[0].SourcedID != "usr-2" {
		t.Fatalf("records: %+v %v", page, err)
	}
	choices, err := f.history.RecordChoices(run.ID)
	if err != nil || !slices.Equal(choices.Actions, []string{"conflict", "update"}) {
		t.Fatalf("choices: %+v %v", choices, err)
	}
	path, err := f.history.DownloadLog(run.ID, "pdf")
	if raw, _ := os.ReadFile(path); err != nil || !strings.HasSuffix(path, ".pdf") || !strings.HasPrefix(string(raw), "%PDF-") {
		t.Fatalf("pdf: %s %v", path, err)
	}

	preview, err := f.history.ClearPreview()
	if err != nil || preview != (store.HistoryCounts{Cleared: 1}) {
		t.Fatalf("preview: %+v %v", preview, err)
	}
	line, err := f.history.Clear()
	if err != nil || line.Direction != store.DirectionHistory || line.Operator == "" || !strings.Contains(line.Message, "History cleared by "+line.Operator+": 1 run.") {
		t.Fatalf("clear: %+v %v", line, err)
	}
	if _, err := f.history.Run(run.ID); err == nil {
		t.Fatal("the run cleared is still there")
	}
}
