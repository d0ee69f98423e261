package rest

import (
	"context"
	"crypto/tls"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry/faulttest"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// quick are waits short enough for tests.
var quick = retry.Waits{Connect: time.Second, Handshake: 200 * time.Millisecond, Idle: 200 * time.Millisecond}

// shortened opens a source with quick waits, trusting roots when not nil.
func shortened(t *testing.T, settings map[string]string, roots *faulttest.Bad) *source {
	src := open(t, settings, secrets())
	src.waits = quick
	src.http = client(quick)
	if roots != nil {
		src.http.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: roots.Authority}
	}
	return src
}

// A certificate that is self-signed, expired or for another name is refused, in words that say
// which, before anything (the client secret included) is sent, and without retrying.
func TestFaultCertificatesRefusedInWords(t *testing.T) {
	bad := faulttest.Certificates(t, http.NotFoundHandler())
	for _, c := range bad.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			s := map[string]string{"baseUrl": c.Server.URL, "version": "1.2", "clientId": testClient, "tokenUrl": c.Server.URL + "/token"}
			var roots *faulttest.Bad
			if c.Trust {
				roots = bad
			}
			host := strings.TrimPrefix(c.Server.URL, "https://")
			want := "Rosterdesk refused to connect to " + host + ": " + c.Want
			refused := func(err error) bool {
				return err != nil && strings.Contains(err.Error(), want) && strings.Contains(err.Error(), "Nothing was sent to it, and Rosterdesk never skips this check.")
			}
			if _, err := shortened(t, s, roots).Test(context.Background()); !refused(err) {
				t.Errorf("Test: %v, want %q", err, want)
			}
			if _, err := shortened(t, with(s, "auth", "oauth1"), roots).Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard); !refused(err) {
				t.Errorf("Stage: %v, want %q", err, want)
			}
			if n := c.Server.Requests.Load(); n != 0 {
				t.Errorf("%d requests reached the server past its certificate", n)
			}
			// net/http may open a second connection when it offers HTTP/2; retries would make 5 each.
			if n := c.Server.Connections.Load(); n > 4 {
				t.Errorf("%d connections for a test and a fetch: a refused certificate was tried again", n)
			}
		})
	}
}

// A server that accepts the connection and then says nothing, or stops in the middle of a page,
// fails after the idle wait, a bounded number of times, naming the server and what was waited for.
func TestFaultSilentServers(t *testing.T) {
	m := faulttest.StartMute(t)
	mute := "http://" + m.Addr
	start := time.Now()
	_, err := shortened(t, map[string]string{"baseUrl": mute, "version": "1.2", "clientId": testClient, "tokenUrl": mute + "/token"}, nil).Test(context.Background())
	want := "Rosterdesk cannot reach " + m.Addr + ": it accepted the connection but sent no answer to /token within 200ms (5 tries"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("a server that says nothing: %v, want %q", err, want)
	}
	if took := time.Since(start); took > 10*time.Second || m.Accepted.Load() != maxTries {
		t.Fatalf("%d connections in %v, want %d", m.Accepted.Load(), took, maxTries)
	}

	// Announces a page, sends its first half and then nothing, keeping the connection open.
	var pages atomic.Int32
	stall := func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte(`{"orgs":[{"sourcedId":"s1"`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
	p := newProvider(t, "1.2", true, 5, quirks{})
	p.srv.Config.Handler = http.HandlerFunc(stall)
	_, err = shortened(t, p.settings(), nil).Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	want = "it stopped sending in the middle of its answer to /ims/oneroster/rostering/v1p2/orgs (nothing for 200ms) (5 tries"
	if err == nil || !strings.Contains(err.Error(), want) || pages.Load() != maxTries {
		t.Fatalf("a page that stalls (%d tries): %v, want %q", pages.Load(), err, want)
	}
}

// A page cut off in the middle is fetched again; one cut off every time fails the fetch after a
// bounded number of tries, and the engine keeps the last fetch as it was, with nothing staged.
func TestFaultPageCutOffKeepsTheLastFetch(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{everyDrop: 3})
	st, eng, conn := engineOn(t, p)
	ctx := context.Background()
	first, err := eng.Fetch(ctx, conn.ID, events.Discard)
	if err != nil || first.Counts["users"] != p.users {
		t.Fatalf("a fetch with every third page cut off and fetched again: %+v %v", first.Counts, err)
	}
	snap, err := st.Snapshot(ctx, conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := os.ReadFile(snap.Path)

	p.mu.Lock()
	p.q.everyDrop, p.count = 1, 0
	asked := len(p.requests)
	p.mu.Unlock()
	_, err = eng.Fetch(ctx, conn.ID, events.Discard)
	if err == nil || !strings.Contains(err.Error(), "the connection broke off in the middle of an answer (5 tries") || !strings.Contains(err.Error(), "the last fetch is as it was") {
		t.Fatalf("a fetch whose pages are always cut off: %v", err)
	}
	if n := len(p.seen()) - asked; n != maxTries {
		t.Fatalf("%d tries of the page, want %d", n, maxTries)
	}
	again, err := st.Snapshot(ctx, conn.ID)
	now, _ := os.ReadFile(again.Path)
	if err != nil || again.FetchedAt != first.FetchedAt || again.Path != snap.Path || string(now) != string(kept) {
		t.Fatalf("the last fetch changed: %+v %v", again, err)
	}
	if entries, _ := os.ReadDir(st.Path() + ".staging"); len(entries) != 1 {
		t.Fatalf("the staging area holds %d folders, want the last fetch's only", len(entries))
	}
}
