package main

import (
	"errors"
	"slices"
	"testing"
)

type fakeConsole struct {
	kinds     [3]streamKind
	parent    bool      // the parent process has a console
	broken    stdStream // reopening this stream fails (-1: none)
	attached  bool
	readInput bool // the console's input was reopened
}

func (f *fakeConsole) kind(s stdStream) streamKind { return f.kinds[s] }
func (f *fakeConsole) attach() bool                { f.attached = true; return f.parent }
func (f *fakeConsole) reopen(s stdStream) error {
	if !f.attached {
		return errors.New("reopened before attaching")
	}
	f.readInput = f.readInput || s == stdinStream
	if s == f.broken {
		return errors.New("no such console stream")
	}
	return nil
}

// How a headless command takes the console it was started from: typed at a prompt, it prints there
// but never reads the console the shell reads; started by Rosterdesk.com, it attaches (so that Ctrl+C
// reaches it) and keeps the console handles it was given; a file or a pipe stays as it is.
func TestAttachStreamsPrintsToTheConsoleAndReadsOnlyWhatItIsGiven(t *testing.T) {
	out := []stdStream{stdoutStream, stderrStream}
	for _, c := range []struct {
		name   string
		kinds  [3]streamKind
		parent bool
		broken stdStream
		attach bool
		want   []stdStream
	}{
		{"Rosterdesk.exe typed in cmd", [3]streamKind{nowhere, nowhere, nowhere}, true, -1, true, out},
		{"typed in cmd, output to a file or a pipe", [3]streamKind{nowhere, elsewhere, nowhere}, true, -1, true, []stdStream{stderrStream}},
		{"typed in cmd, input from a pipe", [3]streamKind{elsewhere, nowhere, nowhere}, true, -1, true, out},
		{"started by Rosterdesk.com", [3]streamKind{console, console, console}, true, -1, true, nil},
		{"started by Rosterdesk.com, output to a file", [3]streamKind{console, elsewhere, console}, true, -1, true, nil},
		{"everything redirected", [3]streamKind{elsewhere, elsewhere, elsewhere}, true, -1, false, nil},
		{"started without a console (Task Scheduler)", [3]streamKind{nowhere, nowhere, nowhere}, false, -1, true, nil},
		{"the console has no error output to give", [3]streamKind{nowhere, nowhere, nowhere}, true, stderrStream, true, []stdStream{stdoutStream}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeConsole{kinds: c.kinds, parent: c.parent, broken: c.broken}
			if got := attachStreams(f); !slices.Equal(got, c.want) {
				t.Errorf("reopened %v, want %v", got, c.want)
			}
			if f.readInput {
				t.Error("reopened the console's input, which the shell reads too")
			}
			if f.attached != c.attach {
				t.Errorf("attached to the parent's console: %v, want %v", f.attached, c.attach)
			}
		})
	}
}
