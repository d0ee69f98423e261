// Package connections adds, edits and removes connections, keeping each one's settings in the
// workspace and its secrets in the secret store, so the window and the command line treat them alike.
package connections

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Service manages connections.
type Service struct {
	store *store.Store
	kinds *connector.Registry
	vault secrets.Store
	// operator is who makes the changes, their rights checked on each.
	operator string
}

// New returns the service; operator is who makes the changes.
func New(st *store.Store, kinds *connector.Registry, vault secrets.Store, operator string) *Service {
	return &Service{store: st, kinds: kinds, vault: vault, operator: operator}
}

// Request is a connection to add, or the new settings of one to edit. Secrets maps secret option
// keys to values; in an edit, a secret left out or empty keeps the stored value.
type Request struct {
	Name     string            `json:"name"`
	Kind     string            `json:"kind"`
	Role     string            `json:"role"`
	Settings map[string]string `json:"settings"`
	Secrets  map[string]string `json:"secrets"`
}

// SecretsWhere says where this computer keeps secrets.
func (s *Service) SecretsWhere() string { return s.vault.Where() }

// Add validates a request against its kind's declaration and stores it, with its secrets in the
// secret store. If a secret cannot be stored the connection is not added.
func (s *Service) Add(ctx context.Context, req Request) (store.Connection, error) {
	if err := rights.Need(ctx, s.store, s.operator, rights.Connections, rights.Write); err != nil {
		return store.Connection{}, err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return store.Connection{}, apperr.New(apperr.CodeInvalid, "Give the connection a name, e.g. the SIS or school it comes from.")
	}
	kind, err := s.kinds.Kind(req.Kind)
	if err != nil {
		return store.Connection{}, err
	}
	role := req.Role
	if role == "" {
		role = kind.Roles[0]
	}
	settings, err := kind.Normalize(role, req.Settings)
	if err != nil {
		return store.Connection{}, err
	}
	if err := checkSecretKeys(kind, req.Secrets); err != nil {
		return store.Connection{}, err
	}
	c, err := s.store.AddConnection(ctx, store.Connection{Name: name, Kind: kind.Name, Role: role, Settings: settings})
	if errors.Is(err, store.ErrNameTaken) {
		return c, apperr.New(apperr.CodeConflict, fmt.Sprintf("A connection named %q already exists. Choose another name.", name))
	}
	if err != nil {
		return c, err
	}
	if err := s.putSecrets(c, req.Secrets); err != nil {
		s.forget(ctx, c)
		return store.Connection{}, err
	}
	// Its default integration(s), as every connection before integrations got: runs by hand of all it has.
	if _, err := s.store.AddDefaultIntegrations(ctx, c); err != nil {
		s.forget(ctx, c)
		return store.Connection{}, err
	}
	return c, nil
}

// Update replaces a connection's settings and the secrets the request gives. Name, kind and role stay.
func (s *Service) Update(ctx context.Context, id int64, req Request) (store.Connection, error) {
	if err := rights.Need(ctx, s.store, s.operator, rights.Connections, rights.Write); err != nil {
		return store.Connection{}, err
	}
	c, err := s.store.Connection(ctx, id)
	if err != nil {
		return c, notFound(err)
	}
	kind, err := s.kinds.Kind(c.Kind)
	if err != nil {
		return c, err
	}
	settings, err := kind.Normalize(c.Role, req.Settings)
	if err != nil {
		return c, err
	}
	if err := checkSecretKeys(kind, req.Secrets); err != nil {
		return c, err
	}
	if err := s.putSecrets(c, req.Secrets); err != nil {
		return c, err
	}
	if err := s.store.UpdateSettings(ctx, id, settings); err != nil {
		return c, err
	}
	c.Settings = settings
	return c, nil
}

// Remove deletes a connection, its integrations and its secrets (its history stays).
func (s *Service) Remove(ctx context.Context, id int64) error {
	if err := rights.Need(ctx, s.store, s.operator, rights.Connections, rights.Delete); err != nil {
		return err
	}
	c, err := s.store.Connection(ctx, id)
	if err != nil {
		return notFound(err)
	}
	return s.forget(ctx, c)
}

func (s *Service) forget(ctx context.Context, c store.Connection) error {
	if err := s.store.RemoveConnection(ctx, c.ID); err != nil {
		return notFound(err)
	}
	kind, err := s.kinds.Kind(c.Kind)
	if err != nil {
		return nil // a kind this build lacks declared no secrets it knows of
	}
	for _, key := range kind.SecretKeys() {
		if err := s.vault.Delete(c.SecretRef, key); err != nil {
			return fmt.Errorf("the connection was removed but its %s could not be deleted from %s: %w", key, s.vault.Where(), err)
		}
	}
	return nil
}

// StoredSecrets lists which of the connection's secrets are stored (never their values).
func (s *Service) StoredSecrets(c store.Connection) ([]string, error) {
	kind, err := s.kinds.Kind(c.Kind)
	if err != nil {
		return nil, err
	}
	stored, err := secrets.Load(s.vault, c.SecretRef, kind.SecretKeys())
	if err != nil {
		return nil, err
	}
	keys := []string{}
	for _, key := range kind.SecretKeys() {
		if _, ok := stored[key]; ok {
			keys = append(keys, key)
		}
	}
	return keys, nil
}

func (s *Service) putSecrets(c store.Connection, values map[string]string) error {
	for key, v := range values {
		if v == "" {
			continue
		}
		if err := s.vault.Set(c.SecretRef, key, v); err != nil {
			return apperr.New(apperr.CodeInternal, fmt.Sprintf("The %s could not be kept in %s: %v", key, s.vault.Where(), err))
		}
	}
	return nil
}

func checkSecretKeys(kind connector.Kind, values map[string]string) error {
	known := kind.SecretKeys()
	for key := range values {
		if !slices.Contains(known, key) {
			if len(known) == 0 {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s connections have no secret settings", kind.Label))
			}
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s connections have no secret %q (they have %s)", kind.Label, key, strings.Join(known, ", ")))
		}
	}
	return nil
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.New(apperr.CodeNotFound, "That connection no longer exists.")
	}
	return err
}
