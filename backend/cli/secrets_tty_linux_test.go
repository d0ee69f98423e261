package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: what a registrar types goes into master, the command reads slave.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err == nil {
		err = unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0)
	}
	if err != nil {
		t.Fatal(err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	return master, slave
}

func TestASecretTypedAtATerminalIsNotShown(t *testing.T) {
	master, slave := openPTY(t)
	t.Setenv("ROSTERDESK_SECRET_PASSWORD", "")
	os.Unsetenv("ROSTERDESK_SECRET_PASSWORD")

	var prompt bytes.Buffer
	type result struct {
		values map[string]string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		v, err := readSecrets([]string{"password"}, slave, &prompt)
		done <- result{v, err}
	}()
	// Type only once the terminal has stopped echoing, as a person would after the prompt; a reader
	// that never turns echo off is typed at anyway after a while, and its echo is what fails the test.
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS); err == nil && tio.Lflag&unix.ECHO == 0 {
			break
		}
	}
	if _, err := master.WriteString("correct horse\n"); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the secret typed was not read")
	}
	if r.err != nil || r.values["password"] != "correct horse" {
		t.Fatalf("read %q, %v; want the line typed", r.values, r.err)
	}
	slave.Close()
	shown, _ := io.ReadAll(master) // ends with EIO once the slave is closed
	if strings.Contains(string(shown), "correct horse") {
		t.Errorf("the terminal showed the secret: %q", shown)
	}
	if !strings.Contains(prompt.String(), `secret "password"`) {
		t.Errorf("no prompt naming the secret on stderr: %q", prompt.String())
	}
}
