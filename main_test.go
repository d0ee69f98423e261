package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The production binary given flags before the command, on a computer without a display: the
// command runs headless and the window (GTK) never starts.
func TestCommandWithFlagsFirstRunsWithoutADisplay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the production binary")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the production build's tags here are Linux's")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rosterdesk")
	build := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the production binary (make deps installs GTK and WebKitGTK): %v\n%s", err, out)
	}
	ws := filepath.Join(dir, "district#1.db")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	env = append(env, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "ROSTERDESK_SECRETS=file")
	for _, c := range []struct {
		args []string
		json bool
	}{
		{[]string{"--workspace", ws, "--json", "roster", "counts"}, true},
		{[]string{"--json", "--workspace=" + ws, "runs", "list"}, true},
		{[]string{"--help"}, false},
		{[]string{"version"}, false},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = env
		out, err := cmd.Output()
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		if err != nil || len(out) == 0 || c.json && !json.Valid(out) || strings.Contains(stderr, "Gtk") {
			t.Fatalf("rosterdesk %s: %v\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), err, out, stderr)
		}
	}
	if _, err := os.Stat(ws); err != nil {
		t.Fatalf("the command did not use the workspace it was given: %v", err)
	}
}
