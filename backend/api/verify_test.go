package api

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// The window's verification: a job whose result counts and lists the differences, saved as CSV
// with a filter; then the chosen rows re-synced to a target, listing the IDs not found, and one
// re-pulled from the source.
func TestVerifyThenResyncTheRows(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DOWNLOAD_DIR", filepath.Join(dir, "Downloads"))
	ws := openWorkspace(t, dir)
	j := jobs.New(discard{})
	a := NewVerifyAPI(ws, j)
	ctx := context.Background()
	zip := filepath.Join(dir, "district.zip")
	if _, err := district.GenerateFile(ctx, zip, district.Options{Students: 60, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o700)
	src, _ := ws.Store.AddConnection(ctx, store.Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{"path": zip}})
	dst, _ := ws.Store.AddConnection(ctx, store.Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": out}})
	if _, err := ws.Engine.Import(ctx, src.ID, engine.RunOptions{}, events.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveVerification(VerifyFilter{}, "csv"); err == nil {
		t.Error("saving before any verification")
	}
	job, _ := j.Wait(a.StartVerify(dst.ID, 0, ""))
	if job.Status != jobs.Failed || !strings.Contains(job.Error.Message, "Nothing has been exported") {
		t.Fatalf("%+v", job)
	}
	if _, err := ws.Engine.Export(ctx, dst.ID, engine.RunOptions{}, events.Discard); err != nil {
		t.Fatal(err)
	}
	// The roster changes after the export: a user the target lacks is missing there.
	if _, err := ws.Store.DB().Exec(`UPDATE roster_users SET "familyName" = 'Changed' WHERE "sourcedId" = 'usr-000001'`); err != nil {
		t.Fatal(err)
	}
	job, _ = j.Wait(a.StartVerify(dst.ID, 0, ""))
	res, _ := job.Result.(VerifyResult)
	if job.Status != jobs.Succeeded || res.Verification.Against != "target" || res.Verification.Differences != 1 || res.Shown != 1 || res.Rows[0].SourcedID != "usr-000001" || res.Rows[0].Fields[0].Field != "familyName" {
		t.Fatalf("%+v %+v", job, res)
	}
	if last, err := a.Last(); err != nil || last.Verification.Differences != 1 {
		t.Errorf("Last = %+v, %v", last, err)
	}
	path, err := a.SaveVerification(VerifyFilter{Kind: engine.Differs, Search: "USR-000001"}, "csv")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if lines := strings.Split(strings.TrimSpace(string(raw)), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "usr-000001") || !strings.Contains(lines[1], "Changed") {
		t.Errorf("saved %q", raw)
	}
	if n := a.CountIDs("usr-000001\nusr-000001, nobody\n"); n != 2 {
		t.Errorf("CountIDs = %d", n)
	}
	job, _ = j.Wait(a.StartResync(dst.ID, "users", "usr-000001\nnobody", true))
	rs := job.Result.(engine.Resynced)
	if job.Status != jobs.Succeeded || rs.Run.Mode != "ids" || len(rs.NotFound) != 1 || rs.Run.Counts["users"].Updated != 1 {
		t.Fatalf("%+v", job)
	}
	job, _ = j.Wait(a.StartVerify(dst.ID, 0, ""))
	// The newest file is the re-sync's delta: only its records are compared. The user went with the
	// link to its guardian, whom the target holds from the export before: nothing differs.
	res = job.Result.(VerifyResult)
	if res.Verification.Differences != 0 || !strings.Contains(res.Verification.Basis, "delta") || res.Verification.Counts["users"].Same != 1 {
		t.Errorf("after the re-sync: %+v %+v", res.Verification, res.Rows)
	}
	// From the source, the same call re-pulls: the roster takes the source's value back.
	if _, err := ws.Store.DB().Exec(`UPDATE roster_users SET "familyName" = 'Changed' WHERE "sourcedId" = 'usr-000002'`); err != nil {
		t.Fatal(err)
	}
	job, _ = j.Wait(a.StartResync(src.ID, "users", "usr-000002, nobody", false))
	rs = job.Result.(engine.Resynced)
	var family string
	ws.Store.DB().QueryRow(`SELECT "familyName" FROM roster_users WHERE "sourcedId" = 'usr-000002'`).Scan(&family)
	if job.Status != jobs.Succeeded || rs.Run.Direction != "import" || rs.Run.Mode != "ids" || len(rs.NotFound) != 1 || family == "Changed" {
		t.Fatalf("re-pull: %+v %q", job, family)
	}
}
