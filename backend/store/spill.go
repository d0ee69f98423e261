package store

import (
	"os"
	"path/filepath"

	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
)

// A spill file holds what a run sets aside on disk while it runs (the log of an import deleting half
// a state's roster: record ids and values), in the workspace's staging folder: student data stays
// where the registrar put the workspace, not in the system's temporary folder. The run removes it;
// its name carries the process's id, so that one left by a process that was killed is removed when
// the workspace is next opened (removeTemporaries).

// CreateSpill creates a spill file, readable by this user only. The caller removes it.
func (s *Store) CreateSpill() (*os.File, error) {
	dir := StagingDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return scratch.CreateTemp(dir, "spill-*")
}

// removeTemporaries removes what runs of processes that are gone left in the staging folder (see
// scratch.Sweep), except the folders of stored fetches: a fetch's folder carries the id of the
// process that fetched it, which is gone long before the fetch is replaced.
func (s *Store) removeTemporaries() {
	rows, err := s.db.Query(`SELECT path FROM snapshots`)
	if err != nil {
		return // without the list, a stored fetch could look like a killed run's folder
	}
	defer rows.Close()
	stored := map[string]bool{}
	for rows.Next() {
		var path string
		if err := rows.Scan(&path); err != nil {
			return
		}
		if p := s.stagedPath(path); p != "" {
			stored[filepath.Dir(p)] = true
		}
	}
	if rows.Err() != nil {
		return
	}
	scratch.Sweep(StagingDir(s.path), func(path string) bool { return stored[path] })
}
