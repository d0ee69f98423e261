package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// workspaceWriter lets one run at a time write the workspace: within this process (the window's
// jobs) a mutex, across processes (the window and the command line, a scheduled run) the store's
// writer lock. A run in this process that finds the workspace busy is refused at once, as the window
// always did; one that finds another process writing waits up to wait (none unless WaitForOthers
// says), telling waiting who it waits for.
type workspaceWriter struct {
	mu       sync.Mutex
	store    *store.Store
	operator string
	held     *store.WriterLock

	ctx     context.Context // ends a wait, when the command that waits is interrupted
	wait    time.Duration
	waiting func(holder string)
}

// WaitForOthers makes a run wait up to d for another Rosterdesk writing the same workspace (an
// import, an export, a fetch keeping its data) instead of being refused at once, calling waiting
// once with who holds it, e.g. "import of District by pat, since 10:02". ctx ends the wait early.
func (e *Engine) WaitForOthers(ctx context.Context, d time.Duration, waiting func(holder string)) {
	e.writer.ctx, e.writer.wait, e.writer.waiting = ctx, d, waiting
}

// TryLock takes the workspace for a run, or reports false: busy in this process, or another
// process still writing after the wait.
func (w *workspaceWriter) TryLock() bool {
	if !w.mu.TryLock() {
		return false
	}
	if w.acquire(w.ctx, w.wait, nil) {
		return true
	}
	w.mu.Unlock()
	return false
}

// Lock takes the workspace, waiting while other runs write (a fetch keeping its data waits for an
// import reading the data it replaces) until ctx ends or, for a command, its --wait has passed: then
// it returns at once, the workspace untouched. rep is told the stage "waiting" while it waits.
func (w *workspaceWriter) Lock(ctx context.Context, rep events.Reporter) error {
	waiting := sync.OnceFunc(func() { rep.Report(events.Progress{Stage: "waiting"}) })
	for !w.mu.TryLock() { // another run of this process writes
		waiting()
		if pause(ctx) != nil {
			return stoppedWaiting("another run of this Rosterdesk")
		}
	}
	wait := time.Duration(-1) // the window waits until its Cancel
	if w.ctx != nil {
		wait = w.wait // a command waits as long as it was told (--wait)
	}
	if w.acquire(ctx, wait, waiting) {
		return nil
	}
	w.mu.Unlock()
	holder := "another Rosterdesk (" + w.store.WriterHolder(context.Background()) + ")"
	if ctx.Err() != nil {
		return stoppedWaiting(holder)
	}
	return apperr.New(apperr.CodeBusy, fmt.Sprintf("Stopped after waiting %s for %s to finish writing this workspace. Nothing was changed: try again later, or wait longer with --wait.", wait, holder))
}

// stoppedWaiting is the error of a wait for holder that was cancelled.
func stoppedWaiting(holder string) error {
	return apperr.New(apperr.CodeCancelled, "Cancelled while waiting for "+holder+" to finish writing this workspace. Nothing was changed.")
}

// pause waits a tenth of a second, or returns ctx's error at once when it ends.
func pause(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}

// Unlock lets the next run write.
func (w *workspaceWriter) Unlock() {
	if w.held != nil {
		w.held.Release()
		w.held = nil
	}
	w.mu.Unlock()
}

// acquire takes the store's writer lock, waiting up to wait (without end if negative) for another
// process to let it go, or until ctx ends; waiting, if not nil, is called once when it starts to wait.
func (w *workspaceWriter) acquire(ctx context.Context, wait time.Duration, waiting func()) bool {
	if ctx == nil { // no command waits: the window's runs
		ctx = context.Background()
	}
	deadline := time.Now().Add(wait)
	told := false
	for {
		lock, err := w.store.LockWriter(w.operator)
		if err == nil {
			w.held = lock
			return true
		}
		if !errors.Is(err, store.ErrWriterLocked) {
			// A lock file that cannot be made (a read-only copy): only this process's lock holds.
			return true
		}
		if wait >= 0 && time.Now().After(deadline) {
			return false
		}
		if !told {
			if w.waiting != nil {
				w.waiting(w.store.WriterHolder(context.Background()))
			}
			if waiting != nil {
				waiting()
			}
			told = true
		}
		if pause(ctx) != nil {
			return false
		}
	}
}
