package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/rosterdesk/rosterdesk/backend/api"
	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/cli"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// App is the window's lifecycle and the service graph behind it. Its lifecycle methods are
// unexported so Wails never binds them; only the api facades are bound.
type App struct {
	logs      io.Closer
	log       *slog.Logger
	store     *store.Store
	window    *events.Window
	prefs     *settings.File
	closing   *api.Closing
	scheduler *api.Scheduler
	stop      context.CancelFunc // stops the scheduler
	apis      []any
	cards     *api.ConnectionsAPI
}

func newApp(workspaceFlag string) (*App, error) {
	path, err := workspace.Resolve(workspaceFlag)
	if err != nil {
		return nil, err
	}
	prefsPath, err := settings.DefaultPath()
	if err != nil {
		return nil, err
	}
	logDir, err := applog.Dir()
	if err != nil {
		return nil, err
	}
	log, logs, err := applog.Open(logDir)
	if err != nil {
		return nil, err
	}
	log.Info("window opened", "version", cli.Version, "workspace", path)
	ws, err := workspace.Open(path, log)
	if err != nil {
		logs.Close()
		return nil, err
	}
	window := &events.Window{}
	prefs := settings.Open(prefsPath)
	st, kinds, eng := ws.Store, ws.Kinds, ws.Engine
	eng.WarmLatestShape(context.Background()) // so that the selection wizard opens at once
	j := jobs.New(window)
	closing := api.NewClosing(window, func() { runtime.Quit(window.Context()) })
	ints := api.NewIntegrationsAPI(ws, j, window)
	cards := api.NewConnectionsAPI(st, ws.Connections, kinds, window)
	return &App{logs: logs, log: log, store: st, window: window, prefs: prefs, closing: closing, scheduler: api.NewScheduler(ints), cards: cards, apis: []any{
		cards,
		api.NewSyncAPI(ws, j),
		api.NewRosterAPI(st),
		api.NewHistoryAPI(ws, j),
		api.NewSettingsAPI(st, eng, j, prefs, closing),
		api.NewSelectionAPI(st, eng),
		api.NewDuplicatesAPI(st, eng, j),
		api.NewMappingAPI(st, eng),
		api.NewVerifyAPI(ws, j),
		api.NewWorkspaceAPI(ws, window, j),
		api.NewOperatorsAPI(ws),
		ints,
	}}, nil
}

func (a *App) bindings() []any { return a.apis }

// firstCards serves the dashboard's cards with the page (GET /startup/cards.json), asked for while
// its scripts load: the page's bridge to Go opens only once they have run, and the first cards
// waited for it.
func (a *App) firstCards() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/startup/cards.json" {
			http.NotFound(w, r)
			return
		}
		cards, err := a.cards.List()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(cards)
	})
}

// schedulerInterval is how often the window looks for integrations due to run.
const schedulerInterval = 30 * time.Second

// startup attaches the window and starts its scheduler, which runs due integrations while it is open.
func (a *App) startup(ctx context.Context) {
	a.window.Attach(ctx)
	sctx, stop := context.WithCancel(ctx)
	a.stop = stop
	go a.scheduler.Run(sctx, schedulerInterval, func(err error) { a.log.Warn("cannot check the integrations due", "error", err) })
}

// domReady restores the saved window geometry, then shows the window, so it never jumps on screen.
func (a *App) domReady(ctx context.Context) {
	w := a.prefs.Load().Window
	if w.Width >= 900 && w.Height >= 600 {
		runtime.WindowSetSize(ctx, w.Width, w.Height)
		runtime.WindowSetPosition(ctx, w.X, w.Y)
	} else {
		runtime.WindowCenter(ctx)
	}
	if w.Maximised {
		runtime.WindowMaximise(ctx)
	}
	runtime.WindowShow(ctx)
}

// beforeClose keeps the window open while it holds work not saved (the window asks the registrar
// and quits once answered); otherwise it remembers the window geometry (the size before maximising
// is kept) and lets the window close.
func (a *App) beforeClose(ctx context.Context) bool {
	if a.closing.Hold() {
		return true
	}
	maximised := runtime.WindowIsMaximised(ctx)
	width, height := runtime.WindowGetSize(ctx)
	x, y := runtime.WindowGetPosition(ctx)
	_ = a.prefs.Update(func(p *settings.Preferences) {
		p.Window.Maximised = maximised
		if !maximised {
			p.Window = settings.Window{X: x, Y: y, Width: width, Height: height}
		}
	})
	return false
}

func (a *App) shutdown(context.Context) {
	if a.stop != nil {
		a.stop()
	}
	a.store.Close()
	a.logs.Close()
}
