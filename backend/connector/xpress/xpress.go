// Package xpress is the xpress connection kind: an xPress Roster service (the A4L/SIF rostering API
// many US regional data centres run). Rosterdesk signs in (OAuth 2, or the login form RIC One-style
// services use), pages through the x-objects and maps them into a OneRoster 1.2 CSV package (see
// mapping.go), so the rest of the app never sees xPress.
package xpress

import (
	"context"
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// Sign-in methods.
const (
	signInOAuth = "oauth2" // an OAuth 2 token endpoint (password or client-credentials grant)
	signInLogin = "login"  // a form POST of username and password answering {token, endpoint: [{name, href}]}
)

// defaultAPIKeyHeader is where the API key goes when the connection names no header. No xPress
// material documents one; API gateways in front of such services commonly read this one.
const defaultAPIKeyHeader = "x-api-key"

// tchars are the characters of an HTTP header name (RFC 9110 token).
const tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Kind is the xpress declaration.
func Kind() connector.Kind {
	return connector.Kind{
		Name:  "xpress",
		Label: "xPress Roster",
		Roles: []string{connector.RoleSource},
		Delta: true, // asks with changesSinceMarker
		Options: []connector.Option{
			{Key: "baseUrl", Label: "Service base URL", Type: connector.TypeText,
				Help: "The xPress Roster address your SIS vendor or regional data centre gave you, e.g. https://xpress.example.org/api/v1. Rosterdesk adds /xStudents and the like to it. With the login sign-in method you may leave it blank: the login answer says where the data is."},
			{Key: "auth", Label: "Sign-in method", Type: connector.TypeChoice, Default: signInOAuth, Choices: []string{signInOAuth, signInLogin},
				Help: "oauth2: Rosterdesk gets an OAuth 2 token at the token URL. login: the sign-in form of RIC One and similar services: Rosterdesk posts the username and password (without a username: the client id and secret) to the login URL."},
			{Key: "tokenUrl", Label: "Token or login URL", Type: connector.TypeText, Required: true,
				Help: "Where Rosterdesk signs in, from the same provider: the OAuth token URL (e.g. https://auth.example.org/oauth/token), or the login URL for the login sign-in method."},
			{Key: "clientId", Label: "Client id", Type: connector.TypeText,
				Help: "The client (application) id your provider issued for Rosterdesk. Needed for oauth2; for login, needed unless you sign in with a username."},
			{Key: "username", Label: "Username", Type: connector.TypeText,
				Help: "Only if your provider gave you a username and password to sign in with. Leave blank to sign in with the client id and secret alone."},
			{Key: "schoolYear", Label: "School year", Type: connector.TypeText,
				Help: "The school year to fetch, written as the year it ends (2026 for 2025–26). Leave blank for the year your provider serves by default."},
			{Key: "apiKeyHeader", Label: "API key header", Type: connector.TypeText, Default: defaultAPIKeyHeader,
				Help: "Only used with an API key: the name of the request header your provider reads it from. Leave x-api-key unless your provider names another."},
			{Key: "apiKey", Label: "API key", Type: connector.TypeSecret,
				Help: "Only if your provider issued an API key as well; Rosterdesk then sends it with every request, in the API key header. Kept in this computer's keychain."},
			{Key: "clientSecret", Label: "Client secret", Type: connector.TypeSecret,
				Help: "The secret that goes with the client id (needed unless you sign in with a username and password). Kept in this computer's keychain, never in the workspace."},
			{Key: "password", Label: "Password", Type: connector.TypeSecret,
				Help: "The password for the username above, if you use one. Kept in this computer's keychain."},
		},
		Check: func(_ string, s map[string]string) error {
			login := s["auth"] == signInLogin
			if s["baseUrl"] == "" && !login {
				return apperr.New(apperr.CodeInvalid, "Service base URL is required (setting \"baseUrl\"): the xPress Roster address your provider gave you. Only the login sign-in method can do without it.")
			}
			if s["baseUrl"] != "" {
				if _, err := connector.WebAddress("The service base URL", s["baseUrl"]); err != nil {
					return err
				}
			}
			if _, err := connector.WebAddress("The token or login URL", s["tokenUrl"]); err != nil {
				return err
			}
			if s["clientId"] == "" && (!login || s["username"] == "") {
				return apperr.New(apperr.CodeInvalid, "Client id is required (setting \"clientId\"): your provider issued it with the secret. With the login sign-in method, a username does instead.")
			}
			if y := s["schoolYear"]; y != "" && (len(y) != 4 || strings.Trim(y, "0123456789") != "") {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The school year must be four digits, the year it ends (e.g. 2026), not %q.", y))
			}
			if h := s["apiKeyHeader"]; h != "" && strings.Trim(h, tchars) != "" {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The API key header %q is not a header name: write it as your provider gives it, letters, digits and dashes only (e.g. x-api-key).", h))
			}
			return nil
		},
		NewSource: newSource,
	}
}

type source struct {
	baseURL, tokenURL, clientID, username, schoolYear string
	login                                             bool
	apiKeyHeader                                      string
	apiKey, clientSecret, password                    string
}

var _ connector.Source = (*source)(nil)

func newSource(s, secrets map[string]string) (connector.Source, error) {
	src := &source{baseURL: strings.TrimRight(s["baseUrl"], "/"), tokenURL: s["tokenUrl"], clientID: s["clientId"], username: s["username"],
		schoolYear: s["schoolYear"], login: s["auth"] == signInLogin, apiKeyHeader: s["apiKeyHeader"],
		apiKey: secrets["apiKey"], clientSecret: secrets["clientSecret"], password: secrets["password"]}
	if src.apiKeyHeader == "" { // a connection saved before the setting existed
		src.apiKeyHeader = defaultAPIKeyHeader
	}
	switch {
	case src.username != "" && src.password == "":
		return nil, missingSecret("password")
	case src.username == "" && src.clientSecret == "":
		return nil, missingSecret("client secret")
	}
	return src, nil
}

func missingSecret(what string) error {
	return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The %s of this xPress connection is not stored on this computer. Re-enter it in the connection's settings, then test again.", what))
}

// Stage pulls the xPress objects into a OneRoster 1.2 ZIP in dir: a bulk package, or with pull.Since
// a delta of the objects changed since then. pull.Schools uses the school-scoped paths
// (xSchools/{refId}/xRosters, xStudents, xStaffs).
func (s *source) Stage(ctx context.Context, dir string, pull connector.Pull, rep events.Reporter) (string, error) {
	c, err := s.connect(ctx)
	if err != nil {
		return "", err
	}
	return stage(ctx, c, dir, pull, rep)
}

// Test signs in and reads the first page of xLeas.
func (s *source) Test(ctx context.Context) (string, error) {
	c, err := s.connect(ctx)
	if err != nil {
		return "", err
	}
	p, err := c.page(ctx, "xLeas", "", 1)
	if err != nil {
		return "", err
	}
	noun := "districts"
	if len(p.items) == 1 {
		noun = "district"
	}
	return fmt.Sprintf("Connected to %s: xPress Roster answered with %d %s.", c.host, len(p.items), noun), nil
}
