package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/dedupe"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// okJSON runs a command that must succeed with --json and decodes its stdout into v.
func okJSON(t *testing.T, dir string, v any, args ...string) {
	t.Helper()
	out := ok(t, dir, append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%v --json: %v\n%s", args, err, out)
	}
}

// refused runs a command that must fail and returns its stderr, checking that stdout stays empty.
func refused(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, dir, args...)
	if code == 0 || out != "" {
		t.Fatalf("%v: exit %d, stdout %q, want a refusal", args, code, out)
	}
	return errOut
}

// writeDomains writes cfg as a domains file in dir and returns its path.
func writeDomains(t *testing.T, dir string, cfg any) string {
	t.Helper()
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "domains.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// duplicatesWorkspace imports a generated district of 300 students, 15 of whom have a near-duplicate
// record, with every domain set to manual so that the scan leaves every pair in the review queue.
func duplicatesWorkspace(t *testing.T) string {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	ok(t, dir, "generate", "--out", zip, "--users", "300", "--duplicates", "0.05", "--seed", "12")
	ok(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	ok(t, dir, "duplicates", "settings", "--after-import", "off")
	ok(t, dir, "import", "SIS")
	var cfg dedupe.Config
	okJSON(t, dir, &cfg, "duplicates", "domains", "show")
	for i := range cfg.Domains {
		cfg.Domains[i].Mode = "manual"
	}
	ok(t, dir, "duplicates", "domains", "set", "--file", writeDomains(t, dir, cfg))
	return dir
}

func TestDuplicateDomainsShowSetReset(t *testing.T) {
	dir := t.TempDir()
	out := ok(t, dir, "duplicates", "domains", "show")
	var cfg dedupe.Config
	okJSON(t, dir, &cfg, "duplicates", "domains", "show")
	if !reflect.DeepEqual(cfg, dedupe.Defaults()) || len(cfg.Domains) < 2 {
		t.Fatalf("a new workspace's domains are not the defaults: %+v", cfg)
	}
	first := cfg.Domains[0]
	if !strings.Contains(out, "  1. "+first.Name+" ("+first.Mode) || !strings.Contains(out, "  2. "+cfg.Domains[1].Name) ||
		!strings.Contains(out, first.Rules[0].Field+" "+first.Rules[0].Compare) {
		t.Errorf("domains show:\n%s", out)
	}

	// The printed JSON is a file `set` takes: the last domain first, as manual.
	mine := dedupe.Config{Domains: append([]dedupe.Domain{cfg.Domains[len(cfg.Domains)-1]}, cfg.Domains[:len(cfg.Domains)-1]...)}
	mine.Domains[0].Mode = "manual"
	out = ok(t, dir, "duplicates", "domains", "set", "--file", writeDomains(t, dir, mine))
	if !strings.Contains(out, "Domains set from") || !strings.Contains(out, "  1. "+mine.Domains[0].Name+" (manual") {
		t.Errorf("domains set:\n%s", out)
	}
	var got dedupe.Config
	okJSON(t, dir, &got, "duplicates", "domains", "show")
	if !reflect.DeepEqual(got, mine) {
		t.Fatalf("domains after set = %+v, want %+v", got, mine)
	}

	// A bad file changes nothing, and the message names the file, the domain and the field.
	bad := mine
	bad.Domains = slices.Clone(mine.Domains)
	bad.Domains[1].Rules = slices.Clone(bad.Domains[1].Rules)
	bad.Domains[1].Rules[0].Compare = "sounds-like"
	errOut := refused(t, dir, "duplicates", "domains", "set", "--file", writeDomains(t, dir, bad))
	if !strings.Contains(errOut, "domains.json") || !strings.Contains(errOut, bad.Domains[1].Name) || !strings.Contains(errOut, "sounds-like") {
		t.Errorf("a bad compare: %s", errOut)
	}
	os.WriteFile(filepath.Join(dir, "domains.json"), []byte("{\"domains\": [\r\n  {\"name\": \"ID\",}\r\n]}\r\n"), 0o600)
	if errOut := refused(t, dir, "duplicates", "domains", "set", "--file", filepath.Join(dir, "domains.json")); !strings.Contains(errOut, "domains.json") {
		t.Errorf("a file that is not JSON: %s", errOut)
	}
	if errOut := refused(t, dir, "duplicates", "domains", "set", "--file", filepath.Join(dir, "missing.json")); !strings.Contains(errOut, "cannot read") {
		t.Errorf("a missing file: %s", errOut)
	}
	got = dedupe.Config{}
	okJSON(t, dir, &got, "duplicates", "domains", "show")
	if !reflect.DeepEqual(got, mine) {
		t.Fatalf("a refused file changed the domains: %+v", got)
	}

	if out := ok(t, dir, "duplicates", "domains", "reset"); !strings.Contains(out, "back to the defaults") {
		t.Errorf("domains reset:\n%s", out)
	}
	got = dedupe.Config{}
	okJSON(t, dir, &got, "duplicates", "domains", "show")
	if !reflect.DeepEqual(got, dedupe.Defaults()) {
		t.Fatalf("domains after reset = %+v", got)
	}
}

func TestDuplicateSettingsScanAfterImport(t *testing.T) {
	dir := t.TempDir()
	var s map[string]bool
	okJSON(t, dir, &s, "duplicates", "settings")
	if !reflect.DeepEqual(s, map[string]bool{"afterImport": true}) {
		t.Fatalf("a new workspace's settings: %v", s)
	}
	if out := ok(t, dir, "duplicates", "settings", "--after-import", "off"); !strings.Contains(out, "Imports do not scan") {
		t.Errorf("--after-import off:\n%s", out)
	}
	okJSON(t, dir, &s, "duplicates", "settings")
	if s["afterImport"] {
		t.Fatal("--after-import off did not stick")
	}
	if errOut := refused(t, dir, "duplicates", "settings", "--after-import", "maybe"); !strings.Contains(errOut, "on or off") {
		t.Errorf("--after-import maybe: %s", errOut)
	}
}

// listedPairs is `duplicates list --json` with extra arguments.
func listedPairs(t *testing.T, dir string, args ...string) []store.DuplicatePair {
	t.Helper()
	var pairs []store.DuplicatePair
	okJSON(t, dir, &pairs, append([]string{"duplicates", "list"}, args...)...)
	return pairs
}

func userCounts(t *testing.T, dir string) (active, deleted int) {
	t.Helper()
	var c store.RosterCounts
	okJSON(t, dir, &c, "roster", "counts")
	return c.Active["users"], c.Deleted["users"]
}

// field is a field's value in `roster show ENTITY ID --json`.
func field(t *testing.T, dir, entity, id, name string) string {
	t.Helper()
	var v store.RecordView
	okJSON(t, dir, &v, "roster", "show", entity, id)
	for _, f := range append(v.Fields, v.Metadata...) {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func TestDuplicatesScanAndList(t *testing.T) {
	dir := duplicatesWorkspace(t)
	if out := ok(t, dir, "duplicates", "list"); !strings.Contains(out, "No pairs waiting for review") {
		t.Fatalf("before a scan, with scans after import off:\n%s", out)
	}
	if out := ok(t, dir, "duplicates", "list", "--json"); out != "[]\n" {
		t.Fatalf("list --json of no pairs: %q", out)
	}
	var scan engine.DuplicateScan
	okJSON(t, dir, &scan, "duplicates", "scan")
	if scan.People < 300 || scan.Candidates < scan.Found || scan.Found < 10 || scan.New != scan.Found || scan.Pending != scan.Found || scan.Merged != 0 || scan.Run != 0 {
		t.Fatalf("scan --json = %+v", scan)
	}
	out := ok(t, dir, "duplicates", "scan")
	want := "Compared " + strconv.Itoa(scan.People) + " people (" + strconv.Itoa(scan.Candidates) + " candidate pairs): " + strconv.Itoa(scan.Pending) + " pairs waiting for review (0 new)."
	if !strings.Contains(out, want) {
		t.Errorf("a second scan says\n%s\nwant %q", out, want)
	}

	// The JSON has exactly SPEC §9's keys plus the evidence, every pending pair (however many pages
	// the store gives them in), highest score first.
	defer func(size int) { pairPageSize = size }(pairPageSize)
	pairPageSize = 4
	var raw []map[string]json.RawMessage
	okJSON(t, dir, &raw, "duplicates", "list")
	if len(raw) != scan.Pending {
		t.Fatalf("list --json has %d pairs, the scan left %d", len(raw), scan.Pending)
	}
	for _, p := range raw {
		keys := make([]string, 0, len(p))
		for k := range p {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, []string{"domain", "evidence", "left", "pair", "right", "score", "status"}) {
			t.Fatalf("list --json keys %v", keys)
		}
	}
	pairs := listedPairs(t, dir)
	for i, p := range pairs {
		if p.Status != "pending" || p.Left >= p.Right || len(p.Evidence) == 0 || p.Score <= 0 || p.Score > 1 || i > 0 && p.Score > pairs[i-1].Score {
			t.Fatalf("pair %d of list --json: %+v", i, p)
		}
	}
	// Most of them are the generator's true pairs.
	truth, err := os.ReadFile(filepath.Join(dir, "district.duplicates.csv"))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range pairs {
		if strings.Contains(string(truth), p.Left+","+p.Right+",") || strings.Contains(string(truth), p.Right+","+p.Left+",") {
			found++
		}
	}
	if found < len(pairs)/2 {
		t.Errorf("only %d of %d pairs are injected duplicates", found, len(pairs))
	}

	domain := pairs[0].Domain
	byDomain := listedPairs(t, dir, "--domain", domain)
	for _, p := range byDomain {
		if p.Domain != domain {
			t.Fatalf("--domain %s listed %+v", domain, p)
		}
	}
	if len(byDomain) == 0 || len(listedPairs(t, dir, "--status", "merged")) != 0 || len(listedPairs(t, dir, "--status", "all")) != len(pairs) {
		t.Fatal("list --domain / --status")
	}
	out = ok(t, dir, "duplicates", "list")
	p := pairs[0]
	if !strings.Contains(out, "PAIR") || !strings.Contains(out, strconv.FormatFloat(p.Score, 'f', 2, 64)) ||
		!strings.Contains(out, p.LeftName+" ("+p.Left+")") || !strings.Contains(out, p.RightName+" ("+p.Right+")") {
		t.Errorf("list:\n%s", out)
	}
	if errOut := refused(t, dir, "duplicates", "list", "--status", "open"); !strings.Contains(errOut, "pending, merged, ignored, new, all") {
		t.Errorf("--status open: %s", errOut)
	}

	// With the default domains, pairs sharing a master id merge without review, in a recorded run.
	ok(t, dir, "duplicates", "domains", "reset")
	out = ok(t, dir, "duplicates", "scan")
	m := regexp.MustCompile(`waiting for review \(0 new\), (\d+) merged automatically in run (\d+)\.\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("a scan with an unattended domain:\n%s", out)
	}
	merged := listedPairs(t, dir, "--status", "merged")
	var v engine.MergeView
	okJSON(t, dir, &v, "duplicates", "show", strconv.FormatInt(merged[0].ID, 10))
	if strconv.Itoa(len(merged)) != m[1] || merged[0].Domain != dedupe.Defaults().Domains[0].Name || strconv.FormatInt(v.Pair.DecidedRun, 10) != m[2] {
		t.Errorf("merged pairs after the scan said %s in run %s: %+v, the first decided in run %d", m[1], m[2], merged, v.Pair.DecidedRun)
	}
	if out := ok(t, dir, "runs", "show", m[2]); !strings.Contains(out, "of Duplicates") || !strings.Contains(out, "succeeded") {
		t.Errorf("the run of the automatic merges:\n%s", out)
	}
}

func TestDuplicatesResolveEachOutcomeAndUndo(t *testing.T) {
	dir := duplicatesWorkspace(t)
	ok(t, dir, "duplicates", "scan")
	pairs := listedPairs(t, dir)
	if len(pairs) < 3 {
		t.Fatalf("%d pairs", len(pairs))
	}
	active, deleted := userCounts(t, dir)

	// delete, taking the secondary's value of a field where the two differ
	var v engine.MergeView
	okJSON(t, dir, &v, "duplicates", "show", strconv.FormatInt(pairs[0].ID, 10))
	if v.Pair.ID != pairs[0].ID || len(v.Records) != 2 || len(v.Fields) == 0 {
		t.Fatalf("show --json = %+v", v)
	}
	primary, secondary := v.Records[0], v.Records[1]
	var taken engine.MergeField
	for _, f := range v.Fields {
		if f.Differ && f.Values[1] != "" && !strings.HasPrefix(f.Name, "demographics.") {
			taken = f
			break
		}
	}
	if taken.Name == "" {
		t.Fatalf("the records of pair %d differ in no field: %+v", v.Pair.ID, v.Fields)
	}
	var moved string
	for _, m := range v.Moves {
		if m.Entity == "enrollments" && m.From == secondary {
			moved = m.SourcedID
			break
		}
	}
	if moved == "" {
		t.Fatalf("nothing of %s's enrollments moves: %+v", secondary, v.Moves)
	}
	out := ok(t, dir, "duplicates", "show", strconv.FormatInt(v.Pair.ID, 10))
	for _, want := range []string{"evidence:", v.Pair.Evidence[0].Field, "the records side by side", "≠  " + taken.Name, moved, "Merge with: rosterdesk duplicates resolve"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}

	pair := strconv.FormatInt(v.Pair.ID, 10)
	// Refusals name what is wrong and what is right.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--primary", "nobody", "--secondary", "delete"}, "it is one of " + primary + ", " + secondary},
		{[]string{"--primary", primary, "--secondary", "merge"}, "--secondary is delete"},
		{[]string{"--primary", primary}, `"secondary" not set`},
		{[]string{"--secondary", "delete"}, "--primary " + v.Pair.Left + " or --primary " + v.Pair.Right},
		{[]string{"--primary", primary, "--secondary", "delete", "--take", "shoeSize=" + secondary}, "no field \"shoeSize\"; the fields are " + v.Fields[0].Name + ", "},
		{[]string{"--primary", primary, "--secondary", "delete", "--take", taken.Name + "=nobody"}, "nobody is not a record of pair " + pair},
		{[]string{"--primary", primary, "--secondary", "delete", "--take", taken.Name}, "write it as FIELD=ID"},
		{[]string{"--primary", primary, "--secondary", "delete", "--take", "password=" + secondary}, "passwords are never shown"},
		{[]string{"--primary", primary, "--secondary", "new", "--set", "givenName=Ann"}, "with --secondary new both records stay"},
	} {
		if errOut := refused(t, dir, append([]string{"duplicates", "resolve", pair}, tt.args...)...); !strings.Contains(errOut, tt.want) {
			t.Errorf("resolve %v: %s, want %q", tt.args, errOut, tt.want)
		}
	}
	if errOut := refused(t, dir, "duplicates", "resolve", "abc", "--secondary", "new"); !strings.Contains(errOut, `"abc" is not a pair number`) {
		t.Errorf("resolve abc: %s", errOut)
	}
	if errOut := refused(t, dir, "duplicates", "show", "99999"); !strings.Contains(errOut, "there is no pair 99999") {
		t.Errorf("show 99999: %s", errOut)
	}

	var run store.Run
	okJSON(t, dir, &run, "duplicates", "resolve", pair, "--primary", primary, "--secondary", "delete", "--take", taken.Name+"="+secondary)
	if run.ID == 0 || run.Status != store.RunSucceeded {
		t.Fatalf("resolve --json = %+v", run)
	}
	if out := ok(t, dir, "roster", "show", "users", secondary); !strings.Contains(out, "users "+secondary+": tobedeleted") {
		t.Errorf("the deleted secondary:\n%s", out)
	}
	if got := field(t, dir, "users", primary, taken.Name); got != taken.Values[1] {
		t.Errorf("the primary's %s = %q, want the secondary's %q", taken.Name, got, taken.Values[1])
	}
	if got := field(t, dir, "enrollments", moved, "userSourcedId"); got != primary {
		t.Errorf("enrollment %s belongs to %q, want the primary %s", moved, got, primary)
	}
	if a, d := userCounts(t, dir); a != active-1 || d != deleted+1 {
		t.Errorf("users after the merge: %d active, %d tobedeleted; before %d, %d", a, d, active, deleted)
	}
	if got := listedPairs(t, dir, "--status", "merged"); len(got) != 1 || got[0].ID != v.Pair.ID {
		t.Errorf("merged pairs: %+v", got)
	}
	if errOut := refused(t, dir, "duplicates", "resolve", pair, "--primary", primary, "--secondary", "ignore"); !strings.Contains(errOut, "pair "+pair+" is already decided (merged in run "+strconv.FormatInt(run.ID, 10)+")") ||
		!strings.Contains(errOut, "rosterdesk duplicates undo "+pair) {
		t.Errorf("resolving a merged pair again: %s", errOut)
	}

	// undo puts both records back as they were
	out = ok(t, dir, "duplicates", "undo", pair)
	if !strings.Contains(out, "Run ") || !strings.Contains(out, "succeeded") {
		t.Errorf("undo:\n%s", out)
	}
	if out := ok(t, dir, "roster", "show", "users", secondary); !strings.Contains(out, "users "+secondary+": active") {
		t.Errorf("the secondary after undo:\n%s", out)
	}
	if got := field(t, dir, "users", primary, taken.Name); got != taken.Values[0] {
		t.Errorf("the primary's %s after undo = %q, want %q", taken.Name, got, taken.Values[0])
	}
	if got := field(t, dir, "enrollments", moved, "userSourcedId"); got != secondary {
		t.Errorf("enrollment %s after undo belongs to %q, want %s", moved, got, secondary)
	}
	if a, d := userCounts(t, dir); a != active || d != deleted {
		t.Errorf("users after undo: %d active, %d tobedeleted; before %d, %d", a, d, active, deleted)
	}
	if errOut := refused(t, dir, "duplicates", "undo", pair); !strings.Contains(errOut, pair) {
		t.Errorf("undo of a pending pair: %s", errOut)
	}

	// ignore: the secondary stays but is no longer counted
	ignored := pairs[1]
	out = ok(t, dir, "duplicates", "resolve", strconv.FormatInt(ignored.ID, 10), "--primary", ignored.Left, "--secondary", "ignore")
	if !strings.Contains(out, "Duplicates") || !strings.Contains(out, "succeeded") {
		t.Errorf("resolve --secondary ignore:\n%s", out)
	}
	if a, d := userCounts(t, dir); a != active-1 || d != deleted {
		t.Errorf("users after ignore: %d active, %d tobedeleted; before %d, %d", a, d, active, deleted)
	}

	// new: not a duplicate, nothing changes and the pair is never proposed again
	notDup := pairs[2]
	ok(t, dir, "duplicates", "resolve", strconv.FormatInt(notDup.ID, 10), "--secondary", "new")
	if a, _ := userCounts(t, dir); a != active-1 {
		t.Errorf("users after new: %d active, want %d", a, active-1)
	}
	ok(t, dir, "duplicates", "scan")
	for _, p := range listedPairs(t, dir) {
		if p.ID == notDup.ID || p.Left == notDup.Left && p.Right == notDup.Right {
			t.Errorf("a pair resolved as new is proposed again: %+v", p)
		}
	}
	if got := listedPairs(t, dir, "--status", "new"); len(got) != 1 || got[0].ID != notDup.ID {
		t.Errorf("pairs resolved as new: %+v", got)
	}
}
