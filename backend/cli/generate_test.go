package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generate --other-ids writes the second feed of a district and says how many people it gives
// another system's ids; a share outside 0..1 is refused in words.
func TestGenerateOtherIDs(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := run(t, dir, "generate", "--out", filepath.Join(dir, "second.zip"), "--users", "100", "--other-ids", "0.5", "--json")
	var sum struct{ OtherIDs int }
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.OtherIDs != 50+3 { // 100 students, 6 teachers
		t.Fatalf("generate --other-ids: %d %q %q", code, out, errOut)
	}
	out, _, _ = run(t, dir, "generate", "--out", filepath.Join(dir, "second.zip"), "--users", "100", "--other-ids", "0.5")
	if !strings.Contains(out, "53 students and teachers under another system's ids") {
		t.Fatalf("generate --other-ids says: %q", out)
	}
	if out, errOut, code := run(t, dir, "generate", "--out", filepath.Join(dir, "g.zip"), "--other-ids", "1.5"); code == 0 || out != "" || !strings.Contains(errOut, "--other-ids is a share between 0 and 1") {
		t.Fatalf("--other-ids 1.5: %d %q %q", code, out, errOut)
	}
}

// generate --duplicates says where it wrote the true pairs, in words and as "pairsFile", and the
// file lists one pair per injected duplicate; without duplicates there is no pairs file.
func TestGenerateDuplicatesWritesPairs(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	out, errOut, code := run(t, dir, "generate", "--out", zip, "--users", "500", "--duplicates", "0.02", "--json")
	var sum struct {
		Duplicates int
		PairsFile  string
	}
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.Duplicates != 10 || sum.PairsFile != filepath.Join(dir, "district.duplicates.csv") {
		t.Fatalf("generate --duplicates: %d %q %q", code, out, errOut)
	}
	data, err := os.ReadFile(sum.PairsFile)
	if lines := strings.Split(strings.TrimSpace(string(data)), "\n"); err != nil || len(lines) != 11 || lines[0] != "left,right,kinds" || !strings.HasPrefix(lines[1], "usr-") {
		t.Fatalf("pairs file: %v\n%s", err, data)
	}
	out, _, _ = run(t, dir, "generate", "--out", zip, "--users", "500", "--duplicates", "0.02")
	if !strings.Contains(out, "10 injected duplicates, the true pairs in "+sum.PairsFile) {
		t.Fatalf("generate --duplicates says: %q", out)
	}
	out, _, _ = run(t, dir, "generate", "--out", zip, "--users", "500")
	if strings.Contains(out, "pairs") {
		t.Fatalf("generate without duplicates speaks of pairs: %q", out)
	}
	if _, err := os.Stat(sum.PairsFile); !os.IsNotExist(err) {
		t.Fatalf("the pairs file of an earlier run outlived a district without duplicates: %v", err)
	}
}
