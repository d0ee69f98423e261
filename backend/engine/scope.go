package engine

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// runSelection is what a run lets through and its hold thresholds: those of its integration, or of
// the connection's own when the run is not of one (integrationID 0).
func (e *Engine) runSelection(ctx context.Context, connectionID, _ int64) (selection.Selection, error) {
	return e.store.Selection(ctx, connectionID)
}

// chosenSchools are the schools a fetch may limit itself to: those the connection's selection covers,
// as the last fetch knew them. Nil (everything) when the selection takes every org or there was no
// fetch yet to tell which orgs are schools.
func (e *Engine) chosenSchools(ctx context.Context, connectionID int64) ([]string, error) {
	sel, err := e.store.Selection(ctx, connectionID)
	if err != nil || sel.Full() || sel.OrgsAll {
		return nil, err
	}
	shape, err := e.Shape(ctx, connectionID, events.Discard)
	if err != nil {
		return nil, nil // no fetch yet: the first one takes everything
	}
	return shape.Graph.Schools(sel), nil
}
