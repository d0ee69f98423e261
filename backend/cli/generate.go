package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/demo"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

func (e *env) generateCmd() *cobra.Command {
	var out, version string
	var users int
	var seed int64
	var dup, others float64
	var defects, guids bool
	cmd := &cobra.Command{Use: "generate --out FILE.zip", Short: "write a synthetic district as a OneRoster ZIP (no real people)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if version != "1.1" && version != "1.2" {
				return apperr.New(apperr.CodeInvalid, "--version is 1.1 or 1.2")
			}
			if users < 1 {
				return apperr.New(apperr.CodeInvalid, "--users must be at least 1")
			}
			if dup < 0 || dup > 1 {
				return apperr.New(apperr.CodeInvalid, "--duplicates is a share between 0 and 1, e.g. 0.02")
			}
			if others < 0 || others > 1 {
				return apperr.New(apperr.CodeInvalid, "--other-ids is a share between 0 and 1, e.g. 0.5")
			}
			rep := e.reporter()
			sum, err := district.GenerateFile(cmd.Context(), out, district.Options{Students: users, Version: version, Seed: seed, Duplicates: dup, Defects: defects, GUIDs: guids, OtherIDs: others,
				Progress: func(done, total int) {
					rep.Report(events.Progress{Stage: "generating", Done: int64(done), Total: int64(total), Unit: "records"})
				}})
			rep.finish()
			if err != nil {
				return err
			}
			return e.print(map[string]any{"out": out, "version": version, "counts": sum.Counts, "schools": sum.Schools, "duplicates": sum.Duplicates, "otherIds": sum.OtherIDs, "pairsFile": sum.PairsFile},
				func(w io.Writer) {
					fmt.Fprintf(w, "Wrote %s: OneRoster %s, %d schools", out, version, sum.Schools)
					for _, ent := range roster.Entities {
						fmt.Fprintf(w, ", %d %s", sum.Counts[ent], ent)
					}
					fmt.Fprintf(w, " (%d injected duplicates", sum.Duplicates)
					if sum.PairsFile != "" {
						fmt.Fprintf(w, ", the true pairs in %s", sum.PairsFile)
					}
					if others > 0 {
						fmt.Fprintf(w, "; %d students and teachers under another system's ids", sum.OtherIDs)
					}
					fmt.Fprintln(w, ")")
				})
		}}
	cmd.Flags().StringVar(&out, "out", "", "the ZIP file to write")
	cmd.Flags().IntVar(&users, "users", 1000, "number of students")
	cmd.Flags().StringVar(&version, "version", "1.2", "OneRoster version: 1.1 or 1.2")
	cmd.Flags().Int64Var(&seed, "seed", 1, "the same seed always gives the same file")
	cmd.Flags().Float64Var(&dup, "duplicates", 0, "share of students (0..1) that get a second record as another system might type it; the true pairs go beside the ZIP in NAME.duplicates.csv")
	cmd.Flags().BoolVar(&defects, "defects", false, "add a few mistakes real exports make, which Rosterdesk reads with a warning")
	cmd.Flags().BoolVar(&guids, "guids", false, "give records GUID-shaped sourcedIds in no particular order, as many SIS exports do")
	cmd.Flags().Float64Var(&others, "other-ids", 0, "share of students and teachers (0..1) under another system's sourcedIds: with the same --seed, a second feed of the same district")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (e *env) demoCmd() *cobra.Command {
	var users int
	cmd := &cobra.Command{Use: "demo", Short: "fill the workspace with a generated demo district", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			rep := e.reporter()
			run, err := demo.Load(ctx, ws.Store, ws.Engine, users, rep)
			rep.finish()
			if err != nil && run.ID == 0 {
				return err
			}
			if perr := e.print(run, func(w io.Writer) {
				fmt.Fprintf(w, "Demo workspace ready: %s\n", ws.Store.Path())
				printRun(w, run)
			}); perr != nil {
				return perr
			}
			return runExit(run, err)
		})}
	cmd.Flags().IntVar(&users, "users", 2000, "number of students in the demo district")
	return cmd
}
