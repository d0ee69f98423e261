package engine

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/connector/restpush"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// studentsMapping is what a SIS's students endpoint takes, SchoolMint-style.
const studentsMapping = `{"entity": "users", "fields": [
	{"to": "student_number", "type": "direct", "from": "identifier", "key": true},
	{"to": "last_name", "type": "transformation", "expr": "upper(familyName)"},
	{"to": "first_name", "type": "direct", "from": "givenName"},
	{"to": "gender", "type": "codes", "from": "demographics.sex", "codes": {"female": "F", "male": "M"}, "unmatched": "default", "default": "U"},
	{"to": "school", "type": "direct", "from": "school.name"},
	{"to": "role", "type": "direct", "from": "role"},
	{"to": "email", "type": "direct", "from": "email", "overwrite": false},
	{"to": "sms", "type": "none", "from": "sms"}]}`

// withDemographics adds a demographics file to the tiny district: Ana female, Ben without a sex.
func withDemographics(files map[string]string) map[string]string {
	files = maps.Clone(files)
	files["manifest.csv"] = strings.Replace(files["manifest.csv"], "file.demographics,absent", "file.demographics,bulk", 1)
	files["demographics.csv"] = "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus\r\n" +
		"u1,,,2017-04-02,female,,,,,,,,,,,\r\nu2,,,2017-09-30,,,,,,,,,,,,\r\n"
	return files
}

type pushFixture struct {
	*fixture
	api    *pushtest.Server
	target store.Connection
}

// newPushFixture imports the tiny district and adds an API target for users with the students
// mapping, behind an API key.
func newPushFixture(t *testing.T, opts pushtest.Options) *pushFixture {
	t.Helper()
	f := newFixture(t, withDemographics(district()))
	f.eng.kinds = connector.NewRegistry(csvzip.Kind(), restpush.Kind())
	f.importFiles(withDemographics(district()))
	opts.APIKey, opts.KeyField = "k-123", "student_number"
	api := pushtest.New(opts)
	t.Cleanup(api.Close)
	ctx := context.Background()
	target, err := f.st.AddConnection(ctx, store.Connection{Name: "SIS API", Kind: "rest-push", Role: "target",
		Settings: map[string]string{"baseUrl": api.URL, "auth": "apikey", "endpoints": `{"users": "/api/students"}`, "apiKeyHeader": "X-API-Key"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.eng.vault.Set(target.SecretRef, "apiKey", "k-123"); err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Parse([]byte(studentsMapping))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, target, store.DirectionExport), m); err != nil {
		t.Fatal(err)
	}
	return &pushFixture{fixture: f, api: api, target: target}
}

func (f *pushFixture) export() (store.Run, error) {
	return f.eng.Export(context.Background(), f.target.ID, RunOptions{OverrideHold: true}, events.Discard)
}

// sent lists the API's requests since from as "METHOD path".
func (f *pushFixture) sent(from int) []string {
	var out []string
	for _, r := range f.api.Requests()[from:] {
		out = append(out, r.Method+" "+r.Path)
	}
	slices.Sort(out)
	return out
}

func TestExportToAnAPISendsMappedRecordsAndThenOnlyChanges(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	run, err := f.export()
	if err != nil || run.Status != store.RunSucceeded || run.Counts["users"].Created != 3 {
		t.Fatalf("first export: %+v %v", run, err)
	}
	if got := f.sent(0); !slices.Equal(got, []string{"POST /api/students", "POST /api/students", "POST /api/students"}) {
		t.Fatalf("requests: %v", got)
	}
	ana := f.api.Records("/api/students")["1001"]
	want := map[string]any{"student_number": "1001", "last_name": "LOPEZ", "first_name": "Ana", "gender": "F", "school": "Evergreen Elementary School",
		"role": "student", "email": "ana@example.org", "id": "1001"}
	if !maps.Equal(ana, want) {
		t.Fatalf("Ana at the API: %v", ana)
	}
	if ben := f.api.Records("/api/students")["1002"]; ben["gender"] != "" {
		t.Fatalf("a blank sex stays blank, not the unmatched default: %v", ben)
	}
	// The exact body, in mapping order: what the registrar saw in the preview.
	if body := string(f.api.Requests()[0].Body); !strings.HasPrefix(body, `{"student_number":"`) {
		t.Fatalf("body in mapping order: %s", body)
	}

	n := len(f.api.Requests())
	if run, err := f.export(); err != nil || len(f.sent(n)) != 0 || run.Counts["users"].Unchanged != 3 {
		t.Fatalf("an unchanged re-export sends nothing: %v %+v %v", f.sent(n), run.Counts, err)
	}

	// Ana's family name changes and her e-mail goes blank (overwrite off: the API keeps hers); Ben leaves.
	files := withDemographics(district())
	files["users.csv"] = strings.Replace(files["users.csv"], "Ana,Lopez,,1001,ana@example.org", "Ana,Lopez-Ruiz,,1001,", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	f.importFiles(files)
	n = len(f.api.Requests())
	run, err = f.export()
	if err != nil || run.Counts["users"].Updated != 1 || run.Counts["users"].Deleted != 1 {
		t.Fatalf("changes: %+v %v", run, err)
	}
	if got := f.sent(n); !slices.Equal(got, []string{"DELETE /api/students/1002", "PUT /api/students/1001"}) {
		t.Fatalf("requests: %v", got)
	}
	for _, r := range f.api.Requests()[n:] {
		if r.Method == "PUT" && (strings.Contains(string(r.Body), "email") || !strings.Contains(string(r.Body), `"LOPEZ-RUIZ"`)) {
			t.Fatalf("an update leaves out a blank field whose overwrite is off: %s", r.Body)
		}
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if !slices.ContainsFunc(records, func(r store.RunRecord) bool {
		return r.Field == "last_name" && r.Reason == outcome.Changed && r.Before == "LOPEZ" && r.After == "LOPEZ-RUIZ"
	}) {
		t.Fatalf("the run's log names the changed field: %+v", records)
	}
}

func TestAPIRefusingARecordFailsOnlyThatOneAndItIsTriedAgain(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{RejectEmailWithoutAt: true})
	files := withDemographics(district())
	files["users.csv"] = strings.Replace(files["users.csv"], "ben@example.org", "ben.example.org", 1)
	f.importFiles(files)
	run, err := f.export()
	if err != nil || run.Status != store.RunSucceeded || run.Counts["users"].Created != 2 || run.Counts["users"].Failed != 1 {
		t.Fatalf("run: %+v %v", run, err)
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if len(records) != 1 || records[0].SourcedID != "u2" || records[0].Status != "failed" || !strings.Contains(records[0].Message, "email is not valid") {
		t.Fatalf("the failure names the API's message: %+v", records)
	}
	n := len(f.api.Requests())
	if run, _ := f.export(); run.Counts["users"].Failed != 1 || !slices.Equal(f.sent(n), []string{"POST /api/students"}) {
		t.Fatalf("the refused record is sent again, the delivered ones are not: %v %+v", f.sent(n), run.Counts)
	}
}

func TestAPIThatStopsAnsweringFailsTheRunKeepingWhatItTook(t *testing.T) {
	t.Parallel() // slow and self-contained: it overlaps the package's other slow tests
	f := newPushFixture(t, pushtest.Options{Unavailable: -1})
	run, err := f.export()
	if err == nil || run.Status != store.RunFailed || !strings.Contains(run.Message, "Nothing was sent") {
		t.Fatalf("run: %+v %v", run, err)
	}
	var baseline int
	f.st.DB().QueryRow(`SELECT COUNT(*) FROM sent WHERE connection_id = ?`, f.target.ID).Scan(&baseline)
	if baseline != 0 {
		t.Fatalf("nothing delivered, nothing in the baseline: %d", baseline)
	}
}

func TestSendTestRecordThenExportNeverCreatesItTwice(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	ctx := context.Background()
	m, _, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), roster.Users)
	p, err := f.eng.PreviewMapping(ctx, f.target.ID, m, "u1")
	if err != nil || p.Action != "create" || p.Method != "POST" || p.URL != f.api.URL+"/api/students" || !strings.Contains(p.Payload, `"last_name": "LOPEZ"`) {
		t.Fatalf("preview: %+v %v", p, err)
	}
	out, err := f.eng.SendTestRecord(ctx, f.target.ID, roster.Users, "u1", events.Discard)
	if err != nil || out.Status != 201 || out.Payload != p.Payload || !strings.Contains(out.Body, `"id":"1001"`) {
		t.Fatalf("test record: %+v %v", out, err)
	}
	if run, _ := f.st.Run(ctx, out.Run); run.Mode != "ids" || !strings.Contains(run.Message, "test record") || run.Status != store.RunSucceeded || run.Counts["users"].Created != 1 {
		t.Fatalf("recorded in history: %+v", run)
	}
	if p, _ := f.eng.PreviewMapping(ctx, f.target.ID, m, "u1"); p.Action != "unchanged" || p.Method != "PUT" {
		t.Fatalf("after the test record the target has it: %+v", p)
	}
	n := len(f.api.Requests())
	if run, err := f.export(); err != nil || run.Counts["users"].Created != 2 || len(f.sent(n)) != 2 {
		t.Fatalf("export after the test record: %v %+v %v", f.sent(n), run.Counts, err)
	}
	// Sent again, the test record is an update of what the target has.
	if out, err := f.eng.SendTestRecord(ctx, f.target.ID, roster.Users, "u1", events.Discard); err != nil || out.Method != "PUT" || out.Status != 200 {
		t.Fatalf("test record sent again: %+v %v", out, err)
	}
}

func TestAMappingChangeShowsInThePlanAndIsHeld(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	if _, err := f.export(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m, _, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), roster.Users)
	m.Fields[2].Type, m.Fields[2].Expr = mapping.Transformation, "upper(givenName)"
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), m); err != nil {
		t.Fatal(err)
	}
	plan, err := f.eng.PlanExport(ctx, f.target.ID, RunOptions{}, events.Discard)
	if err != nil || plan.Counts["users"].Updated != 3 || plan.Hold == "" {
		t.Fatalf("plan: %+v %v", plan, err)
	}
	n := len(f.api.Requests())
	run, err := f.eng.Export(ctx, f.target.ID, RunOptions{}, events.Discard)
	if err != nil || run.Status != store.RunHeld || len(f.sent(n)) != 0 {
		t.Fatalf("held, nothing sent: %+v %v %v", run, err, f.sent(n))
	}
}

func TestSavingAMappingWithProblemsIsRefusedNamingThem(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	ctx := context.Background()
	m, _, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), roster.Users)
	m.Fields[1].Expr = "upper(famlyName)"
	err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), m)
	if err == nil || !strings.Contains(err.Error(), "last_name") || !strings.Contains(err.Error(), "familyName") {
		t.Fatalf("refusal: %v", err)
	}
	if saved, _, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), roster.Users); saved.Fields[1].Expr != "upper(familyName)" {
		t.Fatalf("the saved mapping is unchanged: %+v", saved.Fields[1])
	}
}

func TestSendRecordsSendsJustThoseAndDeletesNothing(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	ctx := context.Background()
	run, err := f.eng.SendRecords(ctx, f.target.ID, roster.Users, []string{"u1", "nobody"}, events.Discard)
	if err != nil || run.Mode != "ids" || run.Counts["users"].Created != 1 || run.Counts["users"].Skipped != 1 || !strings.Contains(run.Message, "nobody") {
		t.Fatalf("run: %+v %v", run, err)
	}
	if got := f.sent(0); !slices.Equal(got, []string{"POST /api/students"}) || f.api.Records("/api/students")["1001"] == nil {
		t.Fatalf("requests: %v", got)
	}
	if _, err := f.export(); err != nil { // the rest of the district
		t.Fatal(err)
	}
	n := len(f.api.Requests())
	if _, err := f.eng.SendRecords(ctx, f.target.ID, roster.Users, []string{"u2"}, events.Discard); err != nil || len(f.sent(n)) != 0 {
		t.Fatalf("an unchanged record is not sent again, and nobody else is deleted: %v %v", f.sent(n), err)
	}
}

func TestTestConnectionOfAnAPITarget(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	res, err := f.eng.Test(context.Background(), f.target.ID, "")
	if err != nil || !res.OK {
		t.Fatalf("test: %+v %v", res, err)
	}
	if len(f.api.Records("/api/students")) != 0 || slices.ContainsFunc(f.api.Requests(), func(r pushtest.Request) bool { return r.Method != "GET" }) {
		t.Fatal("Test connection writes nothing")
	}
	if err := f.eng.vault.Set(f.target.SecretRef, "apiKey", "wrong"); err != nil {
		t.Fatal(err)
	}
	if res, err := f.eng.Test(context.Background(), f.target.ID, ""); err != nil || res.OK {
		t.Fatalf("a wrong key fails the test: %+v %v", res, err)
	}
}

func TestAMappingConditionSendsOnlyTheRecordsMeetingIt(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	ctx := context.Background()
	m, _, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), roster.Users)
	m.Only = `role == "student"`
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), m); err != nil {
		t.Fatal(err)
	}
	run, err := f.export()
	if err != nil || run.Counts["users"].Created != 2 || run.Counts["users"].Skipped != 1 || f.api.Records("/api/students")["9001"] != nil {
		t.Fatalf("only the students go: %+v %v %v", run.Counts, err, f.sent(0))
	}
	if p, err := f.eng.PreviewMapping(ctx, f.target.ID, m, "t1"); err != nil || p.Action != "excluded" || p.Payload != "" {
		t.Fatalf("the teacher's preview says it is not sent: %+v %v", p, err)
	}
	// Ana is no longer a student here: the API is told to delete her.
	m.Only = `role == "student" && givenName != "Ana"`
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), m); err != nil {
		t.Fatal(err)
	}
	n := len(f.api.Requests())
	if run, err := f.export(); err != nil || run.Counts["users"].Deleted != 1 || !slices.Equal(f.sent(n), []string{"DELETE /api/students/1001"}) {
		t.Fatalf("a record leaving the condition is deleted: %+v %v %v", run.Counts, err, f.sent(n))
	}
	m.Only = `givenName`
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), m); err == nil || !strings.Contains(err.Error(), "true or false") {
		t.Fatalf("a condition that is no condition: %v", err)
	}
}

func TestARecordBeingDeletedIsNeitherPreviewedNorSentAsATest(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	files := withDemographics(district())
	files["users.csv"] = strings.Replace(files["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	f.importFiles(files)
	ctx := context.Background()
	m, _, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.target, store.DirectionExport), roster.Users)
	if _, err := f.eng.PreviewMapping(ctx, f.target.ID, m, "u2"); err == nil || !strings.Contains(err.Error(), "being deleted") {
		t.Fatalf("preview: %v", err)
	}
	if _, err := f.eng.SendTestRecord(ctx, f.target.ID, roster.Users, "u2", events.Discard); err == nil || !strings.Contains(err.Error(), "being deleted") || len(f.api.Requests()) != 0 {
		t.Fatalf("test record: %v", err)
	}
}

func TestAnImportMappingTransformsWhatASourceSendsAndKeepsWhatABlankWouldErase(t *testing.T) {
	f := newFixture(t, withDemographics(district()))
	ctx := context.Background()
	off := false
	m := mapping.Mapping{Entity: "users", Fields: []mapping.Field{
		{To: "familyName", Type: mapping.Transformation, Expr: "upper(familyName)"},
		{To: "email", Type: mapping.Direct, From: "email", Overwrite: &off},
		{To: "grades", Type: mapping.Codes, From: "grades", Codes: mapping.CodeTable{{From: "03", To: "3"}}, Unmatched: mapping.UnmatchedFail},
	}}
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.conn, store.DirectionImport), m); err != nil {
		t.Fatal(err)
	}
	saved, _, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.conn, store.DirectionImport), roster.Users)
	if !saved.Import {
		t.Fatal("a source's mapping is an import mapping")
	}
	f.importFiles(withDemographics(district()))
	ana, _ := f.st.RecordView(ctx, roster.Users, "u1")
	if got := fields(ana); got["familyName"] != "LOPEZ" || got["grades"] != "3" || got["givenName"] != "Ana" || got["email"] != "ana@example.org" {
		t.Fatalf("mapped on import: %v", got)
	}
	// Ana's e-mail comes blank (kept: overwrite off), Ben's grade has no code (failed: left as it was,
	// never deleted), and a mapping change shows in the plan.
	files := withDemographics(district())
	files["users.csv"] = strings.Replace(files["users.csv"], "Ana,Lopez,,1001,ana@example.org", "Ana,Lopez,,1001,", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "ben@example.org,,,,03,", "ben@example.org,,,,04,", 1)
	run := f.importFiles(files)
	ana, _ = f.st.RecordView(ctx, roster.Users, "u1")
	ben, _ := f.st.RecordView(ctx, roster.Users, "u2")
	if fields(ana)["email"] != "ana@example.org" || fields(ben)["grades"] != "3" || ben.Status != "active" || run.Counts["users"].Failed != 1 {
		t.Fatalf("after the second import: ana %v, ben %v %s, counts %+v", fields(ana), fields(ben), ben.Status, run.Counts["users"])
	}
	records, _ := f.st.RunRecords(ctx, run.ID, 0, 100)
	if !slices.ContainsFunc(records, func(r store.RunRecord) bool {
		return r.SourcedID == "u2" && r.Status == "failed" && strings.Contains(r.Message, `no code for "04"`)
	}) {
		t.Fatalf("the failure names the mapping's reason: %+v", records)
	}
	m.Fields[0].Expr = "title(familyName)"
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.conn, store.DirectionImport), m); err != nil {
		t.Fatal(err)
	}
	plan, err := f.eng.PlanImport(ctx, f.conn.ID, RunOptions{}, events.Discard)
	if err != nil || plan.Counts["users"].Updated < 2 {
		t.Fatalf("a mapping change shows in the plan: %+v %v", plan.Counts["users"], err)
	}
	p, err := f.eng.PreviewMapping(ctx, f.conn.ID, m, "u1")
	if err != nil || p.Action != "import" || !strings.Contains(p.Payload, `"familyName": "Lopez"`) || p.Method != "" {
		t.Fatalf("preview of an import mapping: %+v %v", p, err)
	}
	m.Fields[0].Key = true
	if err := f.eng.SaveMapping(ctx, ownSetup(t, f.st, f.conn, store.DirectionImport), m); err == nil || !strings.Contains(err.Error(), "sourcedId") {
		t.Fatalf("an import mapping has no key: %v", err)
	}
}

// fields is a record page's values by name.
func fields(v store.RecordView) map[string]string {
	out := map[string]string{}
	for _, f := range v.Fields {
		out[f.Name] = f.Value
	}
	return out
}
