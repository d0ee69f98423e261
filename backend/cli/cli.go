// Package cli is the headless command line: the same services as the window, for scripts and the
// operating system's scheduler. Results go to stdout (as JSON with --json), errors to stderr with a
// non-zero exit status, and a progress bar to a terminal's stderr.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// Version is set at build time with -ldflags "-X .../backend/cli.Version=...".
var Version = "dev"

// env is what every command shares.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	workspaceFlag  string
	json           bool
	wait           time.Duration // for another Rosterdesk writing the workspace
}

// exitError carries an exit status other than 1 (a run that ended failed, held or cancelled).
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }

// Headless reports whether the arguments name a command or ask for help, wherever they stand
// (`--workspace W --json roster counts`): then Rosterdesk runs without a window. Values of the
// command line's own flags are not commands. An unknown --flag is the command line's to refuse; an
// unknown -flag is one of the window's development flags (-assetdir DIR), taken to have a value
// unless written -flag=value.
func Headless(args []string) bool {
	flags := (&env{}).root().PersistentFlags()
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := flags.Lookup(name)
		switch {
		case a == "-h" || a == "--help":
			return true
		case a == "--":
			return i+1 < len(args)
		case !strings.HasPrefix(a, "-"):
			return true
		case f == nil && strings.HasPrefix(a, "--"):
			return true
		case !hasValue && (f == nil || f.NoOptDefVal == ""):
			i++ // its value
		}
	}
	return false
}

// Run executes one command and returns the process exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := e.root()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	code := 1
	var ee exitError
	if errors.As(err, &ee) {
		code, err = ee.code, ee.err
	}
	ae := apperr.From(err)
	if ae.Code == apperr.CodeForbidden {
		code = exitForbidden
	}
	fmt.Fprintln(stderr, "rosterdesk:", ae.Message)
	if ae.Details != nil && e.json {
		json.NewEncoder(stderr).Encode(ae)
	}
	return code
}

// root is the command tree, its flags bound to e.
func (e *env) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "rosterdesk",
		Short:         "Rosterdesk moves school roster data selectively between systems.",
		Long:          "Rosterdesk moves school roster data selectively between systems.\nWithout a command it opens the desktop window.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&e.workspaceFlag, "workspace", "", "workspace file (default: $"+workspace.EnvVar+" or <config dir>/Rosterdesk/workspace.db)")
	root.PersistentFlags().BoolVar(&e.json, "json", false, "print machine-readable JSON on stdout")
	root.PersistentFlags().DurationVar(&e.wait, "wait", 10*time.Minute, "how long a run waits for another Rosterdesk writing to the workspace (0: refuse at once)")
	root.AddCommand(e.versionCmd(), e.generateCmd(), e.demoCmd(), e.connectionCmd(), e.fetchCmd(), e.importCmd(), e.exportCmd(), e.selectCmd(), e.rosterCmd(), e.duplicatesCmd(), e.mappingCmd(), e.runsCmd(), e.integrationCmd(), e.scheduleCmd(), e.verifyCmd(), e.resyncCmd(), e.operatorCmd(), e.workspaceCmd())
	return root
}

// withWorkspace wraps a command body with opening and closing the workspace named by --workspace,
// and the log, so scheduled runs leave the same trace as the window's.
func (e *env) withWorkspace(fn func(ctx context.Context, ws *workspace.Workspace, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		path, err := workspace.Resolve(e.workspaceFlag)
		if err != nil {
			return err
		}
		dir, err := applog.Dir()
		if err != nil {
			return err
		}
		log, closer, err := applog.Open(dir)
		if err != nil {
			return err
		}
		defer closer.Close()
		ws, err := workspace.Open(path, log.With("via", "cli"))
		if err != nil {
			return err
		}
		defer ws.Close()
		ws.Engine.WaitForOthers(cmd.Context(), e.wait, func(holder string) {
			fmt.Fprintf(e.stderr, "Waiting for another Rosterdesk on this workspace (%s), up to %s…\n", holder, e.wait)
		})
		return fn(cmd.Context(), ws, args)
	}
}

// print writes v as JSON with --json, else calls human to write it for people.
func (e *env) print(v any, human func(w io.Writer)) error {
	if e.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(e.stdout)
	return nil
}

func (e *env) versionCmd() *cobra.Command {
	return &cobra.Command{Use: "version", Short: "print the version", Args: cobra.NoArgs, RunE: func(*cobra.Command, []string) error {
		return e.print(map[string]string{"version": Version}, func(w io.Writer) { fmt.Fprintln(w, "rosterdesk", Version) })
	}}
}

// parseSets turns repeated key=value flags into a map, rejecting malformed ones.
func parseSets(sets []string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("--set %q: write it as key=value", s))
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}
