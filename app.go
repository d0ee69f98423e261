package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/rosterdesk/rosterdesk/backend/api"
	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/cli"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// App is the window's lifecycle and the service graph behind it. Its lifecycle methods are
// unexported so Wails never binds them; only the api facades are bound.
type App struct {
	logs     io.Closer
	log      *slog.Logger
	ws       *workspace.Workspace
	window   *events.Window
	prefs    *settings.File
	closing  *api.Closing
	behind   func(context.Context)                // the work behind the window, from behindAfter after it is first shown
	shown    chan struct{}                        // closed when the window is first shown
	after    func(time.Duration) <-chan time.Time // time.After, but for a test
	showOnce sync.Once
	stop     context.CancelFunc // stops the work behind the window
	apis     []any
	cards    *api.ConnectionsAPI
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
	j := jobs.New(window)
	// An import, an undo, an integration's run… may change the sources' origins: the copies the next
	// plan reads are made again behind the window (a look each when nothing changed), once no job
	// runs; a job that starts stops them.
	j.OnStart(func(jobs.Job) { eng.StopWarmingOrigins() })
	j.OnEnd(func(jobs.Job) {
		if j.Running() == 0 {
			eng.WarmOrigins()
		}
	})
	closing := api.NewClosing(window, func() { runtime.Quit(window.Context()) })
	ints := api.NewIntegrationsAPI(ws, j, window)
	scheduler := api.NewScheduler(ints)
	behind := func(ctx context.Context) {
		eng.WarmLatestShape(ctx) // so that the selection wizard opens at once
		scheduler.Run(ctx, schedulerInterval, func(err error) { log.Warn("cannot check the integrations due", "error", err) })
	}
	cards := api.NewConnectionsAPI(st, ws.Connections, kinds, window)
	return &App{logs: logs, log: log, ws: ws, window: window, prefs: prefs, closing: closing, behind: behind, shown: make(chan struct{}), after: time.After, cards: cards, apis: []any{
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

// withFirstCards puts the dashboard's cards in the page, as a JSON script element the connections
// store reads as it starts: the dashboard paints them in its first render, without a placeholder
// first and before the page's bridge to Go has opened, and a window that does not act on a
// preload (WebKitGTK) waits for no second request. Listing them takes a few milliseconds at
// 100,000 students. A page whose cards cannot be listed is served without them: the store then
// asks the bridge, which says why.
func (a *App) withFirstCards(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || (r.URL.Path != "/" && r.URL.Path != "/index.html") {
			next.ServeHTTP(w, r)
			return
		}
		page := &pageRecorder{header: w.Header(), status: http.StatusOK}
		next.ServeHTTP(page, r)
		body := page.body.Bytes()
		end := bytes.LastIndex(body, []byte("</body>"))
		if cards, err := a.cards.List(); err == nil && page.status == http.StatusOK && end >= 0 {
			// json escapes <, > and & (as \u003c…), so no name closes the element or opens a comment.
			js, _ := json.Marshal(cards)
			body = slices.Concat(body[:end], []byte(`<script id="first-cards" type="application/json">`), js, []byte("</script>"), body[end:])
			w.Header().Del("Content-Length")
		}
		w.WriteHeader(page.status)
		w.Write(body)
	})
}

// pageRecorder holds a page's response for withFirstCards to complete; its headers are the real
// response's.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) WriteHeader(status int)      { p.status = status }
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }

// schedulerInterval is how often the window looks for integrations due to run.
const schedulerInterval = 30 * time.Second

// behindAfter is how long after the window is first shown the work behind it starts. The window
// is shown once its page has loaded, and the page paints its first cards 0.5-4.5 s later on two
// busy cores (its scripts still running); a 50,000-student shape's warm-up, started at the show,
// took 0.65 s of processor time from that first paint.
const behindAfter = 5 * time.Second

// startup attaches the window. The work behind it (the warm-up of the latest shape, then the
// scheduler, which runs due integrations while the window is open) starts behindAfter after the
// window is first shown: a district's shape or a due run took the processor from its first screen.
func (a *App) startup(ctx context.Context) {
	a.window.Attach(ctx)
	bctx, stop := context.WithCancel(ctx)
	a.stop = stop
	go func() {
		select {
		case <-a.shown:
		case <-bctx.Done():
			return
		}
		select {
		case <-a.after(behindAfter):
			a.behind(bctx)
		case <-bctx.Done():
		}
	}()
}

// The window's size when none is remembered, and the smallest it may be.
const (
	defaultWidth, defaultHeight = 1280, 800
	minWidth, minHeight         = 900, 600
)

// windowSize is the size the window is created at: the one it had when last closed, else the
// default. Given at creation, the page lays out once at its size; set once the page had loaded, the
// size came from a goroutine that is not GTK's, and GTK applied it only when something next woke
// its loop (5 s later once the work behind the window no longer started at the show).
func (a *App) windowSize() (width, height int) {
	if w := a.prefs.Load().Window; remembered(w) {
		return w.Width, w.Height
	}
	return defaultWidth, defaultHeight
}

// remembered says whether a saved window geometry is one to restore.
func remembered(w settings.Window) bool { return w.Width >= minWidth && w.Height >= minHeight }

// domReady restores the saved window position (the window was created at its size), then shows the
// window, so it never jumps on screen, and lets the work behind it start.
func (a *App) domReady(ctx context.Context) {
	w := a.prefs.Load().Window
	if remembered(w) {
		runtime.WindowSetPosition(ctx, w.X, w.Y)
	} else {
		runtime.WindowCenter(ctx)
	}
	if w.Maximised {
		runtime.WindowMaximise(ctx)
	}
	runtime.WindowShow(ctx)
	a.windowShown()
}

// windowShown lets the work behind the window start: once, however often its page loads.
func (a *App) windowShown() { a.showOnce.Do(func() { close(a.shown) }) }

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
	a.ws.Close() // after the engine's work in the background
	a.logs.Close()
}
