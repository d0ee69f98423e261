package selection

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"slices"
)

// The binary form of a graph, saved beside a snapshot so that a started app has the shape of a
// district in a fraction of the seconds reading the snapshot takes. Varints throughout; a string is
// its length and bytes. The caller keeps what says which snapshot it is of, and a checksum. It is
// written and read as a stream: at a state's size it is some 100 MB, never held whole in memory.

// graphFormat changes whenever the layout below does: a file of another format is not read.
const graphFormat = 1

// WriteBinary writes the graph's binary form to out.
func (g *Graph) WriteBinary(out io.Writer) error {
	w := &writer{w: bufio.NewWriterSize(out, 64<<10)}
	w.n(graphFormat)
	for _, x := range []*ids{&g.orgs, &g.sessions, &g.courses, &g.classes, &g.users} {
		w.n(x.len())
		for n := range int32(x.len()) {
			w.s(x.at(n))
		}
	}
	w.n(len(g.org))
	for _, o := range g.org {
		w.flag(o.present)
		w.i(o.parent)
		w.s(o.name)
		w.s(o.typ)
		w.s(o.identifier)
	}
	w.n(len(g.session))
	for _, s := range g.session {
		w.flag(s.present)
		w.i(s.parent)
	}
	w.n(len(g.course))
	for _, c := range g.course {
		w.flag(c.present)
		w.i(c.org)
		w.i(c.year)
	}
	w.n(len(g.class))
	for _, c := range g.class {
		w.flag(c.present)
		w.i(c.school)
		w.i(c.course)
		w.n(int(c.nterms))
		for _, t := range g.classTerms(c) {
			w.i(t)
		}
		w.s(g.texts.at(c.title))
		w.s(g.texts.at(c.code))
		w.s(g.classTypes.name(c.ctype))
	}
	w.n(len(g.user))
	for _, u := range g.user {
		w.flag(u.present)
		w.s(string(u.Status()))
		w.s(g.roleNames.name(u.role))
		w.flag(u.primaryRole)
		w.flag(u.demographics)
		w.flag(u.demographicsGone)
	}
	w.n(len(g.roles))
	for _, r := range g.roles {
		w.i(r.user)
		w.i(r.org)
		w.flag(r.gone)
	}
	w.n(len(g.enrolls))
	for _, e := range g.enrolls {
		w.i(e.class())
		w.i(e.user)
		w.i(e.school)
		w.flag(e.gone())
	}
	w.n(len(g.agents))
	for _, a := range g.agents {
		w.i(a.user)
		w.i(a.agent)
	}
	return w.w.Flush()
}

// ErrBadGraph says a binary graph is not one AppendBinary wrote.
var ErrBadGraph = errors.New("not a saved selection shape")

// ReadGraph reads a graph from its binary form, size bytes of in.
func ReadGraph(in io.Reader, size int64) (*Graph, error) {
	r := &reader{r: bufio.NewReaderSize(in, 64<<10), left: size}
	if r.u() != graphFormat {
		return nil, ErrBadGraph
	}
	g := NewGraph()
	for _, x := range []*ids{&g.orgs, &g.sessions, &g.courses, &g.classes, &g.users} {
		n := r.n()
		x.strs.reserve(n)
		for range n {
			r.text(&x.strs)
		}
		x.resize(x.len())
	}
	g.org = make([]orgNode, r.n())
	for i := range g.org {
		g.org[i] = orgNode{present: r.flag(), parent: r.ref(g.orgs), name: r.s(), typ: g.word(r.s()), identifier: r.s()}
	}
	g.session = make([]sessionNode, r.n())
	for i := range g.session {
		g.session[i] = sessionNode{present: r.flag(), parent: r.ref(g.sessions)}
	}
	g.course = make([]courseNode, r.n())
	for i := range g.course {
		g.course[i] = courseNode{present: r.flag(), org: r.ref(g.orgs), year: r.ref(g.sessions)}
	}
	g.class = make([]classNode, r.n())
	for i := range g.class {
		c := classNode{present: r.flag(), school: r.ref(g.orgs), course: r.ref(g.courses), terms: int32(len(g.terms))}
		for range r.n() {
			g.terms = append(g.terms, r.ref(g.sessions))
		}
		c.nterms = int32(len(g.terms)) - c.terms
		c.title, c.code, c.ctype = r.text(&g.texts), r.text(&g.texts), g.classTypes.number(r.s())
		g.class[i] = c
	}
	g.user = make([]userNode, r.n())
	for i := range g.user {
		u := userNode{present: r.flag(), status: statusCode(Status(r.s()))}
		g.setRole(&u, r.s())
		u.primaryRole, u.demographics, u.demographicsGone = r.flag(), r.flag(), r.flag()
		g.user[i] = u
	}
	g.roles = make([]roleEdge, r.n())
	for i := range g.roles {
		g.roles[i] = roleEdge{user: r.ref(g.users), org: r.ref(g.orgs), gone: r.flag()}
	}
	g.enrolls = make([]enrollment, r.n())
	for i := range g.enrolls {
		class, user, school := r.ref(g.classes), r.ref(g.users), r.ref(g.orgs)
		g.enrolls[i] = newEnrollment(class, user, school, r.flag())
	}
	g.agents = make([]agentEdge, r.n())
	for i := range g.agents {
		g.agents[i] = agentEdge{user: r.ref(g.users), agent: r.ref(g.users)}
	}
	// Every node slice is as long as its ids (Add keeps them so), or an index could be out of range.
	if r.bad || r.left != 0 || len(g.org) != g.orgs.len() || len(g.session) != g.sessions.len() || len(g.course) != g.courses.len() ||
		len(g.class) != g.classes.len() || len(g.user) != g.users.len() {
		return nil, ErrBadGraph
	}
	return g, nil
}

// writer writes to w, which keeps the first error for Flush.
type writer struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

func (w *writer) n(n int)   { w.w.Write(binary.AppendUvarint(w.buf[:0], uint64(n))) }
func (w *writer) i(n int32) { w.w.Write(binary.AppendVarint(w.buf[:0], int64(n))) }
func (w *writer) s(s string) {
	w.n(len(s))
	w.w.WriteString(s)
}

func (w *writer) flag(on bool) {
	if on {
		w.w.WriteByte(1)
	} else {
		w.w.WriteByte(0)
	}
}

// reader reads what writer wrote, left bytes of r; past a fault (bad) it returns zeros and the read
// fails.
type reader struct {
	r    *bufio.Reader
	left int64
	bad  bool
}

func (r *reader) byte() byte {
	if r.bad {
		return 0
	}
	b, err := r.r.ReadByte()
	if err != nil || r.left <= 0 {
		r.bad = true
		return 0
	}
	r.left--
	return b
}

func (r *reader) u() uint64 {
	var v uint64
	for shift := uint(0); shift < 64 && !r.bad; shift += 7 {
		b := r.byte()
		if b < 0x80 {
			return v | uint64(b)<<shift
		}
		v |= uint64(b&0x7f) << shift
	}
	r.bad = true
	return 0
}

// n reads a count, which cannot exceed the bytes left (each item takes one at least).
func (r *reader) n() int {
	v := r.u()
	if v > uint64(r.left) {
		r.bad = true
		return 0
	}
	return int(v)
}

// ref reads a node number of x, or none.
func (r *reader) ref(x ids) int32 {
	u := r.u()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	if r.bad || v < int64(none) || v >= int64(x.len()) {
		r.bad = true
		return none
	}
	return int32(v)
}

// text reads a string straight into s (not a string of its own first) and returns its number.
func (r *reader) text(s *strs) int32 {
	c := s.tail()
	n := r.n()
	b := slices.Grow(*c, n)
	if _, err := io.ReadFull(r.r, b[len(b):len(b)+n]); err != nil {
		r.bad = true
	} else {
		r.left -= int64(n)
		*c = b[:len(b)+n]
	}
	return s.end(*c)
}

func (r *reader) s() string {
	n := r.n()
	if n == 0 {
		return ""
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.r, b); err != nil {
		r.bad = true
		return ""
	}
	r.left -= int64(n)
	return string(b)
}

func (r *reader) flag() bool { return r.u() == 1 }
