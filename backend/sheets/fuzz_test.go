package sheets

import (
	"bytes"
	"testing"
)

// FuzzReadSelection reads any upload as a selection: nothing may panic, and an accepted upload has
// rows.
func FuzzReadSelection(f *testing.F) {
	var book bytes.Buffer
	if err := WriteSelection(&book, "Orgs", []string{"ID", "Name"}, []Row{{Cells: []any{"o1", "North"}, Selected: true}, {Cells: []any{"o2", "South"}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(book.Bytes())
	f.Add([]byte("ID,sync\no1,yes\no2,no\no3,maybe\n,yes\no1,x\n"))
	f.Add([]byte("note\n\nsourcedId;Sync\r\no1;1\r\n"))
	f.Add([]byte("\xFF\xFEI\x00D\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := ReadSelection(bytes.NewReader(data), "orgs.xlsx", "Orgs", knownIDs("o1", "o2"))
		if err == nil && u.Rows == 0 {
			t.Fatal("an upload accepted without rows")
		}
	})
}
