package cli

import (
	"encoding/json"
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
