package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole gives a headless command the console of the cmd or PowerShell it was started from
// (console.go says how and why).
func attachConsole() { attachStreams(winConsole{}) }

type winConsole struct{}

var (
	stdHandles = [...]uint32{stdinStream: windows.STD_INPUT_HANDLE, stdoutStream: windows.STD_OUTPUT_HANDLE, stderrStream: windows.STD_ERROR_HANDLE}
	procAttach = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
)

func (winConsole) kind(s stdStream) streamKind {
	h, err := windows.GetStdHandle(stdHandles[s])
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return nowhere
	}
	switch t, err := windows.GetFileType(h); {
	case err != nil || t == windows.FILE_TYPE_UNKNOWN:
		return nowhere
	case t == windows.FILE_TYPE_CHAR: // a console, or NUL: attaching to the parent's console does no harm then
		return console
	}
	return elsewhere
}

func (winConsole) attach() bool {
	const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS
	ok, _, _ := procAttach.Call(uintptr(attachParentProcess))
	return ok != 0
}

func (winConsole) reopen(s stdStream) error {
	h, err := windows.CreateFile(windows.StringToUTF16Ptr("CONOUT$"), windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	// Set for the processes this one starts too, such as the Task Scheduler's schtasks.
	if err := windows.SetStdHandle(stdHandles[s], h); err != nil {
		windows.CloseHandle(h)
		return err
	}
	f := os.NewFile(uintptr(h), "CONOUT$")
	if s == stdoutStream {
		os.Stdout = f
	} else {
		os.Stderr = f
	}
	return nil
}
