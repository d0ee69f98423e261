package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/history"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

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
				fmt.Fprintln(tw, "RUN\tSTARTED\tCONNECTION\tDIRECTION\tMODE\tOPERATOR\tSTATUS\tSUMMARY")
				for _, r := range runs {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.StartedAt, r.ConnectionName, r.Direction, r.Mode, startedBy(r), r.Status, r.Message)
				}
				tw.Flush()
			})
		})}
	list.Flags().IntVar(&limit, "limit", 50, "how many runs to list")
	show := &cobra.Command{Use: "show ID", Short: "a run with its counts and failed records", Args: cobra.ExactArgs(1),
		RunE: e.withRun(func(ctx context.Context, ws *workspace.Workspace, run store.Run) error {
			records, err := ws.Store.RunRecords(ctx, run.ID, 0, 1000)
			if err != nil {
				return err
			}
			return e.print(map[string]any{"run": run, "records": records}, func(w io.Writer) {
				printRun(w, run)
				for i, r := range records {
					if r.Status == "ok" || i == maxFindingsShown {
						break
					}
					fmt.Fprintf(w, "  %s %s %s: %s\n", r.Status, r.Entity, r.SourcedID, outcome.Sentence(r))
				}
			})
		})}
	var format, out string
	report := &cobra.Command{Use: "report ID --format csv|xlsx|pdf --out FILE",
		Short: "a run's report: its records succeeded and failed, one row per record (pdf: with the run's summary)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := history.CheckFormat(format); err != nil {
				return apperr.New(apperr.CodeInvalid, "--format is csv, xlsx or pdf")
			}
			return e.withRun(func(ctx context.Context, ws *workspace.Workspace, run store.Run) error {
				return writeFile(out, func(w io.Writer) error { return history.Write(ctx, ws.Store, run, format, w) })
			})(cmd, args)
		}}
	report.Flags().StringVar(&format, "format", "csv", "csv, xlsx or pdf")
	report.Flags().StringVar(&out, "out", "", "the file to write")
	report.MarkFlagRequired("out")
	var yes bool
	clearCmd := &cobra.Command{Use: "clear --yes", Short: "delete the history's runs and their records (runs still running or held for review stay); needs the Delete right on History (Full operators)", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			if !yes {
				_, would, err := history.WouldClear(ctx, ws.Store)
				if err != nil {
					return err
				}
				return apperr.New(apperr.CodeInvalid, would+" Nothing was deleted; add --yes to clear it.")
			}
			run, _, err := history.Clear(ctx, ws.Store, ws.Operator)
			if err != nil {
				return err
			}
			return e.print(run, func(w io.Writer) { fmt.Fprintf(w, "Run %d: %s\n", run.ID, run.Message) })
		})}
	clearCmd.Flags().BoolVar(&yes, "yes", false, "clear it (without: say what would be deleted)")
	cmd.AddCommand(list, show, report, clearCmd, e.undoCmd())
	return cmd
}

// undoCmd undoes an import run; without --yes it says what the undo would do and exits 1, as
// runs clear does.
func (e *env) undoCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{Use: "undo ID --yes", Short: "undo an import run: remove what it created, put back what it changed and deleted (refused if anything changed its records since)",
		Args: cobra.ExactArgs(1),
		RunE: e.withRun(func(ctx context.Context, ws *workspace.Workspace, target store.Run) error {
			if !yes {
				p, err := ws.Engine.UndoPreview(ctx, target.ID)
				if err != nil {
					return err
				}
				if p.Refused != "" {
					return apperr.New(apperr.CodeConflict, p.Refused)
				}
				if perr := e.print(p, func(w io.Writer) { printUndo(w, p) }); perr != nil {
					return perr
				}
				return apperr.New(apperr.CodeInvalid, "Nothing was changed; add --yes to undo the run.")
			}
			rep := e.reporter()
			run, err := ws.Engine.Undo(ctx, target.ID, engine.RunOptions{}, rep)
			rep.finish()
			if run.ID == 0 {
				return err // refused: nothing was started
			}
			if perr := e.print(run, func(w io.Writer) { printRun(w, run) }); perr != nil {
				return perr
			}
			return runExit(run, err)
		})}
	cmd.Flags().BoolVar(&yes, "yes", false, "undo it (without: say what the undo would do)")
	return cmd
}

// printUndo says what undoing a run would do, per entity.
func printUndo(w io.Writer, p engine.UndoPreview) {
	fmt.Fprintf(w, "Undoing run %d would:\n", p.Run)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entity\tcreated, removed\trecords put back\tfields\tdeletions reverted\tno longer supplied\t")
	for _, ent := range roster.Entities {
		if c, ok := p.Counts[string(ent)]; ok {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", ent, c.Removed, c.Restored, c.Fields, c.Revived, c.Left)
		}
	}
	tw.Flush()
}

// withRun is withWorkspace for a command on the run its argument names.
func (e *env) withRun(fn func(ctx context.Context, ws *workspace.Workspace, run store.Run) error) func(*cobra.Command, []string) error {
	return e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
		id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
		if err != nil {
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a run number (see: rosterdesk runs list)", args[0]))
		}
		run, err := ws.Store.Run(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no run %d (see: rosterdesk runs list)", id))
		}
		if err != nil {
			return err
		}
		return fn(ctx, ws, run)
	})
}

// startedBy is a run's operator, saying when the schedule started it.
func startedBy(r store.Run) string {
	if r.Trigger == "schedule" {
		return r.Operator + " (scheduled)"
	}
	return r.Operator
}
