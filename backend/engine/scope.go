package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// setupOf is the integration whose selection, hold thresholds and mappings a run or an edit uses:
// integrationID, or with 0 the connection's own integration of direction (import or export). A
// connection left without one (its integrations removed) gives 0, whose setup is the default:
// everything goes through, mapped by default.
func (e *Engine) setupOf(ctx context.Context, connectionID, integrationID int64, direction string) (int64, error) {
	if integrationID != 0 {
		return integrationID, nil
	}
	id, err := e.store.OwnIntegration(ctx, connectionID, direction)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return id, err
}

// OwnIntegration is the integration a connection's own buttons set up and run in direction (import
// or export): the first added of that direction, a sync counting for both. It is an error when the
// connection has none left.
func (e *Engine) OwnIntegration(ctx context.Context, conn store.Connection, direction string) (store.Integration, error) {
	id, err := e.store.OwnIntegration(ctx, conn.ID, direction)
	if errors.Is(err, store.ErrNotFound) {
		return store.Integration{}, apperr.New(apperr.CodeNotFound, fmt.Sprintf("%s has no %s integration any more: add one on the Integrations page (or with rosterdesk integration add) and set it up there.", conn.Name, direction))
	}
	if err != nil {
		return store.Integration{}, err
	}
	in, err := e.store.Integration(ctx, id)
	return in, notFound(err, "integration")
}

// runSelection is what a run lets through and its hold thresholds: those of its integration, or of
// the connection's own when the run is not of one (integrationID 0): its export integration for a
// target, else its import.
func (e *Engine) runSelection(ctx context.Context, connectionID, integrationID int64, direction string) (selection.Selection, error) {
	id, err := e.setupOf(ctx, connectionID, integrationID, direction)
	if err != nil {
		return selection.Selection{}, err
	}
	return e.store.Selection(ctx, id)
}

// chosenSchools are the schools a fetch may limit itself to: those covered by the selection of any
// integration importing or syncing from the connection (one limited to its own schools would starve
// the others), as the last fetch knew them. Nil (everything) when one of them takes every org or
// there was no fetch yet to tell which orgs are schools.
func (e *Engine) chosenSchools(ctx context.Context, connectionID int64) ([]string, error) {
	sels, err := e.store.ConnectionSelections(ctx, connectionID)
	if err != nil || len(sels) == 0 {
		return nil, err
	}
	for _, sel := range sels {
		if sel.Full() || sel.OrgsAll {
			return nil, nil
		}
	}
	shape, err := e.Shape(ctx, connectionID, events.Discard)
	if err != nil {
		return nil, nil // no fetch yet: the first one takes everything
	}
	var schools []string
	for _, sel := range sels {
		schools = append(schools, shape.Graph.Schools(sel)...)
	}
	slices.Sort(schools)
	return slices.Compact(schools), nil
}
