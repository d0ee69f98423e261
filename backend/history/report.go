// Package history is the service behind the run history that the window and the command line share:
// a run's report (its log, one row per record, as CSV, XLSX or PDF) and clearing the history.
package history

import (
	"context"
	"io"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/sheets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Header is the header row of a report as CSV or XLSX: details is the sentence a person reads, built
// from the raw reason, before and after that follow it for a spreadsheet to filter on.
var Header = []string{"entity", "sourcedId", "action", "status", "field", "details", "reason", "before", "after"}

// Formats are the formats a report is written in.
var Formats = []string{"csv", "xlsx", "pdf"}

// CheckFormat refuses a format a report is not written in.
func CheckFormat(format string) error {
	switch format {
	case "csv", "xlsx", "pdf":
		return nil
	}
	return apperr.New(apperr.CodeInvalid, "A report is written as csv, xlsx or pdf.")
}

// Write writes run's report as "csv", "xlsx" or "pdf", streaming its records from the workspace.
func Write(ctx context.Context, st *store.Store, run store.Run, format string, w io.Writer) error {
	if err := CheckFormat(format); err != nil {
		return err
	}
	if format == "pdf" {
		return writePDF(ctx, st, run, PaperFromEnv(), w)
	}
	return sheets.WriteQuery(w, format, "Log", Header, func(emit func([]string) error) error {
		return st.RunLog(ctx, run, func(r store.RunRecord) error {
			return emit([]string{r.Entity, r.SourcedID, r.Action, r.Status, r.Field, outcome.Sentence(r), r.Reason, r.Before, r.After})
		})
	})
}
