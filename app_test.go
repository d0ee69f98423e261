package main

import (
	"context"
	"testing"
	"time"

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

// The work behind the window (the shape's warm-up, then the scheduler) waits until the window is
// shown, so that it never slows the first screen; it starts once, however often the page loads, and
// stops when the window closes.
func TestTheWorkBehindTheWindowWaitsUntilItIsShown(t *testing.T) {
	started := make(chan context.Context, 2)
	a := &App{window: &events.Window{}, shown: make(chan struct{}), behind: func(ctx context.Context) { started <- ctx }}
	a.startup(context.Background())
	select {
	case <-started:
		t.Fatal("the work behind the window started before the window was shown")
	case <-time.After(200 * time.Millisecond):
	}
	a.windowShown()
	a.windowShown() // the page loaded again
	var ctx context.Context
	select {
	case ctx = <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the work behind the window did not start once the window was shown")
	}
	a.stop() // as the window closes
	if ctx.Err() == nil {
		t.Fatal("closing the window left the work behind it running")
	}
}
