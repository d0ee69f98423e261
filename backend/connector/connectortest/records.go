package connectortest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// RecordEndpoint is a test endpoint for a kind that takes records one at a time (an API).
type RecordEndpoint struct {
	// Settings and Secrets reach a working endpoint that files a record under the "id" member of
	// its JSON object, which is also the key an update or delete names.
	Settings map[string]string
	Secrets  map[string]string
	// Broken (with Secrets) reaches an endpoint that refuses the credentials or does not exist;
	// Failure is part of the message Test and Push must give for it.
	Broken  map[string]string
	Failure string
	// Stored returns the ids of the records the working endpoint holds for entity.
	Stored func(entity string) []string
}

// OpenRecords makes a record target the way the app does: settings normalised by the kind, then
// NewRecordTarget.
func OpenRecords(t testing.TB, kind connector.Kind, settings, secrets map[string]string) connector.RecordTarget {
	t.Helper()
	normalized, err := kind.Normalize(connector.RoleTarget, settings)
	if err != nil {
		t.Fatalf("settings refused: %v", err)
	}
	tg, err := kind.NewRecordTarget(normalized, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// RunRecords checks a kind that takes records one at a time against the endpoint setup makes.
func RunRecords(t *testing.T, kind connector.Kind, setup func(t *testing.T) RecordEndpoint) {
	// push sends items and returns the answers by key, failing t if done is ever called twice at once.
	push := func(t *testing.T, tg connector.RecordTarget, ctx context.Context, items []connector.Push) (map[string]connector.Pushed, error) {
		got := map[string]connector.Pushed{}
		var busy atomic.Bool
		var reports int
		err := tg.Push(ctx, slices.Values(items), func(p connector.Push, r connector.Pushed) error {
			if !busy.CompareAndSwap(false, true) {
				t.Error("done was called while another call was running")
			}
			defer busy.Store(false)
			got[p.Key] = r
			return nil
		}, events.ReporterFunc(func(events.Progress) { reports++ }))
		if len(got) > 0 && reports == 0 {
			t.Error("the push reported no progress")
		}
		return got, err
	}
	records := func(entity string, action string, keys ...string) []connector.Push {
		out := make([]connector.Push, len(keys))
		for i, k := range keys {
			out[i] = connector.Push{Entity: entity, Action: action, Key: k, ID: k}
			if action != connector.PushDelete {
				out[i].Body = fmt.Appendf(nil, `{"id": %q, "name": "Zoë %s, %s"}`, k, action, k)
			}
		}
		return out
	}

	t.Run("declares itself", func(t *testing.T) {
		if kind.Name == "" || kind.Label == "" || kind.NewRecordTarget == nil || kind.NewSource != nil || kind.NewTarget != nil ||
			!slices.Equal(kind.Roles, []string{connector.RoleTarget}) {
			t.Fatalf("a record target only takes records: %+v", kind)
		}
		for _, o := range kind.Options {
			if o.Key == "" || o.Label == "" || o.Type == "" || o.Help == "" {
				t.Errorf("option %+v lacks a key, label, type or help", o)
			}
		}
	})

	t.Run("creates, updates and deletes", func(t *testing.T) {
		ep := setup(t)
		tg := OpenRecords(t, kind, ep.Settings, ep.Secrets)
		entity := tg.Endpoints()[0]
		keys := make([]string, 50)
		for i := range keys {
			keys[i] = fmt.Sprintf("R-%02d", i)
		}
		got, err := push(t, tg, context.Background(), records(entity, connector.PushCreate, keys...))
		if err != nil || len(got) != len(keys) {
			t.Fatalf("%v: %d of %d answered", err, len(got), len(keys))
		}
		for k, r := range got {
			if r.Err != nil {
				t.Fatalf("%s: %v", k, r.Err)
			}
		}
		if stored := ep.Stored(entity); len(stored) != len(keys) {
			t.Fatalf("%d records at the endpoint, want %d", len(stored), len(keys))
		}
		changes := append(records(entity, connector.PushUpdate, keys[:5]...), records(entity, connector.PushDelete, keys[5:10]...)...)
		if got, err := push(t, tg, context.Background(), changes); err != nil || len(got) != 10 || slices.ContainsFunc(keys[:10], func(k string) bool { return got[k].Err != nil }) {
			t.Fatalf("changes: %v %+v", err, got)
		}
		stored := ep.Stored(entity)
		if len(stored) != len(keys)-5 || slices.Contains(stored, keys[5]) || !slices.Contains(stored, keys[0]) {
			t.Fatalf("after deleting 5: %v", stored)
		}
		method, addr := tg.Address(records(entity, connector.PushUpdate, keys[0])[0])
		if method == "" || !strings.Contains(addr, keys[0]) {
			t.Fatalf("an update goes to %s %s, which does not name its key", method, addr)
		}
	})

	t.Run("stops when cancelled", func(t *testing.T) {
		ep := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		tg := OpenRecords(t, kind, ep.Settings, ep.Secrets)
		got, err := push(t, tg, ctx, records(tg.Endpoints()[0], connector.PushCreate, "a", "b", "c"))
		if !errors.Is(err, context.Canceled) || len(got) != 0 {
			t.Fatalf("a cancelled push returned %v and reported %d", err, len(got))
		}
	})

	t.Run("Test connection answers in words and writes nothing", func(t *testing.T) {
		ep := setup(t)
		tg := OpenRecords(t, kind, ep.Settings, ep.Secrets)
		msg, err := tg.Test(context.Background())
		if err != nil || len(msg) < 10 {
			t.Fatalf("a working endpoint: %q, %v", msg, err)
		}
		for _, e := range tg.Endpoints() {
			if stored := ep.Stored(e); len(stored) != 0 {
				t.Fatalf("Test connection wrote %v", stored)
			}
		}
		broken := OpenRecords(t, kind, ep.Broken, ep.Secrets)
		if _, err := broken.Test(context.Background()); err == nil || !strings.Contains(err.Error(), ep.Failure) {
			t.Fatalf("a broken endpoint: want an error containing %q, got %v", ep.Failure, err)
		}
		if _, err := push(t, broken, context.Background(), records(broken.Endpoints()[0], connector.PushCreate, "a")); err == nil || !strings.Contains(err.Error(), ep.Failure) {
			t.Fatalf("a push to a broken endpoint: want an error containing %q, got %v", ep.Failure, err)
		}
	})
}
