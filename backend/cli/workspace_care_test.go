package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/store"
)

// startCLI starts the CLI on dir's workspace as a process of its own; its stderr goes to the
// returned file, to be read while it runs.
func startCLI(t *testing.T, dir string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	stderr, err := os.CreateTemp(dir, "stderr-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stderr.Close() })
	args = append(args, "--workspace", filepath.Join(dir, "workspace.db"))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ROSTERDESK_TEST_CLI="+strings.Join(args, "\x1f"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "ROSTERDESK_SECRETS=file")
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, stderr.Name()
}

// exitCode waits for cmd and returns its exit status.
func exitCode(cmd *exec.Cmd) int {
	cmd.Wait()
	return cmd.ProcessState.ExitCode()
}

// integrity is PRAGMA integrity_check of the workspace at path.
func integrity(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

// fetchUsers fetches SIS and returns how many users it holds.
func fetchUsers(t *testing.T, dir string) int {
	t.Helper()
	var res struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "fetch", "SIS", "--json")), &res); err != nil {
		t.Fatal(err)
	}
	return res.Counts["users"]
}

// oneSource is a folder whose workspace has the source SIS, a district of users students.
func oneSource(t *testing.T, users string) string {
	t.Helper()
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	mustRun(t, dir, "generate", "--out", zip, "--users", users, "--seed", "5")
	mustRun(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	return dir
}

// anotherWriter is another Rosterdesk on dir's workspace holding its writer lock, for pat.
func anotherWriter(t *testing.T, dir string) (*store.Store, *store.WriterLock) {
	t.Helper()
	other, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	lock, err := other.LockWriter("pat")
	if err != nil {
		t.Fatal(err)
	}
	return other, lock
}

// waitToSay waits until the stderr file of a command started by startCLI holds want.
func waitToSay(t *testing.T, stderr, want string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		raw, _ := os.ReadFile(stderr)
		if strings.Contains(string(raw), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command did not say %q; stderr: %s", want, raw)
		}
	}
}

// A second Rosterdesk whose import finds another writing the workspace says so and waits for it,
// then imports; with a short --wait it gives up, clearly, having changed nothing.
func TestAnImportWaitsForAnotherRosterdeskWriting(t *testing.T) {
	dir := oneSource(t, "300")
	users := fetchUsers(t, dir)
	ctx := context.Background()
	other, lock := anotherWriter(t, dir)
	held, err := other.StartRun(ctx, store.Run{ConnectionName: "District", Direction: "import", Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	started, _ := time.Parse(store.TimeLayout, held.StartedAt)
	want := "Waiting for another Rosterdesk on this workspace (import of District by pat, since " + started.Local().Format("15:04") + "), up to 10m0s…"

	cmd, stderr := startCLI(t, dir, "import", "SIS")
	waitToSay(t, stderr, want)
	time.Sleep(300 * time.Millisecond)
	var runs int
	other.DB().QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&runs)
	if runs != 1 {
		t.Fatalf("the waiting import started a run: %d runs", runs)
	}

	// Refused after a short wait, while the other still writes.
	if _, errOut, code := run(t, dir, "import", "SIS", "--wait", "300ms"); code == 0 || !strings.Contains(errOut, "Another run is writing to this workspace") {
		t.Fatalf("an import with --wait 300ms: %d %s", code, errOut)
	}

	held.Status = store.RunSucceeded
	if err := other.FinishRun(&held); err != nil {
		t.Fatal(err)
	}
	lock.Release()
	if code := exitCode(cmd); code != 0 {
		raw, _ := os.ReadFile(stderr)
		t.Fatalf("the waiting import: exit %d: %s", code, raw)
	}
	if n := activeUsers(t, dir); n != users {
		t.Fatalf("%d users after the waiting import, want %d", n, users)
	}
}

// Imports and fetches of one workspace from several processes at once all finish, one after the
// other, and leave a sound workspace with the counts of one import.
func TestProcessesImportingAndFetchingOneWorkspaceAtOnce(t *testing.T) {
	dir := oneSource(t, "4000")
	users := fetchUsers(t, dir)
	var cmds []*exec.Cmd
	var errs []string
	for _, args := range [][]string{{"import", "SIS"}, {"fetch", "SIS"}, {"import", "SIS"}, {"fetch", "SIS"}} {
		cmd, stderr := startCLI(t, dir, args...)
		cmds, errs = append(cmds, cmd), append(errs, stderr)
	}
	for i, cmd := range cmds {
		if code := exitCode(cmd); code != 0 {
			raw, _ := os.ReadFile(errs[i])
			t.Errorf("process %d: exit %d: %s", i, code, raw)
		}
	}
	if got := integrity(t, filepath.Join(dir, "workspace.db")); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
	out := mustRun(t, dir, "runs", "list", "--json")
	var runs []struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &runs); err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Status != "succeeded" || runs[1].Status != "succeeded" {
		t.Fatalf("runs: %s", out)
	}
	if n := activeUsers(t, dir); n != users {
		t.Fatalf("%d users, want %d", n, users)
	}
	if out := mustRun(t, dir, "import", "SIS"); !strings.Contains(out, "0 created, 0 updated, 0 deleted") {
		t.Fatalf("an import after them all changed something: %s", out)
	}
}

// workspace check prints ok (exit 0) or each problem (exit 1); workspace backup writes a copy that
// opens as a workspace, and replaces a file only with --force.
func TestWorkspaceCheckAndBackup(t *testing.T) {
	dir := oneSource(t, "200")
	mustRun(t, dir, "import", "SIS")
	if out := mustRun(t, dir, "workspace", "check"); !strings.Contains(out, ": ok.") {
		t.Fatalf("check: %s", out)
	}
	var res store.CheckResult
	if err := json.Unmarshal([]byte(mustRun(t, dir, "workspace", "check", "--json")), &res); err != nil || !res.OK {
		t.Fatalf("check --json: %+v %v", res, err)
	}

	backup := filepath.Join(dir, "copy.db")
	if out := mustRun(t, dir, "workspace", "backup", backup); !strings.Contains(out, "Backed up the workspace to "+backup) {
		t.Fatalf("backup: %s", out)
	}
	if _, errOut, code := run(t, dir, "workspace", "backup", backup); code != 1 || !strings.Contains(errOut, "already exists. Choose another name, or replace it with --force.") {
		t.Fatalf("backup over a file: %d %s", code, errOut)
	}
	mustRun(t, dir, "workspace", "backup", backup, "--force")
	if out, errOut, code := runOn(t, dir, backup, "", "roster", "counts", "--json"); code != 0 || !strings.Contains(out, `"demographics": 200`) {
		t.Fatalf("the backup as a workspace: %d %s %s", code, out, errOut)
	}

	// Garbage over a page in the middle of the file.
	info, _ := os.Stat(backup)
	f, err := os.OpenFile(backup, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	const page = 16384
	f.WriteAt([]byte(strings.Repeat("garbage!", page/8)), info.Size()/page/2*page)
	f.Close()
	out, errOut, code := runOn(t, dir, backup, "", "workspace", "check")
	if code != 1 || !strings.Contains(out, "integrity: ") || !strings.Contains(errOut, "problem") || !strings.Contains(errOut, "work from a backup") {
		t.Fatalf("check of a damaged workspace: %d\n%s\n%s", code, out, errOut)
	}
}

// A fetch waiting to keep its data while another Rosterdesk writes stops at once on Ctrl+C, with exit
// status 130, saying whom it waited for, and keeps nothing.
func TestCtrlCStopsAFetchWaitingForAnotherRosterdesk(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("interrupts with a signal Windows cannot send")
	}
	dir := oneSource(t, "300")
	other, lock := anotherWriter(t, dir)
	cmd, stderr := startCLI(t, dir, "fetch", "SIS")
	waitToSay(t, stderr, "Waiting for another Rosterdesk")
	start := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() { exited <- exitCode(cmd) }()
	var code int
	select {
	case code = <-exited:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the fetch still waited 10 s after Ctrl+C")
	}
	raw, _ := os.ReadFile(stderr)
	if code != 130 || time.Since(start) > 2*time.Second || !strings.Contains(string(raw), "Cancelled while waiting for another Rosterdesk (pat, since ") {
		t.Fatalf("the interrupted fetch: exit %d after %v: %s", code, time.Since(start), raw)
	}
	sis := keptNothing(t, dir, other, "the interrupted fetch")
	lock.Release()
	fetchUsers(t, dir)
	if _, err := other.Snapshot(context.Background(), sis); err != nil {
		t.Fatalf("a fetch once the other had finished: %v", err)
	}
}

// A fetch's wait for another Rosterdesk to finish writing ends with --wait, as its message says,
// keeping nothing.
func TestAFetchWaitsForAnotherRosterdeskOnlyAsLongAsItWasTold(t *testing.T) {
	dir := oneSource(t, "300")
	other, lock := anotherWriter(t, dir)
	defer lock.Release()
	start := time.Now()
	_, errOut, code := run(t, dir, "fetch", "SIS", "--wait", "1s")
	if code == 0 || time.Since(start) > 20*time.Second || !strings.Contains(errOut, "up to 1s") ||
		!strings.Contains(errOut, "Stopped after waiting 1s for another Rosterdesk (pat, since ") {
		t.Fatalf("a fetch with --wait 1s: exit %d after %v: %s", code, time.Since(start), errOut)
	}
	keptNothing(t, dir, other, "the fetch that gave up")
}

// keptNothing fails unless a fetch of SIS (what) left no staged copy and kept no data; it returns
// SIS's connection id.
func keptNothing(t *testing.T, dir string, other *store.Store, what string) int64 {
	t.Helper()
	if entries, _ := os.ReadDir(filepath.Join(dir, "workspace.db.staging")); len(entries) != 0 {
		t.Fatalf("%s left %d staged copies", what, len(entries))
	}
	c, err := other.ConnectionByName(context.Background(), "SIS")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Snapshot(context.Background(), c.ID); err == nil {
		t.Fatalf("%s kept its data", what)
	}
	return c.ID
}
