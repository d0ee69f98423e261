// Package store is the workspace: one SQLite file (modernc.org/sqlite, no cgo) holding connections,
// staged snapshots, the roster and the run history. Schema changes are numbered SQL migrations
// embedded in the binary and applied in one transaction when the workspace is opened.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNewerWorkspace means the file was written by a newer Rosterdesk; opening it could lose data.
var ErrNewerWorkspace = errors.New("it was created by a newer version of Rosterdesk. Update Rosterdesk to open it, or choose another workspace")

// Store is an open workspace.
type Store struct {
	db   *sql.DB
	path string
}

// Open opens (creating if needed) the workspace at path and brings its schema up to date.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the workspace folder: %w", err)
	}
	if err := create(path); err != nil {
		return nil, fmt.Errorf("cannot create the workspace %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("Rosterdesk cannot open the workspace %s: %w", path, err)
	}
	if err := s.markInterrupted(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// pageSize is the page size of new workspaces; it must be chosen before a file has any content, so
// a workspace keeps the size it was created with. Bigger pages carry more rows per write and per
// B-tree split: a first import of 100,000 students took 6.5–6.9 s with 16 KiB pages against 7.4–8.1 s
// with SQLite's default of 4 KiB (same machine, alternating runs), and the roster browser's page and
// search queries took no longer.
const pageSize = 16384

// create makes an empty workspace file with the page size and write-ahead log set, unless the
// file exists already.
func create(path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or not readable, which opening it says
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{fmt.Sprintf(`PRAGMA page_size = %d`, pageSize), `PRAGMA journal_mode = WAL`} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			return err
		}
	}
	return nil
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
	latest := len(files)
	var current int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&current); err != nil {
		return err
	}
	if current > latest {
		return ErrNewerWorkspace
	}
	if current == latest {
		return nil
	}
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
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
		if _, err := tx.Exec(string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, latest)); err != nil {
		return err
	}
	return tx.Commit()
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
