package spreadsheet

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
)

// FuzzOpenTable reads any file as a spreadsheet source's table, row by row: nothing may panic.
func FuzzOpenTable(f *testing.F) {
	book := filepath.Join(f.TempDir(), "roster.xlsx")
	hostile.Workbook(f, book, [][]string{{"ID", "First", "Last"}, {"1", "Ana", "Lopez"}, {"2", "=1+1", "45000"}}, 0)
	b, _ := os.ReadFile(book)
	f.Add(b)
	f.Add([]byte("\xEF\xBB\xBFID,First,Last\r\n1,\"Ana\r\nMaria\",Lopez\r\n"))
	f.Add([]byte("ID;First;Last\n1;Jos\xe9;Mu\xf1oz\n"))
	f.Add([]byte("\xFF\xFEI\x00D\x00\t\x00"))
	path := filepath.Join(f.TempDir(), "fuzzed.xlsx") // one file per fuzzing process, rewritten by every input
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tb, err := openTable(path, "", 1)
		if err != nil {
			return
		}
		defer tb.Close()
		for {
			if _, _, err := tb.Next(); err == io.EOF || err != nil {
				return
			}
		}
	})
}
