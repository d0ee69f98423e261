package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
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

// ownID is the roster id this source's record id gets when another record has id already.
func (f *fixture) ownID(id string) string { return id + "~" + strconv.FormatInt(f.conn.ID, 10) }

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
		if vals.Valid && vals.String != "" { // "": joined with the same values, the row's
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

// precede puts the fixtures' connections first in the reconciliation order, in the order given, as
// Settings → Sources and the CLI do, and returns the run that applied it.
func precede(t *testing.T, first ...*fixture) store.Run {
	t.Helper()
	ids := make([]int64, len(first))
	for i, s := range first {
		ids[i] = s.conn.ID
	}
	run, err := first[0].eng.SetPrecedence(context.Background(), ids)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", run, err)
	}
	return run
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
	if !hasRecord(log, "orgs", "s1", ActionUpdate, "", `now also supplied by this source, which knows it as "s1"`) {
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

// withoutSessions is files whose bulk academicSessions.csv no longer carries any session.
func withoutSessions(files map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	header, _, _ := strings.Cut(strings.TrimPrefix(files["academicSessions.csv"], "\uFEFF"), "\n")
	out["academicSessions.csv"] = header + "\n"
	return out
}

// usersDelta is a 1.2 delta package of users.csv rows (written after the header).
func usersDelta(rows string) map[string]string {
	header, _, _ := strings.Cut(district()["users.csv"], "\n")
	return map[string]string{"manifest.csv": deltaManifest("users"), "users.csv": header + "\r\n" + strings.ReplaceAll(rows, "\n", "\r\n")}
}

// originLive says whether a connection's origin of a record is live (false: dead or none).
func (f *fixture) originLive(e roster.Entity, record string) bool {
	f.t.Helper()
	var live bool
	err := f.st.DB().QueryRow(`SELECT hash <> 0 FROM origins WHERE connection_id = ? AND entity = ? AND COALESCE(record, source_id) = ?`, f.conn.ID, string(e), record).Scan(&live)
	if err != nil && err != sql.ErrNoRows {
		f.t.Fatal(err)
	}
	return live
}

// A bulk file without a record ends that source's origin only: the record stays active while another
// source supplies it, and becomes tobedeleted when the last one drops it too; it comes back when one
// sends it again.
func TestABulkFileWithoutARecordRemovesOnlyItsSourcesOrigin(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	b.importFiles(secondFeed())

	run := b.importFiles(withoutSessions(secondFeed()))
	if run.Status != store.RunSucceeded || run.Counts["academicSessions"].Deleted != 0 {
		t.Fatalf("second feed without sessions: %+v %+v", run, run.Counts["academicSessions"])
	}
	if a.status(roster.AcademicSessions, "y1") != "active" {
		t.Fatal("y1 was deleted although the first source still supplies it")
	}
	if b.originLive(roster.AcademicSessions, "y1") || !a.originLive(roster.AcademicSessions, "y1") {
		t.Fatal("only the second feed's origin of y1 is dead")
	}
	if got := a.rosterValue(roster.AcademicSessions, "y1", "title"); got != "2026-2027" {
		t.Fatalf("y1 title %q", got)
	}

	run = a.importFiles(withoutSessions(district()))
	if run.Counts["academicSessions"].Deleted != 1 || a.status(roster.AcademicSessions, "y1") != "tobedeleted" {
		t.Fatalf("no source supplies y1 any more: %+v, status %s", run.Counts["academicSessions"], a.status(roster.AcademicSessions, "y1"))
	}
	if got := a.rosterValue(roster.AcademicSessions, "y1", "title"); got != "2026-2027" {
		t.Fatalf("a deleted record keeps its values, title %q", got)
	}
	if !hasRecord(a.runLog(run), "academicSessions", "y1", ActionDelete, "", "") {
		t.Fatalf("log %+v", a.runLog(run))
	}

	run = b.importFiles(secondFeed())
	if a.status(roster.AcademicSessions, "y1") != "active" || run.Counts["academicSessions"].Updated != 1 {
		t.Fatalf("sent again, y1 is back: %+v, status %s", run.Counts["academicSessions"], a.status(roster.AcademicSessions, "y1"))
	}
}

// A delta tobedeleted row ends its source's origin only. A value only the leaving source had goes
// with it; the remaining source's values are the roster's.
func TestADeltaDeletionRemovesOnlyItsSourcesOrigin(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	precede(t, b, a)
	feed := secondFeed()
	feed["users.csv"] = strings.Replace(feed["users.csv"], "Ben,Okafor,,1002", "Ben,Okafor,Chidi,1002", 1)
	b.importFiles(feed)
	if got := a.rosterValue(roster.Users, "u1", "email"); got != "ana.lopez@springfield.k12.us" {
		t.Fatalf("u1 email %q: the second feed comes first", got)
	}
	if got := a.rosterValue(roster.Users, "u2", "middleName"); got != "Chidi" {
		t.Fatalf("u2 middleName %q", got)
	}

	run := b.importFiles(usersDelta("u1,tobedeleted,2026-11-02T08:00:00Z,true,ana,,Ana,Lopez,,1001,,,,,03,,,,,,s1,\n" +
		"u2,tobedeleted,2026-11-02T08:00:00Z,true,ben,,Ben,Okafor,,1002,,,,,03,,,,,,s1,\n"))
	if c := run.Counts["users"]; c.Deleted != 0 || c.Updated != 2 {
		t.Errorf("users %+v: both change back to the first source's values", c)
	}
	if a.status(roster.Users, "u1") != "active" || a.status(roster.Users, "u2") != "active" {
		t.Fatal("the first source still supplies u1 and u2")
	}
	if got := a.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
		t.Errorf("u1 email %q: the leaving source's value went with it", got)
	}
	var middle sql.NullString
	a.st.DB().QueryRow(`SELECT "middleName" FROM roster_users WHERE "sourcedId" = 'u2'`).Scan(&middle)
	if middle.String != "" {
		t.Errorf("u2 middleName %q: only the leaving source had one", middle.String)
	}
	if c := a.conflicts(roster.Users, "u1"); len(c) != 0 {
		t.Errorf("a dead origin is no conflict: %v", c)
	}
	if b.originLive(roster.Users, "u1") || !a.originLive(roster.Users, "u1") {
		t.Fatal("only the second feed's origin of u1 is dead")
	}

	prior := a.rosterValue(roster.Users, "u1", "dateLastModified")
	run = a.importFiles(usersDelta("u1,tobedeleted,2026-11-03T08:00:00Z,true,ana,,Ana,Lopez,,1001,,,,,03,,,,,,s1,\n"))
	if c := run.Counts["users"]; c.Deleted != 1 || a.status(roster.Users, "u1") != "tobedeleted" {
		t.Fatalf("the last source deletes u1: %+v, status %s", c, a.status(roster.Users, "u1"))
	}
	if log := a.runLog(run); len(log) != 1 || log[0].Field != "dateLastModified" || log[0].Before != prior || prior == "" || log[0].After != "" {
		t.Errorf("the deletion of u1 (was %s) is logged as %+v: its dateLastModified before", prior, log)
	}
	if a.status(roster.Users, "u2") != "active" {
		t.Fatal("u2 was not deleted by the first source")
	}
}

// ownFeed is district() as a system with its own numbering sends it: the same ids for other records
// (Carla under u1, a school of its own under s1 …) and one id no other source uses (c7).
func ownFeed() map[string]string {
	files := district()
	files["orgs.csv"] = strings.Replace(files["orgs.csv"], "Evergreen Elementary School", "Evergreen Charter Academy", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org", "u1,,,true,cdiaz,,Carla,Diaz,,7001,carla@example.org", 1)
	files["users.csv"] += "c7,,,true,max,,Max,Weber,,7007,max@example.org,,,,03,,,,,,s1,\n"
	files["roles.csv"] += "r7,,,c7,primary,student,,,s1,\n"
	files["enrollments.csv"] += "e7,,,k1,s1,c7,student,,,\n"
	return files
}

// A source whose ids are its own never meets other records by id: each of its records whose id
// another record has gets one of its own (id~connection), and its references point at its records.
func TestOwnIDsNeverMeetOtherRecordsAndReferencesFollowThem(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	run := c.importFiles(ownFeed())
	if run.Status != store.RunSucceeded {
		t.Fatalf("run %+v", run)
	}
	for e, n := range map[string]int{"orgs": 2, "academicSessions": 1, "courses": 1, "classes": 1, "users": 4, "roles": 4, "enrollments": 4} {
		if got := run.Counts[e]; got.Created != n || got.Updated != 0 {
			t.Errorf("%s %+v, want %d created", e, got, n)
		}
	}
	own := c.ownID
	if got := a.rosterValue(roster.Users, "u1", "givenName"); got != "Ana" {
		t.Fatalf("u1 is %q: an own-ids source overwrote the first's record", got)
	}
	if got := a.rosterValue(roster.Users, own("u1"), "givenName"); got != "Carla" {
		t.Fatalf("%s is %q", own("u1"), got)
	}
	if got := a.rosterValue(roster.Orgs, own("s1"), "name"); got != "Evergreen Charter Academy" || a.rosterValue(roster.Orgs, "s1", "name") != "Evergreen Elementary School" {
		t.Fatalf("%s is %q", own("s1"), got)
	}
	if a.rows(roster.Users, "c7") != 1 || a.rows(roster.Users, own("c7")) != 0 {
		t.Fatal("an id no other record has is kept")
	}
	for id, want := range map[string][]string{
		own("e1"): {own("k1"), own("s1"), own("u1")},
		"e7":      {own("k1"), own("s1"), "c7"},
	} {
		got := []string{a.rosterValue(roster.Enrollments, id, "classSourcedId"), a.rosterValue(roster.Enrollments, id, "schoolSourcedId"), a.rosterValue(roster.Enrollments, id, "userSourcedId")}
		if !slices.Equal(got, want) {
			t.Errorf("enrollment %s points at %v, want %v", id, got, want)
		}
	}
	if got := a.rosterValue(roster.Users, own("u1"), "primaryOrgSourcedId"); got != own("s1") {
		t.Errorf("Carla's school %q", got)
	}
	if got := a.rosterValue(roster.Orgs, own("s1"), "parentSourcedId"); got != own("d1") {
		t.Errorf("the charter school's parent %q", got)
	}
	if n := len(a.originsOf(roster.Users, "u1")); n != 1 {
		t.Errorf("u1 has %d origins", n)
	}
	// Nothing of the first source changed, and its next import still meets only its own records.
	if run := a.importFiles(district()); run.Counts["users"] != (store.EntityCounts{Unchanged: 3}) {
		t.Errorf("first source re-import: users %+v", run.Counts["users"])
	}
	if run := c.importFiles(ownFeed()); run.Counts["users"] != (store.EntityCounts{Unchanged: 4}) {
		t.Errorf("own source re-import: users %+v", run.Counts["users"])
	}
}

// An own-ids source's later import still writes its references as its records' roster ids, also when
// the same run gives another of its records a roster id of its own.
func TestOwnIDsReferencesFollowTheirRecordsInLaterImports(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	first := ownFeed()
	first["users.csv"] = strings.Replace(first["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	first["roles.csv"] = strings.Replace(first["roles.csv"], "r2,,,u2,primary,student,,,s1,\n", "", 1)
	first["enrollments.csv"] = strings.Replace(first["enrollments.csv"], "e2,,,k1,s1,u2,student,,,\n", "", 1)
	c.importFiles(first)
	// The next file brings u2 (another of the first source's ids) and a new enrollment of Carla (u1).
	next := ownFeed()
	next["enrollments.csv"] += "e8,,,k1,s1,u1,student,,2026-09-01,\n"
	run := c.importFiles(next)
	if run.Counts["users"].Created != 1 || run.Counts["enrollments"].Created != 2 {
		t.Fatalf("counts %+v", run.Counts)
	}
	own := c.ownID
	if got := a.rosterValue(roster.Enrollments, "e8", "userSourcedId"); got != own("u1") {
		t.Errorf("e8 (Carla's) points at user %q, want %q", got, own("u1"))
	}
	if got := a.rosterValue(roster.Enrollments, own("e2"), "userSourcedId"); got != own("u2") {
		t.Errorf("%s points at user %q", own("e2"), got)
	}
}

// References of an own-ids source follow its records whatever the order of its file: a school listed
// before its district, a student before the guardian named in agentSourcedIds.
func TestOwnIDsReferencesToRecordsLaterInTheFile(t *testing.T) {
	first := district()
	first["users.csv"] += "g1,,,true,gwen,,Gwen,Lopez,,5001,gwen@example.org,,,,,,,,,,s1,\n"
	first["roles.csv"] += "r8,,,g1,primary,guardian,,,s1,\n"
	a := newFixture(t, first)
	a.importFiles(first)
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	files := ownFeed()
	files["orgs.csv"] = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\n" +
		"s1,,,Evergreen Charter Academy,school,S1,d1\r\nd1,,,Charter Network,district,D1,\r\n"
	files["users.csv"] = strings.Replace(files["users.csv"], "carla@example.org,,,,03", "carla@example.org,,,g1,03", 1) +
		"g1,,,true,hdiaz,,Hugo,Diaz,,7101,hugo@example.org,,,,,,,,,,s1,\n"
	files["roles.csv"] += "r9,,,g1,primary,guardian,,,s1,\n"
	c.importFiles(files)
	if got := a.rosterValue(roster.Orgs, c.ownID("s1"), "parentSourcedId"); got != c.ownID("d1") {
		t.Errorf("the charter school's parent %q, want %q", got, c.ownID("d1"))
	}
	if got := a.rosterValue(roster.Users, c.ownID("u1"), "agentSourcedIds"); got != c.ownID("g1") {
		t.Errorf("Carla's guardian %q, want %q (Hugo)", got, c.ownID("g1"))
	}
}

// The demographics of a user are the record with the user's sourcedId: those an own-ids source sends
// for a user that got a roster id of its own go with that user, not with the other source's person.
func TestOwnIDsDemographicsFollowTheirUser(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	files := ownFeed()
	files["manifest.csv"] = strings.Replace(files["manifest.csv"], "file.demographics,absent", "file.demographics,bulk", 1)
	files["demographics.csv"] = "\ufeff" + demographicsHeader + "\r\n" + "u1,,,2016-05-04,female,false,false,false,false,true,false,true,US,TX,Austin,\r\n"
	c.importFiles(files)
	if a.rows(roster.Demographics, "u1") != 0 {
		t.Errorf("Carla's demographics were given to Ana (u1), born %s", a.rosterValue(roster.Demographics, "u1", "birthDate"))
	}
	if got := a.rosterValue(roster.Demographics, c.ownID("u1"), "birthDate"); got != "2016-05-04" {
		t.Errorf("Carla's demographics %q", got)
	}
}

// withUser is district() where u1 has the given middle name and e-mail (blank for none).
func withUser(middle, email string) map[string]string {
	files := district()
	files["users.csv"] = strings.Replace(files["users.csv"], "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org", "u1,,,true,ana,,Ana,Lopez,"+middle+",1001,"+email, 1)
	return files
}

// order is the sources' names in reconciliation order.
func (f *fixture) order() []string {
	f.t.Helper()
	sources, err := f.st.Sources(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	var names []string
	for _, s := range sources {
		names = append(names, s.Name)
	}
	return names
}

// With three sources, each new order is the one given and applies at once: a non-blank value of the
// first source wins, a blank falls through to the next one, and later imports keep to the order.
func TestANewOrderOfThreeSourcesKeepsTheFirstNonBlankValue(t *testing.T) {
	a := newFixture(t, withUser("", "ana@example.org"))
	a.importFiles(withUser("", "ana@example.org"))
	b := a.addSource("B", nil)
	b.importFiles(withUser("Maria", ""))
	c := a.addSource("C", nil)
	c.importFiles(withUser("Mercedes", "ana@c.example"))
	u1 := func() string {
		return a.rosterValue(roster.Users, "u1", "middleName") + " " + a.rosterValue(roster.Users, "u1", "email")
	}
	if got := u1(); got != "Maria ana@example.org" {
		t.Fatalf("order SIS, B, C: u1 %q", got)
	}
	precede(t, b, a, c)
	if got := a.order(); !slices.Equal(got, []string{"B", "SIS", "C"}) {
		t.Errorf("order %v, want B, SIS, C", got)
	}
	if got := u1(); got != "Maria ana@example.org" {
		t.Errorf("order B, SIS, C: u1 %q (B has no e-mail, SIS's comes next)", got)
	}
	run := precede(t, c)
	if got := a.order(); !slices.Equal(got, []string{"C", "B", "SIS"}) {
		t.Errorf("order %v, want C, B, SIS", got)
	}
	if got := u1(); got != "Mercedes ana@c.example" || run.Counts["users"].Updated != 1 {
		t.Errorf("order C, B, SIS: u1 %q, users %+v", got, run.Counts["users"])
	}
	// A later import of a source further down changes what the roster keeps of it only where the
	// sources before it have nothing.
	run = a.importFiles(withUser("Ana", "a.lopez@example.org"))
	if got := u1(); got != "Mercedes ana@c.example" || run.Counts["users"].Updated != 0 {
		t.Errorf("after SIS changed: u1 %q, users %+v", got, run.Counts["users"])
	}
	run = c.importFiles(withUser("", ""))
	if got := u1(); got != "Maria a.lopez@example.org" || run.Counts["users"].Updated != 1 {
		t.Errorf("after C dropped both: u1 %q, users %+v", got, run.Counts["users"])
	}
	precede(t, a, b, c)
	if got := u1(); got != "Ana a.lopez@example.org" {
		t.Errorf("order SIS, B, C again: u1 %q", got)
	}
}

// The plan of a second source's import lists what the import then does, changing nothing; the run's
// log says, per field, what the roster had and has now where the second source's values win, and
// names records by their roster ids.
func TestASecondSourcesPlanAndLogAreTruthful(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	precede(t, b)
	b.fetchFiles(secondFeed())
	var originsBefore int
	a.st.DB().QueryRow(`SELECT COUNT(*) FROM origins`).Scan(&originsBefore)
	runsBefore := a.runs()
	plan, err := a.eng.PlanImport(context.Background(), b.conn.ID, RunOptions{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var originsAfter int
	a.st.DB().QueryRow(`SELECT COUNT(*) FROM origins`).Scan(&originsAfter)
	if originsAfter != originsBefore || a.runs() != runsBefore || a.rosterValue(roster.Users, "t1", "givenName") != "Tia" || a.rows(roster.Users, "u5") != 0 {
		t.Fatalf("planning changed the workspace: origins %d → %d, runs %d → %d", originsBefore, originsAfter, runsBefore, a.runs())
	}
	run, err := a.eng.Import(context.Background(), b.conn.ID, RunOptions{OverrideHold: true}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for e, c := range run.Counts {
		if plan.Counts[e] != c {
			t.Errorf("%s: plan %+v, run %+v", e, plan.Counts[e], c)
		}
	}
	if c := run.Counts["users"]; c.Created != 1 || c.Updated != 3 {
		t.Errorf("users %+v", c)
	}
	log := b.runLog(run)
	for _, want := range []store.RunRecord{
		{Entity: "users", SourcedID: "u1", Action: ActionUpdate, Field: "email", Message: `email: "ana@example.org" → "ana.lopez@springfield.k12.us"`},
		{Entity: "users", SourcedID: "t1", Action: ActionUpdate, Field: "givenName", Message: `givenName: "Tia" → "Tomas"`},
		{Entity: "users", SourcedID: "t1", Action: ActionUpdate, Field: "username", Message: `username: "tia" → "tvega"`},
		{Entity: "users", SourcedID: "u2", Action: ActionUpdate, Message: `now also supplied by this source, which knows it as "u2"`},
		{Entity: "users", SourcedID: "u5", Action: "create"},
	} {
		if !hasRecord(log, want.Entity, want.SourcedID, want.Action, want.Field, want.Message) {
			t.Errorf("the log has no %+v: %+v", want, log)
		}
		// Creates and joins are counted, not listed, in a plan.
		if want.Action != "create" && want.Field != "" && !hasRecord(plan.Records, want.Entity, want.SourcedID, want.Action, want.Field, want.Message) {
			t.Errorf("the plan has no %+v", want)
		}
	}
	if hasRecord(log, "users", "t1", ActionUpdate, "email", "") {
		t.Error("t1's e-mail did not change: the second source has none")
	}

	// An own-ids source's records are logged under their roster ids.
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	run = c.importFiles(ownFeed())
	log = c.runLog(run)
	if !hasRecord(log, "users", c.ownID("u1"), "create", "", "") || !hasRecord(log, "users", "c7", "create", "", "") || hasRecord(log, "users", "u1", "create", "", "") {
		t.Errorf("own source's log %+v", log)
	}
}

// A source with shared ids whose id only an own-ids source's record has gets a record of its own;
// another shared source then meets that record, and both write their references to it.
func TestSharedSourcesMeetEachOtherAroundAnOwnIDsRecord(t *testing.T) {
	c := newFixture(t, ownFeed())
	c.conn.Settings["ids"] = "own"
	if err := c.st.UpdateSettings(context.Background(), c.conn.ID, c.conn.Settings); err != nil {
		t.Fatal(err)
	}
	c.importFiles(ownFeed())
	a := c.addSource("District SIS", nil)
	a.importFiles(district())
	b := c.addSource("District SIS REST", nil)
	run := b.importFiles(secondFeed())
	if got := c.rosterValue(roster.Users, "u1", "givenName"); got != "Carla" {
		t.Fatalf("u1 is %q: the own-ids source's record was met by id", got)
	}
	if got := c.rosterValue(roster.Users, a.ownID("u1"), "givenName"); got != "Ana" {
		t.Fatalf("%s is %q", a.ownID("u1"), got)
	}
	if c.rows(roster.Users, b.ownID("u1")) != 0 || len(c.originsOf(roster.Users, a.ownID("u1"))) != 2 {
		t.Fatalf("the second feed's u1 did not meet the first's: origins %+v", c.originsOf(roster.Users, a.ownID("u1")))
	}
	if got := c.rosterValue(roster.Users, a.ownID("u1"), "email"); got != "ana@example.org" {
		t.Errorf("Ana's e-mail %q", got)
	}
	if c := run.Counts["users"]; c.Created != 1 || c.Updated != 3 {
		t.Errorf("second feed users %+v", c)
	}
	for _, e := range []string{a.ownID("e1")} {
		if got := c.rosterValue(roster.Enrollments, e, "userSourcedId"); got != a.ownID("u1") {
			t.Errorf("enrollment %s of Ana points at %q", e, got)
		}
		if got := c.rosterValue(roster.Enrollments, e, "classSourcedId"); got != a.ownID("k1") {
			t.Errorf("enrollment %s of Ana is in class %q", e, got)
		}
	}
	if got := c.rosterValue(roster.Enrollments, "e6", "userSourcedId"); got != "u5" {
		t.Errorf("Eve's enrollment points at %q", got)
	}
	if got := c.rosterValue(roster.Enrollments, "e6", "classSourcedId"); got != a.ownID("k1") {
		t.Errorf("Eve's enrollment (second feed) is in class %q, want the first feed's %q", got, a.ownID("k1"))
	}
}

// The safety hold weighs what a run does to the roster: a second source put first that would change
// most of the students the first source brought in stops for review, as the first source's own
// re-import with those changes would; one that only joins them does not.
func TestASecondSourceThatWouldChangeMostOfTheRosterIsHeld(t *testing.T) {
	a := newFixture(t, roll(40, 0, 0))
	if run, err := a.eng.Import(context.Background(), a.conn.ID, RunOptions{}, events.Discard); err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("first import: %+v %v", run, err)
	}
	b := a.addSource("SIS REST", nil)
	precede(t, b)
	b.fetchFiles(roll(40, 0, 0))
	plan, err := a.eng.PlanImport(context.Background(), b.conn.ID, RunOptions{}, events.Discard)
	if err != nil || plan.Hold != "" || plan.Counts["users"].Updated != 40 {
		t.Fatalf("joining the same students changes no value: plan %+v %v", plan.Counts["users"], err)
	}
	b.fetchFiles(roll(40, 31, 0))
	run, err := a.eng.Import(context.Background(), b.conn.ID, RunOptions{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != store.RunHeld {
		t.Errorf("the second source renames 31 of the roster's 40 students: status %s (%s), counts %+v", run.Status, run.Message, run.Counts["users"])
	}
	if got := a.rosterValue(roster.Users, "u001", "familyName"); run.Status == store.RunHeld && got != "Lopez" {
		t.Errorf("a held run changed u001 to %q", got)
	}
}

// An own-ids source's reference to a record it never sent never names another source's record:
// its "s2" is not the first source's Lincoln High School, in a users file as in an orgs file.
func TestOwnIDsReferencesNeverNameAnotherSourcesRecord(t *testing.T) {
	a := newFixture(t, twoSchools())
	a.importFiles(twoSchools())
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	files := ownFeed()
	files["orgs.csv"] += "s3,,,Charter Annex,school,S3,s2\n"
	files["users.csv"] += "c8,,,true,kim,,Kim,Ito,,7008,kim@example.org,,,,09,,,,,,s2,\n"
	c.importFiles(files)
	if got := a.rosterValue(roster.Users, "c8", "primaryOrgSourcedId"); got == "s2" {
		t.Errorf("Kim's school is the first source's Lincoln High School (%q)", got)
	}
	if got := a.rosterValue(roster.Orgs, "s3", "parentSourcedId"); got == "s2" {
		t.Errorf("the annex's parent is the first source's Lincoln High School (%q)", got)
	}
}

// Many records several sources supply are worked out in batches: every one of them, across the
// batches' edges, joins, changes, falls back to the other source and is deleted as one would.
func TestManySharedRecordsAreWorkedOutInBatches(t *testing.T) {
	const n = 700 // more than two batches of store.mergeRows
	a := newFixture(t, roll(n, 0, 0))
	a.importFiles(roll(n, 0, 0))
	b := a.addSource("SIS REST", nil)
	precede(t, b)
	run := b.importFiles(roll(n, 300, 0))
	if c := run.Counts["users"]; c.Created != 0 || c.Updated != n {
		t.Fatalf("join: users %+v", c)
	}
	family := func() map[string]int {
		out := map[string]int{}
		rows, err := a.st.DB().Query(`SELECT "familyName" || '/' || status FROM roster_users`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			rows.Scan(&v)
			out[v]++
		}
		return out
	}
	if got := family(); got["Lopez-Diaz/active"] != 300 || got["Lopez/active"] != n-300 {
		t.Fatalf("after the join: %v", got)
	}
	empty := roll(0, 0, 0)
	run = b.importFiles(empty)
	if c := run.Counts["users"]; c.Updated != 300 || c.Unchanged != n-300 || c.Deleted != 0 {
		t.Errorf("second source drops all: users %+v", c)
	}
	if got := family(); got["Lopez/active"] != n {
		t.Fatalf("after the second source dropped them: %v", got)
	}
	run = a.importFiles(empty)
	if c := run.Counts["users"]; c.Deleted != n {
		t.Errorf("first source drops all: users %+v", c)
	}
	if got := family(); got["Lopez/tobedeleted"] != n {
		t.Fatalf("after both dropped them: %v", got)
	}
	run = b.importFiles(roll(n, 300, 0))
	if c := run.Counts["users"]; c.Updated != n || c.Created != 0 {
		t.Errorf("second source sends them again: users %+v", c)
	}
	if got := family(); got["Lopez-Diaz/active"] != 300 || got["Lopez/active"] != n-300 {
		t.Fatalf("sent again: %v", got)
	}
}

// A second source whose selection no longer takes a school ends its supply of that school's records
// only: what the first source supplies stays, with the first source's values; what only it supplied
// is deleted.
func TestASecondSourcesSelectionEndsOnlyItsSupply(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	precede(t, b)
	feed := twoSchools()
	feed["classes.csv"] = strings.Replace(feed["classes.csv"], "Math 3A", "Math 3A (Room 4)", 1)
	b.importFiles(feed)
	if got := a.rosterValue(roster.Classes, "k1", "title"); got != "Math 3A (Room 4)" {
		t.Fatalf("k1 %q: the second source comes first", got)
	}
	b.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{"s2"} })
	run := b.importFiles(feed)
	if run.Status != store.RunSucceeded {
		t.Fatalf("%+v", run)
	}
	if a.status(roster.Classes, "k1") != "active" || a.status(roster.Users, "u1") != "active" {
		t.Fatal("the first source still supplies the first school's class and students")
	}
	if got := a.rosterValue(roster.Classes, "k1", "title"); got != "Math 3A" {
		t.Errorf("k1 %q: the second source no longer supplies it", got)
	}
	if b.originLive(roster.Classes, "k1") {
		t.Error("the second source's origin of k1 is still live")
	}
	if a.status(roster.Classes, "k2") != "active" {
		t.Error("k2, the chosen school's class, left the roster")
	}
	if c := run.Counts["classes"]; c.Deleted != 0 || c.Updated != 1 {
		t.Errorf("classes %+v: k1 changes back, nothing is deleted", c)
	}
	b.choose(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{"s1"} })
	b.importFiles(feed)
	if a.status(roster.Classes, "k2") != "tobedeleted" {
		t.Error("k2, which only the second source supplied, is deleted once its selection leaves it out")
	}
}

// A OneRoster 1.1 source with ids of its own: the roles its users.csv rows give point at its users and
// schools, which all got roster ids of their own beside the first source's.
func TestOwnIDs11RolesPointAtTheirUsersAndSchools(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	run := c.importFiles(district11())
	if run.Status != store.RunSucceeded || run.Counts["roles"].Created != 4 {
		t.Fatalf("%+v", run.Counts)
	}
	for role, want := range map[string][]string{
		"u1-s1": {c.ownID("u1"), c.ownID("s1")},
		"t1-s2": {c.ownID("t1"), "s2"},
	} {
		got := []string{a.rosterValue(roster.Roles, role, "userSourcedId"), a.rosterValue(roster.Roles, role, "orgSourcedId")}
		if !slices.Equal(got, want) {
			t.Errorf("role %s: user and org %v, want %v", role, got, want)
		}
	}
	if got := a.rosterValue(roster.Users, c.ownID("u1"), "givenName"); got != "Ana" || a.rosterValue(roster.Roles, "r1", "userSourcedId") != "u1" {
		t.Errorf("the first source's records changed")
	}
	// Its next file moves Ana to Lincoln: her role there is new, the one at Evergreen goes.
	next := district11()
	next["users.csv"] = strings.Replace(next["users.csv"], "u1,,,true,s1,student", "u1,,,true,s2,student", 1)
	run = c.importFiles(next)
	if c := run.Counts["roles"]; c.Created != 1 || c.Deleted != 1 {
		t.Errorf("roles %+v", c)
	}
	if a.status(roster.Roles, "u1-s1") != "tobedeleted" || a.rosterValue(roster.Roles, "u1-s2", "userSourcedId") != c.ownID("u1") {
		t.Error("Ana's roles after her move")
	}
	if a.status(roster.Roles, "r1") != "active" {
		t.Error("the first source's role of its Ana was deleted")
	}
}

// Records an own-ids source alone supplied, kept when it was removed, still never meet another
// source's records by id: the first source's new student under the same id is another person.
func TestKeptRecordsOfARemovedOwnIDsSourceNeverMeetOthersByID(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	c.importFiles(ownFeed())
	if run, err := a.eng.ReleaseSource(context.Background(), c.conn.ID, true, events.Discard); err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", run, err)
	}
	if err := a.st.RemoveConnection(context.Background(), c.conn.ID); err != nil {
		t.Fatal(err)
	}
	next := district()
	next["users.csv"] += "c7,,,true,nquinn,,Nora,Quinn,,1077,nora@example.org,,,,03,,,,,,s1,\n"
	run := a.importFiles(next)
	if got := a.rosterValue(roster.Users, "c7", "givenName"); got != "Max" {
		t.Errorf("the kept record c7 (Max Weber, of the removed charter system) became %q", got)
	}
	if run.Counts["users"].Created != 1 {
		t.Errorf("Nora is a new record: users %+v", run.Counts["users"])
	}
}

// A record a removed shared-ids source brought in under an id of its own (an own-ids source had its
// id) is still the record another feed of that SIS meets under that id.
func TestAnotherFeedMeetsARenamedRecordOfARemovedFeed(t *testing.T) {
	c := newFixture(t, ownFeed())
	c.conn.Settings["ids"] = "own"
	if err := c.st.UpdateSettings(context.Background(), c.conn.ID, c.conn.Settings); err != nil {
		t.Fatal(err)
	}
	c.importFiles(ownFeed())
	a := c.addSource("District SIS", nil)
	a.importFiles(district())
	if run, err := c.eng.ReleaseSource(context.Background(), a.conn.ID, true, events.Discard); err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", run, err)
	}
	if err := c.st.RemoveConnection(context.Background(), a.conn.ID); err != nil {
		t.Fatal(err)
	}
	b := c.addSource("District SIS REST", nil)
	run := b.importFiles(secondFeed())
	var anas int
	c.st.DB().QueryRow(`SELECT COUNT(*) FROM roster_users WHERE "givenName" = 'Ana'`).Scan(&anas)
	if anas != 1 || run.Counts["users"].Created != 1 {
		t.Errorf("the second feed's Ana became a record beside the kept %s (%d Anas): users %+v", a.ownID("u1"), anas, run.Counts["users"])
	}
	if got := c.rosterValue(roster.Users, "u1", "givenName"); got != "Carla" {
		t.Errorf("u1 (Carla, own ids) became %q", got)
	}
}

// Removing a source and keeping the records only it supplied keeps a record another source once
// supplied too but deleted since: no other source supplies it now.
func TestRemovingASourceKeepsARecordOthersNoLongerSupply(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	b.importFiles(secondFeed())
	b.importFiles(usersDelta("u2,tobedeleted,2026-11-02T08:00:00Z,true,ben,,Ben,Okafor,,1002,,,,,03,,,,,,s1,\n"))
	supply, err := a.st.Supply(context.Background(), a.conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	run, err := a.eng.ReleaseSource(context.Background(), a.conn.ID, true, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("%+v %v", run, err)
	}
	if a.status(roster.Users, "u2") != "active" || run.Counts["users"].Deleted != 0 {
		t.Errorf("Ben, whom only the removed source supplied (the other deleted him), is %s although his records were to be kept; users %+v, supply before %+v",
			a.status(roster.Users, "u2"), run.Counts["users"], supply)
	}
	if a.status(roster.Users, "u1") != "active" {
		t.Error("Ana, whom the other source supplies, left the roster")
	}
}

// What a target receives of a roster three sources feed is one readable package, every record under
// its roster id and every reference to a record it has; a new order of the sources then sends, in the
// next changes-only file, just the records whose kept values changed.
func TestATargetReceivesTheReconciledRoster(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	b.importFiles(secondFeed())
	c := a.addSource("Charter SIS", map[string]string{"ids": "own"})
	c.importFiles(ownFeed())
	tgt, dir := a.target(map[string]string{"mode": "delta"})
	run := a.export(tgt.ID, RunOptions{})
	if run.Status != store.RunSucceeded {
		t.Fatalf("%+v", run)
	}
	_, got, _ := zips(t, dir) // fails on any error reading it back, dangling references included
	users := map[string]roster.Record{}
	for _, u := range got[roster.Users] {
		users[u.SourcedID()] = u
	}
	if len(users) != 8 || users["u1"].Get("email") != "ana@example.org" || users[c.ownID("u1")].Get("givenName") != "Carla" || users["u5"].Get("givenName") != "Eve" {
		t.Fatalf("users sent: %v", slices.Collect(maps.Keys(users)))
	}
	for _, e := range got[roster.Enrollments] {
		if _, ok := users[e.Get("userSourcedId")]; !ok {
			t.Errorf("enrollment %s names user %s, which was not sent", e.SourcedID(), e.Get("userSourcedId"))
		}
	}
	precede(t, b)
	run = a.export(tgt.ID, RunOptions{})
	_, got, _ = zips(t, dir)
	var sent []string
	for _, u := range got[roster.Users] {
		sent = append(sent, u.SourcedID()+" "+u.Get("email")+" "+u.Get("givenName"))
	}
	slices.Sort(sent)
	if want := []string{"t1 tia@example.org Tomas", "u1 ana.lopez@springfield.k12.us Ana"}; !slices.Equal(sent, want) {
		t.Errorf("after the new order the target was sent %v, want %v", sent, want)
	}
	if c := run.Counts["users"]; c.Updated != 2 || c.Created != 0 {
		t.Errorf("users %+v", c)
	}
}
