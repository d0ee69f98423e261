package main

// The Windows program is a desktop (GUI) program, so Windows gives it no console: a command run from
// cmd or PowerShell would print nowhere. attachConsole (console_windows.go) gives a headless command
// the console it was started from, for each standard stream with nowhere to go; a stream redirected
// to a file or a pipe stays as it is.

// stdStream is one of the three standard streams.
type stdStream int

const (
	stdinStream stdStream = iota
	stdoutStream
	stderrStream
)

// console is what attaching needs from the system; a test gives a fake.
type console interface {
	// usable says whether the stream has somewhere to go already: a file, a pipe or a console.
	usable(s stdStream) bool
	// attach attaches the process to its parent's console; false when the parent has none (started
	// from the Start menu or the Task Scheduler).
	attach() bool
	// reopen makes the stream the attached console's input or output.
	reopen(s stdStream) error
}

// attachStreams attaches to the parent's console when a stream has nowhere to go, and reopens those
// streams there; it returns the streams it reopened.
func attachStreams(c console) []stdStream {
	var missing, reopened []stdStream
	for _, s := range []stdStream{stdinStream, stdoutStream, stderrStream} {
		if !c.usable(s) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 || !c.attach() {
		return nil
	}
	for _, s := range missing {
		if c.reopen(s) == nil {
			reopened = append(reopened, s)
		}
	}
	return reopened
}
