package api

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// Settings → Check workspace is a job telling its stages and finding a sound workspace ok; Back up
// workspace… is a job telling the bytes copied that writes a copy that opens as a workspace,
// replacing the file the save dialog agreed to replace. A backup cancelled leaves no file.
func TestWorkspaceCheckAndBackup(t *testing.T) {
	dir := t.TempDir()
	ws := openWorkspace(t, dir)
	var mu sync.Mutex
	var stages []string
	var j *jobs.Jobs
	var cancelBackups atomic.Bool
	j = jobs.New(emitFunc(func(name string, data any) {
		p, ok := data.(events.Progress)
		if !ok {
			return
		}
		mu.Lock()
		stages = append(stages, p.Stage+" "+p.Unit)
		mu.Unlock()
		if strings.HasPrefix(name, events.JobProgress+"backup-") && cancelBackups.Load() {
			j.Cancel(strings.TrimPrefix(name, events.JobProgress))
		}
	}))
	a := NewWorkspaceAPI(ws, &events.Window{}, j)
	job, _ := j.Wait(a.StartCheck())
	if res, ok := job.Result.(store.CheckResult); job.Status != jobs.Succeeded || !ok || !res.OK || len(res.Problems) != 0 {
		t.Fatalf("check: %+v", job)
	}
	if got := strings.Join(stages, ", "); got != "integrity checks, references checks, origins checks" {
		t.Fatalf("the check's progress: %s", got)
	}

	file := filepath.Join(dir, "backup.db")
	for range 2 {
		stages = nil
		id, err := a.StartBackup(file)
		if err != nil {
			t.Fatal(err)
		}
		job, _ := j.Wait(id)
		if b, ok := job.Result.(workspace.Backup); job.Status != jobs.Succeeded || !ok || b.File != file || b.Bytes == 0 {
			t.Fatalf("backup: %+v", job)
		}
		if len(stages) == 0 || stages[0] != "copying bytes" {
			t.Fatalf("the backup's progress: %v", stages)
		}
	}
	if res, err := store.CheckFile(t.Context(), file, nil); err != nil || !res.OK {
		t.Fatalf("check of the backup: %+v %v", res, err)
	}
	if _, err := a.StartBackup(""); err == nil {
		t.Fatal("a backup without a file was taken")
	}

	dir = filepath.Join(dir, "cancelled")
	cancelBackups.Store(true)
	start := time.Now()
	id, _ := a.StartBackup(filepath.Join(dir, "cancelled.db"))
	if job, _ := j.Wait(id); job.Status != jobs.Cancelled || time.Since(start) > 5*time.Second {
		t.Fatalf("a cancelled backup: %+v after %v", job, time.Since(start))
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a cancelled backup left %v", left)
	}

	at := time.Date(2026, 12, 2, 10, 2, 0, 0, time.Local)
	if got := backupName(filepath.Join(dir, "district.db"), at); got != "district backup 2026-12-02 1002.db" {
		t.Fatalf("suggested name %q", got)
	}
}
