// Package connectortest is the conformance suite every connection kind passes, the way every storage
// backend of a backup tool runs the same tests: whatever the endpoint, a source must stage a package
// the reader accepts, keep the staged copy apart from later changes, honour cancellation and answer
// Test connection in words, for a good endpoint and a broken one; a target must deliver a file whole
// or not at all.
package connectortest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
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

// TargetEndpoint is a test endpoint a target kind's test sets up. Its files are on this computer (a
// test server serves a local folder), so the suite can look at what deliveries leave behind.
type TargetEndpoint struct {
	// Settings and Secrets reach a working endpoint, once the suite sets Settings[PathKey] to Folder,
	// or to a .zip file in it.
	Settings map[string]string
	Secrets  map[string]string
	PathKey  string
	Folder   string
	// Break makes the endpoint refuse deliveries after the connection was set up (the folder removed,
	// its write permission taken away); Failure is part of the message Test and Deliver must then give.
	Break   func(t *testing.T)
	Failure string
}

// OpenTarget makes a target the way the app does: settings normalised by the kind, then NewTarget.
func OpenTarget(t testing.TB, kind connector.Kind, settings, secrets map[string]string) connector.Target {
	t.Helper()
	normalized, err := kind.Normalize(connector.RoleTarget, settings)
	if err != nil {
		t.Fatalf("settings refused: %v", err)
	}
	target, err := kind.NewTarget(normalized, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return target
}

// RunTarget checks a target kind against the endpoint setup makes: a delivery puts exactly the
// file's bytes at the final name, replaces them the next time, never shows a reader half a file,
// leaves no temporary file, and a cancelled one leaves the previous delivery as it was.
func RunTarget(t *testing.T, kind connector.Kind, setup func(t *testing.T) TargetEndpoint) {
	const name = "oneroster-export.zip"
	open := func(t *testing.T, ep TargetEndpoint, path string) connector.Target {
		settings := maps.Clone(ep.Settings)
		settings[ep.PathKey] = path
		return OpenTarget(t, kind, settings, ep.Secrets)
	}
	deliver := func(t *testing.T, target connector.Target, local string) {
		t.Helper()
		where, err := target.Deliver(context.Background(), local, name, events.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if where == "" {
			t.Fatal("Deliver did not say where the export went")
		}
	}

	t.Run("declares itself", func(t *testing.T) {
		ep := setup(t)
		if kind.NewTarget == nil || !slices.Contains(kind.Roles, connector.RoleTarget) {
			t.Fatalf("not declared as a target: %+v", kind)
		}
		settings := maps.Clone(ep.Settings)
		settings[ep.PathKey] = ep.Folder
		got, err := kind.Normalize(connector.RoleTarget, settings)
		if err != nil || got["version"] != "1.2" || got["mode"] != "bulk" {
			t.Fatalf("a target's package options: %v %v", got, err)
		}
	})

	for _, dest := range []struct{ name, path, final string }{{"into a folder", "", name}, {"onto a .zip", "district.zip", "district.zip"}} {
		t.Run("delivers the exact bytes and replaces them, "+dest.name, func(t *testing.T) {
			ep := setup(t)
			target := open(t, ep, filepath.Join(ep.Folder, dest.path))
			final := filepath.Join(ep.Folder, dest.final)
			for i, local := range []string{export(t, 1), export(t, 2)} {
				var reports int
				where, err := target.Deliver(context.Background(), local, name, events.ReporterFunc(func(events.Progress) { reports++ }))
				if err != nil {
					t.Fatalf("delivery %d: %v", i+1, err)
				}
				if !strings.Contains(filepath.ToSlash(where), filepath.ToSlash(dest.final)) {
					t.Errorf("Deliver answered %q, which does not name %s", where, dest.final)
				}
				if reports == 0 {
					t.Error("the delivery reported no progress")
				}
				sameFile(t, final, local)
				noPartFiles(t, ep.Folder)
			}
		})
	}

	t.Run("a reader never sees half a file", func(t *testing.T) {
		ep := setup(t)
		target := open(t, ep, ep.Folder)
		deliver(t, target, export(t, 1))
		local := export(t, 2)
		AppearsWhole(t, ep.Folder, name, func() { deliver(t, target, local) })
		sameFile(t, filepath.Join(ep.Folder, name), local)
	})

	t.Run("a cancelled delivery leaves the previous file and no temporary one", func(t *testing.T) {
		ep := setup(t)
		target := open(t, ep, ep.Folder)
		previous := export(t, 1)
		deliver(t, target, previous)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cancelMidway := events.ReporterFunc(func(events.Progress) { cancel() })
		if _, err := target.Deliver(ctx, export(t, 2), name, cancelMidway); !errors.Is(err, context.Canceled) {
			t.Fatalf("a delivery cancelled midway returned %v", err)
		}
		if _, err := target.Deliver(ctx, export(t, 3), name, events.Discard); !errors.Is(err, context.Canceled) {
			t.Fatalf("a delivery cancelled before it started returned %v", err)
		}
		sameFile(t, filepath.Join(ep.Folder, name), previous)
		noPartFiles(t, ep.Folder)
	})

	t.Run("Test connection answers in words", func(t *testing.T) {
		ep := setup(t)
		target := open(t, ep, ep.Folder)
		msg, err := target.Test(context.Background())
		if err != nil || len(msg) < 10 {
			t.Fatalf("a working endpoint: %q, %v", msg, err)
		}
		noPartFiles(t, ep.Folder)
		ep.Break(t)
		if _, err := target.Test(context.Background()); err == nil || !strings.Contains(err.Error(), ep.Failure) {
			t.Fatalf("Test on a broken endpoint: want an error containing %q, got %v", ep.Failure, err)
		}
		if _, err := target.Deliver(context.Background(), export(t, 1), name, events.Discard); err == nil || !strings.Contains(err.Error(), ep.Failure) {
			t.Fatalf("Deliver to a broken endpoint: want an error containing %q, got %v", ep.Failure, err)
		}
	})
}

// export writes a OneRoster-shaped ZIP of about a megabyte (random, so it does not compress), big
// enough to take many writes; seed makes each one different.
func export(t *testing.T, seed uint64) string {
	t.Helper()
	payload := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range payload {
		payload[i] = byte(r.Uint32())
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("export-%d.zip", seed))
	testzip.Write(t, path, map[string]string{"manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n", "payload.bin": string(payload)})
	return path
}

func sameFile(t *testing.T, got, want string) {
	t.Helper()
	a, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(want)
	if !bytes.Equal(a, b) {
		t.Fatalf("%s holds %d bytes that differ from the %d delivered", got, len(a), len(b))
	}
}

func noPartFiles(t *testing.T, folder string) {
	t.Helper()
	entries, err := os.ReadDir(folder)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), connector.PartMarker) {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
}
