package engine

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// A fetch waiting to keep its data while another run writes (another Rosterdesk's, or another job of
// this window's) stops waiting at once when cancelled, says whom it waited for, and changes nothing:
// the previous snapshot stays and no staged copy is left behind.
func TestAFetchWaitingForTheWorkspaceStopsWhenCancelled(t *testing.T) {
	f := newFixture(t, district())
	f.fetchFiles(district())
	before, _ := f.st.Snapshot(context.Background(), f.conn.ID)
	for _, other := range []struct {
		name    string
		hold    func() (release func())
		waitFor string
	}{
		{"another Rosterdesk", func() func() {
			lock, err := f.st.LockWriter("pat")
			if err != nil {
				t.Fatal(err)
			}
			return lock.Release
		}, "another Rosterdesk (pat, since "},
		{"another job", func() func() {
			if !f.eng.writer.TryLock() {
				t.Fatal("the workspace is busy")
			}
			return f.eng.writer.Unlock
		}, "another run of this Rosterdesk"},
	} {
		release := other.hold()
		ctx, cancel := context.WithCancel(context.Background())
		var cancelled time.Time
		done := make(chan error, 1)
		go func() {
			_, err := f.eng.Fetch(ctx, f.conn.ID, events.ReporterFunc(func(p events.Progress) {
				if p.Stage == "waiting" && cancelled.IsZero() {
					cancelled = time.Now()
					cancel()
				}
			}))
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(20 * time.Second):
			release()
			<-done
			t.Fatalf("%s: the fetch still waited 20 s on, cancelled", other.name)
		}
		stopped := time.Since(cancelled)
		release()
		cancel()
		if cancelled.IsZero() || stopped > 2*time.Second {
			t.Fatalf("%s: the fetch stopped %v after it was cancelled (told it waits: %v)", other.name, stopped, !cancelled.IsZero())
		}
		if e := apperr.From(err); e.Code != apperr.CodeCancelled || !strings.Contains(e.Message, "Cancelled while waiting for "+other.waitFor) || !strings.HasSuffix(e.Message, "Nothing was changed.") {
			t.Fatalf("%s: %v", other.name, err)
		}
		if after, _ := f.st.Snapshot(context.Background(), f.conn.ID); after.Path != before.Path {
			t.Fatalf("%s: the cancelled fetch replaced the snapshot", other.name)
		}
		if entries, _ := os.ReadDir(StagingDir(f.st.Path())); len(entries) != 1 {
			t.Fatalf("%s: staging holds %d folders, want only the kept snapshot", other.name, len(entries))
		}
	}
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatalf("a fetch once the others have finished: %v", err)
	}
}
