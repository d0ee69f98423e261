package restpush

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
)

func TestMain(m *testing.M) {
	retryBase = time.Millisecond // retried failures cost no time; Retry-After is still honoured
	os.Exit(m.Run())
}

const (
	clientID     = "rosterdesk"
	clientSecret = "s3cret"
	apiKey       = "k-123"
)

// oauthSettings reach srv with OAuth 2 and the users and classes endpoints.
func oauthSettings(url string) map[string]string {
	return map[string]string{"baseUrl": url, "tokenUrl": url + pushtest.TokenPath, "clientId": clientID,
		"endpoints": `{"users": "/api/v1/students", "classes": "/api/v1/sections"}`}
}

func keySettings(url string) map[string]string {
	return map[string]string{"baseUrl": url, "auth": "apikey", "endpoints": `{"users": "/api/v1/students", "classes": "/api/v1/sections"}`}
}

var secrets = map[string]string{"clientSecret": clientSecret, "apiKey": apiKey}

func with(m map[string]string, kv ...string) map[string]string {
	out := maps.Clone(m)
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// open makes the target the way the app does: settings normalised by the kind, then NewRecordTarget.
func open(t testing.TB, settings map[string]string) *target {
	t.Helper()
	normalized, err := Kind().Normalize(connector.RoleTarget, settings)
	if err != nil {
		t.Fatalf("settings refused: %v", err)
	}
	tg, err := Kind().NewRecordTarget(normalized, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return tg.(*target)
}

func TestConformance(t *testing.T) {
	paths := map[string]string{"users": "/api/v1/students", "classes": "/api/v1/sections"}
	for _, tc := range []struct {
		name     string
		settings func(url string) map[string]string
		broken   []string
		failure  string
	}{
		{"oauth2", oauthSettings, []string{"clientId", "someone-else"}, "refused the client ID or secret (401)"},
		{"apikey", keySettings, []string{"apiKeyHeader", "X-Other-Key"}, "refused Rosterdesk's credentials (401)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			connectortest.RunRecords(t, Kind(), func(t *testing.T) connectortest.RecordEndpoint {
				srv := pushtest.New(pushtest.Options{ClientID: clientID, ClientSecret: clientSecret, APIKey: apiKey, KeyField: "id"})
				t.Cleanup(srv.Close)
				return connectortest.RecordEndpoint{
					Settings: tc.settings(srv.URL), Secrets: secrets,
					Broken: with(tc.settings(srv.URL), tc.broken...), Failure: tc.failure,
					Stored: func(entity string) []string { return slices.Sorted(maps.Keys(srv.Records(paths[entity]))) },
				}
			})
		})
	}
}

func TestSettings(t *testing.T) {
	base := oauthSettings("https://sis.example.org")
	for _, tc := range []struct {
		name     string
		settings map[string]string
		refused  string // part of the message; blank: accepted
	}{
		{"oauth2", base, ""},
		{"api key", keySettings("https://sis.example.org/district42/"), ""},
		{"endpoints over lines, CRLF", with(base, "endpoints", "{\r\n  \"users\": \"/students\",\r\n  \"orgs\": \"/schools/\"\r\n}\r\n"), ""},
		{"no token URL", with(base, "tokenUrl", ""), "Token URL is required"},
		{"no client ID", with(base, "clientId", ""), "Client ID is required"},
		{"plain http to another computer", with(base, "baseUrl", "http://sis.example.org"), "must start with https://"},
		{"query in base URL", with(base, "baseUrl", "https://sis.example.org/?district=4"), "must not contain ? or #"},
		{"bad JSON, line and column", with(base, "endpoints", "{\n  \"users\": \"/students\",\n  \"classes\" \"/sections\"\n}"),
			"Endpoints is not valid JSON at line 3, column 13"},
		{"trailing comma", with(base, "endpoints", `{"users": "/students",}`), "at line 1, column 23"},
		{"not an object", with(base, "endpoints", `["users"]`), "must be a JSON object"},
		{"empty", with(base, "endpoints", `{}`), "names no entity"},
		{"unknown entity", with(base, "endpoints", `{"students": "/students"}`),
			`names "students", which is not a roster entity; use one of orgs, academicSessions, courses, classes, users, roles, demographics, enrollments`},
		{"path not text", with(base, "endpoints", `{"users": 12}`), "The users endpoint must be a path in quotes"},
		{"path without slash", with(base, "endpoints", `{"users": "api/students"}`), "must be a path under the base URL starting with /"},
		{"path with a query", with(base, "endpoints", `{"users": "/students?active=1"}`), "without ? or #"},
		{"full address as path", with(base, "endpoints", `{"users": "https://other.example.org/students"}`), "starting with /"},
		{"bad header", with(keySettings("https://sis.example.org"), "apiKeyHeader", "X API Key"), "is not a header name"},
		{"unknown auth", with(base, "auth", "basic"), "must be one of oauth2, apikey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Kind().Normalize(connector.RoleTarget, tc.settings)
			switch {
			case tc.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.refused != "" && (err == nil || !strings.Contains(err.Error(), tc.refused)):
				t.Fatalf("got %v, want a refusal saying %q", err, tc.refused)
			}
		})
	}
}

func TestKindAndEndpoints(t *testing.T) {
	k := Kind()
	if k.Name != "rest-push" || !slices.Equal(k.Roles, []string{connector.RoleTarget}) || k.NewSource != nil || k.NewTarget != nil || k.NewRecordTarget == nil {
		t.Fatalf("declaration: %+v", k)
	}
	if got := k.SecretKeys(); !slices.Equal(got, []string{"clientSecret", "apiKey"}) {
		t.Fatalf("secrets %v", got)
	}
	tg := open(t, with(oauthSettings("https://sis.example.org/"), "endpoints", `{"users": "/students/", "orgs": "/schools", "classes": "/sections"}`))
	if got := tg.Endpoints(); !slices.Equal(got, []string{"orgs", "classes", "users"}) {
		t.Fatalf("endpoints %v, want roster order", got)
	}
	for _, tc := range []struct {
		push         connector.Push
		method, addr string
	}{
		{connector.Push{Entity: "users", Action: connector.PushCreate}, "POST", "https://sis.example.org/students"},
		{connector.Push{Entity: "users", Action: connector.PushUpdate, Key: "a/b c"}, "PUT", "https://sis.example.org/students/a%2Fb%20c"},
		{connector.Push{Entity: "orgs", Action: connector.PushDelete, Key: "HS-1"}, "DELETE", "https://sis.example.org/schools/HS-1"},
	} {
		if method, addr := tg.Address(tc.push); method != tc.method || addr != tc.addr {
			t.Errorf("%+v goes to %s %s, want %s %s", tc.push, method, addr, tc.method, tc.addr)
		}
	}
	// A secret that is not stored is named.
	normalized, _ := k.Normalize(connector.RoleTarget, keySettings("https://sis.example.org"))
	if _, err := k.NewRecordTarget(normalized, map[string]string{"clientSecret": "x"}); err == nil || !strings.Contains(err.Error(), "The API key is not stored") {
		t.Fatalf("got %v", err)
	}
}

func TestAPIMessages(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"message": "email is not valid"}`, "email is not valid"},
		{`{"error": "invalid_request", "error_description": "grade must be a number"}`, "grade must be a number"},
		{`{"error": {"code": 42, "message": "duplicate student number"}}`, "duplicate student number"},
		{`{"type": "about:blank", "title": "Unprocessable Entity", "detail": "birthDate is in the future"}`, "birthDate is in the future"},
		{`{"errors": ["first name is required", "grade is unknown"]}`, "first name is required; grade is unknown"},
		{`{"message": "Validation failed", "errors": [{"field": "email", "message": "is not valid"}]}`, "Validation failed: email: is not valid"},
		{`{"errors": {"email": ["is taken"], "grade": ["is unknown"]}}`, "email: is taken; grade: is unknown"},
		{"Bad Request\r\n  the body   was empty", "Bad Request the body was empty"},
		{``, ""},
		{strings.Repeat("é", 600), strings.Repeat("é", maxMessage) + "…"},
	} {
		if got := apiMessage([]byte(tc.body)); got != tc.want {
			t.Errorf("%.40q: got %q, want %q", tc.body, got, tc.want)
		}
	}
}
