// Package runlog writes a run's log for download: one row per record (entity, sourcedId, action,
// status, field, message) as CSV or XLSX, for the window's Download log and `runs report`.
package runlog

import (
	"context"
	"io"

	"github.com/rosterdesk/rosterdesk/backend/sheets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Header is the log's header row.
var Header = []string{"entity", "sourcedId", "action", "status", "field", "message"}

// Write writes run's log as "csv" or "xlsx", streaming it from the workspace.
func Write(ctx context.Context, st *store.Store, run store.Run, format string, w io.Writer) error {
	return sheets.WriteQuery(w, format, "Log", Header, func(emit func([]string) error) error {
		return st.RunLog(ctx, run, func(r store.RunRecord) error {
			return emit([]string{r.Entity, r.SourcedID, r.Action, r.Status, r.Field, r.Message})
		})
	})
}
