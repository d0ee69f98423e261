package main

import (
	"context"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/api"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// With work not saved, beforeClose keeps the window open before anything else: the geometry is
// remembered on the close that follows the registrar's answer. (With a plain context, reaching the
// window's geometry would stop the test.)
func TestBeforeCloseKeepsTheWindowOpenWithWorkNotSaved(t *testing.T) {
	closing := api.NewClosing(&events.Window{}, func() {})
	api.NewSettingsAPI(nil, nil, nil, nil, closing).SetUnsaved(true)
	a := &App{closing: closing}
	if !a.beforeClose(context.Background()) {
		t.Fatal("beforeClose let the window close with work not saved")
	}
}
