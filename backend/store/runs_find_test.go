package store

import (
	"context"
	"slices"
	"testing"
)

func TestFindRunsByConnectionDirectionModeStatusDateRunAndRecord(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	a, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	b, _ := st.AddConnection(ctx, Connection{Name: "B", Kind: "k", Role: "target"})
	start := func(c Connection, direction, mode, status, at string, records ...string) int64 {
		r, err := st.StartRun(ctx, Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: direction, Mode: mode, Operator: "pat"})
		if err != nil {
			t.Fatal(err)
		}
		r.Status = status
		if err := st.FinishRun(&r); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB().Exec(`UPDATE runs SET started_at = ? WHERE id = ?`, at, r.ID); err != nil {
			t.Fatal(err)
		}
		var rr []RunRecord
		for _, id := range records {
			rr = append(rr, RunRecord{Entity: "users", SourcedID: id, Action: "update", Status: "ok"})
		}
		if err := st.AddRunRecords(ctx, r.ID, slices.Values(rr)); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	r1 := start(a, "import", "full", RunSucceeded, "2026-11-02T08:00:00.000Z", "usr-1")
	r2 := start(a, "import", "selective", RunHeld, "2026-11-20T08:00:00.000Z", "usr-2")
	r3 := start(b, "export", "ids", RunFailed, "2026-11-21T23:30:00.000Z", "usr-1")
	for _, tc := range []struct {
		q    RunQuery
		want []int64
	}{
		{RunQuery{}, []int64{r3, r2, r1}},
		{RunQuery{ConnectionID: a.ID}, []int64{r2, r1}},
		{RunQuery{Direction: "export"}, []int64{r3}},
		{RunQuery{Mode: "selective"}, []int64{r2}},
		{RunQuery{Status: RunHeld}, []int64{r2}},
		{RunQuery{From: "2026-11-20T00:00:00.000Z", To: "2026-11-21T00:00:00.000Z"}, []int64{r2}},
		{RunQuery{Search: "usr-1"}, []int64{r3, r1}},
		{RunQuery{Search: "#2"}, []int64{r2}},
		{RunQuery{Search: "usr-1", ConnectionID: b.ID}, []int64{r3}},
	} {
		runs, err := st.FindRuns(ctx, tc.q)
		var got []int64
		for _, r := range runs {
			got = append(got, r.ID)
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %v %v, want %v", tc.q, got, err, tc.want)
		}
	}
}
