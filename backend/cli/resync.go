package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

func (e *env) resyncCmd() *cobra.Command {
	var object, ids, idsFile string
	var withDeps bool
	cmd := &cobra.Command{Use: "resync NAME --object users|enrollments|classes|orgs (--ids A,B | --ids-file F) [--with-dependencies]",
		Short: "re-sync by IDs: send a target just these records, or re-pull them from a source (with what they depend on), as a run of mode ids",
		Long: "resync sends a target just these records of the roster (new and changed ones go), or, naming a source, fetches it afresh and " +
			"imports just these records through its selection and import mapping. Nothing is deleted either way. IDs that match nothing " +
			"change nothing and are listed as not found; from a source, IDs outside its selection are skipped (the next import would delete them again).",
		Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			list, err := idList(ids, idsFile)
			if err != nil {
				return err
			}
			c, _, err := connectionOrIntegration(ctx, ws, args[0])
			if err != nil {
				return err
			}
			rep := e.reporter()
			res, err := ws.Engine.Resync(ctx, c.ID, roster.Entity(object), list, withDeps, rep)
			rep.finish()
			if res.Run.ID == 0 {
				return err
			}
			if perr := e.print(res, func(w io.Writer) {
				printRun(w, res.Run)
				if len(res.NotFound) > 0 {
					what := "nothing was sent for them"
					if res.Run.Direction == "import" {
						what = "nothing was changed for them"
					}
					fmt.Fprintf(w, "Not found (%s): %s\n", what, strings.Join(res.NotFound, ", "))
				}
			}); perr != nil {
				return perr
			}
			return runExit(res.Run, err)
		})}
	cmd.Flags().StringVar(&object, "object", "", "users, enrollments, classes or orgs")
	cmd.Flags().StringVar(&ids, "ids", "", "the records' sourcedIds (roster or source), comma-separated")
	cmd.Flags().StringVar(&idsFile, "ids-file", "", "a file of sourcedIds, one per line or comma-separated")
	cmd.Flags().BoolVar(&withDeps, "with-dependencies", false, "also re-sync the records they depend on (an enrollment's class, user and school; a class's course, school and terms; …)")
	cmd.MarkFlagRequired("object")
	return cmd
}

// idList reads the ids given on the command line or in a file: one per line or comma-separated.
func idList(ids, file string) ([]string, error) {
	if (ids == "") == (file == "") {
		return nil, apperr.New(apperr.CodeInvalid, "give the records' IDs with --ids A,B or --ids-file FILE (one of them)")
	}
	if file != "" {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("cannot read %s: %v", file, err))
		}
		ids = string(raw)
	}
	return engine.ParseIDs(ids), nil
}
