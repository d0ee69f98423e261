package dedupe

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// maxBlock is the most people one blocking key compares with each other (n²/2 pairs: 500,000 at
// 1,000). A bigger block means the key says little (a district full of one family name born in one
// year); it is skipped and counted in Stats.SkippedBlocks, and its people still meet through their
// other keys.
const maxBlock = 1000

// Key kinds, in the order a person's keys are kept: the biggest blocks first, so that most pairs
// are settled by their first shared key.
const (
	// Soundex(family, or the first word of a compound one) + birth year and month: a given name
	// changed past its Soundex. Year alone makes blocks of a hundred at 135,000 students.
	kFamilyMonth = 'F'
	kNames       = 'N' // Soundex of given and family names, in sorted order (swaps, a mistyped date)
	kGivenDate   = 'G' // Soundex(given) + birth date (a family name mistyped past its Soundex)
	kInitials    = 'D' // initials in sorted order + birth date
	kID          = 'I' // NormalizeID(identifier)
	kMaster      = 'M' // NormalizeID(userMasterIdentifier)
	kEmail       = 'E'
	kUsername    = 'U'
)

// hash is FNV-1a over a key's parts: blocks are found by sorting (hash, person) entries, with no
// strings kept per key. 0 marks a key of a skipped block.
type hash uint64

func newHash(kind byte, student bool) hash {
	h := hash(14695981039346656037).byte(kind)
	if student {
		return h.byte('s')
	}
	return h.byte('a')
}

func (h hash) byte(c byte) hash { return (h ^ hash(c)) * 1099511628211 }

func (h hash) str(s string) hash {
	for i := 0; i < len(s); i++ {
		h = h.byte(s[i])
	}
	return h.byte(0)
}

func (h hash) date(d date) hash {
	return h.byte(byte(d.y >> 8)).byte(byte(d.y)).byte(byte(d.m)).byte(byte(d.d))
}

func (h hash) sum() uint64 { return max(uint64(h), 1) }

type entry struct {
	h uint64
	i int32
}

// blocking holds every person's keys and the entries sorted into blocks.
type blocking struct {
	keys    []uint64 // person i's keys are keys[off[i]:off[i+1]]
	off     []int32
	entries []entry
	blocks  [][2]int32 // [start, end) in entries of each block compared
	skipped int
}

// index prepares every person and their blocking keys (on two goroutines: the machine has two
// cores) and sorts the keys into blocks.
func index(people []Person) ([]prepared, *blocking) {
	const workers = 2
	prep := make([]prepared, len(people))
	b := &blocking{off: make([]int32, len(people)+1)}
	var parts [workers][]uint64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from, to := w*len(people)/workers, (w+1)*len(people)/workers
			keys := make([]uint64, 0, 10*(to-from))
			var codes []string
			for i := from; i < to; i++ {
				prep[i] = prepare(&people[i])
				start := len(keys)
				keys, codes = appendKeys(keys, &prep[i], codes[:0])
				b.off[i+1] = int32(len(keys) - start) // a count until the sums below
			}
			parts[w] = keys
		}()
	}
	wg.Wait()
	for i := range people {
		b.off[i+1] += b.off[i]
	}
	b.keys = slices.Concat(parts[:]...)
	parts = [workers][]uint64{}
	b.entries = make([]entry, 0, len(b.keys))
	for i := range people {
		for _, k := range b.keys[b.off[i]:b.off[i+1]] {
			b.entries = append(b.entries, entry{k, int32(i)})
		}
	}
	radixSort(b.entries)
	for s := 0; s < len(b.entries); {
		e := s + 1
		for e < len(b.entries) && b.entries[e].h == b.entries[s].h {
			e++
		}
		switch n := e - s; {
		case n > maxBlock:
			b.skipped++
			for _, x := range b.entries[s:e] {
				ks := b.keys[b.off[x.i]:b.off[x.i+1]]
				ks[slices.Index(ks, x.h)] = 0
			}
		case n > 1:
			b.blocks = append(b.blocks, [2]int32{int32(s), int32(e)})
		}
		s = e
	}
	return prep, b
}

// radixSort sorts entries by hash, 16 bits a pass; it is stable, so a block's people stay in
// index order.
func radixSort(es []entry) {
	tmp := make([]entry, len(es))
	src, dst := es, tmp
	var count [1 << 16]int
	for shift := 0; shift < 64; shift += 16 {
		clear(count[:])
		for _, e := range src {
			count[e.h>>shift&0xffff]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, e := range src {
			d := e.h >> shift & 0xffff
			dst[count[d]] = e
			count[d]++
		}
		src, dst = dst, src
	}
	// Four passes: the sorted entries are back in es.
}

// appendKeys appends a person's blocking keys; codes is scratch space for the given names' Soundex codes.
func appendKeys(keys []uint64, x *prepared, codes []string) ([]uint64, []string) {
	start := len(keys)
	add := func(h hash) {
		k := h.sum()
		if !slices.Contains(keys[start:], k) {
			keys = append(keys, k)
		}
	}
	// The given name as written, as preferred, and the formal names its nicknames stand for.
	for _, g := range []string{x.givenFirst, firstWord(x.pref)} {
		if g == "" {
			continue
		}
		codes = appendCode(codes, Soundex(g))
		for _, n := range nickGroups[g] {
			codes = appendCode(codes, Soundex(nickFormal[n]))
		}
	}
	family := Soundex(x.family)
	if x.birth.ok() && family != "" {
		month := date{y: x.birth.y, m: x.birth.m}
		add(newHash(kFamilyMonth, x.student).str(family).date(month))
		if first := firstWord(x.family); len(first) >= 3 && first != x.family {
			add(newHash(kFamilyMonth, x.student).str(Soundex(first)).date(month))
		}
	}
	if family != "" {
		for _, g := range codes {
			lo, hi := min(g, family), max(g, family)
			add(newHash(kNames, x.student).str(lo).str(hi))
		}
	}
	if x.birth.ok() {
		d := x.birth.canonical()
		for _, g := range codes {
			add(newHash(kGivenDate, x.student).str(g).date(d))
		}
		if x.given != "" && x.family != "" {
			lo, hi := min(x.given[0], x.family[0]), max(x.given[0], x.family[0])
			add(newHash(kInitials, x.student).byte(lo).byte(hi).date(d))
		}
	}
	for _, k := range [...]struct {
		kind byte
		v    string
	}{{kID, x.id}, {kMaster, x.master}, {kEmail, x.email}, {kUsername, x.username}} {
		if k.v != "" {
			add(newHash(k.kind, x.student).str(k.v))
		}
	}
	return keys, codes
}

func appendCode(codes []string, c string) []string {
	if c == "" || slices.Contains(codes, c) {
		return codes
	}
	return append(codes, c)
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

// first reports whether h is the first key (of a block compared) that people i and j share, so
// each pair is compared once however many keys they share.
func (b *blocking) first(i, j int32, h uint64) bool {
	kj := b.keys[b.off[j]:b.off[j+1]]
	for _, k := range b.keys[b.off[i]:b.off[i+1]] {
		if k == h {
			return true
		}
		if k != 0 && slices.Contains(kj, k) {
			return false
		}
	}
	return false
}

// each calls fn for every candidate pair (i < j) of the blocks from..to, checking ctx every few
// blocks and telling progress the blocks done.
func (b *blocking) each(ctx context.Context, from, to int, fn func(i, j int32), tick func()) error {
	for n, bl := range b.blocks[from:to] {
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		es := b.entries[bl[0]:bl[1]]
		h := es[0].h
		for x := range es {
			for y := x + 1; y < len(es); y++ {
				if b.first(es[x].i, es[y].i, h) {
					fn(es[x].i, es[y].i)
				}
			}
		}
		if tick != nil {
			tick()
		}
	}
	return nil
}

// Candidates calls fn for each candidate pair (indexes into people, i < j, each pair once) the
// blocking produces.
func Candidates(people []Person, fn func(i, j int)) {
	_, b := index(people)
	_ = b.each(context.Background(), 0, len(b.blocks), func(i, j int32) { fn(int(i), int(j)) }, nil)
}
