package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
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
			if err != nil && ctx.Err() != nil { // Ctrl+C, also while it waited for another Rosterdesk
				return exitError{130, err}
			}
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
	return e.runCmd("import NAME [--plan] [--override-hold]", "run source → roster with the current selection (fetching first if needed)", false)
}

func (e *env) exportCmd() *cobra.Command {
	cmd := e.runCmd("export NAME [--plan] [--mode bulk|delta] [--override-hold] | export NAME --test-record ID [--entity E] [--yes]",
		"run roster → target with the current selection, or send an API target one test record", true)
	var testRecord, entity string
	var yes bool
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if testRecord == "" {
			return run(cmd, args)
		}
		return e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			return e.testRecord(ctx, ws, args[0], roster.Entity(entity), testRecord, yes)
		})(cmd, args)
	}
	cmd.Flags().StringVar(&testRecord, "test-record", "", "send just this record (roster or source ID) to an API target: prints the payload, sends only with --yes")
	cmd.Flags().StringVar(&entity, "entity", "users", "the entity of the test record")
	cmd.Flags().BoolVar(&yes, "yes", false, "with --test-record: send it (without: print what would be sent)")
	return cmd
}

// testRecord prints the exact request a test record makes and, with yes, sends it and prints the
// target's answer.
func (e *env) testRecord(ctx context.Context, ws *workspace.Workspace, name string, ent roster.Entity, id string, yes bool) error {
	c, err := connectionNamed(ctx, ws, name)
	if err != nil {
		return err
	}
	if !yes {
		p, err := previewSaved(ctx, ws, name, ent, id)
		if err != nil {
			return err
		}
		if p.Failed {
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s %s cannot be mapped: %s", ent, p.RecordID, p.Error))
		}
		if p.Action == "unchanged" {
			p.Action = "update"
		}
		return e.print(p, func(w io.Writer) {
			fmt.Fprintf(w, "%s %s (%s)\n%s\nNothing was sent; add --yes to send it.\n", p.Method, p.URL, p.Action, p.Payload)
		})
	}
	out, err := ws.Engine.SendTestRecord(ctx, c.ID, ent, id, e.reporter())
	if out.Run == 0 || out.Method == "" {
		return err
	}
	if perr := e.print(out, func(w io.Writer) {
		fmt.Fprintf(w, "%s %s\n%s\nThe target answered %d: %s\n", out.Method, out.URL, out.Payload, out.Status, out.Body)
		if out.Error != "" {
			fmt.Fprintln(w, out.Error)
		}
	}); perr != nil {
		return perr
	}
	if err == nil && out.Error != "" {
		err = apperr.New(apperr.CodeInvalid, out.Error)
	}
	return err
}

// runCmd is import or export: plan only, or run (held when it would delete or change too much).
func (e *env) runCmd(use, short string, export bool) *cobra.Command {
	var plan, override bool
	var mode string
	cmd := &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			opts := engine.RunOptions{OverrideHold: override, Mode: mode}
			rep := e.reporter()
			if plan {
				var p engine.Plan
				if export {
					p, err = ws.Engine.PlanExport(ctx, c.ID, opts, rep)
				} else {
					p, err = ws.Engine.PlanImport(ctx, c.ID, engine.RunOptions{}, rep)
				}
				rep.finish()
				if err != nil {
					return err
				}
				return e.print(p, func(w io.Writer) { printPlan(w, p) })
			}
			var run store.Run
			if export {
				run, err = ws.Engine.Export(ctx, c.ID, opts, rep)
			} else {
				run, err = ws.Engine.Import(ctx, c.ID, opts, rep)
			}
			rep.finish()
			if run.ID == 0 {
				return err // nothing was started
			}
			if perr := e.print(run, func(w io.Writer) { printRun(w, run) }); perr != nil {
				return perr
			}
			return runExit(run, err)
		})}
	cmd.Flags().BoolVar(&plan, "plan", false, "show what the run would do, change nothing")
	cmd.Flags().BoolVar(&override, "override-hold", false, "apply even if the run deletes or changes more than the safety hold allows")
	if export {
		cmd.Flags().StringVar(&mode, "mode", "", "bulk (everything selected) or delta (what changed since the last export); default: the connection's")
	}
	return cmd
}

func printPlan(w io.Writer, p engine.Plan) {
	fmt.Fprintf(w, "Plan of the %s of %s (%s):\n", p.Direction, p.Connection, p.Mode)
	printCounts(w, p.Counts)
	for _, r := range p.Records {
		fmt.Fprintf(w, "  %s %s %s: %s\n", r.Action, r.Entity, r.SourcedID, outcome.Sentence(r))
	}
	if p.More > 0 {
		fmt.Fprintf(w, "  … and %d more (--json lists the first %d too; the run's log lists all)\n", p.More, len(p.Records))
	}
	if p.Hold != "" {
		fmt.Fprintln(w, p.Hold)
	}
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
	printCounts(w, run.Counts)
}

func printCounts(w io.Writer, counts map[string]store.EntityCounts) {
	if len(counts) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entity\tcreated\tupdated\tdeleted\tunchanged\tskipped\tfailed\t")
	for _, ent := range roster.Entities {
		c := counts[string(ent)]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", ent, c.Created, c.Updated, c.Deleted, c.Unchanged, c.Skipped, c.Failed)
	}
	tw.Flush()
}

// writeFile writes a file whole or not at all: into a temporary file beside it, then renamed.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("cannot write %s: %v", path, err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
