package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

func (e *env) workspaceCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "workspace", Short: "check the workspace file or back it up"}
	cmd.AddCommand(e.workspaceCheckCmd(), e.workspaceBackupCmd())
	return cmd
}

func (e *env) workspaceCheckCmd() *cobra.Command {
	return &cobra.Command{Use: "check", Short: "check the workspace: every page readable, references whole, the roster holding what its sources supply",
		Long: "check reads the whole workspace, without changing it, and prints ok or each problem found: damaged pages (SQLite's " +
			"integrity check), rows referring to rows that are not there, records sources supply that are missing from the roster. " +
			"Progress shows on a terminal; Ctrl+C stops it (exit status 130). " +
			"Exit status: 0 when it is sound, 1 when it has problems or cannot be read.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := workspace.Resolve(e.workspaceFlag)
			if err != nil {
				return err
			}
			if _, err := os.Stat(path); err != nil {
				return apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no workspace at %s", path))
			}
			rep := e.reporter()
			res, err := workspace.CheckFile(cmd.Context(), path, rep)
			rep.finish()
			if cmd.Context().Err() != nil {
				return exitError{130, apperr.New(apperr.CodeCancelled, "Cancelled: the check stopped before it finished, so it says nothing about the workspace.")}
			}
			if err != nil {
				return err
			}
			if err := e.print(res, func(w io.Writer) { printCheck(w, res) }); err != nil || res.OK {
				return err
			}
			return exitError{1, apperr.New(apperr.CodeBadInput, damagedAdvice(path, len(res.Problems)))}
		},
	}
}

func printCheck(w io.Writer, res store.CheckResult) {
	if res.OK {
		fmt.Fprintf(w, "Workspace %s: ok.\n", res.Workspace)
		return
	}
	fmt.Fprintf(w, "Workspace %s:\n", res.Workspace)
	for _, p := range res.Problems {
		fmt.Fprintf(w, "  %s: %s\n", p.Check, p.Message)
	}
}

// damagedAdvice says what to do about a workspace with problems.
func damagedAdvice(path string, problems int) string {
	advice := fmt.Sprintf("the workspace has %d problems", problems)
	if problems == 1 {
		advice = "the workspace has a problem"
	}
	advice += ". Copy the file aside for support to look at, then work from a backup"
	if kept, _ := store.UpgradeBackups(path); len(kept) > 0 {
		advice += " (the newest Rosterdesk took before an upgrade is " + filepath.Base(kept[0]) + ")"
	}
	return advice + ": copy it to the workspace's name, or open it with --workspace."
}

func (e *env) workspaceBackupCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{Use: "backup FILE [--force]", Short: "copy the workspace to FILE, consistently, even while Rosterdesk works on it",
		Long: "backup writes a copy of the workspace to FILE that opens as a workspace (rosterdesk --workspace FILE). It can run " +
			"while the window is open or a run writes: the copy is the workspace as it was at one moment. An existing FILE is " +
			"refused unless --force, also one made while the copy was written. Progress shows on a terminal; Ctrl+C stops it " +
			"(exit status 130) and leaves no file.",
		Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			start := time.Now()
			rep := e.reporter()
			b, err := ws.Backup(ctx, args[0], force, rep)
			rep.finish()
			switch {
			case err != nil && ctx.Err() != nil: // a Ctrl+C after the copy was in place is no cancel
				return exitError{130, apperr.New(apperr.CodeCancelled, "Cancelled: no backup was written.")}
			case errors.Is(err, store.ErrBackupExists):
				return apperr.New(apperr.CodeConflict, err.Error()+" with --force.")
			case err != nil:
				return err
			}
			out := map[string]any{"workspace": ws.Store.Path(), "backup": b.File, "bytes": b.Bytes}
			return e.print(out, func(w io.Writer) {
				fmt.Fprintf(w, "Backed up the workspace to %s (%.1f MB) in %.1f s.\n", b.File, float64(b.Bytes)/1e6, time.Since(start).Seconds())
			})
		}),
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	return cmd
}
