package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// exitForbidden is the exit status of a command the operator's role has not the right for.
const exitForbidden = 5

// operatorsJSON is the stable JSON of `operator list --json`.
type operatorsJSON struct {
	You       rights.Me        `json:"you"`
	Operators []store.Operator `json:"operators"`
}

func (e *env) operatorCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "operator", Short: "who may do what in this workspace: list, add, set the role of and remove operators",
		Long: "Operators are the computer account names allowed to work on this workspace, each with a role:\n" +
			"  full       everything, including connections, integrations, exports, clearing the history and operators\n" +
			"  limited    runs imports and re-syncs by IDs, sees everything, changes nothing else\n" +
			"  read-only  sees connections, data and history\n" +
			"Someone not listed is read-only. The first operator of a workspace is full; the last full one stays full.\n" +
			"A command refused for want of a right exits with status 5."}
	var role string
	list := &cobra.Command{Use: "list", Short: "list the operators and their roles", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			me, err := rights.Of(ctx, ws.Store, ws.Operator)
			if err != nil {
				return err
			}
			ops, err := ws.Store.Operators(ctx)
			if err != nil {
				return err
			}
			return e.print(operatorsJSON{You: me, Operators: ops}, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tROLE\tADDED\tBY")
				for _, o := range ops {
					name, by := o.Name, o.AddedBy
					if strings.EqualFold(name, me.Name) {
						name += " (you)"
					}
					if by == "" {
						by = "(first operator)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, rights.RoleLabel(o.Role), o.AddedAt, by)
				}
				tw.Flush()
				if !me.Listed {
					fmt.Fprintf(w, "You (%s) are not an operator of this workspace and may only look: ask a Full operator to add you.\n", me.Name)
				}
			})
		})}
	add := &cobra.Command{Use: "add NAME --role full|limited|read-only", Short: "add an operator (their computer account name)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			o, err := rights.Add(ctx, ws.Store, ws.Operator, args[0], role)
			if err != nil {
				return err
			}
			return e.print(o, func(w io.Writer) { fmt.Fprintf(w, "Added %s as a %s operator.\n", o.Name, rights.RoleLabel(o.Role)) })
		})}
	add.Flags().StringVar(&role, "role", "", "full, limited or read-only")
	_ = add.MarkFlagRequired("role")
	set := &cobra.Command{Use: "set NAME --role full|limited|read-only", Short: "change an operator's role", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			if err := rights.SetRole(ctx, ws.Store, ws.Operator, args[0], role); err != nil {
				return err
			}
			r, _ := rights.ParseRole(role)
			return e.print(map[string]string{"name": args[0], "role": r}, func(w io.Writer) {
				fmt.Fprintf(w, "%s is now a %s operator.\n", args[0], rights.RoleLabel(r))
			})
		})}
	set.Flags().StringVar(&role, "role", "", "full, limited or read-only")
	_ = set.MarkFlagRequired("role")
	remove := &cobra.Command{Use: "remove NAME", Short: "remove an operator (they may then only look)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			if err := rights.Remove(ctx, ws.Store, ws.Operator, args[0]); err != nil {
				return err
			}
			return e.print(map[string]string{"removed": args[0]}, func(w io.Writer) {
				fmt.Fprintf(w, "Removed %s: they may now only look at this workspace.\n", args[0])
			})
		})}
	cmd.AddCommand(list, add, set, remove)
	return cmd
}
