package api

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Settings → Check workspace finds a sound one ok; Back up workspace… writes a copy that opens as a
// workspace, replacing the file the save dialog agreed to replace.
func TestWorkspaceCheckAndBackup(t *testing.T) {
	dir := t.TempDir()
	ws := openWorkspace(t, dir)
	a := NewWorkspaceAPI(ws.Store, &events.Window{})
	res, err := a.Check()
	if err != nil || !res.OK || len(res.Problems) != 0 {
		t.Fatalf("check: %+v %v", res, err)
	}
	file := filepath.Join(dir, "backup.db")
	for range 2 {
		b, err := a.Backup(file)
		if err != nil || b.File != file || b.Bytes == 0 {
			t.Fatalf("backup: %+v %v", b, err)
		}
	}
	if res, err := store.CheckFile(t.Context(), file); err != nil || !res.OK {
		t.Fatalf("check of the backup: %+v %v", res, err)
	}
	if _, err := a.Backup(""); err == nil {
		t.Fatal("a backup without a file was taken")
	}
	at := time.Date(2026, 12, 2, 10, 2, 0, 0, time.Local)
	if got := backupName(filepath.Join(dir, "district.db"), at); got != "district backup 2026-12-02 1002.db" {
		t.Fatalf("suggested name %q", got)
	}
}
