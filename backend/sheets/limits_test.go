package sheets

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
)

func TestSelectionWorkbookUnpackingToAGigabyteIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orgs.xlsx")
	hostile.Workbook(t, path, [][]string{{"ID", "sync"}, {"o1", "yes"}}, 1<<30)
	b, _ := os.ReadFile(path)
	if len(b) > 8<<20 {
		t.Fatalf("the workbook is %d bytes", len(b))
	}
	var err error
	hostile.Within(t, func() { _, err = ReadSelection(bytes.NewReader(b), "orgs.xlsx", "Orgs", knownIDs("o1")) })
	if err == nil || !strings.Contains(err.Error(), "orgs.xlsx unpacks to more than 256 MB") {
		t.Fatalf("got %v", err)
	}
}

func TestAMillionRowSelectionListsAHundredFindingsAndCountsTheRest(t *testing.T) {
	var text bytes.Buffer
	text.WriteString("ID,sync\n")
	for i := range 1000000 {
		fmt.Fprintf(&text, "x%d,yes\n", i)
	}
	var u Upload
	var err error
	hostile.Within(t, func() { u, err = ReadSelection(io.Reader(&text), "classes.csv", "Classes", knownIDs()) })
	if err != nil || u.Rows != 1000000 || len(u.Findings) != maxFindings+1 {
		t.Fatalf("rows %d, %d findings, %v", u.Rows, len(u.Findings), err)
	}
	if last := u.Findings[maxFindings]; !strings.Contains(last.Message, "…and 999900 more problems") {
		t.Fatalf("last finding %+v", last)
	}
}
