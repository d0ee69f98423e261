package workspace

import (
	"context"
	"os"
	"path/filepath"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Workspace care, for Settings → Workspace and rosterdesk workspace check|backup: each reports its
// progress (a check its stage, a backup the bytes written) and stops when ctx ends.

// Check checks the open workspace (store.CheckFile says what it reads).
func (w *Workspace) Check(ctx context.Context, rep events.Reporter) (store.CheckResult, error) {
	return w.Store.Check(ctx, checkProgress(rep))
}

// CheckFile checks the workspace at path without opening it as a workspace.
func CheckFile(ctx context.Context, path string, rep events.Reporter) (store.CheckResult, error) {
	return store.CheckFile(ctx, path, checkProgress(rep))
}

func checkProgress(rep events.Reporter) func(stage string, done, total int) {
	return func(stage string, done, total int) {
		rep.Report(events.Progress{Stage: stage, Done: int64(done), Total: int64(total), Unit: "checks"})
	}
}

// Backup is a backup written: where and how big.
type Backup struct {
	File  string `json:"file"`
	Bytes int64  `json:"bytes"`
}

// Backup copies the workspace to file (see store.Backup), reporting the bytes written in the stage
// "copying". Cancelled, it leaves no file.
func (w *Workspace) Backup(ctx context.Context, file string, replace bool, rep events.Reporter) (Backup, error) {
	file, err := filepath.Abs(file)
	if err != nil {
		return Backup{}, err
	}
	err = w.Store.Backup(ctx, file, replace, func(written, total int64) {
		rep.Report(events.Progress{Stage: "copying", Done: written, Total: total, Unit: "bytes"})
	})
	if err != nil {
		return Backup{}, err
	}
	info, err := os.Stat(file)
	if err != nil {
		return Backup{}, err
	}
	return Backup{File: file, Bytes: info.Size()}, nil
}
