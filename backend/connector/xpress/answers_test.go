package xpress

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
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

// Tests of xPress services as the published material shows them answering (A4L guidance, RIC One's
// authentication library, clients and server), beside the OAuth provider the other tests use.

// sameAsDistrict fails unless the package holds what the provider's district holds.
func sameAsDistrict(t *testing.T, p *provider, rep *oneroster.Report) {
	t.Helper()
	for _, e := range roster.Entities {
		if e == roster.AcademicSessions { // xPress has one calendar per school instead of the district's year and terms
			continue
		}
		if rep.Counts[e] != p.counts[e] {
			t.Errorf("%s: staged %d, the district has %d", e, rep.Counts[e], p.counts[e])
		}
	}
	if rep.Counts[roster.AcademicSessions] != len(p.objects["xCalendars"]) {
		t.Errorf("staged %d sessions for %d calendars", rep.Counts[roster.AcademicSessions], len(p.objects["xCalendars"]))
	}
}

func recordOf(t *testing.T, records map[roster.Entity][]roster.Record, e roster.Entity, id string) roster.Record {
	t.Helper()
	var found []roster.Record
	for _, rec := range records[e] {
		if rec.SourcedID() == id {
			found = append(found, rec)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s records %s, want 1", len(found), e, id)
	}
	return found[0]
}

func TestRICOneStyleProvider(t *testing.T) {
	p := newProvider(t, district.Options{Students: 60, Seed: 1})
	p.ricOne, p.keyHeader = true, "Ocp-Apim-Subscription-Key"
	settings := p.loginSettings()
	settings["apiKeyHeader"] = "Ocp-Apim-Subscription-Key"
	src := open(t, settings, p.secrets())

	msg, err := src.Test(context.Background())
	if host := strings.TrimPrefix(p.srv.URL, "http://"); err != nil || !strings.Contains(msg, "Connected to "+host) {
		t.Fatalf("Test connection: %q, %v", msg, err)
	}
	rep, records := stageRead(t, src, connector.Pull{})
	sameAsDistrict(t, p, rep)
	// Pages of 5 where 7 were asked for: only the last-page header (written with a space) says there is more.
	if !slices.Contains(p.requests, "xStudents#3") {
		t.Errorf("students were not paged: %v", p.requests)
	}
	if s := recordOf(t, records, roster.AcademicSessions, "cal-org-0001"); s.Get("schoolYear") != "2027" || s.Get("title") != "2026-2027, Maple Ridge Elementary School" {
		t.Errorf("a school year sent as a string: %v", s.Values)
	}
	recordOf(t, records, roster.Users, "usr-000001")
	if p.logins != 2 || p.refusals != 0 {
		t.Errorf("%d logins and %d refused requests for a test and a stage, want 2 and 0", p.logins, p.refusals)
	}
}

func TestConformanceRICOneStyle(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		p := newProvider(t, district.Options{Students: 60, Seed: 1})
		p.ricOne = true
		broken := p.loginSettings()
		broken["clientId"] = "other-app" // a client the server knows with another secret
		return connectortest.Endpoint{
			Settings: p.loginSettings(), Secrets: p.secrets(), Users: p.counts[roster.Users],
			Broken: broken, Failure: "refused the username and password",
			Change: func(t *testing.T) { p.load(t, district.Options{Students: 10, Seed: 2}) },
		}
	})
}

func TestLoginAnswers(t *testing.T) {
	var answer string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			if r.PostFormValue("username") != "registrar" || r.PostFormValue("password") != "correct horse" {
				http.Error(w, "Unauthorized", http.StatusUnauthorized)
				return
			}
			fmt.Fprint(w, strings.ReplaceAll(answer, "SRV", "http://"+r.Host))
			return
		}
		fmt.Fprintf(w, `{"xLeas":{"xLea":{"@refId":"lea-1","leaName":"%s"}}}`, r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	two := `{"token":"t0","endpoint":[{"name":"North RIC","href":"SRV/north/"},{"name":"South RIC","href":"SRV/south","token":"t-south"}]}`
	for _, tc := range []struct {
		name, answer, baseURL, password string
		want                            string // part of the error; "" for success
		wantBase, wantToken             string
	}{
		{"one service", `{"token":"t1","endpoint":[{"name":"RIC","href":"SRV/api/"}]}`, "", "correct horse", "", "/api", "t1"},
		{"one service, the address given", `{"token":"t1","endpoint":[{"name":"RIC","href":"SRV/api/"}]}`, "/other", "correct horse", "", "/other", "t1"},
		{"several services, none chosen", two, "", "correct horse", "offers several xPress services: North RIC (SRV/north), South RIC (SRV/south)", "", ""},
		{"several services, one chosen", two, "/south", "correct horse", "", "/south", "t-south"},
		{"no service named", `{"token":"t1","endpoint":[]}`, "", "correct horse", "did not say where the xPress data is", "", ""},
		{"no token", `{"endpoint":[{"name":"RIC","href":"SRV/api"}]}`, "", "correct horse", "answered without a token", "", ""},
		{"not a login answer", `<html>Sign in</html>`, "", "correct horse", "not an xPress login answer", "", ""},
		{"wrong password", "", "", "wrong", "refused the username and password (HTTP 401)", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer = tc.answer
			settings := map[string]string{"auth": "login", "tokenUrl": srv.URL + "/login", "username": "registrar"}
			if tc.baseURL != "" {
				settings["baseUrl"] = srv.URL + tc.baseURL
			}
			src := open(t, settings, map[string]string{"password": tc.password}).(*source)
			c, err := src.connect(context.Background())
			want := strings.ReplaceAll(tc.want, "SRV", srv.URL)
			switch {
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Fatalf("want an error containing %q, got %v", want, err)
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want == "" && (c.baseURL != srv.URL+tc.wantBase || c.token != tc.wantToken):
				t.Fatalf("reads %s with token %s, want %s with %s", c.baseURL, c.token, srv.URL+tc.wantBase, tc.wantToken)
			}
		})
	}
}

func TestNoContentEndsAList(t *testing.T) {
	defer func(size int) { pageSize = size }(pageSize)
	pageSize = 1 // every page full, so every list ends with a page past its end
	p := newProvider(t, district.Options{Students: 10, Seed: 1})
	p.omitLastPage, p.noContent = true, true
	rep, _ := stageRead(t, open(t, p.settings(), p.secrets()), connector.Pull{})
	sameAsDistrict(t, p, rep)
}

func TestTokenExpiry(t *testing.T) {
	for _, tc := range []struct {
		name        string
		login       bool
		known       time.Duration // the lifetime Rosterdesk assumes for a login token; 0: the real 60 minutes
		lifetime    time.Duration // when the server refuses a token
		renewedSoon bool          // a token is renewed before the server refuses it
	}{
		{"login token renewed before it expires", true, 60 * time.Millisecond, 200 * time.Millisecond, true},
		{"login token refused sooner than said", true, 0, 100 * time.Millisecond, false},
		{"oauth2 token refused sooner than said", false, 0, 100 * time.Millisecond, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.known > 0 {
				defer func(l time.Duration) { loginLifetime = l }(loginLifetime)
				loginLifetime = tc.known
			}
			p := newProvider(t, district.Options{Students: 60, Seed: 1})
			p.lifetime, p.delay = tc.lifetime, 20*time.Millisecond // some 20 requests: 400 ms
			settings := p.settings()
			if tc.login {
				settings = p.loginSettings()
			}
			start := time.Now()
			rep, _ := stageRead(t, open(t, settings, p.secrets()), connector.Pull{})
			sameAsDistrict(t, p, rep)
			if took := time.Since(start); took < tc.lifetime {
				t.Fatalf("the stage took %v, too short to outlast a token", took)
			}
			if p.logins < 2 {
				t.Errorf("%d sign-ins for a stage that outlasted its token", p.logins)
			}
			if tc.renewedSoon && p.refusals != 0 {
				t.Errorf("%d requests refused: the token was not renewed before it expired", p.refusals)
			}
			if !tc.renewedSoon && p.refusals == 0 {
				t.Error("no request was refused: the test proves nothing")
			}
		})
	}
}

func TestChangesSince(t *testing.T) {
	if !Kind().Delta {
		t.Fatal("xpress does not offer Fetch changes")
	}
	for _, ricOne := range []bool{false, true} {
		t.Run(fmt.Sprintf("ricOne=%v", ricOne), func(t *testing.T) {
			p := newProvider(t, district.Options{Students: 30, Seed: 1})
			p.ricOne = ricOne
			var changed map[string]any
			schoolOf := map[string]string{}
			for _, it := range p.objects["xStudents"] {
				if it.body["refId"] == "usr-000001" {
					changed = maps.Clone(it.body)
				}
				schoolOf[it.body["refId"].(string)] = it.school
			}
			changed["name"] = map[string]any{"givenName": "Renamed", "familyName": "Student"}
			// A contact that changed while its student did not: the delta does not hold the student.
			var contact, orphan map[string]any
			var student string
			for _, it := range p.objects["xContacts"] {
				student = it.body["relationships"].(map[string]any)["relationship"].([]any)[0].(map[string]any)["studentRefId"].(string)
				if student != "usr-000001" && student != "usr-000002" {
					contact = maps.Clone(it.body)
					break
				}
			}
			contact["phoneNumber"] = map[string]any{"phoneType": "Home", "number": "555-0199"}
			orphan = maps.Clone(contact)
			orphan["refId"] = "usr-g-orphan"
			orphan["relationships"] = map[string]any{"relationship": map[string]any{"studentRefId": "usr-gone", "relationshipCode": "Mother"}}
			// The marker is inclusive: an object changed twice, or at the marker, comes more than once.
			course := maps.Clone(p.objects["xCourses"][0].body)
			course["courseTitle"] = "Renamed course"
			p.changes = map[string][]map[string]any{
				"xCourses":  {course, {"refId": "crs-gone"}},
				"xStaffs":   {{"refId": "usr-t-00001"}},
				"xStudents": {changed, {"refId": "usr-000002"}, changed},
				"xRosters":  {{"refId": "cls-0001-1-001"}},
				"xContacts": {contact, orphan},
			}
			settings := p.settings()
			if ricOne {
				settings = p.loginSettings()
			}
			since := time.Date(2026, 3, 1, 14, 30, 0, 0, time.FixedZone("EST", -5*3600))
			rep, records := stageRead(t, open(t, settings, p.secrets()), connector.Pull{Since: since})
			if len(p.markers) == 0 || slices.ContainsFunc(p.markers, func(m string) bool { return m != "2026-03-01T07:30:00" }) {
				t.Errorf("changesSinceMarker %v, want 2026-03-01T07:30:00 (19:30 UTC less 12 hours, no zone)", p.markers)
			}
			if rep.Modes[roster.Users] != oneroster.ModeDelta {
				t.Fatalf("users %s, want a delta", rep.Modes[roster.Users])
			}
			// Calendars (with their schools' names) come whole: a changed course keeps its school year.
			if c := recordOf(t, records, roster.Courses, course["refId"].(string)); c.Get("title") != "Renamed course" || c.Get("schoolYearSourcedId") != "cal-"+course["schoolRefId"].(string) {
				t.Errorf("the changed course: %v", c.Values)
			}
			if s := recordOf(t, records, roster.AcademicSessions, "cal-org-0001"); s.Get("title") != "2026-2027, Maple Ridge Elementary School" {
				t.Errorf("a calendar in a delta: %v", s.Values)
			}
			if u := recordOf(t, records, roster.Users, "usr-000001"); u.Status() != roster.StatusActive || u.Get("givenName") != "Renamed" {
				t.Errorf("the changed student: %v", u.Values)
			}
			if r := recordOf(t, records, roster.Roles, "role-usr-000001"); r.Status() != roster.StatusActive {
				t.Errorf("the changed student's role: %v", r.Values)
			}
			for _, gone := range []struct {
				e  roster.Entity
				id string
			}{{roster.Users, "usr-000002"}, {roster.Roles, "role-usr-000002"}, {roster.Demographics, "usr-000002"},
				{roster.Users, "usr-t-00001"}, {roster.Roles, "role-usr-t-00001"}, {roster.Classes, "cls-0001-1-001"}, {roster.Courses, "crs-gone"}} {
				if rec := recordOf(t, records, gone.e, gone.id); rec.Status() != roster.StatusToBeDeleted {
					t.Errorf("%s %s of a deleted object: %v", gone.e, gone.id, rec.Values)
				}
			}
			c := recordOf(t, records, roster.Users, contact["refId"].(string))
			if c.Get("phone") != "555-0199" || c.Get("agentSourcedIds") != student || c.Get("primaryOrgSourcedId") != schoolOf[student] {
				t.Errorf("the changed contact of an unchanged student: %v", c.Values)
			}
			if r := recordOf(t, records, roster.Roles, "role-"+contact["refId"].(string)); r.Get("orgSourcedId") != c.Get("primaryOrgSourcedId") {
				t.Errorf("the changed contact's role: %v", r.Values)
			}
			if !slices.Contains(p.requests, "xStudents/"+student+"#1") || !slices.Contains(p.requests, "xStudents/usr-gone#1") {
				t.Errorf("the contacts' students were not looked up: %v", p.requests)
			}
			// An x-object is a current record unless it is a deletion: never of status Blank.
			for e, recs := range records {
				for _, rec := range recs {
					if s := rec.Status(); s != roster.StatusActive && s != roster.StatusToBeDeleted {
						t.Errorf("%s %s has status %q", e, rec.SourcedID(), s)
					}
				}
			}
			if n := rep.Counts[roster.Users]; n != 4 { // the changed and the deleted student, the deleted teacher, the contact; not the contact of no student
				t.Errorf("%d users in the delta, want 4", n)
			}
		})
	}
}

func TestAPIKeyHeader(t *testing.T) {
	p := newProvider(t, district.Options{Students: 10, Seed: 1})
	// A connection saved before the header could be named: the key goes in x-api-key.
	src, err := Kind().NewSource(p.settings(), p.secrets())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Test(context.Background()); err != nil {
		t.Fatalf("a connection without the API key header setting: %v", err)
	}
	p.apiKey = "" // the provider now refuses a request carrying the header at all
	if _, err := open(t, p.settings(), map[string]string{"clientSecret": "s3cret"}).Test(context.Background()); err != nil {
		t.Fatalf("no API key: %v", err)
	}
}

func TestSchoolYearIsTheYearItEnds(t *testing.T) {
	for _, v := range []string{`2026`, `"2026"`, `" 2026 "`, `"2025-2026"`, `"2025-26"`, `"2025–26"`, `"2025/2026"`} {
		var c xCalendar
		if err := json.Unmarshal([]byte(`{"@refId":"cal","schoolYear":`+v+`}`), &c); err != nil {
			t.Fatal(err)
		}
		if rec := c.session("", "Maple Ridge"); rec.Get("schoolYear") != "2026" || rec.Get("title") != "2025-2026, Maple Ridge" ||
			rec.Get("startDate") != "2025-07-01" || rec.Get("endDate") != "2026-06-30" {
			t.Errorf("schoolYear %s: %v", v, rec.Values)
		}
	}
}

func TestNoChanges(t *testing.T) {
	p := newProvider(t, district.Options{Students: 10, Seed: 1})
	p.ricOne, p.changes = true, map[string][]map[string]any{}
	path, err := open(t, p.loginSettings(), p.secrets()).Stage(context.Background(), t.TempDir(), connector.Pull{Since: time.Now()}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	rep, err := pkg.Read(context.Background(), func(roster.Record) error { return nil }, nil)
	if err != nil || len(rep.Errors()) > 0 || rep.Counts[roster.Users] != 0 {
		t.Fatalf("%v %+v", err, rep)
	}
}
