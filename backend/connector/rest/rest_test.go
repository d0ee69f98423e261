package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func TestMain(m *testing.M) {
	retryBase = time.Millisecond // retried failures cost no time; Retry-After is still honoured
	os.Exit(m.Run())
}

// open makes a source the way the app does.
func open(t testing.TB, settings, secrets map[string]string) *source {
	t.Helper()
	return connectortest.Open(t, Kind(), settings, secrets).(*source)
}

func stage(t testing.TB, src *source, pull connector.Pull) (map[roster.Entity][]roster.Record, *oneroster.Package) {
	t.Helper()
	path, err := src.Stage(context.Background(), t.TempDir(), pull, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return readPackage(t, path)
}

func with(m map[string]string, kv ...string) map[string]string {
	out := maps.Clone(m)
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestConformance12OAuth2(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		p := newProvider(t, "1.2", false, 60, quirks{})
		return connectortest.Endpoint{
			Settings: p.settings(), Secrets: secrets(), Users: p.users,
			Broken: with(p.settings(), "baseUrl", p.srv.URL+"/no-api-here"), Failure: "no OneRoster 1.2 API at",
			Change: func(t *testing.T) { p.load(10, 2) },
		}
	})
}

func TestConformance11OAuth1(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		p := newProvider(t, "1.1", true, 60, quirks{})
		return connectortest.Endpoint{
			Settings: p.settings(), Secrets: secrets(), Users: p.users,
			Broken: with(p.settings(), "clientId", "someone-else"), Failure: "the API refused the client id or secret",
			Change: func(t *testing.T) { p.load(10, 2) },
		}
	})
}

// wild is every quirk at once that a client must ride out without losing or doubling a record.
var wild = quirks{capLimit: 7, shift: true, lyingTotals: true, every429: 13, every500: 7, everyDrop: 11, stringBools: true, sparse: true}

// TestStagesTheDistrictExactly stages a district through a provider that bends every rule and
// compares the package, record by record, with the district itself.
func TestStagesTheDistrictExactly(t *testing.T) {
	for _, tc := range []struct {
		version string
		oauth1  bool
	}{{"1.2", false}, {"1.1", true}} {
		t.Run(tc.version, func(t *testing.T) {
			p := newProvider(t, tc.version, tc.oauth1, 120, wild)
			got, pkg := stage(t, open(t, with(p.settings(), "pageSize", "10"), secrets()), connector.Pull{})
			if pkg.Version() != tc.version || pkg.Mode(roster.Users) != oneroster.ModeBulk {
				t.Fatalf("staged OneRoster %s, users %s", pkg.Version(), pkg.Mode(roster.Users))
			}
			want, _ := districtRecords(t, 120, 1)
			for _, e := range roster.Entities {
				if g, w := rows(t, tc.version, got[e]), rows(t, tc.version, want[e]); !maps.Equal(g, w) {
					t.Errorf("%s: staged %d records, the district has %d; e.g. %s", e, len(g), len(w), firstDiff(g, w))
				}
			}
			if orgs := got[roster.Orgs]; len(orgs) == 0 || fmt.Sprint(orgs[0].Metadata) != "[{rank 3} {region North}]" {
				t.Errorf("org metadata %v", orgs[0].Metadata)
			}
			for _, u := range p.seen() {
				if q := u.Query(); q.Get("limit") != "10" || q.Get("sort") != "sourcedId" || q.Get("offset") == "" {
					t.Fatalf("a request without limit, offset and sort: %s", u)
				}
			}
		})
	}
}

// rows keys records by sourcedId, as text; roles by what they say, since 1.2 JSON roles have no ids.
func rows(t testing.TB, version string, recs []roster.Record) map[string]string {
	out := map[string]string{}
	for _, r := range recs {
		r = roster.Record{Entity: r.Entity, Values: slices.Clone(r.Values)}
		key := r.SourcedID()
		switch r.Entity {
		case roster.Roles:
			key = r.Get("userSourcedId") + " " + r.Get("orgSourcedId") + " " + r.Get("role")
			r.Set("sourcedId", "")
		case roster.Users:
			if version == "1.1" { // 1.2-only columns
				r.Set("userMasterIdentifier", "")
			}
		}
		if _, dup := out[key]; dup {
			t.Fatalf("%s %s twice", r.Entity, key)
		}
		out[key] = strings.Join(r.Values, "|")
	}
	return out
}

func firstDiff(got, want map[string]string) string {
	for k, w := range want {
		if got[k] != w {
			return fmt.Sprintf("%s: got %q, want %q", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			return k + " is extra"
		}
	}
	return ""
}

func TestTestConnection(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{})
	msg, err := open(t, p.settings(), secrets()).Test(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(p.srv.URL, "http://")
	if want := "Connected to " + host + " (OneRoster 1.2): the API answered with 1 organisation on the first page."; msg != want {
		t.Fatalf("got %q, want %q", msg, want)
	}
	if q := p.seen()[0].Query(); q.Get("limit") != "1" {
		t.Fatalf("Test asked for %s", q.Encode())
	}
}

func TestFailuresInWords(t *testing.T) {
	p12 := newProvider(t, "1.2", false, 60, quirks{scope: "roster.readonly"})
	p11 := newProvider(t, "1.1", true, 60, quirks{})
	down := newProvider(t, "1.2", false, 60, quirks{every500: 1})
	gone := newProvider(t, "1.2", false, 60, quirks{})
	gone.srv.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"data":[]}`)) }))
	defer other.Close()
	wrong := map[string]string{"clientSecret": "not the secret"}
	for _, tc := range []struct {
		name              string
		settings, secrets map[string]string
		want              string
	}{
		{"oauth2 wrong secret", p12.settings(), wrong, "the API refused the client id or secret"},
		{"oauth1 wrong secret", p11.settings(), wrong, "the API refused the client id or secret"},
		{"scope missing", p12.settings(), secrets(), "The API answered 403: the client lacks the roster scope (or permission for /ims/oneroster/rostering/v1p2/orgs)"},
		{"wrong version", with(p11.settings(), "version", "1.2", "auth", "oauth2", "tokenUrl", p12.srv.URL+"/token", "scopes", "roster.readonly"), secrets(),
			"no OneRoster 1.2 API at " + p11.srv.URL + "/ims/oneroster/rostering/v1p2: check the base URL and version"},
		{"provider down", down.settings(), secrets(), "answered HTTP 500 5 times in a row"},
		{"unreachable", gone.settings(), secrets(), "cannot reach " + strings.TrimPrefix(gone.srv.URL, "http://")},
		{"not OneRoster", with(p11.settings(), "baseUrl", other.URL), secrets(), "/ims/oneroster/v1p1/orgs did not answer with a list of orgs as OneRoster 1.1 does"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := open(t, tc.settings, tc.secrets).Test(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
		})
	}
	if _, err := open(t, with(p12.settings(), "scopes", "openid roster.readonly"), secrets()).Test(context.Background()); err != nil {
		t.Fatalf("with the scope: %v", err)
	}
	if _, err := Kind().NewSource(p12.settings(), nil); err == nil || !strings.Contains(err.Error(), "The client secret is not stored on this computer") {
		t.Fatalf("no secret: %v", err)
	}
}

// TestWithoutDemographics stages a provider that does not offer demographics (an optional service).
func TestWithoutDemographics(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{noDemographics: true})
	got, pkg := stage(t, open(t, p.settings(), secrets()), connector.Pull{})
	if pkg.Mode(roster.Demographics) != oneroster.ModeAbsent || len(got[roster.Users]) != p.users {
		t.Fatalf("demographics %s, %d users", pkg.Mode(roster.Demographics), len(got[roster.Users]))
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{throttleFirst: 1, retryAfter: "1"})
	start := time.Now()
	if _, err := open(t, p.settings(), secrets()).Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("retried after %v; the provider asked for 1s", d)
	}
}

func TestGivesUpAfterBoundedTries(t *testing.T) {
	for name, q := range map[string]quirks{
		"429":     {throttleFirst: 1000, retryAfter: "0"},
		"dropped": {everyDrop: 1},
	} {
		t.Run(name, func(t *testing.T) {
			p := newProvider(t, "1.2", false, 60, q)
			_, err := open(t, p.settings(), secrets()).Test(context.Background())
			want := map[string]string{"429": "still asked Rosterdesk to slow down (HTTP 429) after 5 tries",
				"dropped": "cannot reach " + strings.TrimPrefix(p.srv.URL, "http://") + ": the connection broke off in the middle of an answer"}[name]
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("want %q, got %v", want, err)
			}
			if n := len(p.seen()); n != maxTries {
				t.Fatalf("%d tries, want %d", n, maxTries)
			}
		})
	}
}

func TestCancelStopsAWait(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{throttleFirst: 1000, retryAfter: "30"})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := open(t, p.settings(), secrets()).Stage(ctx, t.TempDir(), connector.Pull{}, events.Discard)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("after %v: %v", time.Since(start), err)
	}
}

func TestSchoolScopedPull(t *testing.T) {
	for _, tc := range []struct {
		version string
		oauth1  bool
	}{{"1.2", false}, {"1.1", true}} {
		t.Run(tc.version, func(t *testing.T) {
			p := newProvider(t, tc.version, tc.oauth1, 1100, quirks{}) // two schools
			var reports []events.Progress
			path, err := open(t, p.settings(), secrets()).Stage(context.Background(), t.TempDir(), connector.Pull{Schools: []string{"org-0001"}},
				events.ReporterFunc(func(pr events.Progress) { reports = append(reports, pr) }))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := readPackage(t, path)
			all, _ := districtRecords(t, 1100, 1)
			atSchool := func(recs []roster.Record) map[string]bool {
				ids := map[string]bool{}
				for _, r := range recs {
					if r.Get("schoolSourcedId") == "org-0001" {
						ids[r.SourcedID()] = true
					}
				}
				return ids
			}
			for _, e := range []roster.Entity{roster.Classes, roster.Enrollments} {
				if g, w := ids(got[e]), atSchool(all[e]); !maps.Equal(g, w) || len(w) == 0 {
					t.Errorf("%s: staged %d, the school has %d", e, len(g), len(w))
				}
			}
			// The users: those enrolled at the school, and those holding a role there (guardians).
			wantUsers := map[string]bool{}
			for _, r := range all[roster.Enrollments] {
				if r.Get("schoolSourcedId") == "org-0001" {
					wantUsers[r.Get("userSourcedId")] = true
				}
			}
			for _, r := range all[roster.Roles] {
				if r.Get("orgSourcedId") == "org-0001" {
					wantUsers[r.Get("userSourcedId")] = true
				}
			}
			if g := ids(got[roster.Users]); !maps.Equal(g, wantUsers) {
				t.Errorf("staged %d users, want %d", len(g), len(wantUsers))
			}
			if g := ids(got[roster.Demographics]); len(g) == 0 || !subset(g, wantUsers) {
				t.Errorf("demographics of other schools' students were staged")
			}
			if g, w := len(got[roster.Courses]), len(all[roster.Courses]); g != w {
				t.Errorf("staged %d courses, want all %d", g, w)
			}
			var paths []string
			for _, u := range p.seen() {
				paths = append(paths, strings.TrimPrefix(u.Path, prefixes[tc.version]))
			}
			for _, want := range []string{"/schools/org-0001/classes", "/schools/org-0001/enrollments"} {
				if !slices.Contains(paths, want) {
					t.Errorf("no request for %s in %v", want, paths)
				}
			}
			if slices.Contains(paths, "/classes") || slices.Contains(paths, "/enrollments") || slices.Contains(paths, "/schools/org-0002/classes") {
				t.Errorf("the pull read more than the school: %v", paths)
			}
			if len(reports) == 0 || reports[len(reports)-1].Unit != "records" || !strings.HasPrefix(reports[0].Stage, "downloading ") {
				t.Errorf("progress %+v", reports)
			}
		})
	}
}

func ids(recs []roster.Record) map[string]bool {
	out := map[string]bool{}
	for _, r := range recs {
		out[r.SourcedID()] = true
	}
	return out
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestDeltaPull(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{})
	const later = "2026-03-01T08:30:00.000Z"
	p.touch("users", later, "active", "usr-000001", "usr-t-00001")
	p.touch("users", later, "tobedeleted", "usr-000002")
	p.touch("enrollments", later, "active", "enr-000001-0")
	p.touch("orgs", later, "active", "org-0001")
	src := open(t, p.settings(), secrets())

	since := time.Date(2026, 2, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	got, pkg := stage(t, src, connector.Pull{Since: since})
	if pkg.Mode(roster.Users) != oneroster.ModeDelta || pkg.Mode(roster.Classes) != oneroster.ModeAbsent {
		t.Fatalf("users %s, classes %s: want a delta package", pkg.Mode(roster.Users), pkg.Mode(roster.Classes))
	}
	status := map[string]string{}
	for _, e := range roster.Entities {
		for _, r := range got[e] {
			status[r.SourcedID()] = string(r.Status()) + " " + r.DateLastModified()
		}
	}
	want := map[string]string{"usr-000001": "active " + later, "usr-t-00001": "active " + later, "usr-000002": "tobedeleted " + later,
		"usr-000001-org-0001": "active " + later, "usr-t-00001-org-0001": "active " + later, "usr-000002-org-0001": "tobedeleted " + later,
		"enr-000001-0": "active " + later, "org-0001": "active " + later}
	if !maps.Equal(status, want) {
		t.Fatalf("staged %v\nwant %v", status, want)
	}
	for _, u := range p.seen() {
		if !strings.Contains(u.RawQuery, "filter=dateLastModified%3E%272026-01-31T23%3A00%3A00Z%27") {
			t.Fatalf("a delta request without the filter: %s", u)
		}
	}

	// A full pull leaves the deleted user out: a bulk file has no status to say so.
	got, _ = stage(t, src, connector.Pull{})
	if users := ids(got[roster.Users]); users["usr-000002"] || !users["usr-000001"] {
		t.Fatal("a bulk package holds a user the provider deleted")
	}
}

func TestLenientJSON(t *testing.T) {
	var user, class map[string]json.RawMessage
	json.Unmarshal([]byte(`{"sourcedId":"u1","status":"active","dateLastModified":"2026-02-03T04:05:06+01:00","enabledUser":"1",
		"givenName":"Ana","familyName":"López","grades":"09, 10","userIds":[{"type":"LDAP","identifier":"ana"}],"agents":null,
		"primaryOrg":"s1","preferredFirstName":"Annie","metadata":{"house":"Blue","age":15,"deep":{"x":1},"gone":null},
		"roles":[{"roleType":"primary","role":"student","org":{"href":"x","sourcedId":"s1","type":"org"},"beginDate":"2026-08-17T00:00:00Z"},
		         {"role":"aide","org":{"sourcedId":"s2"}}]}`), &user)
	json.Unmarshal([]byte(`{"sourcedId":101,"title":"Math","course":{"sourcedId":"c1"},"school":{"sourcedId":"s1"},"classType":"scheduled",
		"terms":{"sourcedId":"t1"},"periods":[1,2],"subjects":null}`), &class)
	u := toRecord(roster.Users, user)
	for col, want := range map[string]string{"enabledUser": "true", "grades": "09,10", "userIds": "{LDAP:ana}", "agentSourcedIds": "",
		"primaryOrgSourcedId": "s1", "preferredGivenName": "Annie", "dateLastModified": "2026-02-03T03:05:06.000Z", "familyName": "López"} {
		if got := u.Get(col); got != want {
			t.Errorf("users.%s = %q, want %q", col, got, want)
		}
	}
	if fmt.Sprint(u.Metadata) != "[{age 15} {house Blue}]" {
		t.Errorf("metadata %v", u.Metadata)
	}
	roles := rolesOf(user)
	if want := []userRole{{roleType: "primary", role: "student", org: "s1", begin: "2026-08-17"}, {roleType: "secondary", role: "aide", org: "s2"}}; !slices.Equal(roles, want) {
		t.Errorf("roles %+v", roles)
	}
	c := toRecord(roster.Classes, class)
	for col, want := range map[string]string{"sourcedId": "101", "courseSourcedId": "c1", "termSourcedIds": "t1", "periods": "1,2", "subjects": ""} {
		if got := c.Get(col); got != want {
			t.Errorf("classes.%s = %q, want %q", col, got, want)
		}
	}
	var user11 map[string]json.RawMessage
	json.Unmarshal([]byte(`{"sourcedId":"u2","role":"administrator","orgs":[{"sourcedId":"s1"},{"sourcedId":"s2"}],"enabledUser":0}`), &user11)
	if roles := rolesOf(user11); len(roles) != 2 || roles[0] != (userRole{roleType: "primary", role: "siteAdministrator", org: "s1"}) || roles[1].roleType != "secondary" {
		t.Errorf("1.1 roles %+v", roles)
	}
	if got := toRecord(roster.Users, user11).Get("enabledUser"); got != "false" {
		t.Errorf("enabledUser 0 read as %q", got)
	}
}

// TestSignatureBase checks the base string against the example of RFC 5849 §3.4.1.1 (body
// parameters and a token included, which OneRoster requests do not have).
func TestSignatureBase(t *testing.T) {
	u, _ := url.Parse("http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	q, _ := url.ParseQuery(u.RawQuery)
	params := [][2]string{{"c2", ""}, {"a3", "2 q"}, {"oauth_consumer_key", "9djdj82h48djs9d2"}, {"oauth_token", "kkk9d7dh3k39sjv7"},
		{"oauth_signature_method", "HMAC-SHA1"}, {"oauth_timestamp", "137131201"}, {"oauth_nonce", "7d8f3e4a"}}
	for k, vs := range q {
		for _, v := range vs {
			params = append(params, [2]string{k, v})
		}
	}
	want := "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26" +
		"oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26" +
		"oauth_token%3Dkkk9d7dh3k39sjv7"
	if got := signatureBase("post", u, params); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestSettings(t *testing.T) {
	base := map[string]string{"baseUrl": "https://sis.example.org", "clientId": "c", "tokenUrl": "https://sis.example.org/oauth/token"}
	for _, raw := range []string{"https://sis.example.org/", "https://sis.example.org/ims/oneroster/rostering/v1p2", "https://sis.example.org/ims/oneroster/rostering/v1p2/"} {
		c, err := parseConfig(with(base, "baseUrl", raw))
		if err != nil || c.root.String() != "https://sis.example.org/ims/oneroster/rostering/v1p2" || c.pageSize != 100 || c.oauth1 {
			t.Errorf("%s: %v %v", raw, c.root, err)
		}
	}
	c, err := parseConfig(with(base, "version", "1.1", "auth", "oauth1", "tokenUrl", "", "baseUrl", "https://sis.example.org/api/ims/oneroster/v1p1"))
	if err != nil || c.root.String() != "https://sis.example.org/api/ims/oneroster/v1p1" || !c.oauth1 {
		t.Errorf("1.1: %v %v", c.root, err)
	}
	for _, tc := range []struct{ settings map[string]string }{
		{with(base, "tokenUrl", "")},
		{with(base, "baseUrl", "http://sis.example.org")},
		{with(base, "baseUrl", "sis.example.org")},
		{with(base, "baseUrl", "https://sis.example.org/ims/oneroster/v1p1")},
		{with(base, "pageSize", "0")},
		{with(base, "pageSize", "lots")},
	} {
		if _, err := Kind().Normalize(connector.RoleSource, tc.settings); err == nil {
			t.Errorf("%v accepted", tc.settings)
		}
	}
	if _, err := Kind().Normalize(connector.RoleSource, with(base, "baseUrl", "http://localhost:8080")); err != nil {
		t.Errorf("localhost refused: %v", err)
	}
}

// BenchmarkStage stages a district of 10,000 students from the test provider.
func BenchmarkStage(b *testing.B) {
	p := newProvider(b, "1.2", false, 10000, quirks{})
	src := open(b, p.settings(), secrets())
	records := 0 // what one stage writes: every served record, and the roles inside users
	for _, list := range p.data {
		for _, it := range list {
			records += 1 + len(it.roles)
		}
	}
	runs, start := 0, time.Now()
	for b.Loop() {
		if _, err := src.Stage(context.Background(), b.TempDir(), connector.Pull{}, events.Discard); err != nil {
			b.Fatal(err)
		}
		runs++
	}
	b.ReportMetric(float64(records*runs)/time.Since(start).Seconds(), "records/s")
}
