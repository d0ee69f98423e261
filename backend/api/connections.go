// Package api holds the only structs bound to the Wails window, one per area of the UI. They are thin:
// check the request, call a service, return typed values. Errors are *apperr.Error values.
package api

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// ConnectionsAPI manages connections.
type ConnectionsAPI struct {
	store  *store.Store
	kinds  *connector.Registry
	window *events.Window
}

// NewConnectionsAPI returns the facade.
func NewConnectionsAPI(st *store.Store, kinds *connector.Registry, window *events.Window) *ConnectionsAPI {
	return &ConnectionsAPI{store: st, kinds: kinds, window: window}
}

// ConnectionCard is a connection as the dashboard shows it.
type ConnectionCard struct {
	ID        int64             `json:"id"`
	Name      string            `json:"name"`
	Kind      string            `json:"kind"`
	KindLabel string            `json:"kindLabel"`
	Role      string            `json:"role"`
	Settings  map[string]string `json:"settings"`
	CreatedAt string            `json:"createdAt"`
	LastFetch string            `json:"lastFetch"` // time of the last fetch, "" if never
	LastRun   *store.Run        `json:"lastRun"`
	LastTest  store.TestOutcome `json:"lastTest"`
}

// NewConnection is the request to add a connection.
type NewConnection struct {
	Name     string            `json:"name"`
	Kind     string            `json:"kind"`
	Role     string            `json:"role"`
	Settings map[string]string `json:"settings"`
}

// Kinds lists the connection kinds with their option declarations, for the add-connection form.
func (a *ConnectionsAPI) Kinds() []connector.Kind { return a.kinds.Kinds() }

// List returns every connection with its last fetch and last run.
func (a *ConnectionsAPI) List() ([]ConnectionCard, error) {
	ctx := context.Background()
	conns, err := a.store.Connections(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ConnectionCard, 0, len(conns))
	for _, c := range conns {
		card, err := a.card(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, card)
	}
	return out, nil
}

func (a *ConnectionsAPI) card(ctx context.Context, c store.Connection) (ConnectionCard, error) {
	card := ConnectionCard{ID: c.ID, Name: c.Name, Kind: c.Kind, KindLabel: c.Kind, Role: c.Role, Settings: c.Settings, CreatedAt: c.CreatedAt, LastTest: c.LastTest}
	if k, err := a.kinds.Kind(c.Kind); err == nil {
		card.KindLabel = k.Label
	}
	if snap, err := a.store.Snapshot(ctx, c.ID); err == nil {
		card.LastFetch = snap.FetchedAt
	} else if !errors.Is(err, store.ErrNotFound) {
		return card, err
	}
	runs, err := a.store.Runs(ctx, c.ID, 1)
	if err != nil {
		return card, err
	}
	if len(runs) > 0 {
		card.LastRun = &runs[0]
	}
	return card, nil
}

// Add checks and stores a new connection.
func (a *ConnectionsAPI) Add(req NewConnection) (ConnectionCard, error) {
	c, err := AddConnection(context.Background(), a.store, a.kinds, req)
	if err != nil {
		return ConnectionCard{}, err
	}
	return a.card(context.Background(), c)
}

// AddConnection validates a request against its kind's declaration and stores it. The CLI uses it too.
func AddConnection(ctx context.Context, st *store.Store, kinds *connector.Registry, req NewConnection) (store.Connection, error) {
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return store.Connection{}, apperr.New(apperr.CodeInvalid, "Give the connection a name, e.g. the SIS or school it comes from.")
	}
	kind, err := kinds.Kind(req.Kind)
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
	c, err := st.AddConnection(ctx, store.Connection{Name: name, Kind: kind.Name, Role: role, Settings: settings})
	if errors.Is(err, store.ErrNameTaken) {
		return c, apperr.New(apperr.CodeConflict, fmt.Sprintf("A connection named %q already exists. Choose another name.", name))
	}
	return c, err
}

// Remove deletes a connection (its history stays).
func (a *ConnectionsAPI) Remove(id int64) error {
	if err := a.store.RemoveConnection(context.Background(), id); errors.Is(err, store.ErrNotFound) {
		return apperr.New(apperr.CodeNotFound, "That connection no longer exists.")
	} else if err != nil {
		return err
	}
	return nil
}

// ChooseFile opens the native file dialog for a OneRoster ZIP; "" when the user cancels.
func (a *ConnectionsAPI) ChooseFile(title string) (string, error) {
	return runtime.OpenFileDialog(a.window.Context(), runtime.OpenDialogOptions{Title: title,
		Filters: []runtime.FileFilter{{DisplayName: "OneRoster ZIP (*.zip)", Pattern: "*.zip"}, {DisplayName: "All files", Pattern: "*"}}})
}

// ChooseFolder opens the native folder dialog; "" when the user cancels.
func (a *ConnectionsAPI) ChooseFolder(title string) (string, error) {
	return runtime.OpenDirectoryDialog(a.window.Context(), runtime.OpenDialogOptions{Title: title})
}
