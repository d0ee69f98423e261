// Package connectortest is the conformance suite every connection kind passes, the way every storage
// backend of a backup tool runs the same tests: whatever the endpoint, a source must stage a package
// the reader accepts, keep the staged copy apart from later changes, honour cancellation and answer
// Test connection in words, for a good endpoint and a broken one.
package connectortest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Endpoint is a test endpoint a kind's test sets up (a file, a local server).
type Endpoint struct {
	// Settings and Secrets reach a working endpoint holding Users users.
	Settings map[string]string
	Secrets  map[string]string
	Users    int
	// Broken (with Secrets) reaches an endpoint that exists but cannot be read as OneRoster, or refuses
	// the credentials; Failure is part of the message Test and Stage must give for it.
	Broken  map[string]string
	Failure string
	// Change replaces what the working endpoint holds, so the suite can check staged copies stay as they were.
	Change func(t *testing.T)
}

// Open makes a source the way the app does: settings normalised by the kind, then NewSource.
func Open(t testing.TB, kind connector.Kind, settings, secrets map[string]string) connector.Source {
	t.Helper()
	normalized, err := kind.Normalize(connector.RoleSource, settings)
	if err != nil {
		t.Fatalf("settings refused: %v", err)
	}
	src, err := kind.NewSource(normalized, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// Run checks kind against the endpoint setup makes.
func Run(t *testing.T, kind connector.Kind, setup func(t *testing.T) Endpoint) {
	source := func(t *testing.T, settings, secrets map[string]string) connector.Source {
		return Open(t, kind, settings, secrets)
	}
	usersIn := func(t *testing.T, path string) int {
		t.Helper()
		pkg, err := oneroster.Open(path)
		if err != nil {
			t.Fatalf("the staged package is unreadable: %v", err)
		}
		defer pkg.Close()
		rep, err := pkg.Read(context.Background(), func(roster.Record) error { return nil }, nil)
		if err != nil {
			t.Fatal(err)
		}
		return rep.Counts[roster.Users]
	}

	t.Run("declares itself", func(t *testing.T) {
		if kind.Name == "" || kind.Label == "" || len(kind.Roles) == 0 || kind.NewSource == nil {
			t.Fatalf("incomplete declaration %+v", kind)
		}
		for _, o := range kind.Options {
			if o.Key == "" || o.Label == "" || o.Type == "" {
				t.Errorf("option %+v lacks a key, label or type", o)
			}
		}
	})

	t.Run("stages a package the reader accepts, apart from later changes", func(t *testing.T) {
		ep := setup(t)
		dir := t.TempDir()
		var reports int
		path, err := source(t, ep.Settings, ep.Secrets).Stage(context.Background(), dir, connector.Pull{}, events.ReporterFunc(func(events.Progress) { reports++ }))
		if err != nil {
			t.Fatal(err)
		}
		if rel, err := filepath.Rel(dir, path); err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("staged outside its folder: %s", path)
		}
		if got := usersIn(t, path); got != ep.Users {
			t.Fatalf("staged %d users, want %d", got, ep.Users)
		}
		if reports == 0 {
			t.Error("staging reported no progress")
		}
		ep.Change(t)
		if got := usersIn(t, path); got != ep.Users {
			t.Fatalf("the staged copy changed with the endpoint: %d users", got)
		}
	})

	t.Run("stops when cancelled", func(t *testing.T) {
		ep := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := source(t, ep.Settings, ep.Secrets).Stage(ctx, t.TempDir(), connector.Pull{}, events.Discard); !errors.Is(err, context.Canceled) {
			t.Fatalf("a cancelled stage returned %v", err)
		}
	})

	t.Run("Test connection answers in words", func(t *testing.T) {
		ep := setup(t)
		msg, err := source(t, ep.Settings, ep.Secrets).Test(context.Background())
		if err != nil || len(msg) < 10 {
			t.Fatalf("a working endpoint: %q, %v", msg, err)
		}
		_, err = source(t, ep.Broken, ep.Secrets).Test(context.Background())
		if err == nil || !strings.Contains(err.Error(), ep.Failure) {
			t.Fatalf("a broken endpoint: want an error containing %q, got %v", ep.Failure, err)
		}
		dir := t.TempDir()
		if _, err := source(t, ep.Broken, ep.Secrets).Stage(context.Background(), dir, connector.Pull{}, events.Discard); err == nil {
			// Staging may copy a broken file as it is; the reader must then refuse it.
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if _, err := oneroster.Open(filepath.Join(dir, e.Name())); err == nil || !strings.Contains(err.Error(), ep.Failure) {
					t.Fatalf("the staged broken endpoint opened: %v", err)
				}
			}
		}
	})
}
