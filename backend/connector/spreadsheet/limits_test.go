package spreadsheet

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
)

func TestWorkbookUnpackingToAGigabyteIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	hostile.Workbook(t, path, [][]string{{"ID", "First", "Last", "Email"}, {"1", "Ana", "Lopez", ""}}, 1<<30)
	var err error
	hostile.Within(t, func() { _, err = open(t, map[string]string{"path": path, "columns": csvColumns}).Test(t.Context()) })
	if err == nil || !strings.Contains(err.Error(), "roster.xlsx unpacks to more than 512 MB") {
		t.Fatalf("got %v", err)
	}
}

func TestCSVLineOf50MBIsRefusedNamingIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.csv")
	f, _ := os.Create(path)
	f.WriteString("ID,First,Last,Email\n1,Ana,Lopez,\n2,")
	io.Copy(f, hostile.Repeat("B", 50<<20))
	f.Close()
	var err error
	hostile.Within(t, func() { _, err = open(t, map[string]string{"path": path, "columns": csvColumns}).Test(t.Context()) })
	if err == nil || !strings.Contains(err.Error(), "roster.csv, line 3: the row is longer than 1 MB") {
		t.Fatalf("got %v", err)
	}
}
