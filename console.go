package main

// The Windows program is a desktop (GUI) program, so Windows gives it no console, and cmd and
// PowerShell do not wait for it. Typed at a prompt, `rosterdesk` runs Rosterdesk.com, a small console
// program installed beside Rosterdesk.exe (build/windows/launcher): it starts the .exe with its own
// console handles and waits, so the prompt waits too. Started by it, the program attaches to that
// console (attachConsole, console_windows.go) so that Ctrl+C reaches it, and uses the handles as they
// are.
//
// Rosterdesk.exe typed at a prompt has no handles at all, and the prompt is back at once: the program
// attaches to the console and prints there, but never reads it, because the shell reads the same
// keys; a secret typed there could run as the shell's next command. Its input stays empty, so a
// command that needs a line on stdin says how to give it (a pipe or an environment variable).

// stdStream is one of the three standard streams.
type stdStream int

const (
	stdinStream stdStream = iota
	stdoutStream
	stderrStream
)

// streamKind is where a standard stream goes.
type streamKind int

const (
	nowhere   streamKind = iota // no handle: a desktop program typed at a prompt, or started by Windows
	console                     // a console's input or output, handed over by Rosterdesk.com
	elsewhere                   // a file or a pipe
)

// consoleAPI is what attaching needs from the system; a test gives a fake.
type consoleAPI interface {
	kind(s stdStream) streamKind
	// attach attaches the process to its parent's console; false when the parent has none (started
	// from the Start menu or the Task Scheduler).
	attach() bool
	// reopen makes the output stream the attached console's output.
	reopen(s stdStream) error
}

// attachStreams attaches to the parent's console when a stream goes to a console or nowhere, and
// makes the output streams that went nowhere its output; it returns the streams it reopened.
func attachStreams(c consoleAPI) []stdStream {
	var kinds [3]streamKind
	needed := false
	for s := range kinds {
		kinds[s] = c.kind(stdStream(s))
		needed = needed || kinds[s] != elsewhere
	}
	if !needed || !c.attach() {
		return nil
	}
	var reopened []stdStream
	for _, s := range []stdStream{stdoutStream, stderrStream} {
		if kinds[s] == nowhere && c.reopen(s) == nil {
			reopened = append(reopened, s)
		}
	}
	return reopened
}
