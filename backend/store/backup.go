package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ErrBackupExists means the file chosen for a backup is there already; it was left as it is.
var ErrBackupExists = errors.New("already exists")

// Backup writes a copy of the workspace to file, consistent even while a run writes to it: SQLite's
// VACUUM INTO reads one snapshot of the database. The copy is written beside file and renamed
// into place, so a failed backup leaves no half-written file and, with replace, an existing one
// is changed only by a complete copy. Without replace an existing file is refused.
func (s *Store) Backup(ctx context.Context, file string, replace bool) error {
	file, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	for _, own := range []string{s.path, s.path + "-wal", s.path + "-shm", s.path + ".lock"} {
		if same(file, own) {
			return fmt.Errorf("%s is the workspace itself or one of its own files. Choose another file for its backup", file)
		}
	}
	if _, err := os.Stat(file); err == nil && !replace {
		return fmt.Errorf("the backup file %s %w. Choose another name, or replace it", file, ErrBackupExists)
	}
	return s.vacuumInto(ctx, file)
}

// same reports whether a and b are one file.
func same(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(ia, ib)
}

// vacuumInto writes the workspace into a new, owner-only file beside file, then renames it to file.
func (s *Store) vacuumInto(ctx context.Context, file string) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return cannotWrite(dir, true, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+"-*")
	if err != nil {
		return cannotWrite(dir, true, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // gone once renamed; there after a failure
	// VACUUM INTO accepts an empty file; a name starting "file:" would be read as a URI.
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmp.Name()); err != nil {
		return fmt.Errorf("the backup could not be written to %s: %w", dir, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return cannotWrite(file, false, err)
	}
	return nil
}

// KeptUpgradeBackups is how many backups taken before upgrades are kept beside a workspace; older
// ones are removed when a new one is taken.
const KeptUpgradeBackups = 3

// UpgradeBackups lists the backups taken before upgrades of the workspace at path, newest first.
func UpgradeBackups(path string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	var names []string
	modified := map[string]time.Time{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, filepath.Base(path)+".v") || !strings.HasSuffix(name, ".bak") {
			continue
		}
		if info, err := e.Info(); err == nil {
			full := filepath.Join(filepath.Dir(path), name)
			names = append(names, full)
			modified[full] = info.ModTime()
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := modified[b].Compare(modified[a]); c != 0 {
			return c
		}
		return strings.Compare(b, a)
	})
	return names, nil
}

// backupBeforeUpgrade keeps the workspace as it is at version before a migration changes it, as
// <workspace>.v<version>-<date>-<time>.bak beside it, the last KeptUpgradeBackups of them. The caller
// holds the write lock, so the copy is the workspace the migration starts from.
func (s *Store) backupBeforeUpgrade(ctx context.Context, version int) error {
	file := fmt.Sprintf("%s.v%d-%s.bak", s.path, version, time.Now().Format("20060102-150405"))
	if err := s.vacuumInto(ctx, file); err != nil {
		return fmt.Errorf("before upgrading it, Rosterdesk backs it up, and %w. Free some space or make the folder writable, then open it again", err)
	}
	// Removing older backups is tidying: one that cannot go (held open by another program) stays,
	// and the workspace still opens.
	kept, _ := UpgradeBackups(s.path)
	for _, old := range kept[min(len(kept), KeptUpgradeBackups):] {
		os.Remove(old)
	}
	return nil
}
