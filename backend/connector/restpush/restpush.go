// Package restpush is the rest-push connection kind: a SIS's or a service's own REST API that takes
// records one at a time as JSON (the mapped records of an export), POSTed when new, PUT when changed
// and DELETEd when gone, signed in with OAuth 2 client credentials or an API key.
package restpush

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Kind is the rest-push declaration.
func Kind() connector.Kind {
	return connector.Kind{
		Name:  "rest-push",
		Label: "REST API (push)",
		Roles: []string{connector.RoleTarget},
		Options: []connector.Option{
			{Key: "baseUrl", Label: "Base URL", Type: connector.TypeText, Required: true,
				Help: "The web address of the system's API, e.g. https://sis.example.org. The addresses under Endpoints are added to it."},
			{Key: "auth", Label: "Sign-in method", Type: connector.TypeChoice, Default: "oauth2", Choices: []string{"oauth2", "apikey"},
				Help: "oauth2: a client ID and secret exchanged for a token (most APIs). apikey: a single key sent with every request. The API's documentation says which it uses."},
			{Key: "tokenUrl", Label: "Token URL", Type: connector.TypeText,
				Help: "Needed for oauth2: the address where Rosterdesk gets its access token. It is in the API's documentation and often ends in /token."},
			{Key: "clientId", Label: "Client ID", Type: connector.TypeText,
				Help: "Needed for oauth2: the client ID the system issued for Rosterdesk."},
			{Key: "scopes", Label: "Scopes", Type: connector.TypeText,
				Help: "Only if the API asks for them: the scopes to request, separated by spaces."},
			{Key: "endpoints", Label: "Endpoints", Type: connector.TypeText, Required: true, Multiline: true,
				Help: `Where each kind of record goes, as a JSON object of roster entity and address under the base URL, e.g. {"users": "/api/v1/students", "classes": "/api/v1/sections"}. ` +
					"Records of entities not listed are not sent."},
			{Key: "apiKeyHeader", Label: "API key header", Type: connector.TypeText, Default: "X-API-Key",
				Help: "For apikey: the name of the header that carries the key. X-API-Key unless the API's documentation names another."},
			{Key: "clientSecret", Label: "Client secret", Type: connector.TypeSecret,
				Help: "For oauth2: the secret that goes with the client ID. It is kept in this computer's keychain, never in the workspace."},
			{Key: "apiKey", Label: "API key", Type: connector.TypeSecret,
				Help: "For apikey: the key the system issued for Rosterdesk. It is kept in this computer's keychain, never in the workspace."},
		},
		Check: func(_ string, s map[string]string) error {
			_, err := parseConfig(s)
			return err
		},
		NewRecordTarget: newTarget,
	}
}

// config is a connection's settings, checked.
type config struct {
	base      string // the base URL without a trailing slash
	host      string
	oauth2    bool
	tokenURL  string
	tokenHost string
	clientID  string
	scopes    []string
	keyHeader string
	endpoints map[string]string // entity → path
}

func invalid(format string, args ...any) error {
	return apperr.New(apperr.CodeInvalid, fmt.Sprintf(format, args...))
}

func parseConfig(s map[string]string) (config, error) {
	c := config{clientID: s["clientId"], scopes: strings.Fields(s["scopes"]), keyHeader: cmp.Or(s["apiKeyHeader"], "X-API-Key")}
	base, err := connector.ServiceAddress("Base URL", s["baseUrl"], false)
	if err != nil {
		return c, err
	}
	c.base, c.host = strings.TrimRight(base.String(), "/"), base.Host
	switch auth := cmp.Or(s["auth"], "oauth2"); auth {
	case "oauth2":
		c.oauth2 = true
		if s["tokenUrl"] == "" {
			return c, invalid("Token URL is required when signing in with oauth2 (setting \"tokenUrl\"); the API's documentation gives it.")
		}
		tok, err := connector.ServiceAddress("Token URL", s["tokenUrl"], true)
		if err != nil {
			return c, err
		}
		c.tokenURL, c.tokenHost = tok.String(), tok.Host
		if c.clientID == "" {
			return c, invalid("Client ID is required when signing in with oauth2 (setting \"clientId\").")
		}
	case "apikey":
		if !headerName(c.keyHeader) {
			return c, invalid("API key header %q is not a header name: use letters, digits and dashes only, e.g. X-API-Key.", c.keyHeader)
		}
	default:
		return c, invalid("Sign-in method must be oauth2 or apikey, not %q", auth)
	}
	c.endpoints, err = parseEndpoints(s["endpoints"])
	return c, err
}

// headerName says whether h is an HTTP header name (RFC 9110 token).
func headerName(h string) bool {
	return h != "" && !strings.ContainsFunc(h, func(r rune) bool {
		return r > 127 || !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))
	})
}

// parseEndpoints reads the endpoints setting: a JSON object of roster entity → path under the base URL.
func parseEndpoints(raw string) (map[string]string, error) {
	const example = `e.g. {"users": "/api/v1/students"}`
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			line, col := position(raw, max(syntax.Offset-1, 0)) // Offset counts the offending byte
			return nil, invalid("Endpoints is not valid JSON at line %d, column %d (%s); write it as an object of entity and path, %s.", line, col, syntax.Error(), example)
		}
		return nil, invalid("Endpoints must be a JSON object of entity and path, %s.", example)
	}
	if len(doc) == 0 {
		return nil, invalid("Endpoints names no entity; give the address of at least one, %s.", example)
	}
	known := make([]string, len(roster.Entities))
	for i, e := range roster.Entities {
		known[i] = string(e)
	}
	out := map[string]string{}
	for entity, v := range doc {
		if !slices.Contains(known, entity) {
			return nil, invalid("Endpoints names %q, which is not a roster entity; use one of %s.", entity, strings.Join(known, ", "))
		}
		var p string
		if err := json.Unmarshal(v, &p); err != nil {
			return nil, invalid("The %s endpoint must be a path in quotes, e.g. \"/api/v1/%s\", not %s.", entity, entity, bytes.TrimSpace(v))
		}
		u, err := url.Parse(p)
		if err != nil || !strings.HasPrefix(p, "/") || u.Host != "" || u.RawQuery != "" || u.Fragment != "" || strings.Contains(p, "?") || strings.Contains(p, "#") {
			return nil, invalid("The %s endpoint %q must be a path under the base URL starting with /, without ? or #, e.g. \"/api/v1/%s\".", entity, p, entity)
		}
		out[entity] = strings.TrimRight(p, "/")
	}
	return out, nil
}

// position turns a byte offset in text into a line and column, both from 1.
func position(text string, offset int64) (line, col int) {
	before := text[:min(int(offset), len(text))]
	line = strings.Count(before, "\n") + 1
	return line, len([]rune(before[strings.LastIndex(before, "\n")+1:])) + 1
}

// workers is how many requests are in flight at once: enough to hide the API's latency, few
// enough not to look like an attack to it.
const workers = 8

// requestTimeout bounds one request, answer included, so an API that accepts a request and then
// says nothing fails it (and it is retried) instead of hanging the export. Tests shorten it.
var requestTimeout = time.Minute

// target pushes to one API.
type target struct {
	config
	http  *http.Client
	creds *credentials
	gate  gate
}

var _ connector.RecordTarget = (*target)(nil)

func newTarget(settings, secrets map[string]string) (connector.RecordTarget, error) {
	c, err := parseConfig(settings)
	if err != nil {
		return nil, err
	}
	tr := retry.Web.Transport()
	tr.MaxIdleConnsPerHost = workers // the default 2 would open and close connections all the time
	t := &target{config: c, http: &http.Client{Transport: tr, Timeout: requestTimeout}}
	if c.oauth2 {
		if secrets["clientSecret"] == "" {
			return nil, invalid("The client secret is not stored on this computer; enter it again in the connection's settings.")
		}
		t.creds = &credentials{http: t.http, cc: &clientcredentials.Config{ClientID: c.clientID, ClientSecret: secrets["clientSecret"],
			TokenURL: c.tokenURL, Scopes: c.scopes, AuthStyle: oauth2.AuthStyleInHeader}}
	} else {
		if secrets["apiKey"] == "" {
			return nil, invalid("The API key is not stored on this computer; enter it again in the connection's settings.")
		}
		t.creds = &credentials{header: c.keyHeader, key: secrets["apiKey"]}
	}
	return t, nil
}

// Endpoints lists the entities the endpoints setting names, in roster order.
func (t *target) Endpoints() []string {
	var out []string
	for _, e := range roster.Entities {
		if _, ok := t.endpoints[string(e)]; ok {
			out = append(out, string(e))
		}
	}
	return out
}
