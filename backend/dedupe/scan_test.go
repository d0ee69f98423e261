package dedupe

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// 2,000 students, many sharing a family name and a birth year, and 40 near-duplicates of the
// kinds a second system produces: every duplicate is found and nothing else.
func TestScanPrecisionAndRecall(t *testing.T) {
	people, truth := injectDuplicates(synthPeople(2000, 1, testGiven, testFamily[:25], 5), 40)
	pairs, st, err := Scan(context.Background(), people, Defaults(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := map[[2]string]bool{}
	for _, p := range pairs {
		k := [2]string{p.Left, p.Right}
		found[k] = true
		if _, ok := truth[k]; !ok {
			t.Errorf("false pair %s %s by %s, score %.3f: %+v", p.Left, p.Right, p.Domain, p.Score, p.Evidence)
		}
	}
	for k, kind := range truth {
		if !found[k] {
			a, b := find(people, k[0]), find(people, k[1])
			p, _ := Compare(a, b, Defaults())
			t.Errorf("missed %s (%s): score %.3f, %+v", kind, k, p.Score, p.Evidence)
		}
	}
	t.Logf("%+v", st)
}

func find(people []Person, id string) Person {
	for _, p := range people {
		if p.ID == id {
			return p
		}
	}
	return Person{}
}

// Each kind of near-duplicate shares a blocking key with its original, and no pair comes twice.
// The last cases combine two differences so that only one kind of key joins them.
func TestBlockingFindsNearDuplicates(t *testing.T) {
	base := synthPeople(300, 2, testGiven, testFamily, 13)
	cases := []struct {
		name   string
		orig   Person
		change func(p *Person)
	}{}
	for _, kind := range dupKinds {
		cases = append(cases, struct {
			name   string
			orig   Person
			change func(p *Person)
		}{kind.name, base[0], kind.change})
	}
	carmen := Person{Given: "Carmen", Family: "Bell", BirthDate: "2014-05-03", Role: "student"}
	for _, c := range []struct {
		name   string
		change func(p *Person)
	}{
		{"only Soundex of given and family, sorted: swapped and a digit off", func(p *Person) {
			p.Given, p.Family, p.BirthDate = "Bell", "Carmen", "2014-05-08"
		}},
		{"only the given name with the date: family typo past Soundex and its initial", func(p *Person) { p.Family = "Vell" }},
		{"only keys with month and day sorted: date transposed and family typo past Soundex", func(p *Person) {
			p.Family, p.BirthDate = "Beld", "2014-03-05"
		}},
		{"only the family name with year and month: given typo past Soundex and day a digit off", func(p *Person) {
			p.Given, p.BirthDate = "Karmen", "2014-05-04"
		}},
		{"only the identifier", func(p *Person) { p.Given, p.Family, p.BirthDate, p.Identifier = "Zed", "Young", "", "s-1234" }},
	} {
		cases = append(cases, struct {
			name   string
			orig   Person
			change func(p *Person)
		}{c.name, carmen, c.change})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			people := append([]Person{c.orig}, base[1:]...)
			people[0].ID, people[0].Identifier = "usr-o", "S0001234"
			dup := people[0]
			dup.ID, dup.Identifier, dup.Master, dup.Email, dup.Username = "usr-d", "X1", "", "", ""
			c.change(&dup)
			people = append(people, dup)
			seen := map[[2]int]bool{}
			hit := false
			Candidates(people, func(i, j int) {
				if i >= j || seen[[2]int{i, j}] {
					t.Fatalf("pair (%d, %d) given twice or out of order", i, j)
				}
				seen[[2]int{i, j}] = true
				hit = hit || i == 0 && j == len(people)-1
			})
			if !hit {
				t.Errorf("blocking missed %+v ~ %+v", people[0], dup)
			}
			if n := len(people); len(seen) > n*n/20 {
				t.Errorf("%d candidates among %d people: not blocking", len(seen), n)
			}
		})
	}
}

func TestScanSkipsDecidedPairs(t *testing.T) {
	people, truth := injectDuplicates(synthPeople(300, 3, testGiven, testFamily, 5), 6)
	var decided [2]string
	for k := range truth {
		decided = k
		break
	}
	asked := 0
	pairs, _, err := Scan(context.Background(), people, Defaults(), func(a, b string) bool {
		asked++
		if a >= b {
			t.Errorf("skip asked about %s, %s out of order", a, b)
		}
		return [2]string{a, b} == decided
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		if [2]string{p.Left, p.Right} == decided {
			t.Errorf("decided pair %v proposed again", decided)
		}
	}
	if len(pairs) != len(truth)-1 || asked == 0 {
		t.Errorf("%d pairs (skip asked %d times), want %d", len(pairs), asked, len(truth)-1)
	}
}

func TestScanHonoursCancellation(t *testing.T) {
	people := synthPeople(20000, 4, testGiven, testFamily, 13)
	ctx, cancel := context.WithCancel(context.Background())
	last, total := 0, 0
	_, _, err := Scan(ctx, people, Defaults(), nil, func(done, all int) {
		last, total = done, all
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan: %v", err)
	}
	// Cancelled at the first progress report, the scan stops within a few blocks, not at the end.
	if total == 0 || last > total/4 {
		t.Errorf("progress went on to %d of %d blocks after the cancel", last, total)
	}
	// Cancelled before it starts, it stops while preparing the people.
	if _, _, err := index(ctx, people); !errors.Is(err, context.Canceled) {
		t.Errorf("preparing with a cancelled context: %v", err)
	}
}

func TestScanRefusesInvalidConfig(t *testing.T) {
	if _, _, err := Scan(context.Background(), nil, Config{}, nil, nil); err == nil {
		t.Error("a scan with no domains ran")
	}
}

// BenchmarkScan scans a district-sized roster: 135,000 students with 2 % near-duplicates. Besides
// the time it reports the candidate pairs, the CPU time a scan takes (the machine is shared, so
// wall time varies) and the heap a scan adds at its peak.
func BenchmarkScan(b *testing.B) {
	people, truth := injectDuplicates(synthPeople(132300, 5, testGiven, testFamily, 13), 2700)
	var st Stats
	var pairs []Pair
	cpu := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		var err error
		if pairs, st, err = Scan(context.Background(), people, Defaults(), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(st.Candidates), "candidates")
	found := 0
	for _, p := range pairs {
		if _, ok := truth[[2]string{p.Left, p.Right}]; ok {
			found++
		}
	}
	b.ReportMetric(float64(found)/float64(len(truth)), "recall")
	b.ReportMetric(float64(found)/float64(len(pairs)), "precision")
	b.ReportMetric(float64(peakHeap(func() { _, _, _ = Scan(context.Background(), people, Defaults(), nil, nil) }))/(1<<20), "MB-peak")
}

// peakHeap is the most heap f holds above what was in use before it, sampled every few milliseconds.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peak - base
}

// A key shared by more than maxBlock people is skipped and counted, not compared n².
func TestOversizedBlocksAreSkippedAndCounted(t *testing.T) {
	people := synthPeople(maxBlock+1, 6, testGiven, testFamily, 13)
	for i := range people {
		people[i].Email = "office@school.example.org" // a school's address on every record
	}
	_, st, err := Scan(context.Background(), people, Defaults(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.SkippedBlocks != 1 || st.Candidates > len(people)*10 {
		t.Errorf("%+v: want the shared address's block skipped", st)
	}
	people = people[:maxBlock]
	if _, st, _ = Scan(context.Background(), people, Defaults(), nil, nil); st.SkippedBlocks != 0 || st.Candidates < maxBlock*(maxBlock-1)/2 {
		t.Errorf("%+v: a block of %d people was not compared", st, maxBlock)
	}
}
