package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// exitDifferences is verify's exit status when it found differences (0: none).
const exitDifferences = 4

// connectionOrIntegration finds a connection by name, else an integration, whose connection,
// selection, mapping and entity tasks then apply.
func connectionOrIntegration(ctx context.Context, ws *workspace.Workspace, name string) (store.Connection, engine.VerifyOptions, error) {
	c, err := ws.Store.ConnectionByName(ctx, name)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return c, engine.VerifyOptions{}, err
	}
	in, ierr := ws.Store.IntegrationByName(ctx, name)
	if errors.Is(ierr, store.ErrNotFound) {
		return c, engine.VerifyOptions{}, apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no connection or integration named %q (see: rosterdesk connection list, rosterdesk integration list)", name))
	}
	if ierr != nil {
		return c, engine.VerifyOptions{}, ierr
	}
	c, err = ws.Store.Connection(ctx, in.ConnectionID)
	return c, engine.VerifyOptions{IntegrationID: in.ID, Entities: in.Entities}, err
}

func (e *env) verifyCmd() *cobra.Command {
	var entity string
	cmd := &cobra.Command{Use: "verify NAME [--entity E]", Short: "verification summary: records missing on either side and fields that differ, roster against a connection or integration",
		Long: "verify compares the roster with a source (its last fetch, through its selection and import mapping) or a target " +
			"(the package in its folder, or what Rosterdesk last sent an API target) and lists, per entity, records missing on " +
			"either side and records whose fields differ. Exit status: 0 when there is no difference, 4 when there are, 1 on an error.",
		Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			c, opts, err := connectionOrIntegration(ctx, ws, args[0])
			if err != nil {
				return err
			}
			opts.Entity = roster.Entity(entity)
			// Differences go to a scratch file as they are found, so the counts print first and
			// a district of any size is never held in memory.
			rep := e.reporter()
			v, diffs, err := ws.Engine.VerifyToFile(ctx, c.ID, opts, "", rep, nil)
			rep.finish()
			if err != nil {
				return err
			}
			defer diffs.Remove()
			if e.json {
				err = printVerificationJSON(e.stdout, v, diffs)
			} else {
				err = printVerification(e.stdout, v, diffs)
			}
			if err == nil && v.Differences > 0 {
				err = exitError{exitDifferences, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%d differences between the roster and %s.", v.Differences, v.Connection))}
			}
			return err
		})}
	cmd.Flags().StringVar(&entity, "entity", "", "verify one entity only (orgs, academicSessions, courses, classes, users, roles, enrollments, demographics)")
	return cmd
}

// printVerificationJSON prints the verification with its differences as "rows", streamed.
func printVerificationJSON(w io.Writer, v engine.Verification, diffs *engine.Differences) error {
	head, err := json.Marshal(v)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(head[:len(head)-1])
	bw.WriteString(`,"rows":[`)
	first := true
	err = diffs.Each(func(d engine.Difference) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		row, err := json.Marshal(d)
		bw.Write(row)
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// kindWords says a kind of difference for people.
var kindWords = map[string]string{
	engine.MissingInRoster:     "missing in the roster",
	engine.MissingInConnection: "missing in the connection",
	engine.Differs:             "differs",
}

func printVerification(w io.Writer, v engine.Verification, diffs *engine.Differences) error {
	fmt.Fprintf(w, "Verified the roster against %s (%s): compared with %s.\n", v.Connection, v.Against, v.Basis)
	if v.Stale {
		fmt.Fprintf(w, "Note: the roster holds data of %s imported from a later fetch than this one; fetch again to compare with what it holds now.\n", v.Connection)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entity\tsame\tmissing in roster\tmissing in connection\tdiffer\t")
	for _, ent := range roster.Entities {
		if c, ok := v.Counts[string(ent)]; ok {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", ent, c.Same, c.MissingInRoster, c.MissingInConnection, c.Differs)
		}
	}
	tw.Flush()
	if v.Differences == 0 {
		fmt.Fprintln(w, "No differences.")
		return nil
	}
	return diffs.Each(func(d engine.Difference) error {
		line := fmt.Sprintf("%s %s: %s", d.Entity, d.SourcedID, kindWords[d.Kind])
		if d.RosterID != "" && d.RosterID != d.SourcedID {
			line += " (roster id " + d.RosterID + ")"
		}
		fields := make([]string, len(d.Fields))
		for i, f := range d.Fields {
			fields[i] = fmt.Sprintf("%s roster %s, connection %s", f.Field, quoteValue(f.Roster), quoteValue(f.Connection))
		}
		if len(fields) > 0 {
			line += ": " + strings.Join(fields, "; ")
		}
		_, err := fmt.Fprintln(w, line)
		return err
	})
}

func quoteValue(v string) string {
	if v == "" {
		return "(blank)"
	}
	return fmt.Sprintf("%q", v)
}
