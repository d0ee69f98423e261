package oneroster

import (
	"slices"
	"strings"
	"testing"
)

// A reference to the record the one before it found is not looked up again, yet every dangling
// reference is still reported on its own line, also between and after ones that are found.
func TestRepeatedReferencesStillReportEachDanglingOne(t *testing.T) {
	users := users12
	for i, org := range []string{"s1", "s1", "s9", "s1", "d1", "s9", "s9", "s1"} {
		users += strings.Replace(user12("u"+string(rune('a'+i)), "Ana", "Lopez"), ",s1,", ","+org+",", 1)
	}
	_, rep, err := readZip(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, f := range rep.Findings {
		if f.File == "users.csv" && f.Column == "primaryOrgSourcedId" && strings.Contains(f.Message, `"s9"`) {
			lines = append(lines, f.Line)
		}
	}
	if want := []int{4, 7, 8}; !slices.Equal(lines, want) {
		t.Fatalf("dangling references on lines %v, want %v; findings %+v", lines, want, rep.Findings)
	}
}
