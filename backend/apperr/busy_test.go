package apperr_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// SQLITE_BUSY, as the driver returns it when another process holds the workspace, reaches people
// as words saying what happened and what to do, with the busy code.
func TestBusyWorkspaceInWords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workspace.db")
	holder, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	holder.SetMaxOpenConns(1)
	if _, err := holder.Exec(`CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.Exec(`INSERT INTO t VALUES (2)`)
	if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") {
		t.Fatalf("the second writer: %v", err)
	}
	got := apperr.From(fmt.Errorf("saving the selection: %w", err))
	if got.Code != apperr.CodeBusy || !strings.HasPrefix(got.Message, "Another Rosterdesk") || strings.Contains(got.Message, "SQLITE") {
		t.Fatalf("%+v", got)
	}
}
