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
	cmd := &cobra.Command{Use: "mapping", Short: "how an export fills an API target's fields from the roster, or an import takes a source's fields into it (SPEC §6)",
		Long: `NAME is an integration, or a connection for its own integration (for a target its first export,
else its first import).`}
	var entity, file, id string
	entityFlag := func(c *cobra.Command) {
		c.Flags().StringVar(&entity, "entity", "users", "the OneRoster entity: users, classes, orgs, …")
	}
	show := &cobra.Command{Use: "show NAME --entity E", Short: "the mapping of an integration's entity (--json prints a file `mapping set` takes)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			in, err := setupNamed(ctx, ws, args[0])
			if err != nil {
				return err
			}
			m, saved, err := ws.Engine.Mapping(ctx, in.ID, roster.Entity(entity))
			if err != nil {
				return err
			}
			return e.print(m, func(w io.Writer) { printMapping(w, in.Name, m, saved) })
		})}
	entityFlag(show)
	set := &cobra.Command{Use: "set NAME --entity E --file F", Short: "replace the mapping of an integration's entity with a file's", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			in, err := setupNamed(ctx, ws, args[0])
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
			if err := ws.Engine.SaveMapping(ctx, in.ID, m); err != nil {
				return withDetails(err)
			}
			return e.print(m, func(w io.Writer) {
				fmt.Fprintf(w, "Mapping of %s for %s set from %s.\n", entity, in.Name, file)
				printMapping(w, in.Name, m, true)
			})
		})}
	entityFlag(set)
	set.Flags().StringVar(&file, "file", "", "the mapping as JSON (see the README)")
	_ = set.MarkFlagRequired("file")
	preview := &cobra.Command{Use: "preview NAME --entity E --id ID", Short: "the exact object the target would get for one record", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			p, err := previewSaved(ctx, ws, args[0], roster.Entity(entity), id)
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

// previewSaved previews on one record the saved mapping of an entity of the integration named so, or
// of a connection's own.
func previewSaved(ctx context.Context, ws *workspace.Workspace, name string, ent roster.Entity, id string) (engine.Preview, error) {
	in, err := setupNamed(ctx, ws, name)
	if err != nil {
		return engine.Preview{}, err
	}
	m, _, err := ws.Engine.Mapping(ctx, in.ID, ent)
	if err != nil {
		return engine.Preview{}, err
	}
	p, err := ws.Engine.PreviewMapping(ctx, in.ConnectionID, m, id)
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
