// Package demo fills a workspace with a generated district so a new user can try everything without
// real student data.
package demo

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// ConnectionName is the name of the demo source connection.
const ConnectionName = "Demo district"

// Load generates a district of the given number of students beside the workspace, adds (or reuses)
// the "Demo district" connection for it, then fetches and imports it.
func Load(ctx context.Context, st *store.Store, eng *engine.Engine, students int, rep events.Reporter) (store.Run, error) {
	conn, err := st.ConnectionByName(ctx, ConnectionName)
	adding := errors.Is(err, store.ErrNotFound)
	if adding {
		err = rights.Need(ctx, st, eng.Operator(), rights.Connections, rights.Write)
	}
	if err != nil {
		return store.Run{}, err
	}
	path := filepath.Join(filepath.Dir(st.Path()), "demo-district.zip")
	_, err = district.GenerateFile(ctx, path, district.Options{Students: students, Version: "1.2", Seed: 2026, Duplicates: 0.01,
		Progress: func(done, total int) {
			rep.Report(events.Progress{Stage: "generating", Done: int64(done), Total: int64(total), Unit: "records"})
		}})
	if err != nil {
		return store.Run{}, err
	}
	if adding {
		conn, err = st.AddConnection(ctx, store.Connection{Name: ConnectionName, Kind: "oneroster-csv", Role: "source",
			Settings: map[string]string{"path": path}})
		if err != nil {
			return store.Run{}, err
		}
	}
	if _, err := eng.Fetch(ctx, conn.ID, rep); err != nil {
		return store.Run{}, err
	}
	return eng.Import(ctx, conn.ID, engine.RunOptions{}, rep)
}
