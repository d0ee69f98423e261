// Command dupquality measures duplicate detection on a generated district for make bench: given a
// workspace and the true pairs `rosterdesk generate --duplicates` wrote, it prints the blocking
// recall (the share of true pairs the blocking puts before the comparators) or, after a scan, the
// precision, recall and F1 of the pairs the domains found (pending and merged alike).
//
//	go run ./scripts/dupquality blocking|pairs WORKSPACE TRUTH.csv
package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"

	"github.com/rosterdesk/rosterdesk/backend/dedupe"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

func main() {
	if len(os.Args) != 4 || (os.Args[1] != "blocking" && os.Args[1] != "pairs") {
		fmt.Fprintln(os.Stderr, "usage: dupquality blocking|pairs WORKSPACE TRUTH.csv")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "dupquality:", err)
		os.Exit(1)
	}
}

type key [2]string

func pairOf(a, b string) key { return key{min(a, b), max(a, b)} }

func run(mode, workspace, truthFile string) error {
	truth, err := readTruth(truthFile)
	if err != nil {
		return err
	}
	st, err := store.Open(workspace)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	if mode == "blocking" {
		people, err := st.People(ctx)
		if err != nil {
			return err
		}
		found, candidates := 0, 0
		dedupe.Candidates(people, func(i, j int) {
			candidates++
			if truth[pairOf(people[i].ID, people[j].ID)] {
				found++
			}
		})
		fmt.Printf("blocking recall %.4f (%d of %d true pairs among %d candidate pairs of %d people)\n",
			float64(found)/float64(len(truth)), found, len(truth), candidates, len(people))
		return nil
	}
	tp, fp := 0, 0
	for offset := 0; ; offset += 1000 {
		page, err := st.DuplicatePairs(ctx, store.PairQuery{Offset: offset, Limit: 1000})
		if err != nil {
			return err
		}
		for _, p := range page.Pairs {
			if p.Status == store.PairNew {
				continue
			}
			if truth[pairOf(p.Left, p.Right)] {
				tp++
			} else {
				fp++
			}
		}
		if len(page.Pairs) < 1000 {
			break
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(len(truth))
	f1 := 2 * precision * recall / max(precision+recall, 1e-9)
	fmt.Printf("precision %.4f recall %.4f F1 %.4f (%d true, %d false of %d found; %d true pairs)\n", precision, recall, f1, tp, fp, tp+fp, len(truth))
	return nil
}

// readTruth reads the true pairs (left,right,kinds with a header).
func readTruth(path string) (map[key]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	out := map[key]bool{}
	for _, r := range rows[1:] {
		out[pairOf(r[0], r[1])] = true
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no pairs", path)
	}
	return out, nil
}
