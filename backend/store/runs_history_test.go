package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// finishedRun records a run of c that ended with status, and its log.
func finishedRun(t *testing.T, st *Store, c Connection, direction, status string, records ...RunRecord) Run {
	t.Helper()
	ctx := context.Background()
	r, err := st.StartRun(ctx, Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: direction, Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	if status != RunRunning {
		r.Status = status
		if err := st.FinishRun(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AddRunRecords(ctx, r.ID, slices.Values(records)); err != nil {
		t.Fatal(err)
	}
	return r
}

func runIDs(t *testing.T, st *Store) []int64 {
	t.Helper()
	runs, err := st.FindRuns(context.Background(), RunQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestClearHistoryKeepsRunningAndHeldRunsAndLeavesOneLine(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	a, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	b, _ := st.AddConnection(ctx, Connection{Name: "B", Kind: "k", Role: "target"})
	failed := RunRecord{Entity: "users", SourcedID: "usr-1", Action: "read", Status: "failed", Message: "no email"}
	old := finishedRun(t, st, a, "import", RunSucceeded, failed)
	superseded := finishedRun(t, st, a, "import", RunHeld, failed) // a later import of A followed it
	finishedRun(t, st, a, "import", RunFailed, failed)
	waiting := finishedRun(t, st, b, "export", RunHeld, failed) // the last export of B: still to review
	running := finishedRun(t, st, a, "export", RunRunning)

	counts, err := st.CountHistory(ctx)
	if err != nil || counts != (HistoryCounts{Cleared: 3, Kept: 2}) {
		t.Fatalf("before: %+v %v", counts, err)
	}
	cleared, counts, err := st.ClearHistory(ctx, "sam", func(c HistoryCounts) string { return fmt.Sprintf("History cleared by sam: %d runs", c.Cleared) })
	if err != nil || counts != (HistoryCounts{Cleared: 3, Kept: 2}) {
		t.Fatalf("clear: %+v %v", counts, err)
	}
	if got, want := runIDs(t, st), []int64{cleared.ID, running.ID, waiting.ID}; !slices.Equal(got, want) {
		t.Fatalf("runs left %v, want %v", got, want)
	}
	line, err := st.Run(ctx, cleared.ID)
	if err != nil || line.Direction != DirectionHistory || line.Operator != "sam" || line.Status != RunSucceeded ||
		line.Message != "History cleared by sam: 3 runs" || line.FinishedAt == "" {
		t.Fatalf("the line left: %+v %v", line, err)
	}
	// The records of the runs cleared went with them; those of a run kept stayed.
	var left int
	st.DB().QueryRow(`SELECT COUNT(*) FROM run_records`).Scan(&left)
	if left != 1 {
		t.Fatalf("%d records left, want the held export's 1", left)
	}
	for _, id := range []int64{old.ID, superseded.ID} {
		if n, _ := st.CountRunRecords(ctx, id); n != 0 {
			t.Fatalf("run %d still has %d records", id, n)
		}
	}
	// Run numbers keep growing: a number never names two runs.
	next := finishedRun(t, st, a, "import", RunSucceeded)
	if next.ID <= cleared.ID {
		t.Fatalf("the next run is %d, after the line %d", next.ID, cleared.ID)
	}
	// Clearing again clears the line of the first clearing too.
	again, counts, err := st.ClearHistory(ctx, "sam", func(c HistoryCounts) string { return "" })
	if err != nil || counts.Cleared != 2 || !slices.Equal(runIDs(t, st), []int64{again.ID, running.ID, waiting.ID}) {
		t.Fatalf("again: %+v %v %v", counts, err, runIDs(t, st))
	}
}

func TestFindRunRecordsFiltersAndSearchesOneRun(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	a, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	var records []RunRecord
	for i := range 700 {
		records = append(records, RunRecord{Entity: "users", SourcedID: fmt.Sprintf("usr-%04d", i), Action: "update", Status: "ok", Field: "email"})
	}
	records = append(records,
		RunRecord{Entity: "classes", SourcedID: "cls-9", Action: "read", Status: "failed", Message: "no course"},
		RunRecord{Entity: "users", SourcedID: "usr-0650-x", Action: "conflict", Status: "skipped", Field: "email"})
	run := finishedRun(t, st, a, "import", RunSucceeded, records...)
	finishedRun(t, st, a, "import", RunSucceeded, RunRecord{Entity: "users", SourcedID: "usr-0650", Action: "update", Status: "ok"})

	for _, tc := range []struct {
		q     RecordQuery
		total int
		first string
	}{
		{RecordQuery{Limit: 10}, 702, "cls-9"}, // failures first
		{RecordQuery{Status: "skipped", Limit: 10}, 1, "usr-0650-x"},
		{RecordQuery{Entity: "classes", Limit: 10}, 1, "cls-9"},
		{RecordQuery{Action: "conflict", Limit: 10}, 1, "usr-0650-x"},
		{RecordQuery{Search: " usr-0650 ", Limit: 10}, 2, "usr-0650-x"}, // beyond the first 500, and only this run's
		{RecordQuery{Entity: "users", Action: "update", Offset: 600, Limit: 10}, 700, "usr-0600"},
		{RecordQuery{Search: "nothing", Limit: 10}, 0, ""},
	} {
		page, err := st.FindRunRecords(ctx, run.ID, tc.q)
		first := ""
		if len(page.Records) > 0 {
			first = page.Records[0].SourcedID
		}
		if err != nil || page.Total != tc.total || first != tc.first {
			t.Errorf("%+v: total %d first %q %v, want %d %q", tc.q, page.Total, first, err, tc.total, tc.first)
		}
	}
	choices, err := st.RunRecordChoices(ctx, run.ID)
	if err != nil || !slices.Equal(choices.Entities, []string{"classes", "users"}) || !slices.Equal(choices.Actions, []string{"conflict", "read", "update"}) ||
		!slices.Equal(choices.Statuses, []string{"failed", "ok", "skipped"}) {
		t.Fatalf("choices %+v %v", choices, err)
	}
}

func TestRunsNameTheirIntegrationAndTrigger(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	a, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	in, err := st.AddIntegration(ctx, Integration{Name: "Nightly import", Type: "import", ConnectionID: a.ID, Schedule: "manual"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.StartRun(ctx, Run{ConnectionID: a.ID, ConnectionName: a.Name, Direction: "import", Mode: "full", Operator: "pat", IntegrationID: in.ID, Trigger: "schedule"})
	if err != nil {
		t.Fatal(err)
	}
	plain := finishedRun(t, st, a, "import", RunSucceeded)
	runs, err := st.FindRuns(ctx, RunQuery{ConnectionID: a.ID, Status: RunRunning})
	if err != nil || len(runs) != 1 || runs[0].Integration != "Nightly import" || runs[0].Trigger != "schedule" {
		t.Fatalf("%+v %v", runs, err)
	}
	if got, err := st.Run(ctx, r.ID); err != nil || got.Integration != "Nightly import" {
		t.Fatalf("%+v %v", got, err)
	}
	if got, err := st.Run(ctx, plain.ID); err != nil || got.Integration != "" || got.Trigger != "" {
		t.Fatalf("%+v %v", got, err)
	}
}
