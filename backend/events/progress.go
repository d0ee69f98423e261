// Package events reports the progress of long work and carries events to the desktop window. The
// engine sees only Reporter, so the CLI (a progress bar) and the GUI (a progress panel) are fed by
// the same calls.
package events

import (
	"sync"
	"time"
)

// Progress is the state of a long operation.
type Progress struct {
	Stage string  `json:"stage"` // e.g. "copying", "reading", "applying"
	Done  int64   `json:"done"`
	Total int64   `json:"total"` // 0 when unknown
	Unit  string  `json:"unit"`  // "bytes" or "records"
	Rate  float64 `json:"rate"`  // units per second in this stage
}

// Reporter receives progress. Implementations must be cheap: the engine calls them often.
type Reporter interface{ Report(Progress) }

// Discard is a Reporter that ignores everything.
var Discard Reporter = ReporterFunc(func(Progress) {})

// ReporterFunc adapts a function to Reporter.
type ReporterFunc func(Progress)

// Report calls f.
func (f ReporterFunc) Report(p Progress) { f(p) }

// Throttle forwards at most one report per interval (plus every change of stage) and computes the
// rate, so a caller may report on every record without flooding a window or a terminal.
type Throttle struct {
	mu         sync.Mutex
	out        func(Progress)
	every      time.Duration
	last       time.Time
	stage      string
	stageStart time.Time
	pending    *Progress
}

// NewThrottle returns a Throttle sending to out at most every interval.
func NewThrottle(every time.Duration, out func(Progress)) *Throttle {
	return &Throttle{out: out, every: every}
}

// Report implements Reporter.
func (t *Throttle) Report(p Progress) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if p.Stage != t.stage {
		t.stage, t.stageStart = p.Stage, now
	}
	if secs := now.Sub(t.stageStart).Seconds(); secs > 0 {
		p.Rate = float64(p.Done) / secs
	}
	if now.Sub(t.last) < t.every && t.last.After(t.stageStart) { // the first report of a stage always goes out
		t.pending = &p
		return
	}
	t.last, t.pending = now, nil
	t.out(p)
}

// Flush sends the last report that was held back, so the final figure is always shown.
func (t *Throttle) Flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending != nil {
		t.out(*t.pending)
		t.pending = nil
	}
}
