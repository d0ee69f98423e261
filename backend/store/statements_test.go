package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// countStatements reopens the workspace of st through a driver that counts the statements run on
// it, and returns the count.
func countStatements(t *testing.T, st *Store) *atomic.Int64 {
	t.Helper()
	n := &atomic.Int64{}
	st.db.Close()
	st.db = sql.OpenDB(counting{dsn: fileURI(st.path, workspaceParams()), n: n})
	return n
}

// counting connects to SQLite through connections that count the statements run.
type counting struct {
	dsn string
	n   *atomic.Int64
}

func (c counting) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.Driver().Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return countingConn{conn: conn, n: c.n}, nil
}

func (c counting) Driver() driver.Driver { return &sqlite.Driver{} }

// countingConn is the driver's connection, counting what it runs. The interfaces it passes on are the
// ones database/sql asks for before falling back on another way, which would count differently.
type countingConn struct {
	conn driver.Conn
	n    *atomic.Int64
}

func (c countingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return countingStmt{st: st, n: c.n}, nil
}

func (c countingConn) Close() error { return c.conn.Close() }

func (c countingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.n.Add(1)
	return c.conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.n.Add(1)
	return c.conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c countingConn) ResetSession(ctx context.Context) error {
	return c.conn.(driver.SessionResetter).ResetSession(ctx)
}

type countingStmt struct {
	st driver.Stmt
	n  *atomic.Int64
}

func (s countingStmt) Close() error  { return s.st.Close() }
func (s countingStmt) NumInput() int { return s.st.NumInput() }

func (s countingStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, fmt.Errorf("Exec without a context: %v", args)
}

func (s countingStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, fmt.Errorf("Query without a context: %v", args)
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.n.Add(1)
	return s.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.n.Add(1)
	return s.st.(driver.StmtQueryContext).QueryContext(ctx, args)
}

// datedUsers puts users u0000 … u(n-1) in the roster through connection c, user i last modified on
// day i%28+1 of February 2026.
func datedUsers(t *testing.T, st *Store, c Connection, n int) {
	t.Helper()
	tx, _ := beginImport(t, st, c)
	for i := range n {
		rec := roster.NewRecord(roster.Users)
		rec.Set("sourcedId", fmt.Sprintf("u%04d", i))
		rec.Set("dateLastModified", fmt.Sprintf("2026-02-%02dT00:00:00.000Z", i%28+1))
		rec.Set("givenName", fmt.Sprintf("Name %d", i))
		if err := tx.Upsert(rec, "", int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// An import deleting many records takes a statement for many deletions, not one or more each: 512
// deletions of users and, between them, 256 of demographics the roster does not have learn the date
// their record had (what an undo puts back) in the order they were made, and take fewer than 48
// statements (one for 16 deletions) with the run's log of them and, held, that log kept for review.
// One query each for the date took a fifth of an import held for leaving out half a district, one
// insert each into its log a third.
func TestDeletionsTakeAStatementForManyOfThem(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	datedUsers(t, st, c, 520)
	statements := countStatements(t, st)

	type logged struct{ id, prior string }
	var got, want []logged
	var records []RunRecord
	tx, run := beginImport(t, st, c)
	before := statements.Load()
	users := 0
	for i := range 768 {
		e, id, prior := roster.Demographics, fmt.Sprintf("d%04d", i), ""
		if i%3 != 2 {
			e, id, prior = roster.Users, fmt.Sprintf("u%04d", users), fmt.Sprintf("2026-02-%02dT00:00:00.000Z", users%28+1)
			users++
		}
		want = append(want, logged{id, prior})
		err := tx.MarkDeleted(e, id, id, "2026-03-01T00:00:00.000Z", func(prior string) {
			got = append(got, logged{id, prior})
			records = append(records, RunRecord{Entity: string(e), SourcedID: id, Action: "delete", Status: "ok", Field: "dateLastModified", Before: prior})
		})
		if err != nil {
			t.Fatal(err)
		}
		if i == 300 && len(got) != 256 {
			t.Fatalf("%d deletions logged of 301 queued, want 256 (a batch)", len(got))
		}
	}
	if err := tx.Flush(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("the deletions logged, with the dates before (%d): %v…, want %v…", len(got), got[:min(len(got), 6)], want[:6])
	}
	for _, r := range records {
		if err := tx.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := st.AddRunRecords(ctx, run.ID, slices.Values(records)); err != nil { // held: its log is kept for review
		t.Fatal(err)
	}
	if n := statements.Load() - before; n >= 48 {
		t.Errorf("768 deletions, their log written and kept took %d statements, want fewer than 48", n)
	} else {
		t.Logf("%d statements", n)
	}
	kept, err := st.RunRecords(ctx, run.ID, 0, 1000)
	if err != nil || len(kept) != 768 || kept[0].SourcedID != "u0000" || kept[767].SourcedID != "d0767" || kept[766].Before != want[766].prior {
		t.Fatalf("the held run's log: %d records %v", len(kept), err)
	}
}
