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
		return c
	}
	key := add("SIS API", map[string]string{"baseUrl": "http://127.0.0.1:9", "auth": "apikey", "endpoints": `{"classes": "/api/sections", "users": "/api/students"}`}, "apiKey", "k")
	oauth := add("District API", map[string]string{"baseUrl": "http://127.0.0.1:9", "auth": "oauth2", "tokenUrl": "http://127.0.0.1:9/oauth/token",
		"clientId": "rosterdesk", "endpoints": `{"users": "/v1/people"}`}, "clientSecret", "s")

	got, err := f.eng.MappingTargets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []MappingTarget{{ID: oauth.ID, Name: "District API", Direction: "export", Entities: []string{"users"}},
		{ID: f.conn.ID, Name: "SIS", Direction: "import", Entities: entityNames()}, // the source: import mappings
		{ID: key.ID, Name: "SIS API", Direction: "export", Entities: []string{"classes", "users"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MappingTargets = %+v, want %+v", got, want)
	}
	// A target whose key is not stored on this computer says so, rather than seeming to have no endpoints.
	if err := f.eng.vault.Delete(key.SecretRef, "apiKey"); err != nil {
		t.Fatal(err)
	}
	got, _ = f.eng.MappingTargets(ctx)
	if got[2].Name != "SIS API" || len(got[2].Entities) != 0 || !strings.Contains(got[2].Problem, "API key is not stored") {
		t.Errorf("without its key: %+v", got[2])
	}
}
