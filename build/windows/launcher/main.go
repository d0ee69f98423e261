// Command launcher is Rosterdesk.com, the Rosterdesk that cmd and PowerShell run when `rosterdesk` is
// typed at a prompt: they pick NAME.com before NAME.exe, and they wait for a console program but never
// for a desktop program such as Rosterdesk.exe. It starts Rosterdesk.exe beside it with its own
// standard input, output and error, waits for it and exits with its exit code: the prompt waits, the
// output comes before the next prompt, and a line typed for the command (a secret) reaches the
// command, not the shell. The installer puts it beside Rosterdesk.exe (build/windows/installer).
package main

import (
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
)

func main() {
	// Ctrl+C reaches every program on the console: the desktop program attaches to it and stops what
	// it is doing (console.go), and this one waits for it rather than leave it running unseen.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	self, err := os.Executable()
	code := 1
	if err == nil {
		code, err = launch(self, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	}
	if err != nil {
		os.Stderr.WriteString("rosterdesk: " + err.Error() + "\n")
	}
	os.Exit(code)
}

// program is the desktop program a launcher named NAME.com starts: NAME.exe beside it.
func program(self string) (string, error) {
	ext := filepath.Ext(self)
	if !strings.EqualFold(ext, ".com") {
		name := strings.TrimSuffix(filepath.Base(self), ext)
		return "", errors.New(filepath.Base(self) + " starts the program beside it of the same name: name it " + name + ".com, beside " + name + ".exe")
	}
	return strings.TrimSuffix(self, ext) + ".exe", nil
}

// launch runs the program beside self with args and these standard streams, and returns its exit code.
func launch(self string, args []string, stdin, stdout, stderr *os.File) (int, error) {
	exe, err := program(self)
	if err != nil {
		return 1, err
	}
	p, err := os.StartProcess(exe, append([]string{exe}, args...), &os.ProcAttr{Files: []*os.File{stdin, stdout, stderr}})
	if err != nil {
		return 1, err
	}
	state, err := p.Wait()
	if err != nil {
		return 1, err
	}
	return state.ExitCode(), nil
}
