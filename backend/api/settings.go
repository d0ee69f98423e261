package api

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/pkg/browser"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/demo"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// SettingsAPI covers the workspace itself, the user's preferences and the window's closing.
type SettingsAPI struct {
	store   *store.Store
	engine  *engine.Engine
	jobs    *jobs.Jobs
	prefs   *settings.File
	closing *Closing
}

// NewSettingsAPI returns the facade.
func NewSettingsAPI(st *store.Store, e *engine.Engine, j *jobs.Jobs, prefs *settings.File, closing *Closing) *SettingsAPI {
	return &SettingsAPI{store: st, engine: e, jobs: j, prefs: prefs, closing: closing}
}

// Closing decides whether the window may close. The front end says when it holds work not saved
// (SetUnsaved); closing then keeps the window open and asks it (events.CloseAsked), and the front
// end quits (Quit) once the registrar has saved or discarded. Not bound: app.go consults it in
// beforeClose.
type Closing struct {
	emit     events.Emitter
	quit     func()
	now      func() time.Time
	unsaved  atomic.Bool
	quitting atomic.Bool
	unheard  atomic.Int64 // when the window was asked and has not said it heard (UnixNano), else 0
}

// unheardFor is how long a question may go unheard before the window counts as not responding: a
// window that cannot answer must still close.
const unheardFor = 10 * time.Second

// NewClosing returns the window's closing; quit closes the window (it consults Hold again).
func NewClosing(emit events.Emitter, quit func()) *Closing {
	return &Closing{emit: emit, quit: quit, now: time.Now}
}

// Hold reports whether the window must stay open, asking the front end when it must. A window that
// did not hear an earlier question within unheardFor is not responding, and closes.
func (c *Closing) Hold() bool {
	if c.quitting.Load() || !c.unsaved.Load() {
		return false
	}
	now := c.now().UnixNano()
	if t := c.unheard.Load(); t != 0 && now-t > int64(unheardFor) {
		return false
	}
	c.unheard.CompareAndSwap(0, now)
	c.emit.Emit(events.CloseAsked, nil)
	return true
}

// SetUnsaved says whether the window holds work not saved yet: closing it then asks first.
func (a *SettingsAPI) SetUnsaved(unsaved bool) { a.closing.unsaved.Store(unsaved) }

// CloseHeard says the window heard the question about its work not saved and is asking the
// registrar, so closing again goes on asking however long the registrar takes.
func (a *SettingsAPI) CloseHeard() { a.closing.unheard.Store(0) }

// Quit closes the window, once the registrar has answered what to do with the work not saved.
func (a *SettingsAPI) Quit() {
	a.closing.quitting.Store(true)
	a.closing.quit()
}

// WorkspaceInfo describes the open workspace, and the folder of the logs (for Help).
type WorkspaceInfo struct {
	Path        string `json:"path"`
	Connections int    `json:"connections"`
	Logs        string `json:"logs"`
}

// Workspace describes the open workspace; a workspace with no connections is new, and the UI offers
// the demo district.
func (a *SettingsAPI) Workspace() (WorkspaceInfo, error) {
	conns, err := a.store.Connections(context.Background())
	if err != nil {
		return WorkspaceInfo{}, err
	}
	logs, err := applog.Dir()
	return WorkspaceInfo{Path: a.store.Path(), Connections: len(conns), Logs: logs}, err
}

// LoadDemo generates a demo district of the given size and imports it, as a job; the result is the run.
func (a *SettingsAPI) LoadDemo(students int) (string, error) {
	if students < 10 || students > 200000 {
		return "", apperr.New(apperr.CodeInvalid, "Choose between 10 and 200,000 students for the demo district.")
	}
	return a.jobs.Start("demo", func(ctx context.Context, rep events.Reporter) (any, error) {
		return demo.Load(ctx, a.store, a.engine, students, rep)
	}), nil
}

// OpenLogsFolder shows the logs folder in the system's file manager.
func (a *SettingsAPI) OpenLogsFolder() error {
	dir, err := applog.Dir()
	if err == nil {
		err = browser.OpenFile(dir)
	}
	if err != nil {
		return apperr.New(apperr.CodeInternal, "The logs folder could not be opened: "+err.Error())
	}
	return nil
}

// Theme returns the theme preference: auto, light or dark.
func (a *SettingsAPI) Theme() string { return a.prefs.Load().Theme }

// SetTheme stores the theme preference.
func (a *SettingsAPI) SetTheme(theme string) error {
	if theme != "auto" && theme != "light" && theme != "dark" {
		return apperr.New(apperr.CodeInvalid, "The theme is auto, light or dark.")
	}
	return a.prefs.Update(func(p *settings.Preferences) { p.Theme = theme })
}
