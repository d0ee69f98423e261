package selection

import (
	"hash/maphash"
	"math"
	"strings"
	"unsafe"
)

// strs holds many strings without a pointer each: their bytes one after another in chunks of
// chunkLen strings, and where each ends in its chunk. As strings, a state's 1,600,000 ids were as
// many objects that the collector marked at every collection, and at the soft memory limit it
// collects thousands of times in a run (a 1,000,000-student export took 74 s of processor time
// with room to spare, 161 s at the limit).
type strs struct {
	chunks [][]byte
	ends   []uint32
}

// chunkLen strings share a chunk: some 50–150 KB of ids, few enough chunks for the collector.
const (
	chunkBits = 12
	chunkLen  = 1 << chunkBits
)

// at returns string n. Its bytes are strs' own, which are only ever appended to, never rewritten
// (a chunk that grows is copied, the old array left as it was), so a caller may keep it: it keeps
// its chunk alive.
func (s *strs) at(n int32) string {
	start := uint32(0)
	if n&(chunkLen-1) != 0 {
		start = s.ends[n-1]
	}
	b := s.chunks[n>>chunkBits][start:s.ends[n]]
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func (s *strs) len() int { return len(s.ends) }

// add appends a copy of v and returns its number.
func (s *strs) add(v string) int32 {
	c := s.tail()
	*c = append(*c, v...)
	return s.end(*c)
}

// tail returns the chunk the next string goes in. A new chunk starts with room for what the one
// before took, and a little more: strings of one kind are about as long as each other.
func (s *strs) tail() *[]byte {
	k := len(s.ends) >> chunkBits
	if k == len(s.chunks) {
		size := 0
		if k > 0 {
			size = len(s.chunks[k-1]) + len(s.chunks[k-1])/16
		}
		s.chunks = append(s.chunks, make([]byte, 0, size))
	}
	return &s.chunks[k]
}

// end numbers the string that ends where chunk c, the tail, now ends.
func (s *strs) end(c []byte) int32 {
	if uint64(len(c)) > math.MaxUint32 || len(s.ends) == math.MaxInt32 {
		panic("selection: more ids than a graph can number")
	}
	s.ends = append(s.ends, uint32(len(c)))
	return int32(len(s.ends) - 1)
}

// reserve makes room for n strings in an empty strs.
func (s *strs) reserve(n int) {
	if len(s.ends) == 0 && n > 0 {
		s.ends = make([]uint32, 0, n)
		s.chunks = make([][]byte, 0, n/chunkLen+1)
	}
}

// dict numbers the few values many records share (a role, a class type), "" first: a record holds
// a number, not a string (nor its CSV line, of which a value read is a slice).
type dict struct {
	names []string
	of    map[string]uint32
}

func newDict() dict { return dict{names: []string{""}, of: map[string]uint32{"": 0}} }

func (d *dict) number(v string) uint32 {
	n, ok := d.of[v]
	if !ok {
		v = strings.Clone(v)
		n = uint32(len(d.names))
		d.of[v] = n
		d.names = append(d.names, v)
	}
	return n
}

func (d *dict) name(n uint32) string { return d.names[n] }

// ids numbers the sourcedIds of one entity so the graph holds int32s instead of strings: a district
// of 100,000 students has 600,000 enrollments, which stay 16 bytes each. An id is numbered in the
// order it first came.
type ids struct {
	strs
	// slots finds a number by its id: an open-addressing table of numbers+1 (0: empty), at most half
	// full, hashed with seed. 4 bytes a slot, where a map[string]int32 took some 40 bytes an id.
	slots []int32
	seed  maphash.Seed
	// last is the number asked for last: the rows of a file refer to one class or school many times
	// in a row, and comparing two strings is far cheaper than looking one up in a table of 100,000.
	last int32
}

func newIDs() ids { return ids{seed: maphash.MakeSeed(), last: none} }

// slot returns where id is in slots and its number, or the empty slot it would take and none.
func (x *ids) slot(id string) (int, int32) {
	mask := len(x.slots) - 1
	for i := int(maphash.String(x.seed, id)) & mask; ; i = (i + 1) & mask {
		if v := x.slots[i]; v == 0 || x.at(v-1) == id {
			return i, v - 1
		}
	}
}

// resize makes slots room for n ids and numbers every id in it again.
func (x *ids) resize(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	x.slots = make([]int32, size)
	for i := range int32(x.len()) {
		at, _ := x.slot(x.at(i))
		x.slots[at] = i + 1
	}
}

// of returns the number of id, adding it when new (a reference may arrive before its record). The
// id is copied: it is a slice of its whole CSV line, which would otherwise stay in memory with it.
func (x *ids) of(id string) int32 {
	if x.last != none && x.at(x.last) == id {
		return x.last
	}
	if 2*(x.len()+1) > len(x.slots) {
		x.resize(2 * (x.len() + 1))
	}
	at, n := x.slot(id)
	if n == none {
		n = x.add(id)
		x.slots[at] = n + 1
	}
	x.last = n
	return n
}

func (x *ids) find(id string) (int32, bool) {
	if len(x.slots) == 0 {
		return none, false
	}
	_, n := x.slot(id)
	return n, n != none
}

// reserve makes room for n ids in an empty set.
func (x *ids) reserve(n int) {
	if x.len() == 0 && n > 0 {
		x.strs.reserve(n)
		x.resize(n)
	}
}
