package integrations

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// sync runs a two-way sync integration.
func (s *Service) sync(context.Context, store.Integration, RunRequest, events.Reporter) (store.Run, engine.Plan, error) {
	return store.Run{}, engine.Plan{}, apperr.New(apperr.CodeInvalid, "Two-way sync is not available in this build yet; the integration was not run.")
}
