package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// withRuns is a workspace holding n runs with long names: enough pages to damage one in the middle.
func withRuns(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "workspace.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?)
		INSERT INTO runs (connection_name, direction, mode, operator, pid, status, started_at)
		SELECT printf('District %d %.200c', n, 'x'), 'import', 'full', 'pat', 0, 'succeeded', '2026-12-01T10:00:00.000Z' FROM i`, n); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil { // the last connection writes the log into the file
		t.Fatal(err)
	}
	return path
}

// twoProcesses opens the workspace at path twice: as SQLite sees it, two processes, each with
// connections of its own.
func twoProcesses(t *testing.T, path string) (*Store, *Store) {
	t.Helper()
	var opened [2]*Store
	for i := range opened {
		st, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		opened[i] = st
	}
	return opened[0], opened[1]
}

// A transaction that reads before it writes, in one process, while another process writes: it must
// wait for the other (up to the busy timeout) rather than fail at once with SQLITE_BUSY, which is
// what a parallel import or fetch met after 2.3 s (however long it had read before its first write).
func TestAReadThenWriteTransactionWaitsForAnotherProcessWriting(t *testing.T) {
	first, second := twoProcesses(t, withRuns(t, 1))
	ctx := context.Background()
	conn, err := first.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE runs SET operator = 'first'`); err != nil {
		t.Fatal(err)
	}
	const held = 800 * time.Millisecond
	go func() {
		time.Sleep(held)
		conn.ExecContext(ctx, `COMMIT`)
	}()
	start := time.Now()
	err = withTx(ctx, second.db, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&n); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE runs SET operator = 'second'`)
		return err
	})
	if err != nil {
		t.Fatalf("after %v: %v", time.Since(start).Round(time.Millisecond), err)
	}
	if waited := time.Since(start); waited < held/2 {
		t.Fatalf("wrote after %v, while the other process still wrote", waited)
	}
	var operator string
	second.db.QueryRow(`SELECT operator FROM runs`).Scan(&operator)
	if operator != "second" {
		t.Fatalf("operator = %q, want the second write last", operator)
	}
}

// A workspace with garbage written over a page is reported damaged, in words; a sound one is ok.
func TestCheckReportsADamagedWorkspace(t *testing.T) {
	ctx := context.Background()
	path := withRuns(t, 3000)
	res, err := CheckFile(ctx, path, nil)
	if err != nil || !res.OK || len(res.Problems) != 0 {
		t.Fatalf("a sound workspace: %+v %v", res, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	page := info.Size() / pageSize / 2
	if _, err := f.WriteAt([]byte(strings.Repeat("garbage!", pageSize/8)), page*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err = CheckFile(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || len(res.Problems) == 0 || res.Problems[0].Check != "integrity" {
		t.Fatalf("a damaged workspace: %+v", res)
	}
	for _, p := range res.Problems {
		if !strings.HasPrefix(p.Message, "Damaged: ") && !strings.HasPrefix(p.Message, "SQLite cannot read") {
			t.Errorf("problem %q does not say the file is damaged", p.Message)
		}
	}
}

// The app's own invariant: an origin points at a record of the roster.
func TestCheckFindsOriginsWithoutTheirRecord(t *testing.T) {
	ctx := context.Background()
	st, err := Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.AddConnection(ctx, Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec(`INSERT INTO origins (connection_id, entity, source_id, hash, created_run) VALUES (?, 'users', 'u1', 0, 1), (?, 'users', 'u2', 0, 1)`, c.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	res, err := st.Check(ctx, nil)
	if err != nil || res.OK || len(res.Problems) != 1 || res.Problems[0].Message != "2 users that sources supply are missing from the roster." {
		t.Fatalf("%+v %v", res, err)
	}
}

// A backup taken while another connection writes opens as a workspace and passes the check; an
// existing file is refused unless replaced.
func TestBackupWhileAnotherConnectionWrites(t *testing.T) {
	ctx := context.Background()
	path := withRuns(t, 2000)
	st, writer := twoProcesses(t, path)
	stop := make(chan struct{})
	wrote := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				wrote <- n
				return
			default:
			}
			if _, err := writer.db.Exec(`INSERT INTO runs (connection_name, direction, mode, operator, pid, status, started_at) VALUES ('During', 'import', 'full', 'pat', 0, 'succeeded', ?)`, Now()); err != nil {
				t.Error(err)
			}
			n++
		}
	}()
	backup := filepath.Join(t.TempDir(), "copy.db")
	time.Sleep(50 * time.Millisecond)
	err := st.Backup(ctx, backup, false, nil)
	close(stop)
	if n := <-wrote; n == 0 {
		t.Fatal("nothing was written during the backup")
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Backup(ctx, backup, false, nil); !errors.Is(err, ErrBackupExists) {
		t.Fatalf("a second backup to the same file: %v", err)
	}
	if err := st.Backup(ctx, path, true, nil); err == nil {
		t.Fatal("a backup over the workspace itself was taken")
	}
	res, err := CheckFile(ctx, backup, nil)
	if err != nil || !res.OK {
		t.Fatalf("check of the backup: %+v %v", res, err)
	}
	copied, err := Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	var runs int
	copied.db.QueryRow(`SELECT COUNT(*) FROM runs WHERE connection_name <> 'During'`).Scan(&runs)
	if runs != 2000 {
		t.Fatalf("the backup holds %d of the 2000 runs", runs)
	}
	if err := st.Backup(ctx, backup, true, nil); err != nil {
		t.Fatalf("replacing the backup: %v", err)
	}
}

// olderWorkspace makes a workspace at version (its first migrations only) holding one connection.
func olderWorkspace(t *testing.T, path string, version int) {
	t.Helper()
	if err := create(path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", fileURI(path, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	files, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(files)
	if err := applyMigrations(ctx, conn, files[:version], 0); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO connections (name, kind, role, created_at) VALUES ('North', 'oneroster-csv', 'source', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
}

// Opening a workspace of an older version backs it up first, beside it, named with the old version;
// the backup opens at that version with its data. The last KeptUpgradeBackups are kept, and a new
// workspace gets none.
func TestUpgradeBacksUpTheWorkspaceFirst(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "workspace.db")
	for i := 0; i < KeptUpgradeBackups+1; i++ {
		os.Remove(path)
		olderWorkspace(t, path, 15)
		st, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		time.Sleep(1100 * time.Millisecond) // backups are named to the second
	}
	backups, err := UpgradeBackups(path)
	if err != nil || len(backups) != KeptUpgradeBackups {
		t.Fatalf("backups kept: %v %v", backups, err)
	}
	name := filepath.Base(backups[0])
	if !strings.HasPrefix(name, "workspace.db.v15-"+time.Now().Format("20060102")+"-") || !strings.HasSuffix(name, ".bak") {
		t.Fatalf("backup named %s", name)
	}
	db, err := sql.Open("sqlite", fileURI(backups[0], nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int
	var connection string
	if err := db.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version), (SELECT name FROM connections)`).Scan(&version, &connection); err != nil || version != 15 || connection != "North" {
		t.Fatalf("the backup: version %d, connection %q, %v", version, connection, err)
	}
	if _, err := Open(backups[0]); err != nil {
		t.Fatalf("the backup does not open as a workspace: %v", err)
	}

	fresh := filepath.Join(t.TempDir(), "new.db")
	st, err := Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if backups, _ := UpgradeBackups(fresh); len(backups) != 0 {
		t.Fatalf("a new workspace was backed up: %v", backups)
	}
}

// The writer lock is one holder's at a time, says who holds it, and is free again once released.
func TestWriterLockIsOneProcesssAtATime(t *testing.T) {
	ctx := context.Background()
	a, b := twoProcesses(t, withRuns(t, 1))
	lock, err := a.LockWriter("pat")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.LockWriter("sam"); !errors.Is(err, ErrWriterLocked) {
		t.Fatalf("a second lock: %v", err)
	}
	if got := b.WriterHolder(ctx); !strings.HasPrefix(got, "pat, since ") {
		t.Fatalf("holder before its run: %q", got)
	}
	run, err := a.StartRun(ctx, Run{ConnectionName: "District", Direction: "import", Mode: "full", Operator: "pat"})
	if err != nil {
		t.Fatal(err)
	}
	started, _ := time.Parse(TimeLayout, run.StartedAt)
	if got, want := b.WriterHolder(ctx), fmt.Sprintf("import of District by pat, since %s", started.Local().Format("15:04")); got != want {
		t.Fatalf("holder = %q, want %q", got, want)
	}
	lock.Release()
	again, err := b.LockWriter("sam")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}

// An export reads in a transaction that writes only its temporary table: another process writes
// meanwhile without waiting for it.
func TestAnExportsReadLetsAnotherProcessWrite(t *testing.T) {
	ctx := context.Background()
	exporting, other := twoProcesses(t, withRuns(t, 1))
	c, err := exporting.AddConnection(ctx, Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target"})
	if err != nil {
		t.Fatal(err)
	}
	send, err := exporting.BeginSend(ctx, c.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer send.Rollback()
	var n int
	if err := send.tx.QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := other.AddConnection(ctx, Connection{Name: "SIS", Kind: "oneroster-csv", Role: "source"}); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Fatalf("a write waited %v for an export's read", waited)
	}
}

// A backup not replacing files never replaces one made while its copy was written (another backup
// to the same name, a file the registrar saved there): it is refused and that file is left as it is,
// whether the copy is put in place by a link or, where links cannot be made, by a new file written.
func TestABackupNeverReplacesAFileMadeMeanwhile(t *testing.T) {
	ctx := context.Background()
	st, err := Open(withRuns(t, 200))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, links := range []bool{true, false} {
		if !links {
			link = func(string, string) error { return &os.LinkError{Op: "link", Err: errors.ErrUnsupported} }
			t.Cleanup(func() { link = os.Link })
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "copy.db")
		madeMeanwhile := func(written, total int64) {
			if _, err := os.Stat(file); err != nil {
				os.WriteFile(file, []byte("saved meanwhile"), 0o600)
			}
		}
		if err := st.Backup(ctx, file, false, madeMeanwhile); !errors.Is(err, ErrBackupExists) {
			t.Fatalf("links %v: a backup over a file made meanwhile: %v", links, err)
		}
		if raw, _ := os.ReadFile(file); string(raw) != "saved meanwhile" {
			t.Fatalf("links %v: the file made meanwhile was replaced", links)
		}
		os.Remove(file)
		var last [2]int64
		if err := st.Backup(ctx, file, false, func(written, total int64) { last = [2]int64{written, total} }); err != nil {
			t.Fatalf("links %v: %v", links, err)
		}
		if res, err := CheckFile(ctx, file, nil); err != nil || !res.OK {
			t.Fatalf("links %v: check of the backup: %+v %v", links, res, err)
		}
		info, _ := os.Stat(file)
		if last != [2]int64{info.Size(), info.Size()} || info.Mode().Perm() != 0o600 {
			t.Fatalf("links %v: last progress %v for a backup of %d bytes, mode %v", links, last, info.Size(), info.Mode())
		}
		if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 1 {
			t.Fatalf("links %v: files left beside the backup: %v", links, names)
		}
		if hidden, _ := filepath.Glob(filepath.Join(dir, ".*")); len(hidden) != 0 {
			t.Fatalf("links %v: temporary copies left: %v", links, hidden)
		}
	}
}

// A backup cancelled while it copies leaves no file, not even its temporary copy; progress is told
// the bytes written, of about the workspace's size, as the copy grows.
func TestACancelledBackupLeavesNoFile(t *testing.T) {
	st, err := Open(withRuns(t, 60000))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "copy.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reports [][2]int64
	err = st.Backup(ctx, file, false, func(written, total int64) {
		reports = append(reports, [2]int64{written, total})
		if len(reports) == 1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled backup: %v", err)
	}
	if len(reports) == 0 || reports[0][1] < 60000*200 {
		t.Fatalf("progress: %v", reports)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 0 {
		t.Fatalf("a cancelled backup left %v", names)
	}
	if hidden, _ := filepath.Glob(filepath.Join(dir, ".*")); len(hidden) != 0 {
		t.Fatalf("a cancelled backup left %v", hidden)
	}
}

// A check tells progress each of its stages in order; a workspace another process keeps locked is
// an error (the check cannot tell), never reported as damage.
func TestCheckStagesAndABusyWorkspace(t *testing.T) {
	ctx := context.Background()
	path := withRuns(t, 1)
	var stages []string
	res, err := CheckFile(ctx, path, func(stage string, done, total int) {
		stages = append(stages, fmt.Sprintf("%s %d/%d", stage, done, total))
	})
	if err != nil || !res.OK || strings.Join(stages, ", ") != "integrity 0/3, references 1/3, origins 2/3" {
		t.Fatalf("%+v %v, stages %v", res, err, stages)
	}

	holder, err := sql.Open("sqlite", fileURI(path, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	holder.SetMaxOpenConns(1)
	if _, err := holder.Exec(`PRAGMA locking_mode = EXCLUSIVE`); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Exec(`UPDATE runs SET operator = 'sam'`); err != nil { // takes the file for itself
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", fileURI(path, url.Values{"mode": {"ro"}, "_pragma": {"busy_timeout(100)"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err = check(ctx, db, path, nil)
	if err == nil || len(res.Problems) != 0 {
		t.Fatalf("a locked workspace: %+v %v", res, err)
	}
}
