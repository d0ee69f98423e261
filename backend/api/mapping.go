package api

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// MappingAPI edits the field mappings of integrations (SPEC §6): exports to API targets, and imports
// and syncs from sources (import mappings). It previews them on a record and sends a test record.
type MappingAPI struct {
	store  *store.Store
	engine *engine.Engine
}

// NewMappingAPI returns the facade.
func NewMappingAPI(st *store.Store, e *engine.Engine) *MappingAPI {
	return &MappingAPI{store: st, engine: e}
}

// MappingView is an integration entity's mapping with what the editor offers beside it.
type MappingView struct {
	IntegrationID int64           `json:"integrationId"`
	Entity        string          `json:"entity"`
	Mapping       mapping.Mapping `json:"mapping"`
	Saved         bool            `json:"saved"` // false: the entity's default mapping
	Readable      []string        `json:"readable"`
	// Writable lists the roster fields an import mapping may fill (metadata.NAME too); empty for a target's.
	Writable []string         `json:"writable"`
	Helpers  []mapping.Helper `json:"helpers"`
}

// Example is a record to preview a mapping on.
type Example struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Targets lists the integrations whose records are mapped (exports to APIs, imports and syncs) with
// the entities each maps.
func (a *MappingAPI) Targets() ([]engine.MappingTarget, error) {
	return a.engine.MappingTargets(context.Background())
}

// Get returns the mapping of an integration's entity: the saved one, or the default.
func (a *MappingAPI) Get(integrationID int64, entity string) (MappingView, error) {
	ent, err := mappable(entity)
	if err != nil {
		return MappingView{}, err
	}
	m, saved, err := a.engine.Mapping(context.Background(), integrationID, ent)
	if err != nil {
		return MappingView{}, err
	}
	v := MappingView{IntegrationID: integrationID, Entity: entity, Mapping: m, Saved: saved, Readable: mapping.Readable(ent), Writable: []string{}, Helpers: mapping.Helpers()}
	if m.Import {
		v.Readable, v.Writable = roster.Schema(ent).Names(), mapping.Writable(ent)
	}
	return v, nil
}

// Check lists what would stop a mapping from being saved (none: it can be).
func (a *MappingAPI) Check(m mapping.Mapping) []mapping.Problem {
	if p := mapping.Check(m); p != nil {
		return p
	}
	return []mapping.Problem{}
}

// Save stores a mapping; one with problems is refused, each problem in the error's details.
func (a *MappingAPI) Save(integrationID int64, m mapping.Mapping) error {
	return a.engine.SaveMapping(context.Background(), integrationID, m)
}

// Reset goes back to the entity's default mapping.
func (a *MappingAPI) Reset(integrationID int64, entity string) (MappingView, error) {
	ent, err := mappable(entity)
	if err != nil {
		return MappingView{}, err
	}
	if err := a.engine.ResetMapping(context.Background(), integrationID, ent); err != nil {
		return MappingView{}, err
	}
	return a.Get(integrationID, entity)
}

// exampleViews are the columns an example's label shows and its search looks in.
var exampleViews = map[roster.Entity]browseView{
	roster.Users:   {[]string{"sourcedId", "givenName", "familyName", "identifier"}, []string{"sourcedId", "givenName", "familyName", "identifier", "email"}},
	roster.Classes: {[]string{"sourcedId", "title", "classCode"}, []string{"sourcedId", "title", "classCode"}},
	roster.Orgs:    {[]string{"sourcedId", "name", "identifier"}, []string{"sourcedId", "name", "identifier"}},
}

// Examples finds up to 20 live records of an entity to preview a mapping on, by name or ID.
func (a *MappingAPI) Examples(entity, search string) ([]Example, error) {
	ent := roster.Entity(entity)
	view, ok := exampleViews[ent]
	if !ok {
		view = browseView{[]string{"sourcedId"}, []string{"sourcedId"}}
	}
	page, err := a.store.QueryRoster(context.Background(), store.RosterQuery{Entity: ent, Columns: view.columns,
		Search: strings.TrimSpace(search), In: view.search, Live: true, Limit: 20})
	if err != nil {
		return nil, err
	}
	out := make([]Example, 0, len(page.Rows))
	for _, row := range page.Rows {
		var parts []string
		for _, v := range row[1:] {
			if v != "" {
				parts = append(parts, v)
			}
		}
		out = append(out, Example{ID: row[0], Label: strings.Join(parts, " · ")})
	}
	return out, nil
}

// Preview applies a mapping (saved or not) to one record and shows the request it would make.
func (a *MappingAPI) Preview(integrationID int64, m mapping.Mapping, recordID string) (engine.Preview, error) {
	ctx := context.Background()
	in, err := a.integration(ctx, integrationID)
	if err != nil {
		return engine.Preview{}, err
	}
	return a.engine.PreviewMapping(ctx, in.ConnectionID, m, recordID)
}

func (a *MappingAPI) integration(ctx context.Context, id int64) (store.Integration, error) {
	in, err := a.store.Integration(ctx, id)
	if err != nil {
		return in, apperr.New(apperr.CodeNotFound, "That integration is gone (was it removed?).")
	}
	return in, nil
}

// SaveCodes writes a field's code table to the Downloads folder (xlsx or csv) and returns the path.
func (a *MappingAPI) SaveCodes(field mapping.Field, format string) (string, error) {
	if format != "csv" {
		format = "xlsx"
	}
	name := fmt.Sprintf("Rosterdesk codes %s.%s", safeName(field.To), format)
	return settings.SaveDownload(name, func(w io.Writer) error { return mapping.WriteCodes(w, format, field) })
}

// LoadCodes reads a code table back from a spreadsheet (.xlsx or .csv) the user edited.
func (a *MappingAPI) LoadCodes(path string) (mapping.CodeTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s cannot be opened: %v", path, err))
	}
	defer f.Close()
	return mapping.ReadCodes(f, path)
}

// SendTestRecord sends one record to the integration's target with the saved mapping and returns
// the target's answer.
func (a *MappingAPI) SendTestRecord(integrationID int64, entity, recordID string) (engine.TestSend, error) {
	ctx := context.Background()
	in, err := a.integration(ctx, integrationID)
	if err != nil {
		return engine.TestSend{}, err
	}
	return a.engine.SendTestRecord(ctx, in.ConnectionID, roster.Entity(entity), recordID, events.Discard)
}

func mappable(entity string) (roster.Entity, error) {
	for _, e := range roster.Entities {
		if string(e) == entity {
			return e, nil
		}
	}
	return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a OneRoster entity", entity))
}

// safeName keeps a file name free of characters file systems refuse.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, s)
}
