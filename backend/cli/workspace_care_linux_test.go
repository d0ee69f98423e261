package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/store"
)

// onATerminal starts the CLI on dir's workspace with its stderr on a terminal, as at a shell, and
// returns a function telling whether the terminal shows s so far.
func onATerminal(t *testing.T, dir string, args ...string) (*exec.Cmd, func(s string) bool) {
	t.Helper()
	pty, tty := openTerminal(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ROSTERDESK_TEST_CLI="+strings.Join(append(args, "--workspace", filepath.Join(dir, "workspace.db")), "\x1f"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "ROSTERDESK_SECRETS=file")
	cmd.Stderr = tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	tty.Close()
	var mu sync.Mutex
	var screen bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := pty.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return cmd, func(s string) bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(screen.String(), s)
	}
}

// interruptOnceShown sends Ctrl+C to cmd once the terminal shows progress, then wants exit status
// 130 and the terminal to say cancelled.
func interruptOnceShown(t *testing.T, cmd *exec.Cmd, shown func(string) bool, progress, cancelled string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !shown(progress); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no progress %q shown", progress)
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("interrupted while it showed %q: %v (want exit status 130)", progress, err)
	}
	for deadline := time.Now().Add(5 * time.Second); !shown(cancelled); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the interrupted command did not say %q", cancelled)
		}
	}
}

// workspace backup and workspace check show their progress on a terminal; Ctrl+C stops each with
// exit status 130, and an interrupted backup leaves no file, not even its temporary copy.
func TestWorkspaceBackupAndCheckShowProgressAndStopOnCtrlC(t *testing.T) {
	dir := oneSource(t, "50")
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	// About 120 MB of runs: a copy and a check take a moment.
	if _, err := st.DB().Exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 120000)
		INSERT INTO runs (connection_name, direction, mode, operator, pid, status, started_at, message)
		SELECT 'SIS', 'import', 'full', 'pat', 0, 'succeeded', '2026-12-01T10:00:00.000Z', printf('%d %.1000c', n, 'x') FROM i`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	backups := filepath.Join(dir, "backups")
	cmd, shown := onATerminal(t, dir, "workspace", "backup", filepath.Join(backups, "copy.db"))
	interruptOnceShown(t, cmd, shown, "copying", "Cancelled: no backup was written.")
	if left, _ := os.ReadDir(backups); len(left) != 0 {
		t.Fatalf("the interrupted backup left %v", left)
	}

	cmd, shown = onATerminal(t, dir, "workspace", "check")
	interruptOnceShown(t, cmd, shown, "integrity", "Cancelled: the check stopped before it finished")
}
