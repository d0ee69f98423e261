//go:build unix

package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	generated "github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// BenchmarkShapeSnapshot builds a source's shape from a fetched package: SHAPE_SNAPSHOT names one
// (a copy of a district's staged ZIP), else a generated district of SHAPE_STUDENTS students
// (default 10,000) is used. Run with -benchmem for the allocations.
func BenchmarkShapeSnapshot(b *testing.B) {
	path := os.Getenv("SHAPE_SNAPSHOT")
	if path == "" {
		students := 10000
		if s := os.Getenv("SHAPE_STUDENTS"); s != "" {
			if _, err := fmt.Sscan(s, &students); err != nil {
				b.Fatal(err)
			}
		}
		path = filepath.Join(b.TempDir(), "district.zip")
		if _, err := generated.GenerateFile(context.Background(), path, generated.Options{Students: students, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	e := &Engine{}
	var g *selection.Graph
	// CPU time, which other work on the machine disturbs less than the time per op.
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g = selection.NewGraph()
		if err := e.addSnapshot(context.Background(), g, path, nil, events.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	// What the cached shape keeps in memory: the window's memory counts it.
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "MB-held")
	runtime.KeepAlive(g)
}
