package dedupe

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// maxBlock is the most people one blocking key compares with each other (n²/2 pairs: 500,000 at
// 1,000). A bigger block means the key says little (a district full of one family name born in one
// year); it is skipped and counted in Stats.SkippedBlocks, and its people still meet through their
// other keys.
const maxBlock = 1000

// Key kinds, in the order a person's keys are kept: the biggest blocks first, so that most pairs
// are settled by their first shared key.
const (
	kFamilyYear  = 'F' // Soundex(family) + birth year
	kFamilyFirst = 'f' // Soundex(first word of a compound family name) + birth year
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

func newBlocking(people []prepared) *blocking {
	b := &blocking{off: make([]int32, len(people)+1), keys: make([]uint64, 0, 10*len(people))}
	var codes []string
	for i := range people {
		codes = b.addKeys(&people[i], codes[:0])
		b.off[i+1] = int32(len(b.keys))
	}
	b.entries = make([]entry, 0, len(b.keys))
	for i := range people {
		for _, k := range b.keys[b.off[i]:b.off[i+1]] {
			b.entries = append(b.entries, entry{k, int32(i)})
		}
	}
	slices.SortFunc(b.entries, func(x, y entry) int {
		if c := cmp.Compare(x.h, y.h); c != 0 {
			return c
		}
		return cmp.Compare(x.i, y.i)
	})
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
	return b
}

// addKeys appends a person's blocking keys; codes is scratch space for the given names' Soundex codes.
func (b *blocking) addKeys(x *prepared, codes []string) []string {
	start := len(b.keys)
	add := func(h hash) {
		k := h.sum()
		if !slices.Contains(b.keys[start:], k) {
			b.keys = append(b.keys, k)
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
		add(newHash(kFamilyYear, x.student).str(family).date(date{y: x.birth.y}))
		if first := firstWord(x.family); len(first) >= 3 && first != x.family {
			add(newHash(kFamilyYear, x.student).str(Soundex(first)).date(date{y: x.birth.y}))
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
	return codes
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
	prep := prepareAll(people)
	b := newBlocking(prep)
	_ = b.each(context.Background(), 0, len(b.blocks), func(i, j int32) { fn(int(i), int(j)) }, nil)
}

func prepareAll(people []Person) []prepared {
	prep := make([]prepared, len(people))
	for i := range people {
		prep[i] = prepare(&people[i])
	}
	return prep
}
