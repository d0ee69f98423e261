package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// connectionJSON is the stable JSON of a connection.
type connectionJSON struct {
	ID        int64             `json:"id"`
	Name      string            `json:"name"`
	Kind      string            `json:"kind"`
	Role      string            `json:"role"`
	Settings  map[string]string `json:"settings"`
	Secrets   []string          `json:"secrets"` // names of the stored secrets, never their values
	CreatedAt string            `json:"createdAt"`
}

func toJSON(ws *workspace.Workspace, c store.Connection) (connectionJSON, error) {
	stored, err := ws.Connections.StoredSecrets(c)
	return connectionJSON{ID: c.ID, Name: c.Name, Kind: c.Kind, Role: c.Role, Settings: c.Settings, Secrets: stored, CreatedAt: c.CreatedAt}, err
}

func (e *env) connectionCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "connection", Short: "add, list, show, test and remove connections; the precedence of sources"}
	var kind, role string
	var sets, secrets []string
	var trustHostKey bool
	add := &cobra.Command{Use: "add NAME --kind KIND [--role R] [--set key=value]...", Short: "add a connection", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			settings, err := parseSets(sets)
			if err != nil {
				return err
			}
			values, err := readSecrets(secrets, e.stdin, e.stderr)
			if err != nil {
				return err
			}
			c, err := ws.Connections.Add(ctx, connections.Request{Name: args[0], Kind: kind, Role: role, Settings: settings, Secrets: values})
			if err != nil {
				return err
			}
			out, err := toJSON(ws, c)
			if err != nil {
				return err
			}
			return e.print(out, func(w io.Writer) {
				fmt.Fprintf(w, "Added connection %q (%s, %s).\n", c.Name, c.Kind, c.Role)
				if len(values) > 0 {
					fmt.Fprintf(w, "Its secrets are kept in %s.\n", ws.Connections.SecretsWhere())
				}
			})
		})}
	add.Flags().StringVar(&kind, "kind", "", "connection kind, e.g. oneroster-csv")
	add.Flags().StringVar(&role, "role", "", "source, target or both (default: the kind's first role)")
	add.Flags().StringArrayVar(&sets, "set", nil, "a setting as key=value (repeatable)")
	add.Flags().StringArrayVar(&secrets, "secret", nil, "a secret setting's key; its value comes from $ROSTERDESK_SECRET_<KEY> or stdin")
	_ = add.MarkFlagRequired("kind")

	list := &cobra.Command{Use: "list", Short: "list connections", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			conns, err := ws.Store.Connections(ctx)
			if err != nil {
				return err
			}
			out := make([]connectionJSON, 0, len(conns))
			for _, c := range conns {
				j, err := toJSON(ws, c)
				if err != nil {
					return err
				}
				out = append(out, j)
			}
			return e.print(out, func(w io.Writer) {
				if len(out) == 0 {
					fmt.Fprintln(w, "No connections yet. Add one with: rosterdesk connection add NAME --kind oneroster-csv --set path=FILE.zip")
					return
				}
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tKIND\tROLE\tCREATED")
				for _, c := range out {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Name, c.Kind, c.Role, c.CreatedAt)
				}
				tw.Flush()
			})
		})}

	show := &cobra.Command{Use: "show NAME", Short: "show a connection's settings", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			out, err := toJSON(ws, c)
			if err != nil {
				return err
			}
			return e.print(out, func(w io.Writer) {
				fmt.Fprintf(w, "%s\n  kind: %s\n  role: %s\n  created: %s\n", c.Name, c.Kind, c.Role, c.CreatedAt)
				if len(out.Secrets) > 0 {
					fmt.Fprintf(w, "  secrets: %s (kept in %s)\n", strings.Join(out.Secrets, ", "), ws.Connections.SecretsWhere())
				}
				keys := make([]string, 0, len(c.Settings))
				for k := range c.Settings {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					fmt.Fprintf(w, "  %s: %s\n", k, c.Settings[k])
				}
			})
		})}

	var keepRecords, deleteRecords bool
	remove := &cobra.Command{Use: "remove NAME", Short: "remove a connection (its run history stays)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			if keepRecords && deleteRecords {
				return apperr.New(apperr.CodeInvalid, "say either --keep-records or --delete-records, not both")
			}
			supply, err := ws.Store.Supply(ctx, c.ID)
			if err != nil {
				return err
			}
			only := 0
			for _, n := range supply.Only {
				only += n
			}
			if only > 0 && !keepRecords && !deleteRecords {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s alone supplies %d roster records. Say what happens to them: --keep-records keeps them as they are, "+
					"--delete-records marks them tobedeleted (the next exports send their deletion). Records other sources supply stay either way. Nothing was changed.", c.Name, only))
			}
			run, err := ws.RemoveConnection(ctx, c.ID, keepRecords, e.reporter())
			if err != nil {
				if run.ID != 0 {
					return runExit(run, err)
				}
				return err
			}
			out := map[string]any{"removed": c.Name}
			if run.ID != 0 {
				out["run"] = run
			}
			return e.print(out, func(w io.Writer) {
				if run.ID != 0 {
					printRun(w, run)
				}
				fmt.Fprintf(w, "Removed connection %q.\n", c.Name)
			})
		})}
	remove.Flags().BoolVar(&keepRecords, "keep-records", false, "keep the records only this source supplied, as they are")
	remove.Flags().BoolVar(&deleteRecords, "delete-records", false, "mark the records only this source supplied tobedeleted")
	test := &cobra.Command{Use: "test NAME", Short: "check that a connection can be reached and read", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			out, err := ws.Engine.Test(ctx, c.ID, "")
			if err == nil && out.HostKey != nil && trustHostKey {
				out, err = ws.Engine.Test(ctx, c.ID, out.HostKey.Key)
			}
			if err != nil {
				return err
			}
			result := map[string]any{"connection": c.Name, "ok": out.OK, "message": out.Message, "testedAt": out.At, "hostKey": out.HostKey}
			if err := e.print(result, func(w io.Writer) { fmt.Fprintf(w, "%s: %s\n", c.Name, out.Message) }); err != nil {
				return err
			}
			if !out.OK {
				return exitError{1, apperr.New(apperr.CodeBadInput, "the test of "+c.Name+" failed")}
			}
			return nil
		})}
	test.Flags().BoolVar(&trustHostKey, "trust-host-key", false, "trust the SFTP server's key when none is pinned yet (check its fingerprint first)")
	cmd.AddCommand(add, list, show, test, remove, e.precedenceCmd())
	return cmd
}

// sourceJSON is a source's place in the reconciliation order.
type sourceJSON struct {
	Precedence int    `json:"precedence"` // 1 first
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	IDs        string `json:"ids"` // shared or own
}

func (e *env) precedenceCmd() *cobra.Command {
	return &cobra.Command{Use: "precedence [NAME]...", Short: "the order in which sources' values win: print it, or put the named sources first in that order",
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			out := map[string]any{}
			if len(args) > 0 {
				ids := make([]int64, len(args))
				for i, name := range args {
					c, err := connectionNamed(ctx, ws, name)
					if err != nil {
						return err
					}
					if c.Role == "target" {
						return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s is a target: only sources have a place in the order (see: rosterdesk connection precedence)", c.Name))
					}
					ids[i] = c.ID
				}
				run, err := ws.Engine.SetPrecedence(ctx, ids)
				if run.ID == 0 {
					return err // nothing was started
				}
				if err != nil || run.Status != store.RunSucceeded {
					if perr := e.print(run, func(w io.Writer) { printRun(w, run) }); perr != nil {
						return perr
					}
					return runExit(run, err)
				}
				out["run"] = run
			}
			sources, err := ws.Store.Sources(ctx)
			if err != nil {
				return err
			}
			order := make([]sourceJSON, len(sources))
			for i, c := range sources {
				order[i] = sourceJSON{Precedence: i + 1, Name: c.Name, Kind: c.Kind, IDs: store.IDsShared}
				if store.OwnIDs(c.Settings) {
					order[i].IDs = store.IDsOwn
				}
			}
			out["order"] = order
			return e.print(out, func(w io.Writer) {
				if run, ok := out["run"].(store.Run); ok {
					printRun(w, run)
				}
				if len(order) == 0 {
					fmt.Fprintln(w, "No sources yet.")
					return
				}
				fmt.Fprintln(w, "For each field the roster keeps the value of the first source in this order that has one:")
				for _, s := range order {
					fmt.Fprintf(w, "  %d. %s (%s, %s ids)\n", s.Precedence, s.Name, s.Kind, s.IDs)
				}
			})
		})}
}

// connectionNamed finds a connection by name with a message that helps when it does not exist.
func connectionNamed(ctx context.Context, ws *workspace.Workspace, name string) (store.Connection, error) {
	c, err := ws.Store.ConnectionByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return c, apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no connection named %q (see: rosterdesk connection list)", name))
	}
	return c, err
}

// readSecrets takes each --secret key's value from $ROSTERDESK_SECRET_<KEY>, or when that is unset
// from the next line of stdin, never from argv where other users of the machine could read it. At a
// terminal it asks for each value on stderr and reads it without echo, so the secret never shows on
// screen or in a terminal's scrollback.
func readSecrets(keys []string, stdin io.Reader, stderr io.Writer) (map[string]string, error) {
	values := map[string]string{}
	var lines *bufio.Reader
	for _, key := range keys {
		if v, ok := os.LookupEnv("ROSTERDESK_SECRET_" + strings.ToUpper(key)); ok {
			values[key] = v
			continue
		}
		var line string
		var err error
		if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprintf(stderr, "Value of the secret %q (typing is not shown): ", key)
			var b []byte
			b, err = term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(stderr)
			line = string(b)
		} else {
			if lines == nil {
				lines = bufio.NewReader(stdin)
			}
			line, err = lines.ReadString('\n')
			line = strings.TrimRight(line, "\r\n")
		}
		if line == "" && err != nil {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("no value for the secret %q: set ROSTERDESK_SECRET_%s or give it as one line on stdin", key, strings.ToUpper(key)))
		}
		values[key] = line
	}
	return values, nil
}
