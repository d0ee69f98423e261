// Package jobs runs long work in the background for the window: Start returns an id at once, progress
// is emitted as events at most every 100 ms, Cancel cancels the job's context, and Get returns the
// outcome, so a window that missed an event can still catch up.
package jobs

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// Job statuses.
const (
	Running   = "running"
	Succeeded = "succeeded"
	Failed    = "failed"
	Cancelled = "cancelled"
)

// Job is a snapshot of one job.
type Job struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Status   string          `json:"status"`
	Progress events.Progress `json:"progress"`
	Result   any             `json:"result,omitempty"`
	Error    *apperr.Error   `json:"error,omitempty"`
}

// Func is the work of a job.
type Func func(ctx context.Context, rep events.Reporter) (any, error)

type entry struct {
	job    Job
	cancel context.CancelFunc
	done   chan struct{}
}

// Jobs tracks the jobs of one window.
type Jobs struct {
	emitter events.Emitter
	mu      sync.Mutex
	next    int
	jobs    map[string]*entry
	started func(Job) // OnStart
	ended   func(Job) // OnEnd
}

// New returns a job tracker emitting to emitter.
func New(emitter events.Emitter) *Jobs {
	return &Jobs{emitter: emitter, jobs: map[string]*entry{}}
}

// Start runs fn in the background and returns the job id at once.
func (j *Jobs) Start(kind string, fn Func) string {
	ctx, cancel := context.WithCancel(context.Background())
	j.mu.Lock()
	j.next++
	id := fmt.Sprintf("%s-%d", kind, j.next)
	e := &entry{job: Job{ID: id, Kind: kind, Status: Running}, cancel: cancel, done: make(chan struct{})}
	j.jobs[id] = e
	started := j.started
	j.mu.Unlock()
	if started != nil {
		started(e.job)
	}

	throttle := events.NewThrottle(100*time.Millisecond, func(p events.Progress) {
		j.mu.Lock()
		e.job.Progress = p
		j.mu.Unlock()
		j.emitter.Emit(events.JobProgress+id, p)
	})
	go func() {
		defer cancel()
		result, err := fn(ctx, throttle)
		throttle.Flush()
		j.mu.Lock()
		switch {
		case err == nil:
			e.job.Status, e.job.Result = Succeeded, result
		case ctx.Err() != nil:
			e.job.Status, e.job.Error = Cancelled, apperr.From(context.Canceled)
		default:
			e.job.Status, e.job.Error = Failed, apperr.From(err)
		}
		snapshot, ended := e.job, j.ended
		j.mu.Unlock()
		// The done event first: whoever Waits then knows the window was told.
		j.emitter.Emit(events.JobDone+id, snapshot)
		if ended != nil {
			ended(snapshot)
		}
		close(e.done)
	}()
	return id
}

// OnStart has fn called with every job that starts from now on, before its work begins.
func (j *Jobs) OnStart(fn func(Job)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.started = fn
}

// Running reports how many jobs are running.
func (j *Jobs) Running() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for _, e := range j.jobs {
		if e.job.Status == Running {
			n++
		}
	}
	return n
}

// OnEnd has fn called with every job that ends from now on, once the window was told.
func (j *Jobs) OnEnd(fn func(Job)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ended = fn
}

// Cancel asks a job to stop; it reports whether the job exists.
func (j *Jobs) Cancel(id string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.jobs[id]
	if ok {
		e.cancel()
	}
	return ok
}

// Get returns a snapshot of a job.
func (j *Jobs) Get(id string) (Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.jobs[id]
	if !ok {
		return Job{}, false
	}
	return e.job, true
}

// Wait blocks until a job has finished and returns its final snapshot.
func (j *Jobs) Wait(id string) (Job, bool) {
	j.mu.Lock()
	e, ok := j.jobs[id]
	j.mu.Unlock()
	if !ok {
		return Job{}, false
	}
	<-e.done
	return j.Get(id)
}
