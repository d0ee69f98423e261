package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// WriterLock is held by the one process whose run writes a workspace (an import, an export, a fetch
// keeping its data): a lock on the file <workspace>.lock, which the operating system lets go of when
// the process ends, however it ends, so a crashed Rosterdesk never holds a workspace. The file names
// the process that holds it, for those who wait.
type WriterLock struct{ f *os.File }

// ErrWriterLocked means another process holds the workspace's writer lock.
var ErrWriterLocked = errors.New("another Rosterdesk is writing to this workspace")

// LockWriter takes the workspace's writer lock for operator, or returns ErrWriterLocked at once.
func (s *Store) LockWriter(operator string) (*WriterLock, error) {
	f, err := os.OpenFile(s.path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, cannotWrite(s.path+".lock", false, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	// Who holds it: process, operator, since when. Read while locked by others, so never locked itself.
	line := fmt.Sprintf("%d\t%s\t%s\n", os.Getpid(), Now(), strings.ReplaceAll(operator, "\t", " "))
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(line), 0)
	}
	return &WriterLock{f: f}, nil
}

// Release lets another process write.
func (l *WriterLock) Release() {
	unlockFile(l.f)
	l.f.Close()
}

// WriterHolder says who holds the writer lock, in words for one waiting: "import of District by pat,
// since 10:02", or "pat, since 10:02" before its run has started.
func (s *Store) WriterHolder(ctx context.Context) string {
	raw, err := os.ReadFile(s.path + ".lock")
	fields := strings.SplitN(strings.TrimSpace(string(raw)), "\t", 3)
	if err != nil || len(fields) < 3 {
		return "since a moment ago"
	}
	pid, _ := strconv.Atoi(fields[0])
	since, operator := fields[1], fields[2]
	var direction, connection string
	err = s.db.QueryRowContext(ctx, `SELECT direction, connection_name, operator, started_at FROM runs WHERE status = 'running' AND pid = ? ORDER BY id DESC LIMIT 1`, pid).
		Scan(&direction, &connection, &operator, &since)
	what := operator
	if err == nil {
		what = direction + " of " + connection + " by " + operator
	}
	if t, err := time.Parse(TimeLayout, since); err == nil {
		since = t.Local().Format("15:04")
	}
	return what + ", since " + since
}
