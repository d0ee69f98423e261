package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openTerminal opens a pseudo-terminal: what the command writes to tty, the test reads from pty.
func openTerminal(t *testing.T) (pty, tty *os.File) {
	t.Helper()
	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { pty.Close() })
	if err := unix.IoctlSetPointerInt(int(pty.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(pty.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return pty, tty
}

// TestScanShowsProgressOnATerminalAndCancelledSavesNothing runs a scan with its stderr on a terminal,
// as a registrar at a shell does: it shows a progress bar, and Ctrl+C while it reads the roster (most
// of its second) stops it with exit status 130, no pair in the queue, no merge and no run recorded.
func TestScanShowsProgressOnATerminalAndCancelledSavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a large district")
	}
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	ok(t, dir, "generate", "--out", zip, "--users", "30000", "--duplicates", "0.02", "--seed", "9")
	ok(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	ok(t, dir, "duplicates", "settings", "--after-import", "off")
	ok(t, dir, "import", "SIS")
	active, deleted := userCounts(t, dir)
	runs := ok(t, dir, "runs", "list")

	cmd, shown := onATerminal(t, dir, "duplicates", "scan")
	interruptOnceShown(t, cmd, shown, "reading", "Cancelled")

	if out := ok(t, dir, "duplicates", "list", "--status", "all"); !strings.Contains(out, "No such pairs") {
		t.Errorf("the cancelled scan saved pairs:\n%s", out)
	}
	if a, d := userCounts(t, dir); a != active || d != deleted {
		t.Errorf("users after the cancelled scan: %d active, %d tobedeleted; before %d, %d", a, d, active, deleted)
	}
	if out := ok(t, dir, "runs", "list"); out != runs {
		t.Errorf("the cancelled scan recorded a run:\n%s", out)
	}
}
