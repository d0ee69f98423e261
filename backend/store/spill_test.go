package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Opening a workspace removes every kind of temporary a killed process left in its staging folder
// or beside a stored fetch (a run's log of half a million deletions, an export's ZIP, a fetch that
// never finished), and nothing else: those of a process still running (the window importing while
// a scheduled command opens the workspace) stay, a stored fetch stays although the process that
// fetched it is gone, and so does every file whose name Rosterdesk does not make.
func TestOpeningAWorkspaceRemovesTheTemporariesOfProcessesGone(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	gone := exec.Command(os.Args[0], "-test.run=^$") // a process that has ended
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	sleeper := exec.Command("sleep", "60") // another process still working on the workspace
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	live, err := st.CreateSpill()
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()

	// The fetch stored by the process gone, in the folder its name gave it.
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	fetch := fmt.Sprintf("rdtmp%d-c%d-1", gone.Process.Pid, c.ID)
	if _, err := st.PutSnapshot(ctx, Snapshot{ConnectionID: c.ID, FetchedAt: Now(), Path: stagedFile(t, st, fetch+"/one.zip"), Report: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	// What each run makes, by the names engine and store give them (files, and folders with a file in).
	kinds := []string{"spill-1", "export-1.zip", "push-1.jsonl", "verify-1.jsonl", "verify-1/", "verify-target-1/",
		"sync-1/", "c9-1/", fetch + "/shape-1.tmp", fetch + "/records-1.tmp"}
	var removed, kept []string
	for _, pid := range []int{gone.Process.Pid, os.Getpid(), sleeper.Process.Pid} {
		for _, kind := range kinds {
			folder, name := filepath.Split(kind)
			path := folder + fmt.Sprintf("rdtmp%d-%s", pid, name)
			if name == "" { // a folder, with a file in
				path = fmt.Sprintf("rdtmp%d-%s", pid, strings.TrimSuffix(kind, "/"))
				stagedFile(t, st, path+"/inner")
			} else {
				stagedFile(t, st, path)
			}
			if pid == gone.Process.Pid {
				removed = append(removed, path)
			} else {
				kept = append(kept, path)
			}
		}
	}
	// Not ours, or in a folder of ours that is kept: a stored fetch of an older Rosterdesk, names we do not make.
	for _, path := range []string{"export-123.zip", "notes.txt", "rdtmpx-1", "rdtmp-1", "c3-1/one.zip"} {
		stagedFile(t, st, path)
		kept = append(kept, path)
	}
	kept = append(kept, fetch+"/one.zip", filepath.Base(live.Name()))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(st.path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	staging := StagingDir(st.path)
	for _, path := range removed {
		if _, err := os.Stat(filepath.Join(staging, path)); !os.IsNotExist(err) {
			t.Errorf("%s of a process gone is still there (%v)", path, err)
		}
	}
	for _, path := range kept {
		if _, err := os.Stat(filepath.Join(staging, path)); err != nil {
			t.Errorf("opening the workspace removed %s: %v", path, err)
		}
	}
}
