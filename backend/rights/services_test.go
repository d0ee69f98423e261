package rights_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/demo"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/history"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// openAs opens the workspace of dir as operator, as a window or a command of theirs would.
func openAs(t *testing.T, dir, operator string) *workspace.Workspace {
	t.Helper()
	t.Setenv(workspace.OperatorVar, operator)
	ws, err := workspace.Open(filepath.Join(dir, "workspace.db"), applog.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// refused fails the test unless err is a refusal naming the right and the tool.
func refused(t *testing.T, what string, err error, right, tool string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeForbidden || !strings.Contains(ae.Message, "needs the "+right+" right on "+tool) {
		t.Fatalf("%s: want a refusal for want of %s on %s, got %v", what, right, tool, err)
	}
}

// The services refuse what a role has not the right for, whoever calls them (window or command
// line): a Limited operator runs imports and re-syncs by IDs but changes no connection, integration,
// selection or mapping, runs no export and clears no history; a Read-only one does not import.
func TestServicesEnforceRights(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("ROSTERDESK_SECRETS", "file")
	zip := filepath.Join(dir, "district.zip")
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := district.GenerateFile(ctx, zip, district.Options{Students: 40, Seed: 2}); err != nil {
		t.Fatal(err)
	}

	// The first to open the workspace is Full and sets it up.
	boss := openAs(t, dir, "boss")
	sis, err := boss.Connections.Add(ctx, connections.Request{Name: "SIS", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	vendor, err := boss.Connections.Add(ctx, connections.Request{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": filepath.Join(dir, "out")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := boss.Engine.Fetch(ctx, sis.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := boss.Engine.Import(ctx, sis.ID, engine.RunOptions{}, events.Discard); err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"lin": "limited", "rob": "read-only"} {
		if _, err := rights.Add(ctx, boss.Store, "boss", name, role); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := boss.Integrations.List(ctx)
	if err != nil || len(ins) == 0 {
		t.Fatalf("integrations: %v %v", ins, err)
	}
	in := ins[0]

	lin := openAs(t, dir, "lin")
	_, err = lin.Connections.Update(ctx, sis.ID, connections.Request{Settings: map[string]string{"path": zip}})
	refused(t, "editing a connection", err, "Write", "Connections")
	_, err = lin.Connections.Add(ctx, connections.Request{Name: "Other", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	refused(t, "adding a connection", err, "Write", "Connections")
	_, err = lin.RemoveConnection(ctx, vendor.ID, true, events.Discard)
	refused(t, "removing a connection", err, "Delete", "Connections")
	_, err = lin.Engine.Export(ctx, vendor.ID, engine.RunOptions{}, events.Discard)
	refused(t, "an export", err, "Write", "Exports")
	_, err = lin.Integrations.Edit(ctx, in.ID, integrations.Request{Name: "Renamed", Type: in.Type, ConnectionID: in.ConnectionID})
	refused(t, "editing an integration", err, "Write", "Integrations")
	_, err = lin.Integrations.SetEnabled(ctx, in.ID, false)
	refused(t, "disabling an integration", err, "Write", "Integrations")
	refused(t, "saving a selection", lin.Engine.SaveSelection(ctx, in.ID, selection.Everything()), "Write", "Integrations")
	_, _, err = history.Clear(ctx, lin.Store, lin.Operator)
	refused(t, "clearing the history", err, "Delete", "History")
	_, err = lin.Engine.SetPrecedence(ctx, []int64{sis.ID})
	refused(t, "the order of sources", err, "Write", "Roster")
	_, err = demo.Load(ctx, lin.Store, lin.Engine, 10, events.Discard)
	refused(t, "loading the demo district (a new connection)", err, "Write", "Connections")
	_, err = lin.Integrations.RegisterOS(ctx, "rosterdesk")
	refused(t, "registering the computer's schedule", err, "Write", "Integrations")
	refused(t, "removing the computer's schedule", lin.Integrations.UnregisterOS(ctx), "Write", "Integrations")

	if _, err := lin.Engine.Fetch(ctx, sis.ID, events.Discard); err != nil {
		t.Fatalf("a Limited operator fetches: %v", err)
	}
	run, err := lin.Engine.Import(ctx, sis.ID, engine.RunOptions{}, events.Discard)
	if err != nil || run.Operator != "lin" {
		t.Fatalf("a Limited operator imports, the run theirs: %+v %v", run, err)
	}
	ids := firstUsers(t, boss)
	res, err := lin.Engine.Resync(ctx, vendor.ID, roster.Users, ids, true, events.Discard)
	if err != nil || res.Run.Status != store.RunSucceeded || res.Run.Operator != "lin" {
		t.Fatalf("a Limited operator re-sends by IDs: %+v %v", res.Run, err)
	}

	rob := openAs(t, dir, "rob")
	_, err = rob.Engine.Import(ctx, sis.ID, engine.RunOptions{}, events.Discard)
	refused(t, "a Read-only operator's import", err, "Write", "Imports")
	_, err = rob.Engine.Fetch(ctx, sis.ID, events.Discard)
	refused(t, "a Read-only operator's fetch", err, "Write", "Imports")
	_, err = rob.Engine.Resync(ctx, vendor.ID, roster.Users, ids, true, events.Discard)
	refused(t, "a Read-only operator's re-sync", err, "Write", "Re-sync by IDs")
	if _, err := rob.Engine.PlanImport(ctx, sis.ID, engine.RunOptions{}, events.Discard); err != nil {
		t.Fatalf("a Read-only operator sees an import's plan: %v", err)
	}

	// Rights are read per check: made Full by boss's window, rob's open one clears the history.
	if err := rights.SetRole(ctx, boss.Store, "boss", "rob", "full"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := history.Clear(ctx, rob.Store, rob.Operator); err != nil {
		t.Fatalf("rob, made Full: %v", err)
	}
}

func firstUsers(t *testing.T, ws *workspace.Workspace) []string {
	t.Helper()
	ids, err := ws.Store.RosterIDs(context.Background(), store.RosterQuery{Entity: roster.Users, Live: true}, 2)
	if err != nil || len(ids) == 0 {
		t.Fatalf("users: %v %v", ids, err)
	}
	return ids
}
