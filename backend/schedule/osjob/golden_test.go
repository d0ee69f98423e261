package osjob

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test -run Golden -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from what is registered now:\n%s\nwant\n%s", file, got, want)
	}
}

// The entries registered on Windows, macOS and Linux, byte for byte, for a program and a workspace
// whose paths need quoting: what cannot be run here is at least checked against a reviewed text.
func TestGoldenEntries(t *testing.T) {
	win := schtasksPlan(`C:\Program Files\Rosterdesk\rosterdesk.exe`, `C:\Users\Ms O'Neil\Documents\Roster 2026 & co\workspace.db`)
	golden(t, "schtasks.txt", fmt.Sprintf("# Task Scheduler: %s\n# schtasks's arguments, one a line:\n%s\n# as the window shows it:\n%s\n# the task runs:\n%s\n",
		win.Where, strings.Join(schtasksCreateArgs(`C:\Program Files\Rosterdesk\rosterdesk.exe`, `C:\Users\Ms O'Neil\Documents\Roster 2026 & co\workspace.db`), "\n"),
		win.Text, win.Command))
	mac := launchdPlan("/Applications/Rosterdesk.app/Contents/MacOS/Rosterdesk", "/Users/ms o'neil/Documents/Roster <2026> & \"co\" 100%.db")
	golden(t, "launchd.plist", mac.Text)
	if base := filepath.Base(mac.Where); base != "com.rosterdesk.run-due."+hash("darwin", "/Users/ms o'neil/Documents/Roster <2026> & \"co\" 100%.db")+".plist" {
		t.Errorf("the agent's file is %s", base)
	}
	// The crontab's session bus names this user's id: the same line for any user is kept.
	linux := cronPlan("/opt/Rosterdesk's bin/rosterdesk", "/home/ms/"+awkward, hash("linux", "/home/ms/"+awkward))
	golden(t, "crontab.txt", strings.ReplaceAll(linux.Text, fmt.Sprintf("/run/user/%d/", os.Getuid()), "/run/user/UID/"))
}
