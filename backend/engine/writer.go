package engine

import (
	"context"
	"errors"
	"sync"
	"time"

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
	if w.acquire(w.ctx, w.wait) {
		return true
	}
	w.mu.Unlock()
	return false
}

// Lock takes the workspace, waiting as long as other runs write (a fetch keeping its data waits for
// an import reading the data it replaces).
func (w *workspaceWriter) Lock() {
	w.mu.Lock()
	w.acquire(nil, -1)
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
// process to let it go, or until ctx ends.
func (w *workspaceWriter) acquire(ctx context.Context, wait time.Duration) bool {
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
		if wait >= 0 && time.Now().After(deadline) || ctx != nil && ctx.Err() != nil {
			return false
		}
		if !told && w.waiting != nil {
			w.waiting(w.store.WriterHolder(context.Background()))
			told = true
		}
		time.Sleep(100 * time.Millisecond)
	}
}
