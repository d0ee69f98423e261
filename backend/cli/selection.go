package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/selectsheet"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// selectionOut is what `select --json` prints: the selection of an integration (on a connection)
// and what it lets through.
type selectionOut struct {
	Integration string                `json:"integration"`
	Connection  string                `json:"connection"`
	Selection   selection.Selection   `json:"selection"`
	Totals      map[roster.Entity]int `json:"totals"`
	// Upload is set by --import: what the spreadsheet said and changed.
	Upload *selectsheet.Result `json:"upload,omitempty"`
	// File is set by --export: the spreadsheet written.
	File string `json:"file,omitempty"`
}

// selectFlags are the flags of select.
type selectFlags struct {
	all, none, without, with              bool
	guardians, noGuardians                bool
	ids, exportFile, importFile, statuses string
	holdDelete, holdChange                float64
}

func (e *env) selectCmd() *cobra.Command {
	var o selectFlags
	cmd := &cobra.Command{
		Use:   "select NAME [orgs|classes|users]",
		Short: "show or change what an integration lets through (its selection)",
		Long: `select NAME                      show the selection and how many records of each entity it lets through
select NAME orgs|classes [--all|--none|--ids A,B] [--export FILE.xlsx|--import FILE.xlsx|.csv]
select NAME users --statuses active,inactive,deleted,blank [--without-enrollments|--enrolled-only] [--guardians|--no-guardians]
select NAME [--hold-delete PCT] [--hold-change PCT]   the safety hold's thresholds (default 10 and 75)
NAME is an integration, or a connection for its own integration (the one its Import or Export
button runs: for a target its first export, else its first import; a sync counts as both).`,
		Args: cobra.RangeArgs(1, 2),
	}
	cmd.RunE = e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
		in, err := setupNamed(ctx, ws, args[0])
		if err != nil {
			return err
		}
		sel, err := ws.Store.Selection(ctx, in.ID)
		if err != nil {
			return err
		}
		shape, err := ws.Engine.Shape(ctx, in.ConnectionID, events.Discard)
		if err != nil {
			return err
		}
		out := selectionOut{Integration: in.Name, Connection: in.ConnectionName}
		next := sel.Proposed()
		changed := false
		if f := cmd.Flags(); f.Changed("hold-delete") || f.Changed("hold-change") {
			if f.Changed("hold-delete") {
				next.HoldDelete = o.holdDelete
			}
			if f.Changed("hold-change") {
				next.HoldChange = o.holdChange
			}
			changed = true
		}
		what := ""
		if len(args) == 2 {
			what = args[1]
		}
		switch what {
		case "":
		case "users":
			err = o.users(&next)
			changed = true
		case selectsheet.Orgs, selectsheet.Classes:
			var picked bool
			picked, err = e.pick(o, in.Name, shape, sel, what, &next, &out)
			changed = changed || picked
		default:
			err = apperr.New(apperr.CodeInvalid, fmt.Sprintf("select orgs, classes or users, not %q", what))
		}
		if err != nil {
			return err
		}
		if changed {
			if next, err = next.Normalize(); err != nil {
				return err
			}
			if err := ws.Engine.SaveSelection(ctx, in.ID, next); err != nil {
				return err
			}
			sel = next
		}
		out.Selection, out.Totals = sel, shape.Graph.Closure(sel).Totals()
		return e.print(out, func(w io.Writer) { printSelection(w, out, shape.From) })
	})
	f := cmd.Flags()
	f.BoolVar(&o.all, "all", false, "every org (or class), including ones added later")
	f.BoolVar(&o.none, "none", false, "no org (or class)")
	f.StringVar(&o.ids, "ids", "", "these sourcedIds, comma-separated")
	f.StringVar(&o.exportFile, "export", "", "write a spreadsheet with a sync column to edit")
	f.StringVar(&o.importFile, "import", "", "read an edited spreadsheet (.xlsx or .csv) back; nothing changes if it has problems")
	f.StringVar(&o.statuses, "statuses", "", "user statuses that go through: active, inactive, deleted, blank")
	f.BoolVar(&o.without, "without-enrollments", false, "also users with a role at a chosen org but no enrollment in a chosen class")
	f.BoolVar(&o.with, "enrolled-only", false, "only users enrolled in a chosen class (the default)")
	f.BoolVar(&o.guardians, "guardians", false, "also the guardians and parents of the students who go through (the default)")
	f.BoolVar(&o.noGuardians, "no-guardians", false, "not the guardians and parents of the students who go through")
	f.Float64Var(&o.holdDelete, "hold-delete", selection.DefaultHoldDelete, "hold a run that deletes more than this percent of an entity's records")
	f.Float64Var(&o.holdChange, "hold-change", selection.DefaultHoldChange, "hold a run that changes more than this percent of an entity's records")
	return cmd
}

// users applies `select NAME users …` to next.
func (o selectFlags) users(next *selection.Selection) error {
	if o.statuses == "" && !o.without && !o.with && !o.guardians && !o.noGuardians {
		return apperr.New(apperr.CodeInvalid, "say which users go through: --statuses active,inactive,deleted,blank, --without-enrollments / --enrolled-only and/or --guardians / --no-guardians")
	}
	if o.statuses != "" {
		statuses, err := selection.ParseStatuses(o.statuses)
		if err != nil {
			return err
		}
		next.Statuses = statuses
	}
	if o.without || o.with {
		next.WithoutEnrollments = o.without
	}
	if o.guardians || o.noGuardians {
		next.Guardians = o.guardians
	}
	return nil
}

// pick applies `select NAME orgs|classes …`: a spreadsheet written (nothing changes), one read back,
// or a choice by flags. It reports whether next changed.
func (e *env) pick(o selectFlags, name string, shape engine.Shape, sel selection.Selection, what string, next *selection.Selection, out *selectionOut) (bool, error) {
	given := 0
	for _, set := range []bool{o.all, o.none, o.ids != "", o.exportFile != "", o.importFile != ""} {
		if set {
			given++
		}
	}
	if given != 1 {
		return false, apperr.New(apperr.CodeInvalid, "give exactly one of --all, --none, --ids, --export or --import")
	}
	switch {
	case o.exportFile != "":
		out.File = o.exportFile
		return false, writeFile(o.exportFile, func(w io.Writer) error { return selectsheet.Write(w, shape.Graph, sel, what) })
	case o.importFile != "":
		f, err := os.Open(o.importFile)
		if err != nil {
			return false, apperr.New(apperr.CodeBadInput, fmt.Sprintf("cannot open %s: %v", o.importFile, err))
		}
		res, err := selectsheet.Read(f, filepath.Base(o.importFile), shape.Graph, sel, what)
		f.Close()
		if err != nil {
			return false, err
		}
		out.Upload = &res
		if len(res.Upload.Findings) > 0 {
			e.print(*out, func(w io.Writer) { printSheetFindings(w, o.importFile, res) })
			return false, apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s has %d problems; the selection was not changed", o.importFile, len(res.Upload.Findings)))
		}
		*next = res.Selection
		return true, nil
	}
	list := splitIDs(o.ids)
	if unknown := shape.Graph.Unknown(roster.Entity(what), list); len(unknown) > 0 {
		return false, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s has no %s with the ID %s; nothing was changed (select %s %s --export lists them)",
			shape.From, what, strings.Join(unknown, ", "), name, what))
	}
	if what == selectsheet.Orgs {
		next.OrgsAll, next.Orgs = o.all, list
	} else {
		next.ClassesAll, next.Classes = o.all, list
	}
	return true, nil
}

func splitIDs(list string) []string {
	out := []string{}
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func printSheetFindings(w io.Writer, file string, res selectsheet.Result) {
	for i, f := range res.Upload.Findings {
		if i == maxFindingsShown {
			fmt.Fprintf(w, "  … and %d more (--json lists all)\n", len(res.Upload.Findings)-i)
			break
		}
		fmt.Fprintf(w, "  %s row %d, %s: %s\n", filepath.Base(file), f.Row, f.Column, f.Message)
	}
}

func printSelection(w io.Writer, out selectionOut, from string) {
	if out.File != "" {
		fmt.Fprintf(w, "Wrote %s: set the sync column to Yes or No, then read it back with --import.\n", out.File)
	}
	if u := out.Upload; u != nil {
		fmt.Fprintf(w, "Read %d rows: %d chosen before, %d now.\n", u.Upload.Rows, u.Before, u.After)
	}
	sel := out.Selection
	users := "enrolled in a chosen class"
	if sel.WithoutEnrollments {
		users += ", or with a role at a chosen org"
	}
	if sel.Guardians {
		users += ", and their guardians and parents"
	}
	fmt.Fprintf(w, "Selection of %s (on %s, chosen from %s):\n  orgs: %s\n  classes: %s\n  users: %s; statuses %s\n  safety hold: more than %.0f %% deleted or %.0f %% changed\n",
		out.Integration, out.Connection, from, chosenCount(sel.OrgsAll, sel.Orgs), chosenCount(sel.ClassesAll, sel.Classes), users, strings.Join(statusNames(sel), ", "), sel.HoldDelete, sel.HoldChange)
	if sel.Full() {
		fmt.Fprintln(w, "  (everything goes through)")
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entity\tgoes through\t")
	for _, ent := range roster.Entities {
		fmt.Fprintf(tw, "%s\t%d\t\n", ent, out.Totals[ent])
	}
	tw.Flush()
}

// chosenCount says how many orgs or classes a selection picks: all, or how many chosen.
func chosenCount(all bool, ids []string) string {
	if all {
		return "all"
	}
	return fmt.Sprintf("%d chosen", len(ids))
}

// statusNames are the user statuses a selection lets through.
func statusNames(sel selection.Selection) []string {
	out := make([]string, len(sel.Statuses))
	for i, st := range sel.Statuses {
		out[i] = string(st)
	}
	return out
}

// setupNamed is the integration whose selection and mappings a command sets up: the integration
// named so, or a connection's own (its export for a target, else its import).
func setupNamed(ctx context.Context, ws *workspace.Workspace, name string) (store.Integration, error) {
	c, err := ws.Store.ConnectionByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		in, ierr := ws.Store.IntegrationByName(ctx, name)
		if errors.Is(ierr, store.ErrNotFound) {
			return in, apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no integration or connection named %q (see: rosterdesk integration list)", name))
		}
		return in, ierr
	}
	if err != nil {
		return store.Integration{}, err
	}
	direction := store.DirectionImport
	if c.Role == connector.RoleTarget {
		direction = store.DirectionExport
	}
	return ws.Engine.OwnIntegration(ctx, c, direction)
}
