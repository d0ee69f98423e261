package rest

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	secretstore "github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// engineOn is a workspace with the engine and one oneroster-rest connection to p.
func engineOn(t *testing.T, p *provider) (*store.Store, *engine.Engine, store.Connection) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	vault, err := secretstore.NewFile(filepath.Join(dir, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := connector.NewRegistry(Kind())
	eng := engine.New(st, kinds, vault, engine.StagingDir(st.Path()), "registrar", slog.New(slog.DiscardHandler))
	conn, err := connections.New(st, kinds, vault, "").Add(context.Background(), connections.Request{Name: "API", Kind: "oneroster-rest", Settings: p.settings(), Secrets: secrets()})
	if err != nil {
		t.Fatal(err)
	}
	return st, eng, conn
}

// A changes-only fetch through the engine asks the API for what changed since the data of the last
// import was fetched, and importing it applies the provider's deletions.
func TestFetchChangesSinceTheLastImport(t *testing.T) {
	p := newProvider(t, "1.2", false, 60, quirks{})
	_, eng, conn := engineOn(t, p)
	ctx := context.Background()

	if _, err := eng.FetchChanges(ctx, conn.ID, events.Discard); err == nil || !strings.Contains(err.Error(), "has not been imported yet") {
		t.Fatalf("changes before any import: %v", err)
	}
	// The clock around the fetch, not the stored value under test, says what "since" must be.
	fetchStart := time.Now().UTC().Truncate(time.Second)
	if _, err := eng.Fetch(ctx, conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	fetchEnd := time.Now().UTC()
	time.Sleep(1100 * time.Millisecond) // so that a time taken at the import, not the fetch, shows (times are sent to the second)
	run, err := eng.Import(ctx, conn.ID, engine.RunOptions{}, events.Discard)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("first import: %+v %v", run, err)
	}

	p.touch("users", store.Now(), "tobedeleted", "usr-000002")
	before := len(p.seen())
	res, err := eng.FetchChanges(ctx, conn.ID, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Modes["users"] != "delta" || res.Counts["users"] != 1 {
		t.Fatalf("changes-only fetch: modes %v counts %v", res.Modes, res.Counts)
	}
	// Changes since the first fetch began, less a margin of 10 minutes for clocks that differ.
	earliest, latest := fetchStart.Add(-10*time.Minute), fetchEnd.Add(-10*time.Minute)
	asked := p.seen()[before:]
	if len(asked) == 0 {
		t.Fatal("the changes-only fetch asked the provider nothing")
	}
	for _, u := range asked {
		filter := u.Query().Get("filter")
		v, ok := strings.CutPrefix(filter, "dateLastModified>'")
		since, err := time.Parse(time.RFC3339, strings.TrimSuffix(v, "'"))
		if !ok || err != nil || since.Before(earliest) || since.After(latest) {
			t.Fatalf("a changes-only request asked %q, want changes since a time between %s and %s", filter, earliest.Format(time.RFC3339), latest.Format(time.RFC3339))
		}
	}
	run, err = eng.Import(ctx, conn.ID, engine.RunOptions{}, events.Discard)
	if err != nil || run.Counts["users"].Deleted != 1 || run.Counts["users"].Created != 0 {
		t.Fatalf("importing the changes: %+v %v", run.Counts["users"], err)
	}
}
