package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ErrBackupExists means the file chosen for a backup is there already; it was left as it is.
var ErrBackupExists = errors.New("already exists")

// Backup writes a copy of the workspace to file, consistent even while a run writes to it: SQLite's
// VACUUM INTO reads one snapshot of the database. The copy is written beside file and only then put
// in place, so a failed or cancelled backup leaves no half-written file and, with replace, an existing
// one is changed only by a complete copy. Without replace an existing file is refused, also one made
// while the copy was written. progress, if not nil, is told the bytes written of about how many.
func (s *Store) Backup(ctx context.Context, file string, replace bool, progress func(written, total int64)) error {
	file, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	for _, own := range []string{s.path, s.path + "-wal", s.path + "-shm", s.path + ".lock"} {
		if same(file, own) {
			return fmt.Errorf("%s is the workspace itself or one of its own files. Choose another file for its backup", file)
		}
	}
	// Asked first too, so that a long copy is not written only to be refused.
	if _, err := os.Stat(file); err == nil && !replace {
		return backupExists(file)
	}
	return s.vacuumInto(ctx, file, replace, progress)
}

func backupExists(file string) error {
	return fmt.Errorf("the backup file %s %w. Choose another name, or replace it", file, ErrBackupExists)
}

// same reports whether a and b are one file.
func same(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(ia, ib)
}

// vacuumInto writes the workspace into a new, owner-only file beside file, then puts it in place:
// renamed over file with replace, else linked to file's name, which fails if a file is there.
func (s *Store) vacuumInto(ctx context.Context, file string, replace bool, progress func(written, total int64)) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return cannotWrite(dir, true, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+"-*")
	if err != nil {
		return cannotWrite(dir, true, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // gone once renamed; there after a failure, or beside the linked copy
	stop := func(bool) {}
	if progress != nil {
		stop = watchSize(tmp.Name(), s.liveBytes(ctx), progress)
	}
	// VACUUM INTO accepts an empty file; a name starting "file:" would be read as a URI.
	_, err = s.db.ExecContext(ctx, `VACUUM INTO ?`, tmp.Name())
	stop(err == nil)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("the backup could not be written to %s: %w", dir, err)
	}
	if replace {
		if err := os.Rename(tmp.Name(), file); err != nil {
			return cannotWrite(file, false, err)
		}
		return nil
	}
	return placeNew(tmp.Name(), file)
}

// link is os.Link, which tests replace to take the path of a file system without links.
var link = os.Link

// placeNew gives the complete copy at tmp the name file, refusing a file there: a hard link cannot
// replace one. Where links cannot be made (FAT, some network shares), file is created exclusively
// and the copy written into it.
func placeNew(tmp, file string) error {
	err := link(tmp, file)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return backupExists(file)
	}
	out, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return backupExists(file)
	}
	if err != nil {
		return cannotWrite(file, false, err)
	}
	in, err := os.Open(tmp)
	if err == nil {
		_, err = io.Copy(out, in)
		in.Close()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file) // ours: made above
		return cannotWrite(file, false, err)
	}
	return nil
}

// liveBytes is about what a copy of the workspace takes: its pages less the free ones.
func (s *Store) liveBytes(ctx context.Context) int64 {
	var n int64
	s.db.QueryRowContext(ctx, `SELECT ((SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count)) *
		(SELECT page_size FROM pragma_page_size)`).Scan(&n)
	return n
}

// watchSize tells progress how big file has grown, of about total, every 200 ms until stopped by
// the returned function; stopped with complete, it tells the final size as the total.
func watchSize(file string, total int64, progress func(written, total int64)) (stop func(complete bool)) {
	size := func() int64 {
		info, err := os.Stat(file)
		if err != nil {
			return 0
		}
		return info.Size()
	}
	progress(0, total)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				progress(min(size(), total), total) // the estimate may fall short; never past 100%
			}
		}
	}()
	return func(complete bool) {
		close(done)
		<-finished
		if complete {
			n := size()
			progress(n, n)
		}
	}
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
	if err := s.vacuumInto(ctx, file, true, nil); err != nil {
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
