package api

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// The window's undo: a preview with counts per entity, the undo as a job whose result is the undo's
// run, the undone run showing who undid it, and a second undo refused in the preview and the job.
func TestHistoryUndoesAnImportRun(t *testing.T) {
	f := newFacades(t)
	zip := filepath.Join(f.dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 40, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	card, err := f.conns.Add(connections.Request{Name: "SIS", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	imported := f.wait(t, f.sync.StartImport(card.ID, false)).Result.(store.Run)

	preview, err := f.history.UndoPreview(imported.ID)
	if err != nil || preview.Refused != "" || preview.Counts["users"].Removed != imported.Counts["users"].Created {
		t.Fatalf("preview %+v %v (run counts %+v)", preview, err, imported.Counts)
	}
	job := f.wait(t, f.history.StartUndo(imported.ID))
	if job.Status != jobs.Succeeded {
		t.Fatalf("undo job %+v", job)
	}
	undo := job.Result.(store.Run)
	if undo.Mode != store.ModeUndo || undo.UndoOf != imported.ID {
		t.Fatalf("undo run %+v", undo)
	}
	detail, err := f.history.Run(imported.ID)
	if err != nil || detail.Run.UndoneBy != undo.ID {
		t.Fatalf("the undone run %+v %v", detail.Run, err)
	}
	if preview, _ = f.history.UndoPreview(imported.ID); !strings.Contains(preview.Refused, "undone already") {
		t.Fatalf("preview after the undo: %+v", preview)
	}
	if job = f.wait(t, f.history.StartUndo(undo.ID)); job.Status != jobs.Failed || !strings.Contains(job.Error.Message, "an undo cannot be undone") {
		t.Fatalf("undo of the undo: %+v", job)
	}
}
