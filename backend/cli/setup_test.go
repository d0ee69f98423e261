package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// An integration has its own selection, safety hold and mappings: `select` and `mapping` take an
// integration's name (a connection's name means its own integration), a new integration starts
// with a copy of its connection's own, `integration edit` sets its thresholds, and `integration
// show --json` says them.
func TestSelectionMappingAndHoldsPerIntegration(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	mustRun := func(args ...string) string { t.Helper(); return mustRun(t, dir, args...) }
	type shown struct {
		Setup struct {
			Selection  string   `json:"selection"`
			Everything bool     `json:"everything"`
			HoldDelete float64  `json:"holdDelete"`
			HoldChange float64  `json:"holdChange"`
			Mapped     []string `json:"mapped"`
		} `json:"setup"`
	}
	show := func(name string) shown {
		t.Helper()
		var s shown
		if err := json.Unmarshal([]byte(mustRun("integration", "show", name, "--json")), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	mustRun("generate", "--out", zip, "--users", "200", "--seed", "3")
	mustRun("connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	mustRun("fetch", "SIS")

	// The connection's name sets up its own integration, "Import from SIS".
	mustRun("select", "SIS", "users", "--statuses", "active", "--hold-delete", "4")
	mapFile := filepath.Join(dir, "users.json")
	if err := os.WriteFile(mapFile, []byte(`{"entity":"users","fields":[{"to":"familyName","type":"transformation","expr":"upper(familyName)"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun("mapping", "set", "SIS", "--entity", "users", "--file", mapFile)
	own := show("Import from SIS")
	if own.Setup.Everything || own.Setup.HoldDelete != 4 || !slices.Equal(own.Setup.Mapped, []string{"users"}) || !strings.Contains(own.Setup.Selection, "users active") {
		t.Fatalf("the connection's own integration: %+v", own.Setup)
	}

	// A new integration starts with a copy; changing it leaves the own one as it was.
	out := mustRun("integration", "add", "Nightly", "--type", "import", "--source", "SIS", "--hold-change", "30")
	if !strings.Contains(out, "safety hold: more than 4 % deleted or 30 % changed") || !strings.Contains(out, "mappings:  users") {
		t.Fatalf("add prints its setup, copied: %s", out)
	}
	mustRun("select", "Nightly", "users", "--statuses", "active,inactive")
	mustRun("integration", "edit", "Nightly", "--hold-delete", "25")
	if n := show("Nightly"); n.Setup.HoldDelete != 25 || n.Setup.HoldChange != 30 || !strings.Contains(n.Setup.Selection, "active/inactive") {
		t.Fatalf("Nightly: %+v", n.Setup)
	}
	if o := show("Import from SIS"); o.Setup.HoldDelete != 4 || o.Setup.HoldChange != 75 || strings.Contains(o.Setup.Selection, "inactive") {
		t.Fatalf("the own integration changed with Nightly: %+v", o.Setup)
	}
	var sel struct {
		Integration string `json:"integration"`
		Connection  string `json:"connection"`
	}
	if err := json.Unmarshal([]byte(mustRun("select", "Nightly", "--json")), &sel); err != nil || sel.Integration != "Nightly" || sel.Connection != "SIS" {
		t.Fatalf("select --json names the integration and its connection: %+v %v", sel, err)
	}
	if out := mustRun("mapping", "show", "Nightly", "--entity", "users"); !strings.Contains(out, "upper(familyName)") {
		t.Fatalf("Nightly's copied mapping: %s", out)
	}

	// Thresholds are percentages; a wrong one changes nothing and says so.
	if _, errOut, code := run(t, dir, "integration", "edit", "Nightly", "--hold-delete", "120"); code == 0 || !strings.Contains(errOut, "between 1 and 100") {
		t.Fatalf("a threshold of 120: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, dir, "select", "Nobody"); code == 0 || !strings.Contains(errOut, "no integration or connection named") {
		t.Fatalf("an unknown name: %d %s", code, errOut)
	}
	mustRun("integration", "remove", "Nightly")
	if _, errOut, code := run(t, dir, "select", "Nightly"); code == 0 || !strings.Contains(errOut, "no integration or connection") {
		t.Fatalf("a removed integration's setup: %d %s", code, errOut)
	}
}
