package xpress

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func TestMain(m *testing.M) {
	// Small pages so a 60-student district spans several; short waits so retries stay quick.
	pageSize, retryBase = 7, time.Millisecond
	os.Exit(m.Run())
}

func TestConformance(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		p := newProvider(t, district.Options{Students: 60, Seed: 1})
		broken := p.settings()
		broken["clientId"] = "other-app" // a client the server knows with another secret
		return connectortest.Endpoint{
			Settings: p.settings(), Secrets: p.secrets(), Users: p.counts[roster.Users],
			Broken: broken, Failure: "refused the client id or secret",
			Change: func(t *testing.T) { p.load(t, district.Options{Students: 10, Seed: 2}) },
		}
	})
}

func open(t *testing.T, settings, secrets map[string]string) connector.Source {
	t.Helper()
	normalized, err := Kind().Normalize(connector.RoleSource, settings)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Kind().NewSource(normalized, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// stageRead stages the source and reads the package back, failing on any error finding.
func stageRead(t *testing.T, src connector.Source, pull connector.Pull) (*oneroster.Report, map[roster.Entity][]roster.Record) {
	t.Helper()
	path, err := src.Stage(context.Background(), t.TempDir(), pull, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	records := map[roster.Entity][]roster.Record{}
	rep, err := pkg.Read(context.Background(), func(rec roster.Record) error {
		records[rec.Entity] = append(records[rec.Entity], roster.Record{Entity: rec.Entity, Values: slices.Clone(rec.Values)})
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs := rep.Errors(); len(errs) > 0 {
		t.Fatalf("the staged package has %d errors, first: %+v", len(errs), errs[0])
	}
	return rep, records
}

func TestStagedPackageMatchesDistrict(t *testing.T) {
	for _, tc := range []struct {
		name               string
		bare, omitLastPage bool
		maxPageSize        int
	}{
		{"wrapped envelopes, navigationLastPage", false, false, 0},
		{"bare envelopes, no navigationLastPage", true, true, 0},
		{"server caps the page size", false, true, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProvider(t, district.Options{Students: 60, Seed: 1})
			p.bare, p.omitLastPage, p.maxPageSize = tc.bare, tc.omitLastPage, tc.maxPageSize
			rep, _ := stageRead(t, open(t, p.settings(), p.secrets()), connector.Pull{})
			for _, e := range roster.Entities {
				if e == roster.AcademicSessions { // xPress has one calendar per school instead of the district's year and terms
					continue
				}
				if rep.Counts[e] != p.counts[e] {
					t.Errorf("%s: staged %d, the district has %d", e, rep.Counts[e], p.counts[e])
				}
			}
			if len(rep.Findings) > 0 {
				t.Errorf("%d findings, first: %+v", len(rep.Findings), rep.Findings[0])
			}
			if rep.Counts[roster.AcademicSessions] != len(p.objects["xCalendars"]) {
				t.Errorf("staged %d sessions for %d calendars", rep.Counts[roster.AcademicSessions], len(p.objects["xCalendars"]))
			}
			if !slices.Contains(p.requests, "xStudents#3") {
				t.Errorf("students were not paged: %v", p.requests)
			}
			if rep.Version != "1.2" || rep.Modes[roster.Users] != oneroster.ModeBulk {
				t.Errorf("want a OneRoster 1.2 bulk package, got %s %s", rep.Version, rep.Modes[roster.Users])
			}
		})
	}
}

func TestStageMapsFields(t *testing.T) {
	p := newProvider(t, district.Options{Students: 60, Seed: 1})
	_, records := stageRead(t, open(t, p.settings(), p.secrets()), connector.Pull{})
	find := func(e roster.Entity, id string) roster.Record {
		for _, rec := range records[e] {
			if rec.SourcedID() == id {
				return rec
			}
		}
		t.Fatalf("no %s %s", e, id)
		return roster.Record{}
	}
	check := func(rec roster.Record, want map[string]string) {
		t.Helper()
		for col, v := range want {
			if got := rec.Get(col); got != v {
				t.Errorf("%s %s: %s = %q, want %q", rec.Entity, rec.SourcedID(), col, got, v)
			}
		}
	}
	check(find(roster.Orgs, "org-0000"), map[string]string{"type": "district", "name": "Springfield Unified School District"})
	check(find(roster.Orgs, "org-0001"), map[string]string{"type": "school", "parentSourcedId": "org-0000"})
	check(find(roster.AcademicSessions, "cal-org-0001"), map[string]string{"type": "schoolYear", "schoolYear": "2027", "startDate": "2026-08-17",
		"title": "2026-2027, Maple Ridge Elementary School"})
	check(find(roster.Courses, "crs-0001-1"), map[string]string{"orgSourcedId": "org-0001", "schoolYearSourcedId": "cal-org-0001"})
	check(find(roster.Classes, "cls-0001-1-001"), map[string]string{"courseSourcedId": "crs-0001-1", "schoolSourcedId": "org-0001",
		"termSourcedIds": "cal-org-0001", "classCode": "P1-001", "classType": "scheduled"})
	check(find(roster.Users, "usr-000001"), map[string]string{"primaryOrgSourcedId": "org-0001", "grades": "KG", "identifier": "S0000001",
		"agentSourcedIds": "usr-g-000001", "enabledUser": "true"})
	check(find(roster.Users, "usr-g-000001"), map[string]string{"agentSourcedIds": "usr-000001", "primaryOrgSourcedId": "org-0001"})
	check(find(roster.Roles, "role-usr-t-00001"), map[string]string{"role": "teacher", "roleType": "primary", "orgSourcedId": "org-0001"})
	check(find(roster.Roles, "role-usr-g-000001"), map[string]string{"role": "guardian"})
	check(find(roster.Enrollments, "cls-0001-1-001-usr-000001"), map[string]string{"role": "student", "primary": "false"})
	var teacher roster.Record
	for _, e := range records[roster.Enrollments] {
		if e.Get("classSourcedId") == "cls-0001-1-001" && e.Get("role") == "teacher" {
			teacher = e
		}
	}
	check(teacher, map[string]string{"primary": "true", "schoolSourcedId": "org-0001"})
	if sex := find(roster.Demographics, "usr-000001").Get("sex"); sex != "male" && sex != "female" {
		t.Errorf("sex %q", sex)
	}
}

func TestStageRetriesHonouringRetryAfter(t *testing.T) {
	p := newProvider(t, district.Options{Students: 30, Seed: 1})
	p.failures = []int{http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusBadGateway}
	start := time.Now()
	rep, _ := stageRead(t, open(t, p.settings(), p.secrets()), connector.Pull{})
	if took := time.Since(start); took < time.Second {
		t.Errorf("Retry-After: 1 was not honoured: the stage took %v", took)
	}
	if rep.Counts[roster.Users] != p.counts[roster.Users] {
		t.Errorf("staged %d users, want %d", rep.Counts[roster.Users], p.counts[roster.Users])
	}
}

func TestStageGivesUpOnAFailingServer(t *testing.T) {
	p := newProvider(t, district.Options{Students: 30, Seed: 1})
	p.failures = slices.Repeat([]int{http.StatusInternalServerError}, maxTries)
	dir := t.TempDir()
	_, err := open(t, p.settings(), p.secrets()).Stage(context.Background(), dir, connector.Pull{}, events.Discard)
	if err == nil || !strings.Contains(err.Error(), "kept failing (HTTP 500 for xLeas) after 5 tries") {
		t.Fatalf("got %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed stage left %d files behind: %s", len(entries), entries[0].Name())
	}
}

func TestStageSchoolScope(t *testing.T) {
	p := newProvider(t, district.Options{Students: 60, Seed: 1})
	rep, records := stageRead(t, open(t, p.settings(), p.secrets()), connector.Pull{Schools: []string{"org-0002"}})
	for _, path := range []string{"xSchools/org-0002/xRosters#1", "xSchools/org-0002/xStudents#1", "xSchools/org-0002/xStaffs#1"} {
		if !slices.Contains(p.requests, path) {
			t.Errorf("%s was not asked for: %v", path, p.requests)
		}
	}
	wantClasses := 0
	for _, it := range p.objects["xRosters"] {
		if it.school == "org-0002" {
			wantClasses++
		}
	}
	if rep.Counts[roster.Classes] != wantClasses || wantClasses == 0 {
		t.Errorf("staged %d classes, school org-0002 has %d", rep.Counts[roster.Classes], wantClasses)
	}
	for _, e := range []roster.Entity{roster.Classes, roster.Enrollments} {
		for _, rec := range records[e] {
			if rec.Get("schoolSourcedId") != "org-0002" {
				t.Fatalf("%s %s is at %s", e, rec.SourcedID(), rec.Get("schoolSourcedId"))
			}
		}
	}
	for _, rec := range records[roster.Roles] {
		if rec.Get("orgSourcedId") != "org-0002" {
			t.Fatalf("role %s is at %s", rec.SourcedID(), rec.Get("orgSourcedId"))
		}
	}
	if len(rep.Warnings()) > 0 {
		t.Errorf("a scoped package should refer only to what it holds: %+v", rep.Warnings()[0])
	}
}

func TestSchoolYear(t *testing.T) {
	p := newProvider(t, district.Options{Students: 30, Seed: 1})
	settings := p.settings()
	settings["schoolYear"] = "2026"
	rep, _ := stageRead(t, open(t, settings, p.secrets()), connector.Pull{})
	if len(p.schoolYears) == 0 || p.schoolYears[0] != "2026" {
		t.Errorf("SchoolYear headers sent: %v", p.schoolYears)
	}
	// The server ignored the header and served 2027: nothing of that year is staged.
	if rep.Counts[roster.Classes] != 0 || rep.Counts[roster.AcademicSessions] != 0 {
		t.Errorf("staged %d classes and %d sessions of another year", rep.Counts[roster.Classes], rep.Counts[roster.AcademicSessions])
	}
}

func TestTestConnection(t *testing.T) {
	p := newProvider(t, district.Options{Students: 30, Seed: 1})
	msg, err := open(t, p.settings(), p.secrets()).Test(context.Background())
	host := strings.TrimPrefix(p.srv.URL, "http://")
	if want := fmt.Sprintf("Connected to %s: xPress Roster answered with 1 district.", host); err != nil || msg != want {
		t.Fatalf("got %q, %v; want %q", msg, err, want)
	}
}

func TestSignInProblems(t *testing.T) {
	p := newProvider(t, district.Options{Students: 30, Seed: 1})
	password := p.settings()
	password["username"] = "registrar"
	withPassword := func(pw string) map[string]string {
		s := p.secrets()
		s["password"] = pw
		return s
	}
	noKey := p.secrets()
	delete(noKey, "apiKey")
	for _, tc := range []struct {
		name              string
		settings, secrets map[string]string
		want              string // "" for success
	}{
		{"password grant", password, withPassword("correct horse"), ""},
		{"wrong password", password, withPassword("wrong"), "refused the username or password"},
		{"wrong client secret", p.settings(), map[string]string{"clientSecret": "guess", "apiKey": "key-123"}, "refused the client id or secret"},
		{"missing API key", p.settings(), noKey, "refused the client id or secret"},
		{"login", p.loginSettings(), p.secrets(), ""},
		{"login, wrong secret", p.loginSettings(), map[string]string{"clientSecret": "guess", "apiKey": "key-123"}, "refused the username and password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := open(t, tc.settings, tc.secrets).Test(context.Background())
			if tc.want == "" && err != nil {
				t.Fatalf("%q, %v", msg, err)
			}
			if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
		})
	}
}

func TestMissingSecretAsksToReenterIt(t *testing.T) {
	settings := map[string]string{"baseUrl": "https://xpress.example.org/api", "tokenUrl": "https://xpress.example.org/token", "clientId": "x"}
	if _, err := Kind().NewSource(settings, map[string]string{}); err == nil || !strings.Contains(err.Error(), "client secret") || !strings.Contains(err.Error(), "Re-enter") {
		t.Errorf("no client secret: %v", err)
	}
	settings["username"] = "registrar"
	if _, err := Kind().NewSource(settings, map[string]string{"clientSecret": "s"}); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("no password: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u, _ := url.Parse(srv.URL)
	srv.Close()
	settings := map[string]string{"baseUrl": srv.URL + "/api", "tokenUrl": srv.URL + "/token", "clientId": "x"}
	_, err := open(t, settings, map[string]string{"clientSecret": "s"}).Test(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cannot reach "+u.Host) {
		t.Fatalf("got %v", err)
	}
}

func TestNotFoundNamesTheBaseURL(t *testing.T) {
	p := newProvider(t, district.Options{Students: 30, Seed: 1})
	settings := p.settings()
	settings["baseUrl"] = p.srv.URL + "/wrong"
	_, err := open(t, settings, p.secrets()).Test(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") || !strings.Contains(err.Error(), "base URL") {
		t.Fatalf("got %v", err)
	}
}

func TestSettingsChecked(t *testing.T) {
	var keys []string
	for _, o := range Kind().Options {
		keys = append(keys, o.Key)
	}
	if want := []string{"baseUrl", "auth", "tokenUrl", "clientId", "username", "schoolYear", "apiKeyHeader", "apiKey", "clientSecret", "password"}; !slices.Equal(keys, want) {
		t.Errorf("options %v, want %v", keys, want)
	}
	if want := []string{"apiKey", "clientSecret", "password"}; !slices.Equal(Kind().SecretKeys(), want) {
		t.Errorf("secrets %v, want %v", Kind().SecretKeys(), want)
	}
	good := map[string]string{"baseUrl": "https://xpress.example.org/api", "tokenUrl": "https://auth.example.org/token", "clientId": "x"}
	for _, tc := range []struct{ key, value, want string }{
		{"baseUrl", "http://xpress.example.org/api", "unencrypted"},
		{"tokenUrl", "auth.example.org/token", "not a web address"},
		{"schoolYear", "26", "four digits"},
	} {
		s := withSetting(good, tc.key, tc.value)
		if _, err := Kind().Normalize(connector.RoleSource, s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%s: want an error containing %q, got %v", tc.key, tc.value, tc.want, err)
		}
	}
	if _, err := Kind().Normalize(connector.RoleSource, withSetting(good, "baseUrl", "http://127.0.0.1:8080/api")); err != nil {
		t.Errorf("plain http on this computer refused: %v", err)
	}
	login := map[string]string{"auth": "login", "tokenUrl": "https://auth.example.org/login", "username": "registrar"}
	for _, tc := range []struct {
		name     string
		settings map[string]string
		want     string // "" when accepted
	}{
		{"login without a base URL or client id", login, ""},
		{"login without a username or client id", withSetting(login, "username", ""), "Client id is required"},
		{"oauth2 without a base URL", withSetting(good, "baseUrl", ""), "Service base URL is required"},
		{"oauth2 without a client id", withSetting(good, "clientId", ""), "Client id is required"},
		{"an unknown sign-in method", withSetting(good, "auth", "saml"), "must be one of oauth2, login"},
		{"an API key header with a space", withSetting(good, "apiKeyHeader", "x api key"), "not a header name"},
		{"another API key header", withSetting(good, "apiKeyHeader", "Ocp-Apim-Subscription-Key"), ""},
	} {
		got, err := Kind().Normalize(connector.RoleSource, tc.settings)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: want an error containing %q, got %v", tc.name, tc.want, err)
		case tc.want == "" && got["apiKeyHeader"] == "":
			t.Errorf("%s: no API key header: %v", tc.name, got)
		}
	}
}

func withSetting(base map[string]string, key, value string) map[string]string {
	out := map[string]string{key: value}
	for k, v := range base {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func TestPagingIgnoredIsAnErrorNotALoop(t *testing.T) {
	full := `{"xLeas":[` + strings.TrimSuffix(strings.Repeat(`{"refId":"d"},`, pageSize), ",") + `]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, full) }))
	defer srv.Close()
	c := &client{baseURL: srv.URL, host: "xpress.test", http: srv.Client(), token: "t"}
	pages := 0
	err := c.pages(context.Background(), "xLeas", "", func([]json.RawMessage) error { pages++; return nil })
	if err == nil || !strings.Contains(err.Error(), "ignore the navigationPage header") || pages != 1 {
		t.Fatalf("%d pages, %v", pages, err)
	}
}

func TestEnvelope(t *testing.T) {
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"xStudents":{"xStudent":[{"refId":"a"},{"refId":"b"}]}}`, 2},
		{`{"xStudents":{"xStudent":{"refId":"a"}}}`, 1},
		{`{"xStudents":[{"refId":"a"},{"refId":"b"}]}`, 2},
		{`{"xStudents":{"refId":"a"}}`, 1},
		{`{"XStudents":{"XStudent":[{"refId":"a"}]}}`, 1},
		{`{"xStudents":{"xStudent":null}}`, 0},
		{`{"xStudents":{}}`, 0},
		{`{}`, 0},
		{``, 0},
	} {
		items, err := envelope(strings.NewReader(tc.body), "xStudents")
		if err != nil || len(items) != tc.want {
			t.Errorf("%s: %d items, %v; want %d", tc.body, len(items), err, tc.want)
		}
	}
	for _, body := range []string{`{"error":"no such thing"}`, `<html>Sign in</html>`} {
		if _, err := envelope(strings.NewReader(body), "xStudents"); err == nil {
			t.Errorf("%s read as xStudents", body)
		}
	}
}

func TestRoleVocabularies(t *testing.T) {
	for job, want := range map[string]string{"": "teacher", "Classroom Teacher": "teacher", "Principal": "principal",
		"Guidance Counselor": "counselor", "Paraprofessional": "aide", "Bus Driver": "ext:Bus Driver"} {
		if got := staffRole(job, true); got != want {
			t.Errorf("job function %q: %s, want %s", job, got, want)
		}
	}
	if staffRole("Administrator", true) != "siteAdministrator" || staffRole("Administrator", false) != "districtAdministrator" {
		t.Error("administrators are placed by where they are assigned")
	}
	for code, want := range map[string]string{"Mother": "parent", "Grandparent": "relative", "Guardian": "guardian", "Foster Parent": "guardian"} {
		if got := contactRole(code); got != want {
			t.Errorf("relationship %q: %s, want %s", code, got, want)
		}
	}
}
