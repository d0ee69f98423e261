package osjob

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// An awkward workspace: a space, an apostrophe, a percent sign (cron's end of command) and a dollar.
const awkward = "Spring '26 100% $HOME/work space.db"

// fakeExe writes a script that records the arguments it is called with, one a line, in a folder
// whose name needs quoting too.
func fakeExe(t *testing.T) (exe, argsFile string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Rosterdesk's bin dir")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	argsFile = filepath.Join(dir, "args")
	exe = filepath.Join(dir, "rosterdesk")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + strings.ReplaceAll(argsFile, "'", `'\''`) + "'\n"
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return exe, argsFile
}

// cronCommandOf is what cron hands to sh for an entry line: the part after the five time fields,
// up to the first unescaped %, with \% read as % (cron's do_command).
func cronCommandOf(line string) string {
	fields := strings.SplitN(line, " ", 6)
	cmd := fields[5]
	var b strings.Builder
	for i := 0; i < len(cmd); i++ {
		if cmd[i] == '\\' && i+1 < len(cmd) && cmd[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if cmd[i] == '%' {
			break
		}
		b.WriteByte(cmd[i])
	}
	return b.String()
}

// TestCronLineRunsTheCommand runs the entry's line the way cron does and checks the program gets
// exactly its arguments, paths with spaces, apostrophes and percent signs included.
func TestCronLineRunsTheCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("cron lines are run by a POSIX shell")
	}
	exe, argsFile := fakeExe(t)
	ws := filepath.Join(t.TempDir(), awkward)
	reg := cronPlan(exe, ws, hash("linux", ws))
	lines := strings.Split(strings.TrimSuffix(reg.Text, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "# ") || !strings.HasPrefix(lines[1], "*/5 * * * * ") {
		t.Fatalf("entry:\n%s", reg.Text)
	}
	if !strings.Contains(lines[0], ws) {
		t.Errorf("the comment does not name the workspace: %s", lines[0])
	}
	out, err := exec.Command("/bin/sh", "-c", cronCommandOf(lines[1])).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	got, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{"schedule", "run-due", "--workspace", ws}, "\n") + "\n"
	if string(got) != want {
		t.Errorf("the program got\n%s\nwant\n%s", got, want)
	}
	if c := cronCommand(lines[1], hash("linux", ws)); c != reg.Command {
		t.Errorf("command read back = %s, want %s", c, reg.Command)
	}
	// The command as shown runs the same way.
	os.Remove(argsFile)
	if out, err := exec.Command("/bin/sh", "-c", reg.Command).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if again, _ := os.ReadFile(argsFile); string(again) != want {
		t.Errorf("the shown command gave\n%s", again)
	}
}

func TestWithoutEntry(t *testing.T) {
	mine, other := hash("linux", "/a/ws.db"), hash("linux", "/b/ws.db")
	tab := "MAILTO=\"\"\n# keep me\n0 3 * * * /bin/true\n" +
		cronPlan("/bin/rosterdesk", "/a/ws.db", mine).Text +
		cronPlan("/bin/rosterdesk", "/b/ws.db", other).Text +
		"@reboot /usr/bin/thing # rosterdesk-run-due:" + mine + "x\n" +
		"15 * * * * /bin/last-line-without-newline"
	rest, found := withoutEntry(tab, mine)
	if len(found) != 2 {
		t.Errorf("found %q", found)
	}
	want := "MAILTO=\"\"\n# keep me\n0 3 * * * /bin/true\n" +
		cronPlan("/bin/rosterdesk", "/b/ws.db", other).Text +
		"@reboot /usr/bin/thing # rosterdesk-run-due:" + mine + "x\n" +
		"15 * * * * /bin/last-line-without-newline\n"
	if rest != want {
		t.Errorf("kept\n%s\nwant\n%s", rest, want)
	}
	if rest, found := withoutEntry("", mine); rest != "" || found != nil {
		t.Errorf("empty crontab: %q %q", rest, found)
	}
}

func crontabList(t *testing.T) (string, bool) {
	t.Helper()
	tab, err := readCrontab()
	if err != nil {
		t.Fatal(err)
	}
	return tab, tab != ""
}

// TestCrontab registers with the real crontab: earlier lines kept, registering twice leaves one
// entry, a second workspace gets its own, unregistering removes only ours. The user's crontab is
// saved first and put back at the end.
func TestCrontab(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("crontab is Rosterdesk's scheduler on Linux and other Unixes only")
	}
	if _, err := exec.LookPath("crontab"); err != nil {
		t.Skip("no crontab program on this computer (Debian package cron): the crontab registration is not tested")
	}
	saved, had := crontabList(t)
	t.Cleanup(func() {
		if had {
			if err := writeCrontab(saved); err != nil {
				t.Errorf("could not restore your crontab: %v\nit was:\n%s", err, saved)
			}
		} else {
			_ = writeCrontab("")
		}
	})
	earlier := saved + "MAILTO=\"\"\n# someone's job\n0 3 * * * /bin/true # nightly\n"
	if err := writeCrontab(earlier); err != nil {
		t.Fatal(err)
	}

	exe, _ := fakeExe(t)
	dir := t.TempDir()
	ws := filepath.Join(dir, awkward)
	other := filepath.Join(dir, "other.db")
	if _, ok, err := Status(ws); ok || err != nil {
		t.Fatalf("registered before Register: %v %v", ok, err)
	}
	if _, err := Register(exe, other); err != nil {
		t.Fatal(err)
	}
	reg, err := Register(exe, ws)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Kind != Crontab || !reflect.DeepEqual(reg, Plan(exe, ws)) {
		t.Errorf("Register = %+v, Plan = %+v", reg, Plan(exe, ws))
	}
	tab, _ := crontabList(t)
	if !strings.HasPrefix(tab, earlier) || !strings.Contains(tab, reg.Text) {
		t.Fatalf("crontab after Register:\n%s", tab)
	}
	// Again, and from a relative path to the same file: still one entry.
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Register(exe, awkward); err != nil {
		t.Fatal(err)
	}
	tab, _ = crontabList(t)
	if strings.Count(tab, cronMarker(hash(runtime.GOOS, ws))) != 2 || strings.Count(tab, reg.Text) != 1 {
		t.Errorf("crontab after registering again:\n%s", tab)
	}
	got, ok, err := Status(ws)
	if err != nil || !ok || got.Command != reg.Command || got.Text != reg.Text {
		t.Errorf("Status = %+v %v %v, want %+v", got, ok, err, reg)
	}

	if err := Unregister(ws); err != nil {
		t.Fatal(err)
	}
	tab, _ = crontabList(t)
	if tab != earlier+Plan(exe, other).Text {
		t.Errorf("crontab after Unregister:\n%s\nwant\n%s", tab, earlier+Plan(exe, other).Text)
	}
	if _, ok, _ := Status(ws); ok {
		t.Error("still registered after Unregister")
	}
	if err := Unregister(ws); err != nil {
		t.Errorf("Unregister with nothing registered: %v", err)
	}
	if err := Unregister(other); err != nil {
		t.Fatal(err)
	}
	if tab, _ = crontabList(t); tab != earlier {
		t.Errorf("crontab after removing both:\n%s", tab)
	}
}
