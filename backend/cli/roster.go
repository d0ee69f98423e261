package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

func (e *env) rosterCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "roster", Short: "the workspace roster"}
	counts := &cobra.Command{Use: "counts", Short: "records per entity in the roster", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			counts, err := ws.Store.RosterCounts(ctx)
			if err != nil {
				return err
			}
			return e.print(counts, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
				fmt.Fprintln(tw, "entity\tactive\ttobedeleted\t")
				for _, ent := range roster.Entities {
					fmt.Fprintf(tw, "%s\t%d\t%d\t\n", ent, counts.Active[ent], counts.Deleted[ent])
				}
				tw.Flush()
			})
		})}
	show := &cobra.Command{Use: "show ENTITY ID", Short: "a record with its origins and where each value came from (ID: its roster id or a source's)", Args: cobra.ExactArgs(2),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			v, err := ws.Store.RecordView(ctx, roster.Entity(args[0]), args[1])
			if err != nil {
				return err
			}
			return e.print(v, func(w io.Writer) { printRecord(w, v) })
		})}
	var q store.ConflictQuery
	var entity string
	conflicts := &cobra.Command{Use: "conflicts [--entity E] [--field F] [--search TEXT]", Short: "fields where sources disagree, with the value the roster keeps", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			q.Entity = roster.Entity(entity)
			rows := []store.ConflictRow{}
			if err := ws.Store.EachConflict(ctx, q, func(r store.ConflictRow) error {
				rows = append(rows, r)
				return nil
			}); err != nil {
				return err
			}
			return e.print(rows, func(w io.Writer) { printConflicts(w, rows) })
		})}
	conflicts.Flags().StringVar(&entity, "entity", "", "only this entity's conflicts, e.g. users")
	conflicts.Flags().StringVar(&q.Field, "field", "", "only this field's conflicts, e.g. givenName or metadata.homeroom")
	conflicts.Flags().StringVar(&q.Search, "search", "", "only conflicts whose record id, field or a value contains this text (any case)")
	cmd.AddCommand(counts, show, conflicts)
	return cmd
}

func printRecord(w io.Writer, v store.RecordView) {
	fmt.Fprintf(w, "%s %s: %s", v.Entity, v.ID, v.Status)
	if v.DateLastModified != "" {
		fmt.Fprintf(w, ", last modified %s", v.DateLastModified)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	field := func(name string, f store.FieldView) {
		if f.Value == "" {
			return
		}
		from := ""
		switch {
		case f.Chosen:
			from = "chosen in a merge of duplicates"
		case f.From != "":
			from = "from " + f.From
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, f.Value, from)
	}
	for _, f := range v.Fields {
		field(f.Name, f)
	}
	for _, f := range v.Metadata {
		field("metadata."+f.Name, f)
	}
	tw.Flush()
	fmt.Fprintln(w, "origins:")
	for i, o := range v.Origins {
		state := ""
		if !o.Live {
			state = ", no longer supplies it"
		}
		fmt.Fprintf(w, "  %d. %s: %s%s\n", i+1, o.Connection, o.SourcedID, state)
	}
	if len(v.Origins) == 0 {
		fmt.Fprintln(w, "  none: no source supplies it any more")
	}
	if len(v.AlsoNamed) > 0 {
		others := make([]string, len(v.AlsoNamed))
		for i, n := range v.AlsoNamed {
			others[i] = fmt.Sprintf("%s (from %s)", n.Record, n.Connection)
		}
		fmt.Fprintf(w, "other records sources call %s: %s; show them by these ids\n", v.ID, strings.Join(others, ", "))
	}
	for _, m := range v.Merges {
		switch {
		case m.Secondary == v.ID && m.Outcome == "ignore":
			fmt.Fprintf(w, "kept as a redundant duplicate of %s (pair %d, run %d): never counted or sent\n", m.Primary, m.Pair, m.Run)
		case m.Secondary == v.ID:
			fmt.Fprintf(w, "merged into %s as a duplicate (pair %d, run %d): its sources now supply %s\n", m.Primary, m.Pair, m.Run, m.Primary)
		default:
			fmt.Fprintf(w, "duplicate %s merged into it (pair %d, run %d)\n", m.Secondary, m.Pair, m.Run)
		}
	}
	if len(v.Conflicts) > 0 {
		fmt.Fprintln(w, "conflicts:")
		for _, c := range v.Conflicts {
			fmt.Fprintf(w, "  %s: %s; kept %s\n", c.Field, sourceValues(c.Values), kept(c))
		}
	}
	if len(v.Runs) > 0 {
		fmt.Fprintln(w, "runs, newest first:")
		tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for _, r := range v.Runs {
			fmt.Fprintf(tw, "  %d\t%s\t%s %s\t%s\t%s\t%s\n", r.RunID, r.StartedAt, r.Direction, r.Connection, r.Action, r.Field, outcome.Sentence(r.Record()))
		}
		tw.Flush()
	}
}

func sourceValues(values []store.SourceValue) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf("%s %q", v.Connection, v.Value)
	}
	return strings.Join(parts, ", ")
}

func kept(c store.ConflictRow) string { return fmt.Sprintf("%q (%s)", c.KeptValue, c.Kept) }

func printConflicts(w io.Writer, rows []store.ConflictRow) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "No conflicts: where several sources supply a record, they agree on every value.")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENTITY\tRECORD\tFIELD\tVALUES\tKEPT")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Entity, r.Record, r.Field, sourceValues(r.Values), kept(r))
	}
	tw.Flush()
	noun := "conflicts"
	if len(rows) == 1 {
		noun = "conflict"
	}
	fmt.Fprintf(w, "%d %s. The roster keeps the value of the first source in the order (rosterdesk connection precedence) that has one.\n", len(rows), noun)
}
