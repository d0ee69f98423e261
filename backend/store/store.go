// Package store is the workspace: one SQLite file (modernc.org/sqlite, no cgo) holding connections,
// staged snapshots, the roster and the run history. Schema changes are numbered SQL migrations
// embedded in the binary and applied in one transaction when the workspace is opened.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite" // the "sqlite" driver, and its errors
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNewerWorkspace means the file was written by a newer Rosterdesk; opening it could lose data.
var ErrNewerWorkspace = errors.New("it was created by a newer version of Rosterdesk. Update Rosterdesk to open it, or choose another workspace")

// ErrNotWorkspace means the file is another program's (or no database at all); it was left untouched.
var ErrNotWorkspace = errors.New("it is not a Rosterdesk workspace but another program's file, which Rosterdesk leaves as it is. Choose a workspace Rosterdesk created, or a new file name")

// applicationID marks a SQLite file as a Rosterdesk workspace (PRAGMA application_id, "RDSK"), so
// Rosterdesk never adopts another program's database.
const applicationID = 0x5244534B

// Store is an open workspace.
type Store struct {
	db   *sql.DB
	path string
}

// Open opens (creating if needed) the workspace at path and brings its schema up to date. It opens
// only a Rosterdesk workspace or a new, empty file; any other file is refused and left untouched.
func Open(path string) (*Store, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, cannotWrite(dir, true, err)
	}
	// SQLite writes the -wal and -shm files beside the workspace, even to read it.
	if err := checkFolderWritable(dir); err != nil {
		return nil, err
	}
	if err := create(path); err != nil {
		return nil, fmt.Errorf("cannot create the workspace %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, cannotWrite(path, false, err)
	}
	f.Close()
	marked, err := recognise(path)
	if err != nil {
		return nil, fmt.Errorf("Rosterdesk cannot open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", fileURI(path, workspaceParams()))
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("Rosterdesk cannot open the workspace %s: %w", path, writeError(path, err))
	}
	if !marked {
		// A workspace of a Rosterdesk from before the mark: it gets it now.
		if _, err := db.Exec(fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
			db.Close()
			return nil, writeError(path, err)
		}
	}
	if err := s.markInterrupted(); err != nil {
		db.Close()
		return nil, writeError(path, err)
	}
	s.removeTemporaries()
	return s, nil
}

// workspaceParams are the driver's parameters a workspace is opened with.
func workspaceParams() url.Values {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	// Transactions take the write lock as they begin. A deferred one that reads and then writes
	// while another process writes fails at once with SQLITE_BUSY: SQLite does not wait for a read
	// transaction to become a write one (that could deadlock), whatever the busy timeout says.
	q.Set("_txlock", "immediate")
	return q
}

// fileURI is the SQLite URI of the file at path with the driver's parameters q. The driver takes
// its parameters after the first "?" and SQLite ends the name at a "?" or "#" and decodes "%41" as
// "A", so every byte of the path but letters, digits and "-._~/" is percent-escaped: any name opens
// exactly that file. The empty authority ("file:///") keeps a Windows drive ("/C:/…") or a network
// share ("////server/share/…") a plain path.
func fileURI(path string, q url.Values) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	var b strings.Builder
	b.WriteString("file://")
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(p); i++ {
		c := p[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	if len(q) > 0 {
		b.WriteString("?" + q.Encode())
	}
	return b.String()
}

// pageSize is the page size of new workspaces; it must be chosen before a file has any content, so
// a workspace keeps the size it was created with. Bigger pages carry more rows per write and per
// B-tree split: a first import of 100,000 students took 6.5–6.9 s with 16 KiB pages against 7.4–8.1 s
// with SQLite's default of 4 KiB (same machine, alternating runs), and the roster browser's page and
// search queries took no longer.
const pageSize = 16384

// create makes the workspace file, readable by its owner only (SQLite gives the -wal and -shm files
// the same mode), and sets up an empty one: page size, Rosterdesk's mark and the write-ahead log.
// A file with content is left alone.
func create(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return cannotWrite(filepath.Dir(path), true, err)
	}
	if info, err := os.Stat(path); err != nil || info.Size() > 0 {
		return nil // there, or not readable, which opening it says
	}
	// Another Rosterdesk may be setting up the same new file: wait for it rather than fail.
	db, err := sql.Open("sqlite", fileURI(path, url.Values{"_pragma": {"busy_timeout(10000)"}}))
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{fmt.Sprintf(`PRAGMA page_size = %d`, pageSize), fmt.Sprintf(`PRAGMA application_id = %d`, applicationID), `PRAGMA journal_mode = WAL`} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			return writeError(path, err)
		}
	}
	return nil
}

// recognise tells a Rosterdesk workspace from another program's file without writing to it. marked
// is false for a workspace of a Rosterdesk from before the mark (known by its schema: a user_version
// and the tables of migration 001) and for an empty database, which both get the mark once open.
func recognise(path string) (marked bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	header := make([]byte, 100)
	_, err = io.ReadFull(f, header)
	f.Close()
	if err != nil || string(header[:16]) != "SQLite format 3\x00" {
		return false, ErrNotWorkspace
	}
	if binary.BigEndian.Uint32(header[68:72]) == applicationID {
		return true, nil
	}
	// The header may predate changes still in a write-ahead log: ask SQLite, read-only. Without a
	// log the file is whole, and immutable keeps SQLite from making -wal and -shm files to read it.
	q := url.Values{"mode": {"ro"}}
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		q.Set("immutable", "1")
	}
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return false, err
	}
	defer db.Close()
	var id, version, tables, all int
	err = db.QueryRow(`SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version),
		(SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('connections', 'snapshots', 'runs', 'run_records')),
		(SELECT COUNT(*) FROM sqlite_schema)`).Scan(&id, &version, &tables, &all)
	switch {
	case err != nil:
		return false, fmt.Errorf("%w (%v)", ErrNotWorkspace, err)
	case id == applicationID:
		return true, nil
	case id == 0 && (version >= 1 && tables == 4 || version == 0 && all == 0):
		return false, nil
	}
	return false, ErrNotWorkspace
}

// checkFolderWritable tries to write a file in dir, which says what permissions alone do not (a
// read-only disk or share, an immutable folder, or an account allowed everything).
func checkFolderWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".rosterdesk-*")
	if err != nil {
		return cannotWrite(dir, true, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// cannotWrite says in words that the file, or folder, at path cannot be written.
func cannotWrite(path string, folder bool, err error) error {
	what, readOnly := path, "the file is read-only"
	if folder {
		what, readOnly = "the folder "+path, "the folder is read-only"
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("Rosterdesk cannot write to %s: %s (or this account may not change it). Make it writable, or choose a workspace in a folder you can write to", what, readOnly)
	}
	return fmt.Errorf("Rosterdesk cannot write to %s: %w", what, err)
}

// writeError turns SQLite's "attempt to write a readonly database" into words naming the workspace.
func writeError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_READONLY {
		return cannotWrite(path, false, fs.ErrPermission)
	}
	return err
}

// Close closes the workspace.
func (s *Store) Close() error { return s.db.Close() }

// Path is the workspace file.
func (s *Store) Path() string { return s.path }

// DB is the raw handle, for tests that check what a run wrote.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) migrate() error {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	ctx := context.Background()
	if current, err := userVersion(ctx, s.db, len(files)); err != nil || current == len(files) {
		return err
	}
	// Another Rosterdesk may be opening the same new workspace: the write lock is taken first and the
	// version read again under it, so only one of them migrates.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return err
	}
	if err := s.upgrade(ctx, conn, files); err != nil {
		conn.ExecContext(ctx, `ROLLBACK`)
		return err
	}
	_, err = conn.ExecContext(ctx, `COMMIT`)
	return err
}

// upgrade applies the migrations the workspace lacks, in the transaction conn holds, after a backup
// of a workspace that has data (one at version 0 is brand new).
func (s *Store) upgrade(ctx context.Context, conn *sql.Conn, files []string) error {
	current, err := userVersion(ctx, conn, len(files))
	if err != nil || current == len(files) {
		return err
	}
	if current > 0 {
		if err := s.backupBeforeUpgrade(ctx, current); err != nil {
			return err
		}
	}
	return applyMigrations(ctx, conn, files, current)
}

// applyMigrations applies the migrations after current, in the transaction conn holds.
func applyMigrations(ctx context.Context, conn *sql.Conn, files []string, current int) error {
	for i, name := range files {
		n, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if err != nil || n != i+1 {
			return fmt.Errorf("migration %s is out of sequence", name)
		}
		if n <= current {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(files)))
	return err
}

// userVersion is the number of migrations the workspace has, refusing one from a newer Rosterdesk.
func userVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, latest int) (int, error) {
	var current int
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&current); err != nil {
		return 0, err
	}
	if current > latest {
		return 0, ErrNewerWorkspace
	}
	return current, nil
}

// Now is the timestamp format stored in the workspace (UTC, OneRoster DateTime).
func Now() string { return FormatTime(time.Now()) }

// FormatTime formats t as a OneRoster DateTime in UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// TimeLayout is how the workspace writes times: UTC with milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

func withTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
