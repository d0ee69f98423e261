// Package xpress is the xpress connection kind: an xPress Roster service (the A4L/SIF rostering API
// many US regional data centres run). Rosterdesk signs in with OAuth 2, pages through the x-objects
// and maps them into a OneRoster 1.2 CSV package (see mapping.go), so the rest of the app never sees
// xPress.
package xpress

import (
	"context"
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// Kind is the xpress declaration.
func Kind() connector.Kind {
	return connector.Kind{
		Name:  "xpress",
		Label: "xPress Roster",
		Roles: []string{connector.RoleSource},
		Options: []connector.Option{
			{Key: "baseUrl", Label: "Service base URL", Type: connector.TypeText, Required: true,
				Help: "The xPress Roster address your SIS vendor or regional data centre gave you, e.g. https://xpress.example.org/api/v1. Rosterdesk adds /xStudents and the like to it."},
			{Key: "tokenUrl", Label: "OAuth token URL", Type: connector.TypeText, Required: true,
				Help: "Where Rosterdesk signs in to get an access token, from the same provider, e.g. https://auth.example.org/oauth/token."},
			{Key: "clientId", Label: "Client id", Type: connector.TypeText, Required: true,
				Help: "The client (application) id your provider issued for Rosterdesk."},
			{Key: "username", Label: "Username", Type: connector.TypeText,
				Help: "Only if your provider gave you a username and password to sign in with. Leave blank to sign in with the client id and secret alone."},
			{Key: "schoolYear", Label: "School year", Type: connector.TypeText,
				Help: "The school year to fetch, written as the year it ends (2026 for 2025–26). Leave blank for the year your provider serves by default."},
			{Key: "apiKey", Label: "API key", Type: connector.TypeSecret,
				Help: "Only if your provider issued an API key as well; Rosterdesk sends it with every request. Kept in this computer's keychain."},
			{Key: "clientSecret", Label: "Client secret", Type: connector.TypeSecret,
				Help: "The secret that goes with the client id (needed unless you sign in with a username and password). Kept in this computer's keychain, never in the workspace."},
			{Key: "password", Label: "Password", Type: connector.TypeSecret,
				Help: "The password for the username above, if you use one. Kept in this computer's keychain."},
		},
		Check: func(_ string, s map[string]string) error {
			if _, err := connector.WebAddress("The service base URL", s["baseUrl"]); err != nil {
				return err
			}
			if _, err := connector.WebAddress("The OAuth token URL", s["tokenUrl"]); err != nil {
				return err
			}
			if y := s["schoolYear"]; y != "" && (len(y) != 4 || strings.Trim(y, "0123456789") != "") {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The school year must be four digits, the year it ends (e.g. 2026), not %q.", y))
			}
			return nil
		},
		NewSource: newSource,
	}
}

type source struct {
	baseURL, tokenURL, clientID, username, schoolYear string
	apiKey, clientSecret, password                    string
}

var _ connector.Source = (*source)(nil)

func newSource(s, secrets map[string]string) (connector.Source, error) {
	src := &source{baseURL: strings.TrimRight(s["baseUrl"], "/"), tokenURL: s["tokenUrl"], clientID: s["clientId"], username: s["username"],
		schoolYear: s["schoolYear"], apiKey: secrets["apiKey"], clientSecret: secrets["clientSecret"], password: secrets["password"]}
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

// Stage pulls the xPress objects into a OneRoster 1.2 ZIP in dir. pull.Since is ignored: xPress has
// no standard change filter, so every pull is a complete (bulk) package. pull.Schools uses the
// school-scoped paths (xSchools/{refId}/xRosters, xStudents, xStaffs).
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
	p, err := c.page(ctx, "xLeas", 1)
	if err != nil {
		return "", err
	}
	noun := "districts"
	if len(p.items) == 1 {
		noun = "district"
	}
	return fmt.Sprintf("Connected to %s: xPress Roster answered with %d %s.", c.host, len(p.items), noun), nil
}
