package store_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

const userHeader = "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"

// feed is a OneRoster package with one school and the given users rows (CRLF, as SIS exports write
// them); extra columns (metadata.*) go after the 1.2 ones.
func feed(extra string, users ...string) map[string]string {
	crlf := func(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }
	return map[string]string{
		"manifest.csv": crlf("propertyName,value", "manifest.version,1.0", "oneroster.version,1.2", "file.orgs,bulk", "file.users,bulk",
			"file.academicSessions,absent", "file.courses,absent", "file.classes,absent", "file.roles,absent", "file.enrollments,absent",
			"file.demographics,absent", "file.userProfiles,absent"),
		"orgs.csv":  crlf("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId", "s1,,,Evergreen Elementary School,school,S1,"),
		"users.csv": "\uFEFF" + crlf(append([]string{userHeader + extra}, users...)...),
	}
}

type sources struct {
	t   *testing.T
	st  *store.Store
	eng *engine.Engine
	dir string
}

func newSources(t *testing.T) *sources {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	vault, err := secrets.NewFile(filepath.Join(dir, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(st, connector.NewRegistry(csvzip.Kind()), vault, engine.StagingDir(st.Path()), "registrar", slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &sources{t: t, st: st, eng: eng, dir: dir}
}

// add makes a source connection reading files.
func (s *sources) add(name string, files map[string]string, settings map[string]string) store.Connection {
	s.t.Helper()
	path := filepath.Join(s.dir, name+".zip")
	testzip.Write(s.t, path, files)
	if settings == nil {
		settings = map[string]string{}
	}
	settings["path"] = path
	c, err := s.st.AddConnection(context.Background(), store.Connection{Name: name, Kind: "oneroster-csv", Role: "source", Settings: settings})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

func (s *sources) importFrom(c store.Connection, files map[string]string) store.Run {
	s.t.Helper()
	if files != nil {
		testzip.Write(s.t, c.Settings["path"], files)
	}
	if _, err := s.eng.Fetch(context.Background(), c.ID, events.Discard); err != nil {
		s.t.Fatal(err)
	}
	run, err := s.eng.Import(context.Background(), c.ID, engine.RunOptions{OverrideHold: true}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		s.t.Fatalf("import from %s: %+v %v", c.Name, run, err)
	}
	return run
}

// twoFeeds imports the SIS, then the health office's feed that has Ana under another first name, a
// middle name the SIS lacks, another password and a homeroom, and a student of its own.
func twoFeeds(t *testing.T) (*sources, store.Connection, store.Connection) {
	s := newSources(t)
	sis := s.add("North SIS", feed("", "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,pw-sis,,,,,s1,", "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,"), nil)
	health := s.add("Health office", feed(",metadata.homeroom", "u1,,,true,ana,,Anna,Lopez,Maria,1001,ana@example.org,,,,03,pw-health,,,,,s1,,4B", "u3,,,true,cal,,Cal,Reyes,,1003,,,,,03,,,,,,s1,,4C"), nil)
	s.importFrom(sis, nil)
	s.importFrom(health, nil)
	return s, sis, health
}

func field(fields []store.FieldView, name string) store.FieldView {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return store.FieldView{Name: name + " (missing)"}
}

func TestRecordViewTellsWhereEachValueCameFrom(t *testing.T) {
	s, sis, health := twoFeeds(t)
	ctx := context.Background()
	v, err := s.st.RecordView(ctx, roster.Users, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "u1" || v.Status != "active" || len(v.Origins) != 2 {
		t.Fatalf("view %+v", v)
	}
	if o := v.Origins[0]; o.Connection != "North SIS" || o.ConnectionID != sis.ID || o.SourcedID != "u1" || !o.Live {
		t.Fatalf("first origin %+v", o)
	}
	if o := v.Origins[1]; o.Connection != "Health office" || o.ConnectionID != health.ID || !o.Live {
		t.Fatalf("second origin %+v", o)
	}
	for name, want := range map[string]store.FieldView{
		"givenName":  {Name: "givenName", Value: "Ana", From: "North SIS"},
		"middleName": {Name: "middleName", Value: "Maria", From: "Health office"},
		"email":      {Name: "email", Value: "ana@example.org", From: "North SIS"},
		"password":   {Name: "password", Value: "(hidden)", From: "North SIS"},
		"sms":        {Name: "sms"},
	} {
		if got := field(v.Fields, name); got != want {
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
	if got := field(v.Metadata, "homeroom"); got != (store.FieldView{Name: "homeroom", Value: "4B", From: "Health office"}) {
		t.Errorf("homeroom = %+v", got)
	}
	var fields []string
	for _, c := range v.Conflicts {
		fields = append(fields, c.Field)
		if c.Field == "givenName" && (c.Kept != "North SIS" || c.KeptValue != "Ana" || len(c.Values) != 2 || c.Values[1] != (store.SourceValue{Connection: "Health office", SourcedID: "u1", Value: "Anna"})) {
			t.Errorf("givenName conflict %+v", c)
		}
		if c.Field == "password" && (c.KeptValue != "(hidden)" || c.Values[0].Value != "(hidden)" || c.Values[1].Value != "(hidden)") {
			t.Errorf("a password conflict shows a password: %+v", c)
		}
	}
	if strings.Join(fields, ",") != "givenName,password" {
		t.Errorf("conflicts on %v, want givenName and password", fields)
	}
	// The runs: the SIS brought u1 in, the health office's import joined it and logged the change.
	if len(v.Runs) < 2 || v.Runs[len(v.Runs)-1].Action != "create" || v.Runs[len(v.Runs)-1].Connection != "North SIS" {
		t.Fatalf("runs %+v", v.Runs)
	}
	for i := 1; i < len(v.Runs); i++ {
		if v.Runs[i].RunID > v.Runs[i-1].RunID {
			t.Fatalf("runs not newest first: %+v", v.Runs)
		}
	}
	if v.Runs[0].Connection != "Health office" {
		t.Fatalf("newest run %+v", v.Runs[0])
	}

	// A record one source alone supplies: every value is that source's.
	v, err = s.st.RecordView(ctx, roster.Users, "u3")
	if err != nil || len(v.Origins) != 1 || field(v.Fields, "givenName").From != "Health office" || field(v.Metadata, "homeroom").From != "Health office" || len(v.Conflicts) != 0 {
		t.Fatalf("u3 %+v %v", v, err)
	}
	if len(v.Runs) != 1 || v.Runs[0].Action != "create" {
		t.Fatalf("u3 runs %+v", v.Runs)
	}
}

func TestRecordViewOfARecordItsSourceDropped(t *testing.T) {
	s, sis, _ := twoFeeds(t)
	office := s.add("District office", feed("", "u1,,,true,ana,,Annie,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,"), nil)
	s.importFrom(office, nil)
	// The SIS's next bulk file no longer has Ana: the health office and the district office still
	// supply her.
	s.importFrom(sis, feed("", "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,"))
	v, err := s.st.RecordView(context.Background(), roster.Users, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != "active" || v.Origins[0].Live || !v.Origins[1].Live {
		t.Fatalf("view %+v", v)
	}
	if f := field(v.Fields, "givenName"); f.Value != "Anna" || f.From != "Health office" {
		t.Fatalf("givenName %+v", f)
	}
	if len(v.Conflicts) != 1 || v.Conflicts[0].Field != "givenName" || len(v.Conflicts[0].Values) != 2 || v.Conflicts[0].Values[0].Connection != "Health office" {
		t.Fatalf("a source that no longer supplies the record still conflicts: %+v", v.Conflicts)
	}
}

func TestRecordViewFindsARecordByASourcesID(t *testing.T) {
	s := newSources(t)
	ctx := context.Background()
	own := map[string]string{"ids": "own"}
	// The library and the buses number their own people from p1; the transport office and the
	// cafeteria share ids, and their p1 (Ben) is not the library's.
	library := s.add("Library", feed("", "p1,,,true,ana,,Ana,Lopez,,1001,,,,,03,,,,,,s1,"), own)
	transport := s.add("Transport", feed("", "p1,,,true,ben,,Ben,Okafor,,1002,,,,,03,,,,,,s1,"), nil)
	cafeteria := s.add("Cafeteria", feed("", "p1,,,true,ben,,Ben,Okafor,,1002,,,,,03,,,,,,s1,"), nil)
	bus := s.add("Buses", feed("", "p1,,,true,cal,,Cal,Reyes,,1003,,,,,03,,,,,,s1,"), own)
	for _, conn := range []store.Connection{library, transport, cafeteria, bus} {
		s.importFrom(conn, nil)
	}
	ben, cal := "p1~"+strconv.FormatInt(transport.ID, 10), "p1~"+strconv.FormatInt(bus.ID, 10)
	v, err := s.st.RecordView(ctx, roster.Users, "p1")
	if err != nil || field(v.Fields, "givenName").Value != "Ana" {
		t.Fatalf("p1: %+v %v", v, err)
	}
	if len(v.AlsoNamed) != 2 || v.AlsoNamed[0] != (store.Named{Record: ben, Connection: "Transport"}) || v.AlsoNamed[1] != (store.Named{Record: cal, Connection: "Buses"}) {
		t.Fatalf("other records called p1: %+v", v.AlsoNamed)
	}
	v, err = s.st.RecordView(ctx, roster.Users, ben)
	if err != nil || field(v.Fields, "givenName").Value != "Ben" || len(v.Origins) != 2 || v.Origins[1].Connection != "Cafeteria" || v.Origins[1].SourcedID != "p1" {
		t.Fatalf("by roster id: %+v %v", v, err)
	}
	// A record the roster no longer has (today no run removes one): p1 then names two.
	if _, err := s.st.DB().Exec(`DELETE FROM roster_users WHERE "sourcedId" = 'p1'`); err != nil {
		t.Fatal(err)
	}
	if err := s.st.RemoveConnection(ctx, library.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.st.RecordView(ctx, roster.Users, "p1")
	if ae := apperr.From(err); ae.Code != apperr.CodeInvalid || !strings.Contains(ae.Message, "2 users records have the id \"p1\" at their sources: "+ben+" (from Transport), "+cal+" (from Buses).") {
		t.Fatalf("ambiguous id: %v", err)
	}
	if err := s.st.RemoveConnection(ctx, bus.ID); err != nil {
		t.Fatal(err)
	}
	if v, err := s.st.RecordView(ctx, roster.Users, "p1"); err != nil || v.ID != ben {
		t.Fatalf("by the transport's and the cafeteria's id: %+v %v", v, err)
	}
	if _, err := s.st.RecordView(ctx, roster.Users, "nobody"); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("unknown id: %v", err)
	}
	if _, err := s.st.RecordView(ctx, "pupils", "p1"); apperr.From(err).Code != apperr.CodeInvalid {
		t.Fatalf("unknown entity: %v", err)
	}
}

func TestConflictsFilterSearchAndPage(t *testing.T) {
	s, sis, health := twoFeeds(t)
	ctx := context.Background()
	// A third source disagrees on Ben's email; it comes first in precedence.
	office := s.add("District office", feed("", "u2,,,true,ben,,Ben,Okafor,,1002,b.okafor@example.org,,,,03,,,,,,s1,"), nil)
	s.importFrom(office, nil)
	if _, err := s.eng.SetPrecedence(ctx, []int64{office.ID, sis.ID, health.ID}); err != nil {
		t.Fatal(err)
	}
	page, err := s.st.Conflicts(ctx, store.ConflictQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 3 || len(page.Rows) != 3 || strings.Join(page.Fields, ",") != "email,givenName,password" {
		t.Fatalf("all conflicts %+v", page)
	}
	got := []string{}
	for _, r := range page.Rows {
		got = append(got, r.Record+"."+r.Field+"="+r.Kept)
	}
	if strings.Join(got, " ") != "u1.givenName=North SIS u1.password=North SIS u2.email=District office" {
		t.Fatalf("rows %v", got)
	}
	if r := page.Rows[2]; r.KeptValue != "b.okafor@example.org" || r.Values[0].Connection != "District office" || r.Values[1].Value != "ben@example.org" {
		t.Fatalf("email row %+v", r)
	}
	for _, q := range []struct {
		q     store.ConflictQuery
		total int
		first string
	}{
		{store.ConflictQuery{Field: "givenName", Limit: 10}, 1, "u1"},
		{store.ConflictQuery{Search: "ANNA", Limit: 10}, 1, "u1"},
		{store.ConflictQuery{Search: "u2", Limit: 10}, 1, "u2"},
		{store.ConflictQuery{Search: "pw-", Limit: 10}, 0, ""}, // passwords are never shown, nor found
		{store.ConflictQuery{Offset: 2, Limit: 10}, 3, "u2"},
		{store.ConflictQuery{Offset: 1, Limit: 1}, 3, "u1"},
		{store.ConflictQuery{Entity: roster.Orgs, Limit: 10}, 0, ""},
	} {
		page, err := s.st.Conflicts(ctx, q.q)
		if err != nil || page.Total != q.total || (q.first == "") != (len(page.Rows) == 0) || (q.first != "" && page.Rows[0].Record != q.first) {
			t.Errorf("%+v: %+v %v", q.q, page, err)
		}
		if q.q.Limit == 1 && len(page.Rows) != 1 {
			t.Errorf("%+v: %d rows", q.q, len(page.Rows))
		}
	}
	var all []store.ConflictRow
	if err := s.st.EachConflict(ctx, store.ConflictQuery{Entity: roster.Users, Search: "u1"}, func(r store.ConflictRow) error {
		all = append(all, r)
		return nil
	}); err != nil || len(all) != 2 {
		t.Fatalf("EachConflict %+v %v", all, err)
	}
	if _, err := s.st.Conflicts(ctx, store.ConflictQuery{Entity: "pupils"}); apperr.From(err).Code != apperr.CodeInvalid {
		t.Fatalf("unknown entity: %v", err)
	}
}

func TestRecordViewListsTheNewestFiftyRuns(t *testing.T) {
	s := newSources(t)
	sis := s.add("North SIS", feed("", "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,"), nil)
	s.importFrom(sis, nil)
	var last store.Run
	for i := range 26 { // each changes two fields: 52 run log rows
		n := strconv.Itoa(i)
		last = s.importFrom(sis, feed("", "u1,,,true,ana,,Ana"+n+",Lopez,,1001,ana"+n+"@example.org,,,,03,,,,,,s1,"))
	}
	v, err := s.st.RecordView(context.Background(), roster.Users, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Runs) != 50 || v.Runs[0].RunID != last.ID || v.Runs[49].RunID != last.ID-24 || outcome.Sentence(v.Runs[0].Record()) != `givenName: "Ana24" → "Ana25"` {
		t.Fatalf("%d runs, first %+v, last %+v", len(v.Runs), v.Runs[0], v.Runs[len(v.Runs)-1])
	}
}

func TestRecordViewAfterASourceIsRemoved(t *testing.T) {
	s, _, health := twoFeeds(t)
	ctx := context.Background()
	if _, err := s.eng.ReleaseSource(ctx, health.ID, true, events.Discard); err != nil {
		t.Fatal(err)
	}
	if err := s.st.RemoveConnection(ctx, health.ID); err != nil {
		t.Fatal(err)
	}
	// Ana now comes from the SIS alone; Cal, kept, from no source.
	v, err := s.st.RecordView(ctx, roster.Users, "u1")
	if err != nil || len(v.Origins) != 1 || field(v.Fields, "givenName") != (store.FieldView{Name: "givenName", Value: "Ana", From: "North SIS"}) ||
		field(v.Fields, "middleName").Value != "" || len(v.Conflicts) != 0 {
		t.Fatalf("u1 %+v %v", v, err)
	}
	v, err = s.st.RecordView(ctx, roster.Users, "u3")
	if err != nil || len(v.Origins) != 0 || v.Status != "active" || field(v.Fields, "givenName") != (store.FieldView{Name: "givenName", Value: "Cal"}) {
		t.Fatalf("u3 %+v %v", v, err)
	}
	if page, err := s.st.Conflicts(ctx, store.ConflictQuery{Limit: 10}); err != nil || page.Total != 0 {
		t.Fatalf("conflicts %+v %v", page, err)
	}
}

func TestRecordViewListsTheRunsThatTouchedItNewestFirst(t *testing.T) {
	s := newSources(t)
	ana := "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,"
	sis := s.add("North SIS", feed("", ana), nil)
	health := s.add("Health office", feed("", ana), nil)
	s.importFrom(sis, nil)
	s.importFrom(sis, feed("", "u1,,,true,ana,,Ana,Lopez,,1001,a.lopez@example.org,,,,03,,,,,,s1,"))
	s.importFrom(health, nil) // the same Ana but for her old e-mail, which the SIS's value hides
	v, err := s.st.RecordView(context.Background(), roster.Users, "u1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range v.Runs {
		got = append(got, strconv.FormatInt(r.RunID, 10)+" "+r.Connection+" "+r.Action+" "+r.Field+" "+outcome.Sentence(r.Record()))
	}
	want := []string{`3 Health office update  now also supplied by this source, which knows it as "u1"`, `2 North SIS update email email: "ana@example.org" → "a.lopez@example.org"`,
		`1 North SIS create  created; its connection knows it as "u1"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("runs\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
