// Package hostile builds hostile inputs (a file of any size made without holding it, a workbook that
// unpacks to a gigabyte) and measures the peak memory of reading them, for tests that hold a reader
// to a ceiling whatever its input.
package hostile

import (
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Ceiling is the most memory a reader may take on any input (issue 17: 256 MB).
const Ceiling = 256 << 20

// Peak runs fn and returns the most heap in use while it ran, sampled every few milliseconds. The
// heap, not the process's RSS: it is what the reader allocates, unblurred by the test binary and by
// pages the runtime has not yet returned; garbage not yet collected counts, so it is an upper bound.
func Peak(fn func()) uint64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		top := uint64(0)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapInuse)
			select {
			case <-done:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	top := <-peak
	return top - min(base.HeapInuse, top)
}

// Within fails t when fn's peak heap exceeds Ceiling, and returns it.
func Within(t testing.TB, fn func()) uint64 {
	t.Helper()
	p := Peak(fn)
	if p > Ceiling {
		t.Fatalf("peak heap %d MB, more than the ceiling of %d MB", p>>20, Ceiling>>20)
	}
	return p
}

// InUse returns the heap that live objects hold, after a collection: a test compares it before and
// after building something to count the bytes it keeps.
func InUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// InStillWorld reports whether the calling test runs in a process whose collections stop the world,
// running it again in such a child process (the same test binary) when it does not, and failing t
// when the child fails. A test that measures a peak calls it first and measures only when it returns
// true. Why: a concurrent collection counts what is allocated while it marks as live, so a reader
// that allocates large short-lived buffers (fpdf's 1 MB compressor a page) measured up to 94 MB on a
// busy machine against 48-53 MB idle or with stopped collections.
func InStillWorld(t *testing.T) bool {
	t.Helper()
	if os.Getenv("ROSTERDESK_STILL_WORLD") == "1" {
		return true
	}
	child := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1")
	child.Env = append(os.Environ(), "ROSTERDESK_STILL_WORLD=1", "GODEBUG=gcstoptheworld=1")
	out, err := child.CombinedOutput()
	if err != nil {
		t.Fatalf("%s in a process whose collections stop the world: %v\n%s", t.Name(), err, out)
	}
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "    ") { // the child's t.Log lines
			t.Log(strings.TrimSpace(line))
		}
	}
	return false
}
