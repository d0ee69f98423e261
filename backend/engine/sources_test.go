package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// addSource adds another OneRoster CSV source to the fixture's workspace, with its own export file
// and settings (ids=own, say), and returns a fixture for it: same workspace and engine, so every
// fixture helper imports from it and reads the one roster.
func (f *fixture) addSource(name string, settings map[string]string) *fixture {
	f.t.Helper()
	path := filepath.Join(f.t.TempDir(), "export.zip")
	all := map[string]string{"path": path}
	for k, v := range settings {
		all[k] = v
	}
	conn, err := f.st.AddConnection(context.Background(), store.Connection{Name: name, Kind: "oneroster-csv", Role: "source", Settings: all})
	if err != nil {
		f.t.Fatal(err)
	}
	return &fixture{t: f.t, st: f.st, eng: f.eng, conn: conn, source: path}
}

// record reads a roster record, extension columns included; ok is false when there is none.
func (f *fixture) record(e roster.Entity, id string) (roster.Record, bool) {
	f.t.Helper()
	names := roster.Schema(e).Names()
	cols := make([]string, len(names))
	for i, n := range names {
		cols[i] = `COALESCE("` + n + `", '')`
	}
	rec := roster.NewRecord(e)
	ptrs := make([]any, 0, len(names)+1)
	for i := range rec.Values {
		ptrs = append(ptrs, &rec.Values[i])
	}
	var meta string
	ptrs = append(ptrs, &meta)
	err := f.st.DB().QueryRow(`SELECT `+strings.Join(cols, ", ")+`, COALESCE(metadata, '') FROM roster_`+string(e)+` WHERE "sourcedId" = ?`, id).Scan(ptrs...)
	if err == sql.ErrNoRows {
		return rec, false
	}
	if err != nil {
		f.t.Fatalf("%s %s: %v", e, id, err)
	}
	if meta != "" {
		m := map[string]string{}
		if err := json.Unmarshal([]byte(meta), &m); err != nil {
			f.t.Fatal(err)
		}
		for k, v := range m {
			rec.Metadata = append(rec.Metadata, roster.MetadataValue{Name: k, Value: v})
		}
		slices.SortFunc(rec.Metadata, func(a, b roster.MetadataValue) int { return strings.Compare(a.Name, b.Name) })
	}
	return rec, true
}

// originsOf reads the origins of a roster record in precedence order, as reconcile takes them: an
// origin without stored values (the record's only one) has the roster row's.
func (f *fixture) originsOf(e roster.Entity, id string) []reconcile.Origin {
	f.t.Helper()
	rows, err := f.st.DB().Query(`SELECT o.connection_id, o.source_id, o.hash, o.vals FROM origins o JOIN connections c ON c.id = o.connection_id
		WHERE o.entity = ? AND COALESCE(o.record, o.source_id) = ? ORDER BY c.precedence, c.id`, string(e), id)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []reconcile.Origin
	for rows.Next() {
		var o reconcile.Origin
		var hash int64
		var vals sql.NullString
		if err := rows.Scan(&o.Connection, &o.SourcedID, &hash, &vals); err != nil {
			f.t.Fatal(err)
		}
		o.Live = hash != 0
		if vals.Valid {
			if o.Values, err = reconcile.Decode(e, vals.String); err != nil {
				f.t.Fatal(err)
			}
		} else {
			rec, _ := f.record(e, id)
			o.Values = reconcile.Of(rec)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// conflicts lists a roster record's conflicts as field → values per origin.
func (f *fixture) conflicts(e roster.Entity, id string) map[string][]string {
	f.t.Helper()
	origins := f.originsOf(e, id)
	out := map[string][]string{}
	for _, c := range reconcile.Conflicts(e, origins, reconcile.Merge(e, id, origins)) {
		out[c.Field] = c.Values
	}
	return out
}

// precede puts the fixtures' connections first in the reconciliation order, in the order given.
func precede(t *testing.T, first ...*fixture) {
	t.Helper()
	ids := make([]int64, len(first))
	for i, s := range first {
		ids[i] = s.conn.ID
	}
	if err := first[0].st.SetPrecedence(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
}

// runLog is a run's log as the history shows it, creates included.
func (f *fixture) runLog(run store.Run) []store.RunRecord {
	f.t.Helper()
	var out []store.RunRecord
	if err := f.st.RunLog(context.Background(), run, func(r store.RunRecord) error {
		out = append(out, r)
		return nil
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// secondFeed is district() as another feed of the same SIS sends it: the same schools, session,
// course and class, Ana with another e-mail, under t1 another person than the first feed's Tia, and a
// new student, Eve (u5), with her role and enrollment. CRLF and a BOM, as SIS exports write them.
func secondFeed() map[string]string {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org", "ana.lopez@springfield.k12.us", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "t1,,,true,tia,,Tia,Marsh,,9001,tia@example.org", "t1,,,true,tvega,,Tomas,Vega,,9001,", 1)
	files["users.csv"] += "u5,,,true,eve,,Eve,Nakamura,,1005,eve@example.org,,,,03,,,,,,s1,\n"
	files["roles.csv"] += "r6,,,u5,primary,student,,,s1,\n"
	files["enrollments.csv"] += "e6,,,k1,s1,u5,student,,,\n"
	for name, text := range files {
		files[name] = "\uFEFF" + strings.ReplaceAll(text, "\n", "\r\n")
	}
	return files
}

// A second feed of the same district with shared ids meets the first's records: the first source's
// values are kept (it comes first), the other values are conflicts, re-sent records are updated
// (joined), never created, and only the new student is.
func TestASecondFeedJoinsTheFirstsRecordsAndKeepsItsValues(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	run := b.importFiles(secondFeed())
	if run.Status != store.RunSucceeded {
		t.Fatalf("run %+v", run)
	}
	want := map[string]store.EntityCounts{
		"orgs": {Updated: 2}, "academicSessions": {Updated: 1}, "courses": {Updated: 1}, "classes": {Updated: 1},
		"users": {Created: 1, Updated: 3}, "roles": {Created: 1, Updated: 3}, "enrollments": {Created: 1, Updated: 3},
	}
	for e, c := range want {
		if got := run.Counts[e]; got != c {
			t.Errorf("%s counts %+v, want %+v", e, got, c)
		}
	}
	if got := a.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
		t.Errorf("u1 email %q: the first source comes first", got)
	}
	if got := a.rosterValue(roster.Users, "t1", "givenName") + " " + a.rosterValue(roster.Users, "t1", "familyName"); got != "Tia Marsh" {
		t.Errorf("t1 is %q: the second feed overwrote the first's person", got)
	}
	if got := a.rosterValue(roster.Users, "t1", "email"); got != "tia@example.org" {
		t.Errorf("t1 email %q: the second feed has none, the first's stays", got)
	}
	if got := a.rosterValue(roster.Users, "u5", "givenName"); got != "Eve" {
		t.Errorf("u5 %q", got)
	}
	c := a.conflicts(roster.Users, "u1")
	if len(c) != 1 || !slices.Equal(c["email"], []string{"ana@example.org", "ana.lopez@springfield.k12.us"}) {
		t.Errorf("u1 conflicts %v", c)
	}
	c = a.conflicts(roster.Users, "t1")
	if len(c) != 3 || !slices.Equal(c["givenName"], []string{"Tia", "Tomas"}) || !slices.Equal(c["username"], []string{"tia", "tvega"}) {
		t.Errorf("t1 conflicts %v", c)
	}
	if c := a.conflicts(roster.Orgs, "s1"); len(c) != 0 {
		t.Errorf("s1 has no conflict: both send the same, got %v", c)
	}
	if n := len(a.originsOf(roster.Orgs, "s1")); n != 2 {
		t.Errorf("s1 has %d origins, want 2", n)
	}
	counts, _ := a.st.RosterCounts(context.Background())
	if counts.Active[roster.Users] != 4 || counts.Active[roster.Orgs] != 2 || counts.Deleted[roster.Users] != 0 {
		t.Errorf("roster %+v", counts)
	}
	// The run's log: the one record created, and every joined one as an update.
	log := b.runLog(run)
	if !hasRecord(log, "users", "u5", "create", "", "") || hasRecord(log, "users", "u1", "create", "", "") || hasRecord(log, "orgs", "s1", "create", "", "") {
		t.Errorf("log %+v", log)
	}
	if !hasRecord(log, "orgs", "s1", ActionUpdate, "", "now also supplied by this source; no field changes") {
		t.Errorf("a joined school is logged as an update: %+v", log)
	}
	// Re-sending the same changes nothing.
	again := b.importFiles(secondFeed())
	for e, c := range again.Counts {
		if c.Created+c.Updated+c.Deleted != 0 {
			t.Errorf("re-import %s: %+v", e, c)
		}
	}
}
