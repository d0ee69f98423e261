package api

import (
	"context"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// WorkspaceAPI looks after the workspace file: Settings → Check workspace and Back up workspace…,
// each a job with progress and Cancel (SyncAPI's Cancel and Job serve them).
type WorkspaceAPI struct {
	ws     *workspace.Workspace
	window *events.Window
	jobs   *jobs.Jobs
}

// NewWorkspaceAPI returns the facade.
func NewWorkspaceAPI(ws *workspace.Workspace, window *events.Window, j *jobs.Jobs) *WorkspaceAPI {
	return &WorkspaceAPI{ws: ws, window: window, jobs: j}
}

// StartCheck reads the whole workspace in the background and returns the job id; the job's result
// is a store.CheckResult listing what is wrong (nothing when OK).
func (a *WorkspaceAPI) StartCheck() string {
	return a.jobs.Start("check", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.ws.Check(ctx, rep)
	})
}

// ChooseBackupFile opens the native save dialog, suggesting a dated name beside the workspace; ""
// when the registrar cancels. The dialog asks before replacing a file.
func (a *WorkspaceAPI) ChooseBackupFile(title string) (string, error) {
	path := a.ws.Store.Path()
	return runtime.SaveFileDialog(a.window.Context(), runtime.SaveDialogOptions{Title: title,
		DefaultDirectory: filepath.Dir(path), DefaultFilename: backupName(path, time.Now()), CanCreateDirectories: true,
		Filters: []runtime.FileFilter{{DisplayName: "Rosterdesk workspace (*.db)", Pattern: "*.db"}}})
}

// backupName is the name suggested for a backup taken at t: the workspace's, dated.
func backupName(path string, t time.Time) string {
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	return base[:len(base)-len(ext)] + " backup " + t.Format("2006-01-02 1504") + ext
}

// StartBackup writes a copy of the workspace to file in the background, consistent while runs write
// to it, and returns the job id; the job's result is a workspace.Backup. The save dialog has asked
// before replacing a file, so one there is replaced. Cancelled, it leaves no file.
func (a *WorkspaceAPI) StartBackup(file string) (string, error) {
	if file == "" {
		return "", apperr.New(apperr.CodeInvalid, "Choose a file for the backup.")
	}
	return a.jobs.Start("backup", func(ctx context.Context, rep events.Reporter) (any, error) {
		return a.ws.Backup(ctx, file, true, rep)
	}), nil
}
