package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	gendistrict "github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// verify runs a verification of a connection and returns it with its differences.
func (f *fixture) verify(connectionID int64, opts VerifyOptions) (Verification, []Difference) {
	f.t.Helper()
	var diffs []Difference
	v, err := f.eng.Verify(context.Background(), connectionID, opts, events.Discard, func(d Difference) error {
		diffs = append(diffs, d)
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return v, diffs
}

// brief is a difference in one line, for comparing lists.
func brief(d Difference) string {
	s := d.Entity + " " + d.SourcedID + " " + d.Kind
	for _, fd := range d.Fields {
		s += fmt.Sprintf(" %s:%q→%q", fd.Field, fd.Roster, fd.Connection)
	}
	return s
}

func briefs(diffs []Difference, ent roster.Entity) []string {
	var out []string
	for _, d := range diffs {
		if d.Entity == string(ent) {
			out = append(out, brief(d))
		}
	}
	return out
}

// Against a source's new fetch: a changed field, a record the source dropped and one it added, each
// named with its sourcedId and (for a change) the field and both values; the rest is the same.
func TestVerifySourceListsEachKindOfDifference(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	if v, diffs := f.verify(f.conn.ID, VerifyOptions{}); v.Differences != 0 || len(diffs) != 0 || v.Against != "source" || v.Stale {
		t.Fatalf("right after the import: %+v %v", v, diffs)
	}
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org", "ana.lopez@example.org", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	files["users.csv"] += "u9,,,true,zoe,,Zoe,Park,,1009,zoe@example.org,,,,03,,,,,,s1,\n"
	f.fetchFiles(files)
	v, diffs := f.verify(f.conn.ID, VerifyOptions{})
	want := []string{
		`users u1 differs email:"ana@example.org"→"ana.lopez@example.org"`,
		"users u2 missingInConnection",
		"users u9 missingInRoster",
	}
	if got := briefs(diffs, roster.Users); !slices.Equal(got, want) {
		t.Errorf("users:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c := v.Counts["users"]; c != (VerifyCounts{Same: 1, Differs: 1, MissingInConnection: 1, MissingInRoster: 1}) {
		t.Errorf("users counts %+v", c)
	}
	if v.Differences != 3 || len(diffs) != 3 {
		t.Errorf("%d differences: %v", v.Differences, diffs)
	}
	// One entity only.
	if v, diffs := f.verify(f.conn.ID, VerifyOptions{Entity: roster.Orgs}); v.Differences != 0 || len(diffs) != 0 || len(v.Counts) != 1 {
		t.Errorf("orgs only: %+v %v", v, diffs)
	}
}

// A source never fetched is refused with a message that says to fetch (details.needs=fetch).
func TestVerifySourceNeedsAFetch(t *testing.T) {
	f := newFixture(t, district())
	_, err := f.eng.Verify(context.Background(), f.conn.ID, VerifyOptions{}, events.Discard, func(Difference) error { return nil })
	var ae *apperr.Error
	if !errors.As(err, &ae) || !strings.Contains(ae.Message, "Fetch it first") || fmt.Sprint(ae.Details) != "map[needs:fetch]" {
		t.Fatalf("err = %#v", err)
	}
}

// A field the roster keeps from a source of higher precedence is no difference with the other
// source, which is compared with its own values.
func TestVerifySourceLeavesPrecedenceAlone(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	b.importFiles(secondFeed())
	if got := a.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
		t.Fatalf("the first source's e-mail is kept: %q", got)
	}
	for _, x := range []*fixture{a, b} {
		if v, diffs := x.verify(x.conn.ID, VerifyOptions{}); v.Differences != 0 {
			t.Errorf("%s: %v", x.conn.Name, diffs)
		}
	}
}

// The source's import mapping applies before comparing: a field it maps is compared as mapped, a
// blank one it leaves to the roster (overwrite off) is no difference.
func TestVerifySourceThroughItsImportMapping(t *testing.T) {
	f := newFixture(t, district())
	m := mapping.DefaultImport(roster.Users)
	off := false
	for i, fd := range m.Fields {
		switch fd.To {
		case "givenName":
			m.Fields[i].From = "username"
		case "email":
			m.Fields[i].Overwrite = &off
		}
	}
	if err := f.eng.SaveMapping(context.Background(), ownSetup(t, f.st, f.conn, store.DirectionImport), m); err != nil {
		t.Fatal(err)
	}
	f.importFiles(district())
	if got := f.rosterValue(roster.Users, "u1", "givenName"); got != "ana" {
		t.Fatalf("mapped givenName %q", got)
	}
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org", "", 1)
	f.fetchFiles(files)
	if v, diffs := f.verify(f.conn.ID, VerifyOptions{}); v.Differences != 0 {
		t.Errorf("%v", diffs)
	}
}

// Against a folder target: the newest export there beside what an export would write now.
func TestVerifyFileTarget(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	target, _ := f.target(nil)
	_, err := f.eng.Verify(context.Background(), target.ID, VerifyOptions{}, events.Discard, func(Difference) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "Nothing has been exported") {
		t.Errorf("no export yet: %v", err)
	}
	f.export(target.ID, RunOptions{OverrideHold: true})
	if v, diffs := f.verify(target.ID, VerifyOptions{}); v.Differences != 0 || v.Counts["users"].Same != 3 {
		t.Fatalf("right after the export: %+v %v", v, diffs)
	}
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org", "ana.lopez@example.org", 1)
	files["users.csv"] += "u9,,,true,zoe,,Zoe,Park,,1009,zoe@example.org,,,,03,,,,,,s1,\n"
	f.importFiles(files)
	_, diffs := f.verify(target.ID, VerifyOptions{Entity: roster.Users})
	want := []string{`users u1 differs email:"ana.lopez@example.org"→"ana@example.org"`, "users u9 missingInConnection"}
	if got := briefs(diffs, roster.Users); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Against an API target: what was last delivered, said to be so.
func TestVerifyPushTargetComparesWhatWasDelivered(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	if _, err := f.export(); err != nil {
		t.Fatal(err)
	}
	v, diffs := f.verify(f.target.ID, VerifyOptions{})
	if v.Differences != 0 || !strings.Contains(v.Basis, "not read back") {
		t.Fatalf("%+v %v", v, diffs)
	}
	files := withDemographics(district())
	files["users.csv"] = strings.Replace(files["users.csv"], "Lopez", "Lopez-Diaz", 1)
	f.importFiles(files)
	_, diffs = f.verify(f.target.ID, VerifyOptions{})
	if len(diffs) != 1 || diffs[0].Kind != Differs || diffs[0].SourcedID != "u1" || len(diffs[0].Fields) == 0 || diffs[0].Fields[0] != (FieldDifference{Field: "last_name", Roster: "LOPEZ-DIAZ", Connection: "LOPEZ"}) {
		t.Errorf("%v", diffs)
	}
}

// A generated district verifies with its records sorted in chunks on disk: every record is met
// and the same, whatever the chunk size, and the heap stays far below the package's size.
func TestVerifyGeneratedDistrictInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a district")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "district.zip")
	if _, err := gendistrict.GenerateFile(context.Background(), path, gendistrict.Options{Students: 3000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, district())
	conn, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Generated", Kind: "oneroster-csv", Role: "source", Settings: map[string]string{"path": path}})
	if err != nil {
		t.Fatal(err)
	}
	g := &fixture{t: t, st: f.st, eng: f.eng, conn: conn, source: path}
	if _, err := g.eng.Import(context.Background(), conn.ID, RunOptions{}, events.Discard); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { sortChunk = n }(sortChunk)
	sortChunk = 500 // many chunks per entity
	var peak uint64
	var diffs []Difference
	v, err := g.eng.Verify(context.Background(), conn.ID, VerifyOptions{}, events.ReporterFunc(func(events.Progress) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}), func(d Difference) error { diffs = append(diffs, d); return nil })
	if err != nil || v.Differences != 0 {
		t.Fatalf("%v %v", err, diffs[:min(len(diffs), 5)])
	}
	same := 0
	for _, c := range v.Counts {
		same += c.Same
	}
	counts, _ := g.st.RosterCounts(context.Background())
	if want := counts.Active[roster.Enrollments]; v.Counts["enrollments"].Same != want || want < 3000 {
		t.Errorf("enrollments compared %d, want %d", v.Counts["enrollments"].Same, want)
	}
	t.Logf("%d records the same; heap in use at most %d MB", same, peak>>20)
}

// A delta file lists changes only: the records it does not list are not missing at the source.
func TestVerifySourceDeltaListsChangesOnly(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	f.fetchFiles(usersDelta("u1,active,2026-09-01T00:00:00.000Z,true,ana,,Ana,Lopez,,1001,ana.l@example.org,,,,03,,,,,,s1,\n"))
	v, diffs := f.verify(f.conn.ID, VerifyOptions{})
	if want := []string{`users u1 differs email:"ana@example.org"→"ana.l@example.org"`}; !slices.Equal(briefs(diffs, roster.Users), want) || v.Differences != 1 {
		t.Errorf("%v", diffs)
	}
}
