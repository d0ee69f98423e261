// Package rest is the oneroster-rest connection kind: a OneRoster 1.1 or 1.2 REST API of a SIS or a
// rostering service. Stage reads it page by page and writes what it got as a OneRoster CSV ZIP, so an
// import later applies exactly what was fetched and reviewed, like any other source.
package rest

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// The path prefixes of the two OneRoster versions' rostering services.
var prefixes = map[string]string{"1.1": "/ims/oneroster/v1p1", "1.2": "/ims/oneroster/rostering/v1p2"}

const maxPageSize = 10000

// requestTimeout bounds one request, body included, so a provider that trickles an answer fails the
// request (which is then retried) instead of hanging a fetch; one that says nothing fails sooner, by
// retry.Web's waits.
const requestTimeout = 2 * time.Minute

// Kind is the oneroster-rest declaration.
func Kind() connector.Kind {
	return connector.Kind{
		Name:  "oneroster-rest",
		Label: "OneRoster REST API",
		Roles: []string{connector.RoleSource},
		Delta: true, // asks with filter=dateLastModified>'…'
		Options: []connector.Option{
			{Key: "baseUrl", Label: "Base URL", Type: connector.TypeText, Required: true,
				Help: "The web address of your provider's OneRoster API, e.g. https://sis.example.org. You may leave out the part starting with /ims/oneroster; Rosterdesk adds it."},
			{Key: "version", Label: "OneRoster version", Type: connector.TypeChoice, Default: "1.2", Choices: []string{"1.1", "1.2"},
				Help: "The OneRoster version your provider's API speaks. Their documentation says which; newer systems offer 1.2."},
			{Key: "auth", Label: "Sign-in method", Type: connector.TypeChoice, Default: "oauth2", Choices: []string{"oauth2", "oauth1"},
				Help: "oauth2 (a client id and secret exchanged for a token) suits almost every provider. Choose oauth1 only for an older OneRoster 1.1 provider that asks for signed requests."},
			{Key: "tokenUrl", Label: "Token URL", Type: connector.TypeText,
				Help: "Needed for oauth2: the address where Rosterdesk gets its access token. It is in your provider's API documentation and often ends in /token."},
			{Key: "clientId", Label: "Client ID", Type: connector.TypeText, Required: true,
				Help: "The client id (for oauth1: the consumer key) your provider issued for Rosterdesk."},
			{Key: "scopes", Label: "Scopes", Type: connector.TypeText,
				Help: "Only if your provider asks for them: the scopes to request, separated by spaces, e.g. https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly"},
			{Key: "pageSize", Label: "Records per page", Type: connector.TypeNumber, Default: "100",
				Help: "How many records Rosterdesk asks for at a time. 100 suits most providers; lower it if the provider is slow to answer."},
			{Key: "clientSecret", Label: "Client secret", Type: connector.TypeSecret,
				Help: "The secret (for oauth1: the consumer secret) that goes with the client id. It is kept in this computer's keychain, never in the workspace."},
		},
		Check: func(_ string, s map[string]string) error {
			_, err := parseConfig(s)
			return err
		},
		NewSource: newSource,
	}
}

// config is a connection's settings, checked.
type config struct {
	root     *url.URL // base URL plus the version's path prefix, without a trailing slash
	version  string
	oauth1   bool
	tokenURL string
	clientID string
	scopes   []string
	pageSize int
}

func invalid(format string, args ...any) error {
	return apperr.New(apperr.CodeInvalid, fmt.Sprintf(format, args...))
}

func parseConfig(s map[string]string) (config, error) {
	c := config{version: cmp.Or(s["version"], "1.2"), clientID: s["clientId"], scopes: strings.Fields(s["scopes"])}
	prefix, ok := prefixes[c.version]
	if !ok {
		return c, invalid("OneRoster version must be 1.1 or 1.2, not %q", c.version)
	}
	root, err := connector.ServiceAddress("Base URL", s["baseUrl"], false)
	if err != nil {
		return c, err
	}
	path := strings.TrimRight(root.Path, "/")
	for v, p := range prefixes {
		if v != c.version && strings.HasSuffix(path, p) {
			return c, invalid("The base URL ends with %s, which is the OneRoster %s API: set the version to %s, or remove that part of the address.", p, v, v)
		}
	}
	// A base URL copied from the provider's documentation often already holds the prefix.
	root.Path, root.RawPath = strings.TrimSuffix(path, prefix)+prefix, ""
	c.root = root
	switch auth := cmp.Or(s["auth"], "oauth2"); auth {
	case "oauth1":
		c.oauth1 = true
	case "oauth2":
		if s["tokenUrl"] == "" {
			return c, invalid("Token URL is required when signing in with oauth2 (setting \"tokenUrl\"); your provider's API documentation gives it.")
		}
		tok, err := connector.ServiceAddress("Token URL", s["tokenUrl"], true)
		if err != nil {
			return c, err
		}
		c.tokenURL = tok.String()
	default:
		return c, invalid("Sign-in method must be oauth2 or oauth1, not %q", auth)
	}
	if c.clientID == "" {
		return c, invalid("Client ID is required (setting \"clientId\")")
	}
	c.pageSize, err = strconv.Atoi(cmp.Or(s["pageSize"], "100"))
	if err != nil || c.pageSize < 1 || c.pageSize > maxPageSize {
		return c, invalid("Records per page must be a whole number from 1 to %d, not %q", maxPageSize, s["pageSize"])
	}
	return c, nil
}

// source reads one provider.
type source struct {
	config
	secret string
	waits  retry.Waits
	http   *http.Client
}

// client is an HTTP client with waits; tests shorten them.
func client(waits retry.Waits) *http.Client {
	return &http.Client{Transport: waits.Transport(), Timeout: requestTimeout}
}

var _ connector.Source = (*source)(nil)

func newSource(settings, secrets map[string]string) (connector.Source, error) {
	c, err := parseConfig(settings)
	if err != nil {
		return nil, err
	}
	if secrets["clientSecret"] == "" {
		return nil, invalid("The client secret is not stored on this computer; enter it again in the connection's settings.")
	}
	return &source{config: c, secret: secrets["clientSecret"], waits: retry.Web, http: client(retry.Web)}, nil
}

// Test signs in and reads the first organisation.
func (s *source) Test(ctx context.Context) (string, error) {
	sess := s.open(ctx, events.Discard)
	recs, err := sess.page(s.collection(string(roster.Orgs), "", url.Values{"limit": {"1"}, "offset": {"0"}}), string(roster.Orgs), "", false)
	if err != nil {
		return "", err
	}
	what := "organisations"
	if len(recs) == 1 {
		what = "organisation"
	}
	return fmt.Sprintf("Connected to %s (OneRoster %s): the API answered with %d %s on the first page.", s.root.Host, s.version, len(recs), what), nil
}
