package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/rosterdesk/rosterdesk/backend/api"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/settings"
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
	a := &App{window: &events.Window{}, shown: make(chan struct{}), after: func(time.Duration) <-chan time.Time { return settled() },
		behind: func(ctx context.Context) { started <- ctx }}
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

// settled is a wait already over.
func settled() <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Now()
	return c
}

// Shown, the window is still blank: its page paints the first cards a while later, and the work
// behind the window (a district's shape warm-up: 0.65 s of processor time at 50,000 students) waits
// behindAfter so as not to take the processor from that first paint.
func TestTheWorkBehindTheWindowLetsItsFirstPaintGoFirst(t *testing.T) {
	started := make(chan struct{}, 1)
	over := make(chan time.Time)
	var waited time.Duration
	a := &App{window: &events.Window{}, shown: make(chan struct{}),
		after:  func(d time.Duration) <-chan time.Time { waited = d; return over },
		behind: func(context.Context) { started <- struct{}{} }}
	a.startup(context.Background())
	defer a.stop()
	a.windowShown()
	select {
	case <-started:
		t.Fatal("the work behind the window started as soon as the window was shown")
	case <-time.After(200 * time.Millisecond):
	}
	over <- time.Now()
	if waited < time.Second {
		t.Fatalf("the work behind the window waited %v after the show, not behindAfter", waited)
	}
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the work behind the window did not start once its wait was over")
	}
}

// The window is created at the size it had when last closed (a size too small to restore, or none,
// gives the default): set after the page's load, GTK applied it only seconds later.
func TestTheWindowIsCreatedAtItsRememberedSize(t *testing.T) {
	prefs := settings.Open(filepath.Join(t.TempDir(), "settings.json"))
	a := &App{prefs: prefs}
	if w, h := a.windowSize(); w != defaultWidth || h != defaultHeight {
		t.Fatalf("with no window remembered: %dx%d", w, h)
	}
	for saved, want := range map[settings.Window][2]int{
		{X: 120, Y: 90, Width: 1100, Height: 700}: {1100, 700},
		{Width: 640, Height: 480}:                 {defaultWidth, defaultHeight},
	} {
		if err := prefs.Update(func(p *settings.Preferences) { p.Window = saved }); err != nil {
			t.Fatal(err)
		}
		if w, h := a.windowSize(); w != want[0] || h != want[1] {
			t.Fatalf("saved %+v: created at %dx%d, want %dx%d", saved, w, h, want[0], want[1])
		}
	}
}

// The page comes with the dashboard's cards in it, as JSON no connection's name can break out of;
// what is not the page passes through untouched, and a page whose cards cannot be listed comes
// without them (the page then asks the bridge).
func TestThePageComesWithItsCards(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("ROSTERDESK_SECRETS", "file")
	a, err := newApp(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.logs.Close()
	name := `Lakeside </script><!-- <script>alert(1)</script>`
	zip := filepath.Join(dir, "district.zip")
	if err := os.WriteFile(zip, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.cards.Add(connections.Request{Name: name, Kind: "oneroster-csv", Settings: map[string]string{"path": zip}}); err != nil {
		t.Fatal(err)
	}
	const page = "<!DOCTYPE html><html><head></head><body><div id=\"app\"></div></body></html>"
	serve := a.withFirstCards(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		io.WriteString(w, page)
	}))
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		serve.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}

	got := get("/")
	doc, err := html.Parse(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	var script *html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "script" {
			if script != nil {
				t.Fatal("a name in the cards broke out of their element: a second script element")
			}
			script = n
		}
	}
	if script == nil || script.Parent.Data != "body" || script.FirstChild == nil {
		t.Fatalf("no cards in the page: %s", got.Body)
	}
	var cards []api.ConnectionCard
	if err := json.Unmarshal([]byte(script.FirstChild.Data), &cards); err != nil || len(cards) != 1 || cards[0].Name != name {
		t.Fatalf("the cards in the page read %+v (%v)", cards, err)
	}
	if got.Header().Get("Content-Length") != "" {
		t.Fatal("the page kept the length it had without its cards")
	}
	if body := get("/assets/app.js").Body.String(); body != page {
		t.Fatalf("a script was changed: %s", body)
	}

	a.ws.Close() // the cards can no longer be listed
	if body := get("/").Body.String(); body != page {
		t.Fatalf("the page without its cards reads %s", body)
	}
}
