package events

import (
	"context"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Emitter sends named events to the window.
type Emitter interface{ Emit(name string, data any) }

// Window emits through the Wails runtime once the window has started; before that, events are dropped
// (nothing can be listening yet).
type Window struct {
	mu  sync.RWMutex
	ctx context.Context
}

// Attach binds the emitter to the running window's context.
func (w *Window) Attach(ctx context.Context) {
	w.mu.Lock()
	w.ctx = ctx
	w.mu.Unlock()
}

// Context returns the window's context, or nil before the window started.
func (w *Window) Context() context.Context {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.ctx
}

// Emit implements Emitter.
func (w *Window) Emit(name string, data any) {
	if ctx := w.Context(); ctx != nil {
		runtime.EventsEmit(ctx, name, data)
	}
}

// Event names.
const (
	JobProgress = "job:progress:" // + job id; data: Progress
	JobDone     = "job:done:"     // + job id; data: the job
	// CloseAsked asks the window what to do with its work not saved, instead of closing (its close
	// button, Alt+F4, Cmd+Q); no data.
	CloseAsked = "window:close-asked"
)
