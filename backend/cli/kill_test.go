package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestMain lets a test run this package's CLI as a separate process (the test binary itself), so a
// test can kill it the way a power cut or the task manager would.
func TestMain(m *testing.M) {
	if args := os.Getenv("ROSTERDESK_TEST_CLI"); args != "" {
		os.Exit(Run(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestKilledImportLeavesTheRosterAsItWasAndTheNextRunConverges kills an import in the middle of its
// transaction: the roster keeps its previous state, the run is marked interrupted when the workspace
// is next opened, and the next import applies everything.
func TestKilledImportLeavesTheRosterAsItWasAndTheNextRunConverges(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	if _, errOut, code := run(t, dir, "generate", "--out", zip, "--users", "30000", "--seed", "2"); code != 0 {
		t.Fatal(errOut)
	}
	run(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	ws := filepath.Join(dir, "workspace.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ROSTERDESK_TEST_CLI="+strings.Join([]string{"import", "SIS", "--workspace", ws}, "\x1f"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "ROSTERDESK_SECRETS=file")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+ws+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Wait until the run is under way, then a little longer so records are being written.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM runs WHERE status = 'running'`).Scan(&n)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the import never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(700 * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	state, _ := cmd.Process.Wait()
	if state.Success() {
		t.Skip("the import finished before it could be killed; this machine is faster than the test expects")
	}

	out, errOut, code := run(t, dir, "runs", "list")
	if code != 0 || !strings.Contains(out, "interrupted") {
		t.Fatalf("runs list after the kill: %d %s %s", code, out, errOut)
	}
	if n := activeUsers(t, dir); n != 0 {
		t.Fatalf("the killed import left %d users behind", n)
	}
	if out, errOut, code := run(t, dir, "import", "SIS"); code != 0 || !strings.Contains(out, "succeeded") {
		t.Fatalf("the next import: %d %s %s", code, out, errOut)
	}
	if n := activeUsers(t, dir); n < 30000 {
		t.Fatalf("the next import did not converge: %d users", n)
	}
}

func activeUsers(t *testing.T, dir string) int {
	t.Helper()
	out, _, _ := run(t, dir, "roster", "counts", "--json")
	var counts struct {
		Active map[string]int `json:"active"`
	}
	if err := json.Unmarshal([]byte(out), &counts); err != nil {
		t.Fatal(err)
	}
	return counts.Active["users"]
}
