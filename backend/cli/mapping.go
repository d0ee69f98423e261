package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

func (e *env) mappingCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "mapping", Short: "how an API target's fields are filled from the roster, or a source's fields go into it (SPEC §6)"}
	var entity, file, id string
	entityFlag := func(c *cobra.Command) {
		c.Flags().StringVar(&entity, "entity", "users", "the OneRoster entity: users, classes, orgs, …")
	}
	show := &cobra.Command{Use: "show NAME --entity E", Short: "the mapping of a target's entity (--json prints a file `mapping set` takes)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			m, saved, err := ws.Engine.Mapping(ctx, c.ID, roster.Entity(entity))
			if err != nil {
				return err
			}
			return e.print(m, func(w io.Writer) { printMapping(w, c.Name, m, saved) })
		})}
	entityFlag(show)
	set := &cobra.Command{Use: "set NAME --entity E --file F", Short: "replace the mapping of a target's entity with a file's", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return apperr.New(apperr.CodeBadInput, fmt.Sprintf("cannot read %s: %v", file, err))
			}
			m, err := mapping.Parse(data)
			if err != nil {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s: %v. Nothing was changed.", file, err))
			}
			if m.Entity == "" {
				m.Entity = entity
			}
			if m.Entity != entity {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s maps %s, not %s (--entity). Nothing was changed.", file, m.Entity, entity))
			}
			if err := ws.Engine.SaveMapping(ctx, c.ID, m); err != nil {
				return withDetails(err)
			}
			return e.print(m, func(w io.Writer) {
				fmt.Fprintf(w, "Mapping of %s for %s set from %s.\n", entity, c.Name, file)
				printMapping(w, c.Name, m, true)
			})
		})}
	entityFlag(set)
	set.Flags().StringVar(&file, "file", "", "the mapping as JSON (see the README)")
	_ = set.MarkFlagRequired("file")
	preview := &cobra.Command{Use: "preview NAME --entity E --id ID", Short: "the exact object the target would get for one record", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, err := connectionNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			p, err := previewSaved(ctx, ws, c.ID, roster.Entity(entity), id)
			if err != nil {
				return err
			}
			if p.Failed {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s %s cannot be mapped: %s", entity, p.RecordID, p.Error))
			}
			if e.json {
				_, err := io.WriteString(e.stdout, p.Payload+"\n")
				return err
			}
			if p.Method == "" { // a source's import mapping
				fmt.Fprintf(e.stdout, "What the roster takes from %s %s:\n%s\n", entity, p.RecordID, p.Payload)
				return nil
			}
			fmt.Fprintf(e.stdout, "%s %s (%s)\n%s\n", p.Method, p.URL, p.Action, p.Payload)
			return nil
		})}
	entityFlag(preview)
	preview.Flags().StringVar(&id, "id", "", "the record: its roster ID or any source's ID of it")
	_ = preview.MarkFlagRequired("id")
	cmd.AddCommand(show, set, preview)
	return cmd
}

// previewSaved previews the saved mapping of a target's entity on one record.
func previewSaved(ctx context.Context, ws *workspace.Workspace, connectionID int64, ent roster.Entity, id string) (engine.Preview, error) {
	m, _, err := ws.Engine.Mapping(ctx, connectionID, ent)
	if err != nil {
		return engine.Preview{}, err
	}
	p, err := ws.Engine.PreviewMapping(ctx, connectionID, m, id)
	if err == nil && len(p.Problems) > 0 {
		err = apperr.New(apperr.CodeInvalid, "The saved mapping has problems; fix them with mapping set: "+p.Problems[0].Message)
	}
	return p, err
}

// withDetails adds an error's details (a mapping's problems) to its message, one per line.
func withDetails(err error) error {
	ae := apperr.From(err)
	details, ok := ae.Details.([]string)
	if !ok || len(details) < 2 {
		return err
	}
	return apperr.New(ae.Code, ae.Message+"\n  "+strings.Join(details, "\n  ")+"\nNothing was changed.")
}

func printMapping(w io.Writer, target string, m mapping.Mapping, saved bool) {
	state := "saved"
	if !saved {
		state = "the default: every field under its own name"
	}
	fmt.Fprintf(w, "Mapping of %s for %s (%s):\n", m.Entity, target, state)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET FIELD\tTYPE\tFROM\tKEY\tOVERWRITE")
	for _, f := range m.Fields {
		from := f.From
		switch f.Type {
		case mapping.Transformation:
			from = f.Expr
		case mapping.Codes:
			from = fmt.Sprintf("%s (%d codes, unmatched: %s)", f.From, len(f.Codes), unmatchedText(f))
		}
		key, overwrite := "", "yes"
		if f.Key {
			key = "key"
		}
		if f.Overwrite != nil && !*f.Overwrite {
			overwrite = "no"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.To, f.Type, from, key, overwrite)
	}
	tw.Flush()
}

func unmatchedText(f mapping.Field) string {
	if f.Unmatched == mapping.UnmatchedDefault {
		return fmt.Sprintf("%q", f.Default)
	}
	if f.Unmatched == "" {
		return mapping.UnmatchedBlank
	}
	return f.Unmatched
}
