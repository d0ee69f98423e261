//go:build windows

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockedByte is the byte Windows locks: past what the file holds, so others can still read who
// holds the lock (a locked range cannot be read).
const lockedByte = 1 << 30

func lockFile(f *os.File) error {
	ol := windows.Overlapped{Offset: lockedByte}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return ErrWriterLocked
	}
	return err
}

func unlockFile(f *os.File) {
	ol := windows.Overlapped{Offset: lockedByte}
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}
