package connections

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// vaultKind declares a kind with a secret, the way the network kinds do.
var vaultKind = connector.Kind{Name: "api", Label: "Test API", Roles: []string{connector.RoleSource},
	Options: []connector.Option{
		{Key: "baseUrl", Label: "Address", Type: connector.TypeText, Required: true},
		{Key: "clientSecret", Label: "Client secret", Type: connector.TypeSecret},
	}}

func newService(t *testing.T, vault secrets.Store) (*Service, *store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if vault == nil {
		if vault, err = secrets.NewFile(filepath.Join(dir, "secrets")); err != nil {
			t.Fatal(err)
		}
	}
	return New(st, connector.NewRegistry(vaultKind), vault, "registrar"), st, dir
}

func TestSecretsLiveOutsideTheWorkspace(t *testing.T) {
	svc, st, dir := newService(t, nil)
	ctx := context.Background()
	c, err := svc.Add(ctx, Request{Name: "District API", Kind: "api", Settings: map[string]string{"baseUrl": "https://sis.example"},
		Secrets: map[string]string{"clientSecret": "hunter2-very-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := svc.StoredSecrets(c); len(stored) != 1 || stored[0] != "clientSecret" {
		t.Fatalf("stored secrets %v", stored)
	}
	st.Close()
	for _, f := range []string{"workspace.db", "workspace.db-wal"} {
		raw, _ := os.ReadFile(filepath.Join(dir, f))
		if strings.Contains(string(raw), "hunter2") {
			t.Fatalf("%s holds the secret in plain text", f)
		}
	}
}

func TestEditKeepsOrReplacesSecretsAndRemoveDeletesThem(t *testing.T) {
	svc, _, dir := newService(t, nil)
	vault, _ := secrets.NewFile(filepath.Join(dir, "secrets"))
	ctx := context.Background()
	c, err := svc.Add(ctx, Request{Name: "A", Kind: "api", Settings: map[string]string{"baseUrl": "https://a"}, Secrets: map[string]string{"clientSecret": "one"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Update(ctx, c.ID, Request{Settings: map[string]string{"baseUrl": "https://b"}, Secrets: map[string]string{"clientSecret": ""}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := vault.Get(c.SecretRef, "clientSecret"); v != "one" {
		t.Fatalf("an empty secret in an edit replaced the stored one: %q", v)
	}
	if _, err := svc.Update(ctx, c.ID, Request{Settings: map[string]string{"baseUrl": "https://b"}, Secrets: map[string]string{"clientSecret": "two"}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := vault.Get(c.SecretRef, "clientSecret"); v != "two" {
		t.Fatalf("after the edit: %q", v)
	}
	if err := svc.Remove(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.Get(c.SecretRef, "clientSecret"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("the secret outlived its connection: %v", err)
	}
	if err := svc.Remove(ctx, c.ID); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("removing twice: %v", err)
	}
}

func TestUnknownSecretIsRefusedAndNothingIsAdded(t *testing.T) {
	svc, st, _ := newService(t, nil)
	ctx := context.Background()
	_, err := svc.Add(ctx, Request{Name: "A", Kind: "api", Settings: map[string]string{"baseUrl": "https://a"}, Secrets: map[string]string{"password": "x"}})
	if err == nil || !strings.Contains(err.Error(), `no secret "password"`) || !strings.Contains(err.Error(), "clientSecret") {
		t.Fatalf("an unknown secret: %v", err)
	}
	if conns, _ := st.Connections(ctx); len(conns) != 0 {
		t.Fatalf("a refused connection was stored: %v", conns)
	}
}

// brokenVault is a secret store whose writes fail, as a locked keychain's do.
type brokenVault struct{ secrets.Store }

func (brokenVault) Set(string, string, string) error { return errors.New("the keychain is locked") }
func (brokenVault) Where() string                    { return "the system keychain" }

func TestASecretThatCannotBeKeptAddsNothing(t *testing.T) {
	dir := t.TempDir()
	file, _ := secrets.NewFile(filepath.Join(dir, "secrets"))
	svc, st, _ := newService(t, brokenVault{file})
	ctx := context.Background()
	_, err := svc.Add(ctx, Request{Name: "A", Kind: "api", Settings: map[string]string{"baseUrl": "https://a"}, Secrets: map[string]string{"clientSecret": "x"}})
	if err == nil || !strings.Contains(err.Error(), "could not be kept in the system keychain") {
		t.Fatalf("a failing keychain: %v", err)
	}
	if conns, _ := st.Connections(ctx); len(conns) != 0 {
		t.Fatalf("the connection was stored without its secret: %v", conns)
	}
}

// An edit that passes a secret (in Secrets, and as a form might, among the settings too) keeps it in
// the secret store only: neither the connection's settings nor any of the workspace's files (the
// -wal included, checkpointed or not) hold it.
func TestEditKeepsSecretsOutOfTheWorkspace(t *testing.T) {
	svc, st, dir := newService(t, nil)
	ctx := context.Background()
	c, err := svc.Add(ctx, Request{Name: "A", Kind: "api", Settings: map[string]string{"baseUrl": "https://a"}})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "edited-s3cret-value"
	edited, err := svc.Update(ctx, c.ID, Request{Settings: map[string]string{"baseUrl": "https://b", "clientSecret": secret},
		Secrets: map[string]string{"clientSecret": secret}})
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := svc.StoredSecrets(edited); len(stored) != 1 {
		t.Fatalf("the edit did not store the secret: %v", stored)
	}
	read := func() {
		t.Helper()
		got, err := st.Connection(ctx, c.ID)
		if err != nil || got.Settings["baseUrl"] != "https://b" {
			t.Fatalf("after the edit: %+v %v", got, err)
		}
		for k, v := range got.Settings {
			if strings.Contains(v, secret) {
				t.Fatalf("the setting %s holds the secret", k)
			}
		}
		for _, f := range []string{"workspace.db", "workspace.db-wal", "workspace.db-shm"} {
			if raw, _ := os.ReadFile(filepath.Join(dir, f)); strings.Contains(string(raw), secret) {
				t.Fatalf("%s holds the secret in plain text", f)
			}
		}
	}
	read()
	if _, err := st.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	read()
}

// A new connection gets its default integration, as migration 011 gave every connection before,
// and removing the connection removes its integrations.
func TestANewConnectionGetsItsIntegration(t *testing.T) {
	svc, st, _ := newService(t, nil)
	ctx := context.Background()
	c, err := svc.Add(ctx, Request{Name: "District API", Kind: "api", Settings: map[string]string{"baseUrl": "https://sis.example"}})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := st.Integrations(ctx)
	if err != nil || len(ins) != 1 || ins[0].Name != "Import from District API" || ins[0].Type != "import" || ins[0].ConnectionID != c.ID || ins[0].Schedule != "manual" || !ins[0].Enabled {
		t.Fatalf("integrations %+v %v", ins, err)
	}
	if err := svc.Remove(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if ins, err := st.Integrations(ctx); err != nil || len(ins) != 0 {
		t.Fatalf("after removing the connection: %+v %v", ins, err)
	}
}
