package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// TestSyncBench times two-way syncs of a whole district and the process's peak memory (VmHWM) in
// each, for make bench: SYNC_BENCH_WORKSPACE names a workspace holding an imported district (it
// is copied, not changed). The first sync fills an empty folder; then about 1,000 users change in
// the roster and 1,000 others in the folder, and a second sync brings each side the other's.
func TestSyncBench(t *testing.T) {
	src := os.Getenv("SYNC_BENCH_WORKSPACE")
	if src == "" {
		t.Skip("SYNC_BENCH_WORKSPACE names the workspace of make bench")
	}
	dir := t.TempDir()
	ws := filepath.Join(dir, "workspace.db")
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(src+suffix, ws+suffix); err != nil && !(suffix != "" && os.IsNotExist(err)) {
			t.Fatal(err)
		}
	}
	st, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vault, err := secrets.NewFile(filepath.Join(dir, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	eng := New(st, connector.NewRegistry(csvzip.Kind()), vault, StagingDir(ws), "bench", slog.New(slog.DiscardHandler))
	folder := filepath.Join(dir, "mirror")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := st.AddConnection(ctx, store.Connection{Name: "Mirror", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{"path": folder}})
	if err != nil {
		t.Fatal(err)
	}
	worst := 0
	measure := func(what string) {
		t.Helper()
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil { // resets VmHWM
			t.Logf("peak memory not reset: %v", err)
		}
		start := time.Now()
		run, _, err := eng.Sync(ctx, conn.ID, SyncOptions{}, events.Discard)
		if err != nil || run.Status != store.RunSucceeded {
			t.Fatalf("%s: %v %s", what, err, run.Message)
		}
		peak := peakMB(t)
		worst = max(worst, peak)
		fmt.Printf("  %-34s %5.1f s   peak %d MB   %s\n", what, time.Since(start).Seconds(), peak, run.Message)
	}
	measure("first sync, into an empty folder")

	if _, err := st.DB().Exec(`UPDATE roster_users SET "givenName" = "givenName" || 'W' WHERE rowid % 135 = 0`); err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(folder, "users.csv")
	if err := editLines(users, func(n int, line string) string {
		if n%135 != 67 {
			return line
		}
		cols := strings.Split(line, ",")
		cols[6] += "X" // givenName
		return strings.Join(cols, ",")
	}); err != nil {
		t.Fatal(err)
	}
	measure("~1,000 changes on each side")
	if worst < 400 {
		fmt.Println("  target met (peak < 400 MB)")
	} else {
		fmt.Println("  TARGET MISSED (peak < 400 MB)")
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	return createFrom(to, in)
}

// editLines rewrites a file line by line (line numbers from 1; the header is line 1).
func editLines(path string, edit func(n int, line string) string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(path + ".new")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n > 1 {
			line = edit(n, line)
		}
		fmt.Fprintln(w, line)
	}
	if err := errors.Join(sc.Err(), w.Flush(), out.Close()); err != nil {
		return err
	}
	return os.Rename(path+".new", path)
}

// peakMB is the process's peak resident memory since it was last reset.
func peakMB(t *testing.T) int {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int
			fmt.Sscan(rest, &kb)
			return kb >> 10
		}
	}
	return 0
}
