package main

import (
	"errors"
	"slices"
	"testing"
)

type fakeConsole struct {
	usableStreams []stdStream // the streams that have somewhere to go
	parent        bool        // the parent process has a console
	broken        stdStream   // reopening this stream fails (-1: none)
	attached      bool
}

func (f *fakeConsole) usable(s stdStream) bool { return slices.Contains(f.usableStreams, s) }
func (f *fakeConsole) attach() bool            { f.attached = true; return f.parent }
func (f *fakeConsole) reopen(s stdStream) error {
	if !f.attached {
		return errors.New("reopened before attaching")
	}
	if s == f.broken {
		return errors.New("no such console stream")
	}
	return nil
}

// Which streams a headless command takes from the console it was started from: only those with
// nowhere to go, and none when it was not started from a console.
func TestAttachStreamsReopensOnlyStreamsWithNowhereToGo(t *testing.T) {
	all := []stdStream{stdinStream, stdoutStream, stderrStream}
	for _, c := range []struct {
		name   string
		usable []stdStream
		parent bool
		broken stdStream
		attach bool
		want   []stdStream
	}{
		{"typed in cmd", nil, true, -1, true, all},
		{"output redirected to a file or a pipe", []stdStream{stdoutStream}, true, -1, true, []stdStream{stdinStream, stderrStream}},
		{"everything redirected", all, true, -1, false, nil},
		{"started without a console (Task Scheduler)", nil, false, -1, true, nil},
		{"the console has no input to give", nil, true, stdinStream, true, []stdStream{stdoutStream, stderrStream}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeConsole{usableStreams: c.usable, parent: c.parent, broken: c.broken}
			if got := attachStreams(f); !slices.Equal(got, c.want) {
				t.Errorf("reopened %v, want %v", got, c.want)
			}
			if f.attached != c.attach {
				t.Errorf("attached to the parent's console: %v, want %v", f.attached, c.attach)
			}
		})
	}
}
