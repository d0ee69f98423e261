package dedupe

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Stats tells what a scan did.
type Stats struct {
	People        int `json:"people"`
	Blocks        int `json:"blocks"`     // blocking keys shared by 2 to 1,000 people
	Candidates    int `json:"candidates"` // pairs compared
	Pairs         int `json:"pairs"`      // pairs a domain claims (those skip refused left out)
	SkippedBlocks int `json:"skippedBlocks"`
}

// matcher applies a Config's domains to pairs.
type matcher struct {
	domains []Domain
	rules   [][]rule // per domain, the cheap comparisons first
}

func newMatcher(cfg Config) *matcher {
	m := &matcher{domains: cfg.Domains}
	for _, d := range cfg.Domains {
		var rules []rule
		for _, r := range d.Rules {
			c := rule{field: slices.Index(fields, r.Field), compare: r.Compare, threshold: r.Threshold}
			if c.compare == Fuzzy && c.threshold == 0 {
				c.threshold = DefaultThreshold
			}
			rules = append(rules, c)
		}
		slices.SortStableFunc(rules, func(x, y rule) int { return cmp.Compare(cost(x), cost(y)) })
		m.rules = append(m.rules, rules)
	}
	return m
}

func cost(r rule) int {
	if r.compare == Fuzzy {
		return 1
	}
	return 0
}

// claim is the index of the first domain that claims the pair, or -1. A student is never the same
// person as a teacher, guardian or other adult.
func (m *matcher) claim(c *pairCmp) int {
	if c.a.student != c.b.student {
		return -1
	}
	for d, rules := range m.rules {
		ok := true
		for _, r := range rules {
			if ok = c.agree(r); !ok {
				break
			}
		}
		if !ok {
			continue
		}
		if least := m.domains[d].MinScore; least > 0 {
			if c.evaluate(); score(c.total) < least {
				continue
			}
		}
		return d
	}
	return -1
}

func (m *matcher) pair(c *pairCmp, d int) Pair {
	ev := c.evidence()
	p := Pair{Left: c.a.p.ID, Right: c.b.p.ID, Score: round3(score(c.total)), Evidence: ev}
	if d >= 0 {
		p.Domain, p.Unattended = m.domains[d].Name, m.domains[d].Mode == Unattended
	}
	return p
}

// Rule fields as indexes, so the pair loop never compares field names.
const (
	rIdentifier = iota
	rMaster
	rEmail
	rUsername
	rName
	rGiven
	rFamily
	rBirth
	rSex
)

// rule is a Rule compiled for the pair loop.
type rule struct {
	field     int // index into fields
	compare   string
	threshold float64
}

// agree reports whether one rule holds for the pair; a blank value agrees with nothing.
func (c *pairCmp) agree(r rule) bool {
	a, b := c.a, c.b
	switch r.compare {
	case Exact:
		if r.field == rName {
			return !c.nameMissing() && strings.TrimSpace(a.p.Given) == strings.TrimSpace(b.p.Given) &&
				strings.TrimSpace(a.p.Family) == strings.TrimSpace(b.p.Family)
		}
		if r.field <= rUsername && a.exactHash[r.field] != b.exactHash[r.field] {
			return false
		}
		x, y := strings.TrimSpace(raw(a.p, r.field)), strings.TrimSpace(raw(b.p, r.field))
		return x != "" && x == y
	case Normalized:
		switch r.field {
		case rName:
			return !c.nameMissing() && a.given == b.given && a.family == b.family
		case rBirth:
			if a.birth.ok() && b.birth.ok() {
				return a.birth == b.birth
			}
		}
		if r.field <= rUsername && a.normHash[r.field] != b.normHash[r.field] {
			return false
		}
		x, y := normalizedField(a, r.field), normalizedField(b, r.field)
		return x != "" && x == y
	case Date:
		if c.dateMissing() {
			return false
		}
		sim, _ := dateSim(a, b)
		return sim > 0
	}
	switch r.field { // fuzzy
	case rName:
		return !c.nameMissing() && c.nameSim() >= r.threshold
	case rGiven:
		s, _ := givenSim(a, b)
		return a.given != "" && b.given != "" && s >= r.threshold
	case rFamily:
		s, _ := familySim(a, b)
		return a.family != "" && b.family != "" && s >= r.threshold
	}
	x, y := normalizedField(a, r.field), normalizedField(b, r.field)
	return x != "" && y != "" && (x == y || JaroWinkler(x, y) >= r.threshold)
}

func raw(p *Person, field int) string {
	switch field {
	case rIdentifier:
		return p.Identifier
	case rMaster:
		return p.Master
	case rEmail:
		return p.Email
	case rUsername:
		return p.Username
	case rGiven:
		return p.Given
	case rFamily:
		return p.Family
	case rBirth:
		return p.BirthDate
	}
	return p.Sex
}

func normalizedField(x *prepared, field int) string {
	switch field {
	case rIdentifier:
		return x.id
	case rMaster:
		return x.master
	case rEmail:
		return x.email
	case rUsername:
		return x.username
	case rGiven:
		return x.given
	case rFamily:
		return x.family
	case rBirth:
		return x.birthText
	}
	return x.sex
}

// Compare scores one pair as Scan does; ok reports whether a domain claims it. The pair's Left is
// the smaller sourcedId. cfg must be valid (see Validate).
func Compare(a, b Person, cfg Config) (Pair, bool) {
	if a.ID > b.ID {
		a, b = b, a
	}
	x, y := prepare(&a), prepare(&b)
	m := newMatcher(cfg)
	c := pairCmp{a: &x, b: &y}
	d := m.claim(&c)
	return m.pair(&c, d), d >= 0
}

// Scan finds the pairs the domains claim among people, highest score first. skip(a, b) (may be nil;
// a < b) tells pairs already decided, never proposed again. progress (may be nil) is called now and
// then with the blocks done of all. It honours ctx and then returns ctx.Err().
func Scan(ctx context.Context, people []Person, cfg Config, skip func(a, b string) bool, progress func(done, total int)) ([]Pair, Stats, error) {
	if err := cfg.Validate(); err != nil {
		return nil, Stats{}, err
	}
	if len(people) >= maxPeople {
		return nil, Stats{}, fmt.Errorf("%d people are more than a duplicate scan handles (%d)", len(people), maxPeople-1)
	}
	prep, b, err := index(ctx, people)
	if err != nil {
		return nil, Stats{}, err
	}
	m := newMatcher(cfg)
	st := Stats{People: len(people), Blocks: len(b.blocks), SkippedBlocks: b.skipped}

	// Two halves of the blocks on two goroutines: the machine has two cores.
	const workers = 2
	var (
		mu      sync.Mutex
		done    int
		results [workers]struct {
			pairs      []Pair
			candidates int
			err        error
		}
		wg sync.WaitGroup
	)
	// skip and progress are the caller's: called one at a time.
	skipped := func(a, b string) bool {
		if skip == nil {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		return skip(a, b)
	}
	tick := func() {
		mu.Lock()
		done++
		if progress != nil && (done%256 == 0 || done == len(b.blocks)) {
			progress(done, len(b.blocks))
		}
		mu.Unlock()
	}
	if progress != nil {
		progress(0, len(b.blocks))
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[w]
			from, to := w*len(b.blocks)/workers, (w+1)*len(b.blocks)/workers
			r.err = b.each(ctx, from, to, func(i, j int32) {
				r.candidates++
				// Comparisons are symmetric: the pair is oriented (Left < Right) once claimed.
				c := pairCmp{a: &prep[i], b: &prep[j]}
				d := m.claim(&c)
				if d < 0 {
					return
				}
				if c.a.p.ID > c.b.p.ID {
					c = pairCmp{a: c.b, b: c.a} // evidence computed afresh, left to right
				}
				if c.a.p.ID == c.b.p.ID || skipped(c.a.p.ID, c.b.p.ID) {
					return
				}
				r.pairs = append(r.pairs, m.pair(&c, d))
			}, tick)
		}()
	}
	wg.Wait()
	var pairs []Pair
	for _, r := range results {
		if r.err != nil {
			return nil, st, r.err
		}
		st.Candidates += r.candidates
		pairs = append(pairs, r.pairs...)
	}
	slices.SortFunc(pairs, func(x, y Pair) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Left, y.Left); c != 0 {
			return c
		}
		return cmp.Compare(x.Right, y.Right)
	})
	st.Pairs = len(pairs)
	return pairs, st, nil
}
