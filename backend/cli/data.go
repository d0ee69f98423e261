package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// maxFindingsShown bounds the findings printed for people; --json prints them all.
const maxFindingsShown = 20

func (e *env) fetchCmd() *cobra.Command {
	var changes bool
	cmd := &cobra.Command{Use: "fetch NAME [--changes]", Short: "stage a source: counts per entity and the validation report", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			fetch := ws.Engine.Fetch
			if changes {
				fetch = ws.Engine.FetchChanges
			}
			rep := e.reporter()
			res, err := fetch(ctx, c.ID, rep)
			rep.finish()
			if err != nil {
				return err
			}
			return e.print(res, func(w io.Writer) { printFetch(w, res) })
		})}
	cmd.Flags().BoolVar(&changes, "changes", false, "only what changed since the data of the last import was fetched (API sources)")
	return cmd
}

func printFetch(w io.Writer, res engine.FetchResult) {
	from := ""
	if res.Source != "" {
		from = ", written by " + res.Source
	}
	fmt.Fprintf(w, "Fetched %s (OneRoster %s%s)\n", res.Connection, res.Version, from)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entity\trecords\tfailed\tfile\t")
	for _, ent := range roster.Entities {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", ent, res.Counts[ent], res.Failed[ent], res.Modes[ent])
	}
	tw.Flush()
	fmt.Fprintf(w, "%d warnings, %d errors\n", len(res.Warnings), len(res.Errors))
	printFindings(w, append(append([]oneroster.Finding{}, res.Errors...), res.Warnings...))
}

func printFindings(w io.Writer, findings []oneroster.Finding) {
	for i, f := range findings {
		if i == maxFindingsShown {
			fmt.Fprintf(w, "  … and %d more (use --json for all)\n", len(findings)-i)
			break
		}
		where := f.File
		if f.Line > 0 {
			where += " line " + strconv.Itoa(f.Line)
		}
		if f.Column != "" {
			where += ", " + f.Column
		}
		fmt.Fprintf(w, "  %s: %s: %s\n", f.Severity, where, f.Message)
	}
}

func (e *env) importCmd() *cobra.Command {
	return &cobra.Command{Use: "import NAME", Short: "apply a source's last fetch to the roster (fetching first if needed)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			rep := e.reporter()
			run, err := ws.Engine.Import(ctx, c.ID, rep)
			rep.finish()
			if run.ID == 0 {
				return err // nothing was started
			}
			if perr := e.print(run, func(w io.Writer) { printRun(w, run) }); perr != nil {
				return perr
			}
			return runExit(run, err)
		})}
}

// runExit turns a run that did not succeed into a non-zero exit status: 1 failed, 3 held, 130 cancelled.
func runExit(run store.Run, err error) error {
	if err == nil {
		err = apperr.New(apperr.CodeInternal, run.Message)
	}
	switch run.Status {
	case store.RunSucceeded:
		return nil
	case store.RunHeld:
		return exitError{3, err}
	case store.RunCancelled:
		return exitError{130, err}
	}
	return err
}

func printRun(w io.Writer, run store.Run) {
	fmt.Fprintf(w, "Run %d (%s of %s by %s): %s. %s\n", run.ID, run.Direction, run.ConnectionName, run.Operator, run.Status, run.Message)
	if len(run.Counts) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entity\tcreated\tupdated\tdeleted\tunchanged\tfailed\t")
	for _, ent := range roster.Entities {
		c := run.Counts[string(ent)]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", ent, c.Created, c.Updated, c.Deleted, c.Unchanged, c.Failed)
	}
	tw.Flush()
}

func (e *env) rosterCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "roster", Short: "the workspace roster"}
	cmd.AddCommand(&cobra.Command{Use: "counts", Short: "records per entity in the roster", Args: cobra.NoArgs,
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
		})})
	return cmd
}

func (e *env) runsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "runs", Short: "the history of runs"}
	var limit int
	list := &cobra.Command{Use: "list", Short: "recent runs, newest first", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			runs, err := ws.Store.Runs(ctx, 0, limit)
			if err != nil {
				return err
			}
			return e.print(runs, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RUN\tSTARTED\tCONNECTION\tDIRECTION\tOPERATOR\tSTATUS\tSUMMARY")
				for _, r := range runs {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.StartedAt, r.ConnectionName, r.Direction, r.Operator, r.Status, r.Message)
				}
				tw.Flush()
			})
		})}
	list.Flags().IntVar(&limit, "limit", 50, "how many runs to list")
	show := &cobra.Command{Use: "show ID", Short: "a run with its counts and failed records", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a run number (see: rosterdesk runs list)", args[0]))
			}
			run, err := ws.Store.Run(ctx, id)
			if err != nil {
				return notFoundRun(err, id)
			}
			records, err := ws.Store.RunRecords(ctx, id, 0, 1000)
			if err != nil {
				return err
			}
			return e.print(map[string]any{"run": run, "records": records}, func(w io.Writer) {
				printRun(w, run)
				for i, r := range records {
					if r.Status == "ok" || i == maxFindingsShown {
						break
					}
					fmt.Fprintf(w, "  %s %s %s: %s %s\n", r.Status, r.Entity, r.SourcedID, r.Field, r.Message)
				}
			})
		})}
	cmd.AddCommand(list, show)
	return cmd
}

func notFoundRun(err error, id int64) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no run %d (see: rosterdesk runs list)", id))
	}
	return err
}
