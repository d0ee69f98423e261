package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRemovingASourceAsksWhatBecomesOfTheRecordsOnlyItSupplied(t *testing.T) {
	dir := twoSources(t)
	// The library (own ids) alone supplies its u1~3 and the school and records of its feed.
	_, errOut, code := run(t, dir, "connection", "remove", "Library")
	if code == 0 || !strings.Contains(errOut, "Library alone supplies") || !strings.Contains(errOut, "--keep-records") {
		t.Fatalf("remove without a choice: %d %s", code, errOut)
	}
	if out := ok(t, dir, "roster", "show", "users", "u1~3"); !strings.Contains(out, "users u1~3: active") {
		t.Fatalf("a refused removal changed the record:\n%s", out)
	}
	out := ok(t, dir, "connection", "remove", "Library", "--delete-records", "--json")
	var res struct {
		Removed string
		Run     struct {
			Status string
			Counts map[string]struct{ Deleted int }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Removed != "Library" || res.Run.Status != "succeeded" || res.Run.Counts["users"].Deleted != 1 {
		t.Fatalf("remove --delete-records: %s", out)
	}
	if out := ok(t, dir, "roster", "show", "users", "u1~3"); !strings.Contains(out, "users u1~3: tobedeleted") {
		t.Errorf("the library's student after its removal:\n%s", out)
	}
	// The health office shares everything it sends with North SIS: removing it needs no choice, and
	// its values give way to North SIS's.
	out = ok(t, dir, "connection", "remove", "Health office")
	if !strings.Contains(out, `Removed connection "Health office"`) {
		t.Errorf("remove Health office:\n%s", out)
	}
	if out := ok(t, dir, "roster", "show", "users", "u1"); !strings.Contains(out, "users u1: active") || strings.Contains(out, "from Health office") || !strings.Contains(out, "origins:\n  1. North SIS: u1\nruns") {
		t.Errorf("u1 after the health office went:\n%s", out)
	}
	if _, errOut, code := run(t, dir, "connection", "remove", "North SIS", "--keep-records", "--delete-records"); code == 0 || !strings.Contains(errOut, "not both") {
		t.Errorf("both flags: %d %s", code, errOut)
	}
}
