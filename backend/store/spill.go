package store

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A spill file holds what a run sets aside on disk while it runs (the log of an import deleting half
// a state's roster: record ids and values), in the workspace's staging folder: student data stays
// where the registrar put the workspace, not in the system's temporary folder. The run removes it;
// its name carries the process's id, so that one left by a process that was killed is removed when
// the workspace is next opened.
const spillPrefix = "spill-"

// CreateSpill creates a spill file, readable by this user only. The caller removes it.
func (s *Store) CreateSpill() (*os.File, error) {
	dir := StagingDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, spillPrefix+strconv.Itoa(os.Getpid())+"-*")
}

// removeSpills removes the spill files of processes that are gone. One that cannot go (held open on
// Windows) is tried again at the next opening.
func (s *Store) removeSpills() {
	names, _ := filepath.Glob(filepath.Join(StagingDir(s.path), spillPrefix+"*"))
	for _, name := range names {
		pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(name), spillPrefix), "-")
		if n, err := strconv.Atoi(pid); err == nil && !processAlive(n) {
			os.Remove(name)
		}
	}
}
