package osjob

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// standIn puts a shell script named name first on PATH (and only it, with sh's own folders).
func standIn(t *testing.T, name, script string) {
	t.Helper()
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":/usr/bin:/bin")
}

// cannotTell says whether err is Status's "cannot tell", naming what it gives to check.
func cannotTell(t *testing.T, err error, check string) {
	t.Helper()
	var ct *CannotTellError
	if !errors.As(err, &ct) || !strings.HasPrefix(err.Error(), "Rosterdesk cannot tell whether scheduled integrations run while it is closed: ") ||
		!strings.Contains(ct.Check, check) {
		t.Errorf("want a plain cannot-tell naming %q, got %v", check, err)
	}
}

// On Windows a failed query of the task is told apart: none (the list of all tasks lacks it) or
// cannot tell (the list fails too). schtasks is a stand-in here.
func TestSchtasksStatus(t *testing.T) {
	h := "0123456789"
	standIn(t, "schtasks", `case "$3" in
  *run-due*) printf 'TaskName: \\Rosterdesk\\run-due 0123456789\r\nTask To Run: "C:\\R\\rosterdesk.exe" schedule run-due --workspace "C:\\ws.db"\r\n' ;;
  *) echo 'ERROR: The system cannot find the file specified.' >&2; exit 1 ;;
esac`)
	reg, ok, err := schtasksStatus(h)
	if err != nil || !ok || reg.Command != `"C:\R\rosterdesk.exe" schedule run-due --workspace "C:\ws.db"` {
		t.Errorf("registered: %+v %v %v", reg, ok, err)
	}
	standIn(t, "schtasks", `case "$2" in
  /TN) echo 'ERROR: The system cannot find the file specified.' >&2; exit 1 ;;
  *) printf '"\\Microsoft\\Windows\\Defrag\\ScheduledDefrag","N/A","Ready"\r\n' ;;
esac`)
	if _, ok, err := schtasksStatus(h); ok || err != nil {
		t.Errorf("none: %v %v", ok, err)
	}
	standIn(t, "schtasks", `echo 'ERROR: Access is denied.' >&2; exit 1`)
	_, ok, err = schtasksStatus(h)
	cannotTell(t, err, `Task Scheduler and look for the task Rosterdesk\run-due 0123456789`)
	if ok || !strings.Contains(err.Error(), "Access is denied") {
		t.Errorf("access denied: %v %v", ok, err)
	}
	// Removing it then still tries (and says what failed), rather than taking it for gone.
	if err := schtasksUnregister(h); err == nil || !strings.Contains(err.Error(), "schtasks /Delete") {
		t.Errorf("unregister when it cannot tell: %v", err)
	}
}

// On macOS the agent's file tells; one that cannot be read is cannot tell, not "off".
func TestLaunchdStatus(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	h := "0123456789"
	if _, ok, err := launchdStatus(h); ok || err != nil {
		t.Errorf("none: %v %v", ok, err)
	}
	reg := launchdPlan("/Applications/Rosterdesk.app/Contents/MacOS/Rosterdesk", "/Users/ms/ws.db")
	if err := os.MkdirAll(filepath.Dir(plistPath(h)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plistPath(h), []byte(reg.Text), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := launchdStatus(h); !ok || err != nil || got.Command != "/Applications/Rosterdesk.app/Contents/MacOS/Rosterdesk schedule run-due --workspace /Users/ms/ws.db" {
		t.Errorf("registered: %+v %v %v", got, ok, err)
	}
	// A folder where the file should be cannot be read, whoever runs the test.
	if err := os.Remove(plistPath(h)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(plistPath(h), 0o755); err != nil {
		t.Fatal(err)
	}
	_, ok, err := launchdStatus(h)
	cannotTell(t, err, "com.rosterdesk.run-due.0123456789.plist in "+filepath.Join(home, "Library", "LaunchAgents"))
	if ok {
		t.Error("unreadable, yet registered")
	}
}

// On Linux, crontab -l failing otherwise than with "no crontab" is cannot tell.
func TestCronStatusCannotTell(t *testing.T) {
	standIn(t, "crontab", `echo "crontab: cannot open /var/spool/cron/crontabs: Permission denied" >&2; exit 1`)
	_, ok, err := cronStatus("0123456789")
	cannotTell(t, err, "crontab -l")
	if ok || !strings.Contains(err.Error(), "Permission denied") {
		t.Errorf("crontab -l failing: %v %v", ok, err)
	}
	standIn(t, "crontab", `echo "no crontab for ms" >&2; exit 1`)
	if _, ok, err := cronStatus("0123456789"); ok || err != nil {
		t.Errorf("no crontab: %v %v", ok, err)
	}
}
