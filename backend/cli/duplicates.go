package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/dedupe"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// pairStatuses are the statuses `duplicates list --status` takes; "all" lists every pair.
var pairStatuses = []string{store.PairPending, store.PairMerged, store.PairIgnored, store.PairNew, "all"}

// pairPageSize is how many pairs `duplicates list` asks the store for at a time (a variable so a
// test can page through a few).
var pairPageSize = 500

func (e *env) duplicatesCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "duplicates", Short: "find duplicate people, review and merge them, undo a merge"}
	cmd.AddCommand(e.domainsCmd(), e.duplicateSettingsCmd(), e.scanCmd(), e.pairsListCmd(), e.pairShowCmd(), e.resolveCmd(), e.pairUndoCmd())
	return cmd
}

func (e *env) domainsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "domains", Short: "the domains of uniqueness: which fields make two records the same person"}
	show := &cobra.Command{Use: "show", Short: "the domains in priority order (--json prints a file `domains set` takes)", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			cfg, err := ws.Engine.DuplicateDomains(ctx)
			if err != nil {
				return err
			}
			return e.print(cfg, func(w io.Writer) { printDomains(w, cfg) })
		})}
	var file string
	set := &cobra.Command{Use: "set --file domains.json", Short: "replace the domains with those of a file", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			data, err := os.ReadFile(file)
			if err != nil {
				return apperr.New(apperr.CodeBadInput, fmt.Sprintf("cannot read %s: %v", file, err))
			}
			cfg, err := dedupe.Parse(data)
			if err != nil {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s: %v. Nothing was changed.", file, err))
			}
			if err := ws.Engine.SetDuplicateDomains(ctx, cfg); err != nil {
				return err
			}
			return e.print(cfg, func(w io.Writer) {
				fmt.Fprintf(w, "Domains set from %s. They apply from the next scan (rosterdesk duplicates scan).\n", file)
				printDomains(w, cfg)
			})
		})}
	set.Flags().StringVar(&file, "file", "", "the domains as JSON (see the README; duplicates domains show --json prints the current ones)")
	_ = set.MarkFlagRequired("file")
	reset := &cobra.Command{Use: "reset", Short: "back to the default domains", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			if err := ws.Engine.ResetDuplicateDomains(ctx); err != nil {
				return err
			}
			cfg := dedupe.Defaults()
			return e.print(cfg, func(w io.Writer) {
				fmt.Fprintln(w, "Domains back to the defaults.")
				printDomains(w, cfg)
			})
		})}
	cmd.AddCommand(show, set, reset)
	return cmd
}

func printDomains(w io.Writer, cfg dedupe.Config) {
	if len(cfg.Domains) == 0 {
		fmt.Fprintln(w, "No domains: scans find no duplicates. Back to the defaults with: rosterdesk duplicates domains reset")
		return
	}
	fmt.Fprintln(w, "A pair is claimed by the first domain, in this order, whose rules it meets:")
	for i, d := range cfg.Domains {
		what := "review queue"
		if d.Mode == dedupe.Unattended {
			what = "merged automatically"
		}
		fmt.Fprintf(w, "  %d. %s (%s: %s", i+1, d.Name, d.Mode, what)
		if d.MinScore > 0 {
			fmt.Fprintf(w, ", score at least %.2f", d.MinScore)
		}
		fmt.Fprintln(w, ")")
		for _, r := range d.Rules {
			fmt.Fprintf(w, "       %s %s", r.Field, r.Compare)
			if r.Threshold > 0 {
				fmt.Fprintf(w, " ≥ %.2f", r.Threshold)
			}
			fmt.Fprintln(w)
		}
	}
}

func (e *env) duplicateSettingsCmd() *cobra.Command {
	var after string
	cmd := &cobra.Command{Use: "settings [--after-import on|off]", Short: "whether every import ends with a scan for duplicates (print it, or change it)", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			if after != "" {
				if after != "on" && after != "off" {
					return apperr.New(apperr.CodeInvalid, fmt.Sprintf("--after-import is on or off, not %q", after))
				}
				if err := ws.Engine.SetScanAfterImport(ctx, after == "on"); err != nil {
					return err
				}
			}
			on, err := ws.Engine.ScanAfterImport(ctx)
			if err != nil {
				return err
			}
			return e.print(map[string]bool{"afterImport": on}, func(w io.Writer) {
				if on {
					fmt.Fprintln(w, "Every import ends with a scan for duplicates: unattended domains merge during the import, the others fill the review queue.")
				} else {
					fmt.Fprintln(w, "Imports do not scan for duplicates: run rosterdesk duplicates scan when you want one.")
				}
			})
		})}
	cmd.Flags().StringVar(&after, "after-import", "", "whether every import ends with a scan for duplicates: `on|off` (a new workspace: on)")
	return cmd
}

func (e *env) scanCmd() *cobra.Command {
	return &cobra.Command{Use: "scan", Short: "compare the roster's people and fill the review queue; unattended domains merge", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			rep := e.reporter()
			res, err := ws.Engine.ScanDuplicates(ctx, rep)
			rep.finish()
			if err != nil {
				if apperr.From(err).Code == apperr.CodeCancelled {
					return exitError{130, err}
				}
				return err
			}
			return e.print(res, func(w io.Writer) { printScan(w, res) })
		})}
}

func printScan(w io.Writer, res engine.DuplicateScan) {
	fmt.Fprintf(w, "Compared %d people (%d candidate pairs): %d pairs waiting for review (%d new)", res.People, res.Candidates, res.Pending, res.New)
	if res.Merged > 0 {
		if res.LastRun != res.Run {
			fmt.Fprintf(w, ", %d merged automatically in runs %d to %d", res.Merged, res.Run, res.LastRun)
		} else {
			fmt.Fprintf(w, ", %d merged automatically in run %d", res.Merged, res.Run)
		}
	}
	fmt.Fprintln(w, ".")
	if res.SkippedBlocks > 0 {
		fmt.Fprintf(w, "%d groups of people sharing a blocking key (e.g. a common family name and birth year) were too large to compare pair by pair; their people were still compared through their other keys.\n", res.SkippedBlocks)
	}
	if res.Pending > 0 {
		fmt.Fprintln(w, "Review them with: rosterdesk duplicates list")
	}
}

// pairJSON is the stable JSON of a pair in `duplicates list` (SPEC §9, plus the evidence).
type pairJSON struct {
	Pair     int64             `json:"pair"`
	Domain   string            `json:"domain"`
	Score    float64           `json:"score"`
	Left     string            `json:"left"`
	Right    string            `json:"right"`
	Status   string            `json:"status"`
	Evidence []dedupe.Evidence `json:"evidence"`
}

func (e *env) pairsListCmd() *cobra.Command {
	q := store.PairQuery{Limit: pairPageSize}
	cmd := &cobra.Command{Use: "list [--status pending|merged|ignored|new|all] [--domain D]", Short: "pairs of records that may be one person, highest score first", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			if !slices.Contains(pairStatuses, q.Status) {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("--status is one of %s, not %q", strings.Join(pairStatuses, ", "), q.Status))
			}
			status := q.Status
			if q.Status == "all" {
				q.Status = ""
			}
			var pairs []store.DuplicatePair
			for {
				page, err := ws.Store.DuplicatePairs(ctx, q)
				if err != nil {
					return err
				}
				pairs = append(pairs, page.Pairs...)
				q.Offset += len(page.Pairs)
				if len(page.Pairs) == 0 || q.Offset >= page.Total {
					break
				}
			}
			out := make([]pairJSON, len(pairs))
			for i, p := range pairs {
				out[i] = pairJSON{Pair: p.ID, Domain: p.Domain, Score: p.Score, Left: p.Left, Right: p.Right, Status: p.Status, Evidence: p.Evidence}
				if out[i].Evidence == nil {
					out[i].Evidence = []dedupe.Evidence{}
				}
			}
			return e.print(out, func(w io.Writer) { printPairs(w, pairs, status) })
		})}
	cmd.Flags().StringVar(&q.Status, "status", store.PairPending, "pending (the review queue), merged, ignored, new (not duplicates) or all")
	cmd.Flags().StringVar(&q.Domain, "domain", "", "only the pairs this domain claimed")
	return cmd
}

func printPairs(w io.Writer, pairs []store.DuplicatePair, status string) {
	if len(pairs) == 0 {
		if status == store.PairPending {
			fmt.Fprintln(w, "No pairs waiting for review. Look for some with: rosterdesk duplicates scan")
		} else {
			fmt.Fprintln(w, "No such pairs.")
		}
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PAIR\tSCORE\tDOMAIN\tLEFT\tRIGHT\tSTATUS")
	for _, p := range pairs {
		fmt.Fprintf(tw, "%d\t%.2f\t%s\t%s (%s)\t%s (%s)\t%s\n", p.ID, p.Score, p.Domain, p.LeftName, p.Left, p.RightName, p.Right, p.Status)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d pairs. See one with: rosterdesk duplicates show PAIR\n", len(pairs))
}

// pairArg reads a pair number and finds the pair, with messages that say where numbers come from.
func pairArg(ctx context.Context, ws *workspace.Workspace, arg string) (store.DuplicatePair, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return store.DuplicatePair{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a pair number (see: rosterdesk duplicates list)", arg))
	}
	p, err := ws.Store.DuplicatePair(ctx, id)
	if err != nil && apperr.From(err).Code == apperr.CodeNotFound {
		return p, apperr.New(apperr.CodeNotFound, fmt.Sprintf("there is no pair %d (see: rosterdesk duplicates list --status all)", id))
	}
	return p, err
}

func (e *env) pairShowCmd() *cobra.Command {
	return &cobra.Command{Use: "show PAIR", Short: "a pair's evidence field by field, and what merging it would change", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			p, err := pairArg(ctx, ws, args[0])
			if err != nil {
				return err
			}
			v, err := ws.Engine.MergeView(ctx, p.ID, nil)
			if err != nil {
				return err
			}
			return e.print(v, func(w io.Writer) { printMergeView(w, v) })
		})}
}

func printMergeView(w io.Writer, v engine.MergeView) {
	p := v.Pair
	fmt.Fprintf(w, "Pair %d: %s (%s) and %s (%s), claimed by %s, score %.2f, %s", p.ID, p.LeftName, p.Left, p.RightName, p.Right, p.Domain, p.Score, p.Status)
	if p.DecidedRun != 0 {
		fmt.Fprintf(w, " in run %d", p.DecidedRun)
		if p.Primary != "" {
			fmt.Fprintf(w, ", keeping %s", p.Primary)
		}
	}
	fmt.Fprintln(w)
	if len(p.Evidence) > 0 {
		fmt.Fprintln(w, "evidence:")
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  FIELD\t%s\t%s\tSIMILARITY\tNOTE\n", p.Left, p.Right)
		for _, ev := range p.Evidence {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%.2f %s\t%s\n", ev.Field, blank(ev.Left), blank(ev.Right), ev.Similarity, ev.Level, ev.Note)
		}
		tw.Flush()
	}
	if len(v.Fields) > 0 {
		fmt.Fprintln(w, "the records side by side (≠ they differ, * the value a merge keeps unless --take or --set chooses another; blank fields left out):")
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  \tFIELD\t%s\t\n", strings.Join(v.Records, "\t"))
		for _, f := range v.Fields {
			if !slices.ContainsFunc(f.Values, func(s string) bool { return s != "" }) {
				continue
			}
			mark := ""
			cells := make([]string, len(f.Values))
			for i, val := range f.Values {
				cells[i] = blank(val)
				if f.Differ && i == f.Default {
					mark = "≠"
					cells[i] += " *"
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t\n", mark, f.Name, strings.Join(cells, "\t"))
		}
		tw.Flush()
	}
	if p.Status != store.PairPending {
		fmt.Fprintf(w, "Undo the decision with: rosterdesk duplicates undo %d\n", p.ID)
		return
	}
	if len(v.Records) > 0 {
		others := strings.Join(v.Records[1:], ", ")
		if len(v.Moves) == 0 {
			fmt.Fprintf(w, "Keeping %s (the older record), nothing of %s moves to it.\n", v.Records[0], others)
		} else {
			fmt.Fprintf(w, "Keeping %s (the older record), these move to it from %s:\n", v.Records[0], others)
			for _, m := range v.Moves {
				fmt.Fprintf(w, "  %s %s from %s: %s\n", m.Entity, m.SourcedID, m.From, m.Description)
			}
		}
	}
	fmt.Fprintf(w, "Merge with: rosterdesk duplicates resolve %d --primary ID --secondary delete|ignore|new [--take FIELD=ID]... [--set FIELD=VALUE]...\n", p.ID)
}

// blank shows an empty value so a table column does not shift.
func blank(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (e *env) resolveCmd() *cobra.Command {
	var primary, outcome string
	var takes, sets []string
	cmd := &cobra.Command{Use: "resolve PAIR --primary ID --secondary delete|ignore|new [--take FIELD=ID]... [--set FIELD=VALUE]...",
		Short: "decide a pair: merge it into the primary (the secondary deleted or ignored), or mark it not a duplicate (new)", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			p, err := pairArg(ctx, ws, args[0])
			if err != nil {
				return err
			}
			if p.Status != store.PairPending {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("pair %d is already decided (%s in run %d); to decide again, undo it first: rosterdesk duplicates undo %d", p.ID, p.Status, p.DecidedRun, p.ID))
			}
			switch outcome {
			case engine.OutcomeDelete, engine.OutcomeIgnore, engine.OutcomeNew:
			default:
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("--secondary is delete (merge, the secondary becomes tobedeleted), ignore (merge, the secondary is kept but never counted or sent) or new (not a duplicate), not %q", outcome))
			}
			if outcome == engine.OutcomeNew && (len(takes) > 0 || len(sets) > 0) {
				return apperr.New(apperr.CodeInvalid, "--take and --set choose values of a merged record; with --secondary new both records stay as they are")
			}
			if primary == "" {
				if outcome != engine.OutcomeNew {
					return apperr.New(apperr.CodeInvalid, fmt.Sprintf("say which record to keep: --primary %s or --primary %s", p.Left, p.Right))
				}
				primary = p.Left
			}
			v, err := ws.Engine.MergeView(ctx, p.ID, nil)
			if err != nil {
				return err
			}
			values, err := chosenValues(v, takes, sets)
			if err != nil {
				return err
			}
			if !slices.Contains(v.Records, primary) {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("--primary %s: that is not a record of pair %d; it is one of %s", primary, p.ID, strings.Join(v.Records, ", ")))
			}
			run, err := ws.Engine.ResolveDuplicate(ctx, p.ID, engine.Decision{Primary: primary, Outcome: outcome, Values: values})
			return e.printRunOf(run, err)
		})}
	cmd.Flags().StringVar(&primary, "primary", "", "the record that stays (a sourcedId of the pair)")
	cmd.Flags().StringVar(&outcome, "secondary", "", "what becomes of the other record: delete, ignore or new")
	cmd.Flags().StringArrayVar(&takes, "take", nil, "FIELD=ID: the merged record takes that field's value from record ID (repeatable)")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "FIELD=VALUE: the merged record has this value (repeatable)")
	_ = cmd.MarkFlagRequired("secondary")
	return cmd
}

// chosenValues turns --take FIELD=ID and --set FIELD=VALUE into the values the merged record keeps,
// checking each field and record against the merge view.
func chosenValues(v engine.MergeView, takes, sets []string) (map[string]string, error) {
	names := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		names[i] = f.Name
	}
	field := func(flag, name string) (engine.MergeField, error) {
		i := slices.Index(names, name)
		if i < 0 {
			return engine.MergeField{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s: the records have no field %q; the fields are %s", flag, name, strings.Join(names, ", ")))
		}
		return v.Fields[i], nil
	}
	values := map[string]string{}
	taken, err := pairsOf("--take", "ID", takes)
	if err != nil {
		return nil, err
	}
	for _, t := range taken {
		f, err := field("--take "+t[0]+"="+t[1], t[0])
		if err != nil {
			return nil, err
		}
		if f.Name == "password" {
			return nil, apperr.New(apperr.CodeInvalid, "--take password: passwords are never shown, so none can be taken; the merged record keeps the primary's (the secondary's when the primary has none), or type one with --set password=VALUE")
		}
		i := slices.Index(v.Records, t[1])
		if i < 0 {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("--take %s=%s: %s is not a record of pair %d; it is one of %s", t[0], t[1], t[1], v.Pair.ID, strings.Join(v.Records, ", ")))
		}
		values[f.Name] = f.Values[i]
	}
	set, err := pairsOf("--set", "VALUE", sets)
	if err != nil {
		return nil, err
	}
	for _, s := range set {
		if _, err := field("--set "+s[0], s[0]); err != nil {
			return nil, err
		}
		values[s[0]] = s[1]
	}
	return values, nil
}

// pairsOf splits repeated FIELD=WHAT flags in order, refusing malformed ones.
func pairsOf(flag, what string, args []string) ([][2]string, error) {
	out := make([][2]string, len(args))
	for i, a := range args {
		k, val, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s %q: write it as FIELD=%s", flag, a, what))
		}
		out[i] = [2]string{strings.TrimSpace(k), val}
	}
	return out, nil
}

func (e *env) pairUndoCmd() *cobra.Command {
	return &cobra.Command{Use: "undo PAIR", Short: "undo a pair's decision: both records as they were, the pair back in the review queue", Args: cobra.ExactArgs(1),
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, args []string) error {
			p, err := pairArg(ctx, ws, args[0])
			if err != nil {
				return err
			}
			run, err := ws.Engine.UndoDuplicate(ctx, p.ID)
			return e.printRunOf(run, err)
		})}
}

// printRunOf prints the run a decision recorded, and its exit status; without a run, the error.
func (e *env) printRunOf(run store.Run, err error) error {
	if run.ID == 0 {
		return err // nothing was started
	}
	if perr := e.print(run, func(w io.Writer) { printRun(w, run) }); perr != nil {
		return perr
	}
	return runExit(run, err)
}
