package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

type recorder struct {
	mu    sync.Mutex
	names []string
}

func (r *recorder) Emit(name string, _ any) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
}

func TestJobReportsProgressAndResult(t *testing.T) {
	rec := &recorder{}
	j := New(rec)
	id := j.Start("fetch", func(ctx context.Context, rep events.Reporter) (any, error) {
		for i := int64(1); i <= 1000; i++ {
			rep.Report(events.Progress{Stage: "reading", Done: i, Total: 1000, Unit: "records"})
		}
		return "done", nil
	})
	job, _ := j.Wait(id)
	if job.Status != Succeeded || job.Result != "done" || job.Progress.Done != 1000 {
		t.Fatalf("job = %+v", job)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if last := rec.names[len(rec.names)-1]; last != events.JobDone+id {
		t.Fatalf("last event %q", last)
	}
	if n := len(rec.names); n > 20 {
		t.Fatalf("%d events for 1000 fast reports: progress is not throttled", n)
	}
}

func TestCancelStopsTheJob(t *testing.T) {
	j := New(&recorder{})
	started := make(chan struct{})
	id := j.Start("import", func(ctx context.Context, rep events.Reporter) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	if !j.Cancel(id) {
		t.Fatal("Cancel of a running job returned false")
	}
	job, _ := j.Wait(id)
	if job.Status != Cancelled || job.Error.Code != apperr.CodeCancelled {
		t.Fatalf("job = %+v", job)
	}
	if j.Cancel("nope") {
		t.Fatal("Cancel of an unknown job returned true")
	}
}

func TestFailureCarriesTheMessage(t *testing.T) {
	j := New(&recorder{})
	id := j.Start("fetch", func(context.Context, events.Reporter) (any, error) {
		return nil, apperr.New(apperr.CodeBadInput, "export.zip is not a ZIP file")
	})
	job, _ := j.Wait(id)
	if job.Status != Failed || job.Error.Code != apperr.CodeBadInput || !strings.Contains(job.Error.Message, "not a ZIP") {
		t.Fatalf("job = %+v", job)
	}
	id = j.Start("fetch", func(context.Context, events.Reporter) (any, error) { return nil, errors.New("disk full") })
	if job, _ := j.Wait(id); job.Error.Code != apperr.CodeInternal {
		t.Fatalf("job = %+v", job)
	}
}

// OnEnd hears of every job that ends, however it ends, after the window was told and before Wait returns.
func TestOnEndHearsOfEveryJobThatEnds(t *testing.T) {
	rec := &recorder{}
	j := New(rec)
	var mu sync.Mutex
	var ended []string
	j.OnEnd(func(job Job) {
		mu.Lock()
		defer mu.Unlock()
		rec.mu.Lock()
		told := len(rec.names) > 0 && rec.names[len(rec.names)-1] == events.JobDone+job.ID
		rec.mu.Unlock()
		ended = append(ended, job.Kind+" "+job.Status+map[bool]string{true: "", false: " (before the window was told)"}[told])
	})
	ok := j.Start("import", func(context.Context, events.Reporter) (any, error) { return nil, nil })
	j.Wait(ok)
	failed := j.Start("undo", func(context.Context, events.Reporter) (any, error) { return nil, errors.New("no") })
	j.Wait(failed)
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(ended, ", ") != "import succeeded, undo failed" {
		t.Fatalf("ended: %q", ended)
	}
}

// OnStart hears of a job before its work begins; Running counts the jobs under way.
func TestOnStartHearsOfAJobBeforeItsWorkBegins(t *testing.T) {
	j := New(&recorder{})
	var heard []string
	j.OnStart(func(job Job) { heard = append(heard, job.Kind+" "+job.Status) })
	release := make(chan struct{})
	var began []string
	id := j.Start("import", func(context.Context, events.Reporter) (any, error) {
		began = append(began, fmt.Sprint(heard))
		<-release
		return nil, nil
	})
	if n := j.Running(); n != 1 {
		t.Fatalf("running: %d, want 1", n)
	}
	close(release)
	j.Wait(id)
	if n := j.Running(); n != 0 || fmt.Sprint(began) != "[[import running]]" {
		t.Fatalf("running %d after the end; heard before the work began: %v", n, began)
	}
}
