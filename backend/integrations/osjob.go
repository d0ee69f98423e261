package integrations

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/schedule/osjob"
)

// RegisterOS registers exe's `schedule run-due` for this workspace with the computer's scheduler,
// every five minutes: a change to when integrations run, so it needs the Write right on them.
func (s *Service) RegisterOS(ctx context.Context, exe string) (osjob.Registration, error) {
	if err := rights.Need(ctx, s.store, s.operator, rights.Integrations, rights.Write); err != nil {
		return osjob.Registration{}, err
	}
	return osjob.Register(exe, s.store.Path())
}

// UnregisterOS removes this workspace's entry from the computer's scheduler (the Write right on
// integrations, as registering).
func (s *Service) UnregisterOS(ctx context.Context) error {
	if err := rights.Need(ctx, s.store, s.operator, rights.Integrations, rights.Write); err != nil {
		return err
	}
	return osjob.Unregister(s.store.Path())
}
