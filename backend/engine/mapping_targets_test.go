package engine

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/connector/restpush"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// The Mapping screen offers a target's entities from its endpoints: a target whose key or secret
// is stored opens, and lists them.
func TestMappingTargetsListTheEndpointsOfTargetsWithTheirSecretStored(t *testing.T) {
	f := newFixture(t, district())
	f.eng.kinds = connector.NewRegistry(csvzip.Kind(), restpush.Kind())
	ctx := context.Background()
	add := func(name string, settings map[string]string, secret, value string) store.Connection {
		c, err := f.st.AddConnection(ctx, store.Connection{Name: name, Kind: "rest-push", Role: "target", Settings: settings})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.eng.vault.Set(c.SecretRef, secret, value); err != nil {
			t.Fatal(err)
		}
		ownSetup(t, f.st, c, store.DirectionExport)
		return c
	}
	key := add("SIS API", map[string]string{"baseUrl": "http://127.0.0.1:9", "auth": "apikey", "endpoints": `{"classes": "/api/sections", "users": "/api/students"}`}, "apiKey", "k")
	oauth := add("District API", map[string]string{"baseUrl": "http://127.0.0.1:9", "auth": "oauth2", "tokenUrl": "http://127.0.0.1:9/oauth/token",
		"clientId": "rosterdesk", "endpoints": `{"users": "/v1/people"}`}, "clientSecret", "s")

	sis := ownSetup(t, f.st, f.conn, store.DirectionImport)
	// A second export to SIS API has a mapping of its own.
	second, err := f.st.AddIntegration(ctx, store.Integration{Name: "Nightly to SIS API", Type: store.IntegrationExport, ConnectionID: key.ID, Schedule: "manual", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.eng.MappingTargets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []MappingTarget{
		{ID: ownSetup(t, f.st, oauth, store.DirectionExport), Name: "Export to District API", ConnectionID: oauth.ID, ConnectionName: "District API", Own: true, Direction: "export", Entities: []string{"users"}},
		{ID: ownSetup(t, f.st, key, store.DirectionExport), Name: "Export to SIS API", ConnectionID: key.ID, ConnectionName: "SIS API", Own: true, Direction: "export", Entities: []string{"classes", "users"}},
		{ID: sis, Name: "Import from SIS", ConnectionID: f.conn.ID, ConnectionName: "SIS", Own: true, Direction: "import", Entities: entityNames()}, // the source: import mappings
		{ID: second.ID, Name: "Nightly to SIS API", ConnectionID: key.ID, ConnectionName: "SIS API", Direction: "export", Entities: []string{"classes", "users"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MappingTargets = %+v, want %+v", got, want)
	}
	// A target whose key is not stored on this computer says so, rather than seeming to have no endpoints.
	if err := f.eng.vault.Delete(key.SecretRef, "apiKey"); err != nil {
		t.Fatal(err)
	}
	got, _ = f.eng.MappingTargets(ctx)
	if got[1].Name != "Export to SIS API" || len(got[1].Entities) != 0 || !strings.Contains(got[1].Problem, "API key is not stored") {
		t.Errorf("without its key: %+v", got[1])
	}
}
