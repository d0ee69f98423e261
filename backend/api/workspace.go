package api

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// WorkspaceAPI looks after the workspace file: Settings → Check workspace and Back up workspace….
type WorkspaceAPI struct {
	store  *store.Store
	window *events.Window
}

// NewWorkspaceAPI returns the facade.
func NewWorkspaceAPI(st *store.Store, window *events.Window) *WorkspaceAPI {
	return &WorkspaceAPI{store: st, window: window}
}

// Check reads the whole workspace and lists what is wrong in it (nothing when OK).
func (a *WorkspaceAPI) Check() (store.CheckResult, error) {
	return a.store.Check(context.Background())
}

// ChooseBackupFile opens the native save dialog, suggesting a dated name beside the workspace; ""
// when the registrar cancels. The dialog asks before replacing a file.
func (a *WorkspaceAPI) ChooseBackupFile(title string) (string, error) {
	path := a.store.Path()
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

// BackupFile is a backup written: where and how big.
type BackupFile struct {
	File  string `json:"file"`
	Bytes int64  `json:"bytes"`
}

// Backup writes a copy of the workspace to file, consistent while runs write to it. The save dialog
// has asked before replacing a file, so one there is replaced.
func (a *WorkspaceAPI) Backup(file string) (BackupFile, error) {
	if file == "" {
		return BackupFile{}, apperr.New(apperr.CodeInvalid, "Choose a file for the backup.")
	}
	if err := a.store.Backup(context.Background(), file, true); err != nil {
		return BackupFile{}, err
	}
	info, err := os.Stat(file)
	if err != nil {
		return BackupFile{}, err
	}
	return BackupFile{File: file, Bytes: info.Size()}, nil
}
