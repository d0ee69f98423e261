package engine

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// SaveSelection replaces an integration's selection (with its safety hold); like every change to an
// integration it needs the Write right on Integrations.
func (e *Engine) SaveSelection(ctx context.Context, integrationID int64, sel selection.Selection) error {
	if err := rights.Need(ctx, e.store, e.operator, rights.Integrations, rights.Write); err != nil {
		return err
	}
	return e.store.SaveSelection(ctx, integrationID, sel)
}

// ResetSelection lets everything through the integration again.
func (e *Engine) ResetSelection(ctx context.Context, integrationID int64) error {
	if err := rights.Need(ctx, e.store, e.operator, rights.Integrations, rights.Write); err != nil {
		return err
	}
	return e.store.ResetSelection(ctx, integrationID)
}
