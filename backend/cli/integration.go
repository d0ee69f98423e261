package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// integrationJSON is the stable JSON of an integration. Times are RFC 3339 with the computer's
// offset, "" for none; nextRun is "" for a manual or disabled integration.
type integrationJSON struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Type         string   `json:"type"`
	Connection   string   `json:"connection"`
	Entities     []string `json:"entities"`
	Schedule     string   `json:"schedule"`
	ScheduleText string   `json:"scheduleText"`
	Conflict     string   `json:"conflict"`
	Enabled      bool     `json:"enabled"`
	LastRun      int64    `json:"lastRun"`
	LastResult   string   `json:"lastResult"`
	LastRunAt    string   `json:"lastRunAt"`
	NextRun      string   `json:"nextRun"`
	// Setup is shown for one integration (show, add, edit), not in lists.
	Setup *setupJSON `json:"setup,omitempty"`
}

// setupJSON is what an integration lets through, its safety hold and which entities it maps.
type setupJSON struct {
	Selection  string   `json:"selection"`  // in words
	Everything bool     `json:"everything"` // it lets every record through
	HoldDelete float64  `json:"holdDelete"` // percent of an entity's records a run may delete before it is held
	HoldChange float64  `json:"holdChange"` // … or change
	Mapped     []string `json:"mapped"`     // entities with a saved mapping; the others are mapped by default
}

func toSetupJSON(s integrations.Setup) *setupJSON {
	sel := s.Selection
	out := &setupJSON{Selection: "everything goes through", Everything: sel.Full(), HoldDelete: sel.HoldDelete, HoldChange: sel.HoldChange, Mapped: s.Mapped}
	if !out.Everything {
		out.Selection = fmt.Sprintf("orgs %s, classes %s, users %s", chosenCount(sel.OrgsAll, sel.Orgs), chosenCount(sel.ClassesAll, sel.Classes), strings.Join(statusNames(sel), "/"))
		if sel.WithoutEnrollments {
			out.Selection += " also without enrollments"
		}
		if sel.Guardians {
			out.Selection += " with their guardians"
		}
	}
	return out
}

func toIntegrationJSON(in integrations.Integration) integrationJSON {
	return integrationJSON{ID: in.ID, Name: in.Name, Type: in.Type, Connection: in.ConnectionName, Entities: in.Entities,
		Schedule: in.Schedule, ScheduleText: in.ScheduleText, Conflict: in.Conflict, Enabled: in.Enabled,
		LastRun: in.LastRunID, LastResult: in.LastResult, LastRunAt: integrations.StoredLocal(in.LastRunAt), NextRun: integrations.Local(in.NextRun)}
}

// or is s, or dash for nothing, in a table.
func or(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// printIntegrations lists integrations for people, one a line.
func printIntegrations(w io.Writer, ins []integrationJSON) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tCONNECTION\tSCHEDULE\tSTATE\tLAST RUN\tNEXT RUN")
	for _, in := range ins {
		state, last := "enabled", "-"
		if !in.Enabled {
			state = "disabled"
		}
		if in.LastRun != 0 {
			last = fmt.Sprintf("run %d %s %s", in.LastRun, in.LastResult, in.LastRunAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", in.Name, in.Type, in.Connection, in.Schedule, state, last, or(in.NextRun))
	}
	tw.Flush()
}

func printIntegration(w io.Writer, in integrationJSON) {
	entities := "all"
	if len(in.Entities) > 0 {
		entities = strings.Join(in.Entities, ", ")
	}
	state := "enabled"
	if !in.Enabled {
		state = "disabled"
	}
	fmt.Fprintf(w, "Integration %q: %s with %s\n", in.Name, in.Type, in.Connection)
	fmt.Fprintf(w, "  entities:  %s\n  schedule:  %s (%s), %s\n", entities, in.Schedule, in.ScheduleText, state)
	if in.Type == store.IntegrationSync {
		fmt.Fprintf(w, "  conflicts: %s\n", conflictWords[in.Conflict])
	}
	if in.LastRun != 0 {
		fmt.Fprintf(w, "  last run:  run %d, %s, %s\n", in.LastRun, in.LastResult, in.LastRunAt)
	}
	if in.NextRun != "" {
		fmt.Fprintf(w, "  next run:  %s\n", in.NextRun)
	}
	if s := in.Setup; s != nil {
		mapped := "none (the defaults)"
		if len(s.Mapped) > 0 {
			mapped = strings.Join(s.Mapped, ", ")
		}
		fmt.Fprintf(w, "  selection: %s (rosterdesk select %q)\n  safety hold: more than %g %% deleted or %g %% changed\n  mappings:  %s\n",
			s.Selection, in.Name, s.HoldDelete, s.HoldChange, mapped)
	}
}

// conflictWords says a sync's conflict policy for people.
var conflictWords = map[string]string{
	"workspace": "the roster's value wins",
	"external":  "the connection's value wins",
	"newest":    "the newer record (dateLastModified) wins",
	"ask":       "ask (both keep theirs until a registrar chooses)",
}

// entityList splits --entities a,b,c.
func entityList(s string) []string {
	var out []string
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// withIntegration runs fn on the integration named by the command's argument.
func (e *env) withIntegration(fn func(ctx context.Context, ws *workspace.Workspace, in integrations.Integration) error) func(*cobra.Command, []string) error {
	return e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
		in, err := ws.Integrations.ByName(ctx, args[0])
		if err != nil {
			return err
		}
		return fn(ctx, ws, in)
	})
}

func (e *env) printOne(ctx context.Context, ws *workspace.Workspace, in integrations.Integration, verb string) error {
	out := toIntegrationJSON(in)
	setup, err := ws.Integrations.Setup(ctx, in.ID)
	if err != nil {
		return err
	}
	out.Setup = toSetupJSON(setup)
	return e.print(out, func(w io.Writer) {
		if verb != "" {
			fmt.Fprintf(w, "%s integration %q.\n", verb, in.Name)
		}
		printIntegration(w, out)
	})
}

func (e *env) integrationCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "integration", Short: "add, list, show, edit, enable, disable, run and remove integrations"}
	var typ, source, target, conn, entities, sched, conflict string
	var holdDelete, holdChange float64
	// holds are the thresholds the command line gives (nil: unchanged).
	holds := func(c *cobra.Command, req *integrations.Request) {
		if c.Flags().Changed("hold-delete") {
			req.HoldDelete = &holdDelete
		}
		if c.Flags().Changed("hold-change") {
			req.HoldChange = &holdChange
		}
	}
	holdFlags := func(c *cobra.Command) {
		c.Flags().Float64Var(&holdDelete, "hold-delete", 0, "hold a run that deletes more than this percent of an entity's records")
		c.Flags().Float64Var(&holdChange, "hold-change", 0, "hold a run that changes more than this percent of an entity's records")
	}
	add := &cobra.Command{Use: "add NAME --type import|export|sync (--source C | --target C | --connection C) [--entities a,b] [--schedule TEXT] [--conflict P] [--hold-delete PCT] [--hold-change PCT]",
		Short: "add an integration; it starts with the selection, safety hold and mappings of its connection's own", Args: cobra.ExactArgs(1)}
	add.RunE = e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
		var name string
		for _, n := range []string{source, target, conn} {
			if n != "" && name != "" {
				return apperr.New(apperr.CodeInvalid, "name one connection: --source for an import, --target for an export, --connection for a sync")
			}
			if n != "" {
				name = n
			}
		}
		if name == "" {
			return apperr.New(apperr.CodeInvalid, "name its connection: --source C for an import, --target C for an export, --connection C for a sync")
		}
		c, err := connectionNamed(ctx, ws, name)
		if err != nil {
			return err
		}
		req := integrations.Request{Name: args[0], Type: typ, ConnectionID: c.ID, Entities: entityList(entities), Schedule: sched, Conflict: conflict}
		holds(add, &req)
		in, err := ws.Integrations.Add(ctx, req)
		if err != nil {
			return err
		}
		return e.printOne(ctx, ws, in, "Added")
	})
	add.Flags().StringVar(&typ, "type", "", "import, export or sync")
	add.Flags().StringVar(&source, "source", "", "the source an import reads")
	add.Flags().StringVar(&target, "target", "", "the target an export writes")
	add.Flags().StringVar(&conn, "connection", "", "the connection (role both) a sync reads and writes")
	add.Flags().StringVar(&entities, "entities", "", "entity tasks, comma-separated: "+strings.Join(integrations.Tasks, ",")+" (default: all)")
	add.Flags().StringVar(&sched, "schedule", "manual", `"hourly :15", "daily 02:00", "weekly mon,wed 06:30" or manual`)
	add.Flags().StringVar(&conflict, "conflict", "", "a sync's policy for a field changed on both sides: workspace (default), external, newest or ask")
	holdFlags(add)
	_ = add.MarkFlagRequired("type")

	edit := &cobra.Command{Use: "edit NAME [--entities a,b] [--schedule TEXT] [--conflict P] [--hold-delete PCT] [--hold-change PCT]",
		Short: "change an integration's entity tasks, schedule, conflict policy or safety hold", Args: cobra.ExactArgs(1)}
	edit.RunE = e.withIntegration(func(ctx context.Context, ws *workspace.Workspace, in integrations.Integration) error {
		req := integrations.Request{Name: in.Name, Type: in.Type, ConnectionID: in.ConnectionID, Entities: in.Entities, Schedule: in.Schedule, Conflict: in.Conflict}
		if edit.Flags().Changed("entities") {
			req.Entities = entityList(entities)
		}
		if edit.Flags().Changed("schedule") {
			req.Schedule = sched
		}
		if edit.Flags().Changed("conflict") {
			req.Conflict = conflict
		}
		holds(edit, &req)
		in, err := ws.Integrations.Edit(ctx, in.ID, req)
		if err != nil {
			return err
		}
		return e.printOne(ctx, ws, in, "Changed")
	})
	holdFlags(edit)
	edit.Flags().StringVar(&entities, "entities", "", "entity tasks, comma-separated (empty: all)")
	edit.Flags().StringVar(&sched, "schedule", "", "the new schedule")
	edit.Flags().StringVar(&conflict, "conflict", "", "the new conflict policy (sync)")

	list := e.integrationListCmd("list integrations with their state, last and next run")
	show := &cobra.Command{Use: "show NAME", Short: "an integration", Args: cobra.ExactArgs(1),
		RunE: e.withIntegration(func(ctx context.Context, ws *workspace.Workspace, in integrations.Integration) error {
			return e.printOne(ctx, ws, in, "")
		})}
	remove := &cobra.Command{Use: "remove NAME", Short: "remove an integration (its runs stay in the history)", Args: cobra.ExactArgs(1),
		RunE: e.withIntegration(func(ctx context.Context, ws *workspace.Workspace, in integrations.Integration) error {
			if err := ws.Integrations.Remove(ctx, in.ID); err != nil {
				return err
			}
			return e.print(map[string]any{"removed": in.Name}, func(w io.Writer) { fmt.Fprintf(w, "Removed integration %q.\n", in.Name) })
		})}
	enabled := func(on bool, use, short, verb string) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(1),
			RunE: e.withIntegration(func(ctx context.Context, ws *workspace.Workspace, in integrations.Integration) error {
				in, err := ws.Integrations.SetEnabled(ctx, in.ID, on)
				if err != nil {
					return err
				}
				return e.printOne(ctx, ws, in, verb)
			})}
	}
	cmd.AddCommand(add, edit, list, show, remove, e.integrationRunCmd(),
		enabled(true, "enable NAME", "let an integration's schedule run it (what it missed meanwhile is not caught up)", "Enabled"),
		enabled(false, "disable NAME", "stop an integration's schedule (it still runs by hand)", "Disabled"))
	return cmd
}

// integrationListCmd lists the integrations (integration list, and schedule list).
func (e *env) integrationListCmd(short string) *cobra.Command {
	return &cobra.Command{Use: "list", Short: short, Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			ins, err := ws.Integrations.List(ctx)
			if err != nil {
				return err
			}
			out := make([]integrationJSON, len(ins))
			for i, in := range ins {
				out[i] = toIntegrationJSON(in)
			}
			return e.print(out, func(w io.Writer) { printIntegrations(w, out) })
		})}
}

func (e *env) integrationRunCmd() *cobra.Command {
	var plan, override bool
	var initial string
	cmd := &cobra.Command{Use: "run NAME [--plan] [--initial workspace|external] [--override-hold]", Short: "run an integration now", Args: cobra.ExactArgs(1)}
	cmd.RunE = e.withIntegration(func(ctx context.Context, ws *workspace.Workspace, in integrations.Integration) error {
		rep := e.reporter()
		res, err := ws.Integrations.Run(ctx, in.ID, integrations.RunRequest{PlanOnly: plan, Initial: initial, OverrideHold: override}, rep)
		rep.finish()
		if plan {
			if err != nil {
				return err
			}
			return e.print(res.Plan, func(w io.Writer) { printPlan(w, res.Plan) })
		}
		if res.Run.ID == 0 {
			return err // nothing was started
		}
		if perr := e.print(res.Run, func(w io.Writer) { printRun(w, res.Run) }); perr != nil {
			return perr
		}
		return runExit(res.Run, err)
	})
	cmd.Flags().BoolVar(&plan, "plan", false, "show what the run would do, change nothing")
	cmd.Flags().StringVar(&initial, "initial", "", "a first sync with data on both sides: the starting truth, workspace or external")
	cmd.Flags().BoolVar(&override, "override-hold", false, "apply even if the run deletes or changes more than the safety hold allows")
	return cmd
}
