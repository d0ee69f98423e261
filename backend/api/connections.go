// Package api holds the only structs bound to the Wails window, one per area of the UI. They are thin:
// check the request, call a service, return typed values. Errors are *apperr.Error values.
package api

import (
	"context"
	"errors"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/spreadsheet"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// ConnectionsAPI manages connections.
type ConnectionsAPI struct {
	store  *store.Store
	conns  *connections.Service
	kinds  *connector.Registry
	window *events.Window
}

// NewConnectionsAPI returns the facade.
func NewConnectionsAPI(st *store.Store, conns *connections.Service, kinds *connector.Registry, window *events.Window) *ConnectionsAPI {
	return &ConnectionsAPI{store: st, conns: conns, kinds: kinds, window: window}
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
	// CanFetchChanges: the source can send only what changed, and it has been imported once.
	CanFetchChanges bool `json:"canFetchChanges"`
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
		card.CanFetchChanges = k.Delta && c.AppliedAt != ""
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

// StoredSecrets names the connection's secrets that are stored (never their values), for the edit
// form. Asked only when the form opens: reading the keychain for every card would be slow, and on
// some systems asks the user's permission.
func (a *ConnectionsAPI) StoredSecrets(id int64) ([]string, error) {
	c, err := a.store.Connection(context.Background(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(apperr.CodeNotFound, "That connection no longer exists.")
	}
	if err != nil {
		return nil, err
	}
	return a.conns.StoredSecrets(c)
}

// SecretsWhere says where this computer keeps connection secrets, for the connection form.
func (a *ConnectionsAPI) SecretsWhere() string { return a.conns.SecretsWhere() }

// Add checks and stores a new connection, its secrets in the secret store.
func (a *ConnectionsAPI) Add(req connections.Request) (ConnectionCard, error) {
	c, err := a.conns.Add(context.Background(), req)
	if err != nil {
		return ConnectionCard{}, err
	}
	return a.card(context.Background(), c)
}

// Update replaces a connection's settings; secrets left empty keep their stored values.
func (a *ConnectionsAPI) Update(id int64, req connections.Request) (ConnectionCard, error) {
	c, err := a.conns.Update(context.Background(), id, req)
	if err != nil {
		return ConnectionCard{}, err
	}
	return a.card(context.Background(), c)
}

// Remove deletes a connection and its secrets (its history stays).
func (a *ConnectionsAPI) Remove(id int64) error { return a.conns.Remove(context.Background(), id) }

// SpreadsheetPreview is the top of a spreadsheet with the roster fields its columns can fill and a
// guessed mapping, for choosing a spreadsheet connection's columns.
type SpreadsheetPreview struct {
	spreadsheet.SheetPreview
	Fields    []string          `json:"fields"`
	Suggested map[string]string `json:"suggested"`
}

// PreviewSpreadsheet reads the first rows of a sheet (the first sheet when sheet is "") of an .xlsx
// or .csv file, for an entity's rows (users, classes or orgs).
func (a *ConnectionsAPI) PreviewSpreadsheet(path, sheet string, headerRow int, entity string) (SpreadsheetPreview, error) {
	p, err := spreadsheet.Preview(path, sheet, headerRow, 8)
	if err != nil {
		return SpreadsheetPreview{}, err
	}
	return SpreadsheetPreview{SheetPreview: p, Fields: spreadsheet.Fields(entity), Suggested: spreadsheet.SuggestColumns(entity, p.Headers)}, nil
}

// ChooseFile opens the native file dialog for a OneRoster ZIP or a spreadsheet; "" when the user cancels.
func (a *ConnectionsAPI) ChooseFile(title string) (string, error) {
	return runtime.OpenFileDialog(a.window.Context(), runtime.OpenDialogOptions{Title: title,
		Filters: []runtime.FileFilter{{DisplayName: "OneRoster ZIP or spreadsheet (*.zip, *.xlsx, *.xlsm, *.csv, *.tsv, *.txt, *.xls)", Pattern: "*.zip;*.xlsx;*.xlsm;*.csv;*.tsv;*.txt;*.xls"},
			{DisplayName: "All files", Pattern: "*"}}})
}

// ChooseFolder opens the native folder dialog; "" when the user cancels.
func (a *ConnectionsAPI) ChooseFolder(title string) (string, error) {
	return runtime.OpenDirectoryDialog(a.window.Context(), runtime.OpenDialogOptions{Title: title})
}

// SourceRank is a source in the reconciliation order, for Settings → Sources.
type SourceRank struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	KindLabel  string `json:"kindLabel"`
	Precedence int    `json:"precedence"` // 1 first
	IDs        string `json:"ids"`        // shared or own
}

// Sources lists the connections that feed the roster, first in the reconciliation order first.
func (a *ConnectionsAPI) Sources() ([]SourceRank, error) {
	conns, err := a.store.Sources(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]SourceRank, 0, len(conns))
	for i, c := range conns {
		r := SourceRank{ID: c.ID, Name: c.Name, Kind: c.Kind, KindLabel: c.Kind, Precedence: i + 1, IDs: store.IDsShared}
		if k, err := a.kinds.Kind(c.Kind); err == nil {
			r.KindLabel = k.Label
		}
		if store.OwnIDs(c.Settings) {
			r.IDs = store.IDsOwn
		}
		out = append(out, r)
	}
	return out, nil
}
