package dedupe

import (
	"context"
	"encoding/binary"
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

// hash is FNV-1a over a key's parts, kept to 40 bits: blocks are found by sorting entries that
// pack a key and a person's index in one number (a rare collision only adds candidates), with no
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

func (h hash) u32(v uint32) hash {
	return h.byte(byte(v >> 24)).byte(byte(v >> 16)).byte(byte(v >> 8)).byte(byte(v))
}

func (h hash) date(d date) hash {
	return h.byte(byte(d.y >> 8)).byte(byte(d.y)).byte(byte(d.m)).byte(byte(d.d))
}

func (h hash) sum() uint64 { return max(uint64(h)>>personBits, 1) }

// An entry is key<<personBits | person: sorting entries groups each key's people in index order.
const (
	personBits = 24
	maxPeople  = 1 << personBits
)

func entryKey(e uint64) uint64   { return e >> personBits }
func entryPerson(e uint64) int32 { return int32(e & (maxPeople - 1)) }

// blocking holds every person's keys and the entries sorted into blocks.
type blocking struct {
	keys    []uint64 // person i's keys are keys[off[i]:off[i+1]]
	off     []int32
	entries []uint64
	blocks  [][2]int32 // [start, end) in entries of each block compared
	skipped int
}

// index prepares every person and their blocking keys (on two goroutines: the machine has two
// cores) and sorts the keys into blocks.
func index(ctx context.Context, people []Person) ([]prepared, *blocking, error) {
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
			var codes []uint32
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
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	for i := range people {
		b.off[i+1] += b.off[i]
	}
	b.keys = slices.Concat(parts[:]...)
	parts = [workers][]uint64{}
	b.entries = make([]uint64, 0, len(b.keys))
	for i := range people {
		for _, k := range b.keys[b.off[i]:b.off[i+1]] {
			b.entries = append(b.entries, k<<personBits|uint64(i))
		}
	}
	slices.Sort(b.entries)
	for s := 0; s < len(b.entries); {
		h := entryKey(b.entries[s])
		e := s + 1
		for e < len(b.entries) && entryKey(b.entries[e]) == h {
			e++
		}
		switch n := e - s; {
		case n > maxBlock:
			b.skipped++
			for _, x := range b.entries[s:e] {
				i := entryPerson(x)
				ks := b.keys[b.off[i]:b.off[i+1]]
				ks[slices.Index(ks, h)] = 0
			}
		case n > 1:
			b.blocks = append(b.blocks, [2]int32{int32(s), int32(e)})
		}
		s = e
	}
	return prep, b, nil
}

// appendKeys appends a person's blocking keys; codes is scratch space for the given names' Soundex codes.
func appendKeys(keys []uint64, x *prepared, codes []uint32) ([]uint64, []uint32) {
	start := len(keys)
	add := func(h hash) {
		k := h.sum()
		if !slices.Contains(keys[start:], k) {
			keys = append(keys, k)
		}
	}
	// The given name as written, as preferred, and the formal names its nicknames stand for.
	for _, g := range [2]string{x.givenFirst, firstWord(x.pref)} {
		if g == "" {
			continue
		}
		codes = appendCode(codes, soundex(g))
		for _, n := range nickGroups[g] {
			codes = appendCode(codes, soundex(nickFormal[n]))
		}
	}
	family := code(soundex(x.family))
	if x.birth.ok() && family != 0 {
		month := date{y: x.birth.y, m: x.birth.m}
		add(newHash(kFamilyMonth, x.student).u32(family).date(month))
		if first := firstWord(x.family); len(first) >= 3 && first != x.family {
			add(newHash(kFamilyMonth, x.student).u32(code(soundex(first))).date(month))
		}
	}
	if family != 0 {
		for _, g := range codes {
			add(newHash(kNames, x.student).u32(min(g, family)).u32(max(g, family)))
		}
	}
	if x.birth.ok() {
		d := x.birth.canonical()
		for _, g := range codes {
			add(newHash(kGivenDate, x.student).u32(g).date(d))
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

// code packs a Soundex code in a number (0: none).
func code(c [4]byte) uint32 { return binary.BigEndian.Uint32(c[:]) }

func appendCode(codes []uint32, c [4]byte) []uint32 {
	if n := code(c); n != 0 && !slices.Contains(codes, n) {
		return append(codes, n)
	}
	return codes
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
		h := entryKey(es[0])
		for x := range es {
			i := entryPerson(es[x])
			for _, ey := range es[x+1:] {
				if j := entryPerson(ey); b.first(i, j, h) {
					fn(i, j)
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
// blocking produces. It handles fewer than 16,777,216 people, as Scan does.
func Candidates(people []Person, fn func(i, j int)) {
	_, b, _ := index(context.Background(), people)
	_ = b.each(context.Background(), 0, len(b.blocks), func(i, j int32) { fn(int(i), int(j)) }, nil)
}
