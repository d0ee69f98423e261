package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/api"
	"github.com/rosterdesk/rosterdesk/backend/apperr"
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
	CreatedAt string            `json:"createdAt"`
}

func toJSON(c store.Connection) connectionJSON {
	return connectionJSON{ID: c.ID, Name: c.Name, Kind: c.Kind, Role: c.Role, Settings: c.Settings, CreatedAt: c.CreatedAt}
}

func (e *env) connectionCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "connection", Short: "add, list, show and remove connections"}
	var kind, role string
	var sets, secrets []string
	add := &cobra.Command{Use: "add NAME --kind KIND [--role R] [--set key=value]...", Short: "add a connection", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			settings, err := parseSets(sets)
			if err != nil {
				return err
			}
			if len(secrets) > 0 {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s connections have no secret settings", kind))
			}
			c, err := api.AddConnection(ctx, ws.Store, ws.Kinds, api.NewConnection{Name: args[0], Kind: kind, Role: role, Settings: settings})
			if err != nil {
				return err
			}
			return e.print(toJSON(c), func(w io.Writer) { fmt.Fprintf(w, "Added connection %q (%s, %s).\n", c.Name, c.Kind, c.Role) })
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
				out = append(out, toJSON(c))
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
			return e.print(toJSON(c), func(w io.Writer) {
				fmt.Fprintf(w, "%s\n  kind: %s\n  role: %s\n  created: %s\n", c.Name, c.Kind, c.Role, c.CreatedAt)
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

	remove := &cobra.Command{Use: "remove NAME", Short: "remove a connection (its run history stays)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			if err := ws.Store.RemoveConnection(ctx, c.ID); err != nil {
				return err
			}
			return e.print(map[string]any{"removed": c.Name}, func(w io.Writer) { fmt.Fprintf(w, "Removed connection %q.\n", c.Name) })
		})}
	test := &cobra.Command{Use: "test NAME", Short: "check that a connection can be reached and read", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			out, err := ws.Engine.Test(ctx, c.ID)
			if err != nil {
				return err
			}
			result := map[string]any{"connection": c.Name, "ok": out.OK, "message": out.Message, "testedAt": out.At}
			if err := e.print(result, func(w io.Writer) { fmt.Fprintf(w, "%s: %s\n", c.Name, out.Message) }); err != nil {
				return err
			}
			if !out.OK {
				return exitError{1, apperr.New(apperr.CodeBadInput, "the test of "+c.Name+" failed")}
			}
			return nil
		})}
	cmd.AddCommand(add, list, show, test, remove)
	return cmd
}

// connectionNamed finds a connection by name with a message that helps when it does not exist.
func connectionNamed(ctx context.Context, ws *workspace.Workspace, name string) (store.Connection, error) {
	c, err := ws.Store.ConnectionByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return c, apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no connection named %q (see: rosterdesk connection list)", name))
	}
	return c, err
}
