package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// Opening a workspace removes the spill files a killed process left in its staging folder (a run's
// log of half a million deletions: record ids and dates), and nothing else: the spill of a process
// still running (the window importing while a scheduled command opens the workspace) stays, and so
// do the other files of the folder.
func TestOpeningAWorkspaceRemovesTheSpillsOfProcessesGone(t *testing.T) {
	st := openTemp(t)
	live, err := st.CreateSpill()
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	gone := exec.Command(os.Args[0], "-test.run=^$") // a process that has ended
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	staging := StagingDir(st.path)
	left := filepath.Join(staging, spillPrefix+strconv.Itoa(gone.Process.Pid)+"-123")
	others := []string{filepath.Join(staging, "export-123.zip"), filepath.Join(staging, spillPrefix+"x-1")}
	for _, name := range append(others, left) {
		if err := os.WriteFile(name, []byte("u1,2026-12-02T10:25:10.623Z"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(st.path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the spill of a process gone is still there (%v)", err)
	}
	for _, name := range append(others, live.Name()) {
		if _, err := os.Stat(name); err != nil {
			t.Errorf("opening the workspace removed %s: %v", filepath.Base(name), err)
		}
	}
}
