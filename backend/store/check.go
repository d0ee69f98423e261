package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Problem is one thing wrong in a workspace: which check found it and, in words, what it is.
type Problem struct {
	Check   string `json:"check"` // "integrity", "references" or "origins"
	Message string `json:"message"`
}

// CheckResult is what a workspace check found; OK when Problems is empty.
type CheckResult struct {
	Workspace string    `json:"workspace"`
	OK        bool      `json:"ok"`
	Problems  []Problem `json:"problems"`
}

// maxIntegrityProblems bounds what SQLite's integrity check lists: a badly damaged file would
// otherwise list thousands of pages, and the first few say enough.
const maxIntegrityProblems = 20

// CheckStages are the checks a workspace check makes, in order; progress is told each as it begins.
var CheckStages = []string{"integrity", "references", "origins"}

// Check checks the open workspace (see CheckFile).
func (s *Store) Check(ctx context.Context, progress func(stage string, done, total int)) (CheckResult, error) {
	return check(ctx, s.db, s.path, progress)
}

// CheckFile checks the workspace at path, read-only: SQLite's integrity check (every page and
// index readable and consistent), its foreign key check, and that every origin points at a record
// of the roster. It opens what Open would refuse to migrate, so a damaged workspace is described,
// not just refused. progress, if not nil, is told each of CheckStages as it begins.
func CheckFile(ctx context.Context, path string, progress func(stage string, done, total int)) (CheckResult, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return CheckResult{}, err
	}
	if _, err := recognise(path); err != nil {
		return CheckResult{}, fmt.Errorf("Rosterdesk cannot check %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", fileURI(path, url.Values{"mode": {"ro"}, "_pragma": {"busy_timeout(10000)"}}))
	if err != nil {
		return CheckResult{}, err
	}
	defer db.Close()
	return check(ctx, db, path, progress)
}

func check(ctx context.Context, db *sql.DB, path string, progress func(stage string, done, total int)) (CheckResult, error) {
	res := CheckResult{Workspace: path, Problems: []Problem{}}
	begin := func(stage int) {
		if progress != nil {
			progress(CheckStages[stage], stage, len(CheckStages))
		}
	}
	begin(0)
	damaged := func(err error) {
		res.Problems = append(res.Problems, Problem{"integrity", "SQLite cannot read the workspace file: " + err.Error()})
	}
	lines, err := textRows(ctx, db, fmt.Sprintf(`PRAGMA integrity_check(%d)`, maxIntegrityProblems))
	switch {
	case ctx.Err() != nil:
		return res, ctx.Err()
	case busy(err):
		return res, err // another process kept the file locked: the check cannot tell, which is no damage
	case err != nil:
		damaged(err)
	case len(lines) != 1 || lines[0] != "ok":
		for _, l := range lines {
			res.Problems = append(res.Problems, Problem{"integrity", "Damaged: " + l})
		}
	}
	if len(res.Problems) > 0 {
		// The checks below read the damaged pages again, and would say less.
		return res, nil
	}
	begin(1)
	rows, err := db.QueryContext(ctx, `SELECT "table", COUNT(*), "parent" FROM pragma_foreign_key_check GROUP BY 1, 3 ORDER BY 1, 3`)
	if err != nil {
		return res, err
	}
	for rows.Next() {
		var table, parent string
		var n int
		if err := rows.Scan(&table, &n, &parent); err != nil {
			rows.Close()
			return res, err
		}
		res.Problems = append(res.Problems, Problem{"references", fmt.Sprintf("%d rows of %s refer to rows of %s that are not there.", n, table, parent)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	begin(2)
	for _, e := range roster.Entities {
		var n int
		err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM origins o WHERE o.entity = ? AND NOT EXISTS
			(SELECT 1 FROM `+table(e)+` r WHERE r."sourcedId" = COALESCE(o.record, o.source_id))`, string(e)).Scan(&n)
		if err != nil {
			return res, err
		}
		if n > 0 {
			res.Problems = append(res.Problems, Problem{"origins", fmt.Sprintf("%d %s that sources supply are missing from the roster.", n, e)})
		}
	}
	res.OK = len(res.Problems) == 0
	return res, nil
}

// busy reports SQLite's "database is locked" (SQLITE_BUSY or SQLITE_LOCKED).
func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

// textRows is the first column of what q returns, as text; an empty list, not nil, when none.
func textRows(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
