package cli

import (
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCancelledRunsExitNonZero interrupts an import and an export the way Ctrl+C or a scheduler
// stopping a task does: each exits with status 130, says it was cancelled, and changes nothing.
func TestCancelledRunsExitNonZero(t *testing.T) {
	if testing.Short() || runtime.GOOS == "windows" {
		t.Skip("imports a large district, and interrupts it with a signal Windows cannot send")
	}
	dir := t.TempDir()
	ws := filepath.Join(dir, "workspace.db")
	zip := filepath.Join(dir, "district.zip")
	drop := filepath.Join(dir, "drop")
	os.Mkdir(drop, 0o700)
	for _, args := range [][]string{{"generate", "--out", zip, "--users", "30000", "--seed", "9"},
		{"connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path=" + zip}, {"fetch", "SIS"},
		{"connection", "add", "Vendor", "--kind", "oneroster-csv", "--role", "target", "--set", "path=" + drop}} {
		if _, errOut, code := run(t, dir, args...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
	}
	interrupted := func(direction string, args ...string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ROSTERDESK_TEST_CLI="+strings.Join(append(args, "--workspace", ws), "\x1f"),
			"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "ROSTERDESK_SECRETS=file")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForRun(t, ws, direction, cmd)
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 130 || !strings.Contains(stderr.String(), "Cancelled") {
			t.Fatalf("%v interrupted: %v (want exit status 130)\n%s", args, err, stderr.String())
		}
	}

	interrupted("import", "import", "SIS")
	if n := activeUsers(t, dir); n != 0 {
		t.Fatalf("the cancelled import left %d users", n)
	}
	if out, errOut, code := run(t, dir, "import", "SIS"); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	interrupted("export", "export", "Vendor")
	if files, _ := filepath.Glob(filepath.Join(drop, "*")); len(files) != 0 {
		t.Fatalf("the cancelled export delivered %v", files)
	}
	if out, _, _ := run(t, dir, "runs", "list"); strings.Count(out, "cancelled") != 2 {
		t.Fatalf("runs list: %s", out)
	}
}

// waitForRun waits until the workspace shows a run of direction under way.
func waitForRun(t *testing.T, ws, direction string, cmd *exec.Cmd) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+ws+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM runs WHERE status = 'running' AND direction = ?`, direction).Scan(&n)
		if n == 1 {
			return
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the %s never started", direction)
		}
	}
}
