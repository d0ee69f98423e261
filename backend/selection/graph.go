package selection

import (
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// ids numbers the sourcedIds of one entity so the graph holds int32s instead of strings: a district
// of 100,000 students has 600,000 enrollments, which stay 16 bytes each.
type ids struct {
	names []string
	// slots finds a number by its id: an open-addressing table of numbers+1 (0: empty), at most half
	// full, hashed with seed. 4 bytes a slot, where a map[string]int32 took some 40 bytes an id.
	slots []int32
	seed  maphash.Seed
	// last is the id asked for last: the rows of a file refer to one class or school many times in
	// a row, and comparing two strings is far cheaper than looking one up in a table of 100,000.
	last  string
	lastN int32
}

func newIDs() ids { return ids{seed: maphash.MakeSeed(), lastN: none} }

// slot returns where id is in slots and its number, or the empty slot it would take and none.
func (x *ids) slot(id string) (int, int32) {
	mask := len(x.slots) - 1
	for i := int(maphash.String(x.seed, id)) & mask; ; i = (i + 1) & mask {
		if v := x.slots[i]; v == 0 || x.names[v-1] == id {
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
	for i, id := range x.names {
		at, _ := x.slot(id)
		x.slots[at] = int32(i + 1)
	}
}

// of returns the number of id, adding it when new (a reference may arrive before its record).
func (x *ids) of(id string) int32 {
	if x.lastN != none && id == x.last {
		return x.lastN
	}
	x.room()
	at, n := x.slot(id)
	if n == none {
		// A copy: id is a slice of its whole CSV line, which would otherwise stay in memory with it.
		n = x.put(at, strings.Clone(id))
	}
	x.last, x.lastN = x.names[n], n
	return n
}

// add numbers id, which x does not have and which is no slice of a line: its memory is shared.
func (x *ids) add(id string) {
	x.room()
	at, _ := x.slot(id)
	x.put(at, id)
}

// room makes slots room for one more id.
func (x *ids) room() {
	if 2*(len(x.names)+1) > len(x.slots) {
		x.resize(2 * (len(x.names) + 1))
	}
}

// put numbers id in the empty slot at.
func (x *ids) put(at int, id string) int32 {
	n := int32(len(x.names))
	x.names = append(x.names, id)
	x.slots[at] = n + 1
	return n
}

func (x *ids) find(id string) (int32, bool) {
	if len(x.slots) == 0 {
		return none, false
	}
	_, n := x.slot(id)
	return n, n != none
}

func (x *ids) len() int { return len(x.names) }

// reserve makes room for n ids in an empty set.
func (x *ids) reserve(n int) {
	if len(x.names) == 0 && n > 0 {
		x.names = make([]string, 0, n)
		x.resize(n)
	}
}

const none = int32(-1)

// Graph is the shape of a roster: which record refers to which, and what the wizard shows of each,
// built by Add from every record of a snapshot or of the roster, in any order.
type Graph struct {
	orgs, sessions, courses, classes, users ids

	org     []orgNode
	session []sessionNode
	course  []courseNode
	class   []classNode
	user    []userNode
	roles   []roleEdge
	enrolls []enrollment
	agents  []agentEdge

	// words interns the few values many records share (a role, a class type), so none keeps its CSV
	// line in memory.
	words map[string]string
	// roleNames are the users' roles ("" first, for none); roleOf numbers them.
	roleNames []string
	roleOf    map[string]uint32

	// shed says a filter let go of the graph's links (Filter.Shed).
	shed bool

	// The wizard's lists, computed once the graph is built (see listed).
	listOnce sync.Once
	list     listing
}

type orgNode struct {
	present    bool
	parent     int32
	name, typ  string
	identifier string
}

type sessionNode struct {
	present bool
	parent  int32
}

type courseNode struct {
	present   bool
	org, year int32
}

type classNode struct {
	present            bool
	school, course     int32
	terms              []int32
	title, code, ctype string
}

// userNode is a few bytes, not two strings: a state has more than a million users.
type userNode struct {
	present      bool
	status       uint8  // index in Statuses
	role         uint32 // the user's primary (else first) role, for counts per role: index in Graph.roleNames
	primaryRole  bool
	guardian     bool // the role is one that follows a student: guardian, parent or relative
	demographics bool
	// demographicsGone marks demographics being deleted, which may go through without their user
	// (see Filter.deletes).
	demographicsGone bool
}

// Status is the user's status.
func (u userNode) Status() Status { return Statuses[u.status] }

// roleEdge is one role; gone marks one being deleted, which gives its user no role at its org but
// may go through without its user (see Filter.deletes), so that the deletion is applied.
type roleEdge struct {
	user, org int32
	gone      bool
}

// agentEdge is one entry of a user's agentSourcedIds: a student's guardian or parent, or a
// guardian's student.
type agentEdge struct{ user, agent int32 }

// enrollment is one enrollment in 12 bytes (a state has 6,000,000): its class, user and school, and
// whether it is being deleted (tobedeleted in a delta), which enrols nobody but still goes through
// so that the deletion is applied, in the top bit of its class.
type enrollment struct {
	classGone, user, school int32
}

const goneBit = int32(math.MinInt32)

func newEnrollment(class, user, school int32, gone bool) enrollment {
	if gone {
		class |= goneBit
	}
	return enrollment{class, user, school}
}

func (e enrollment) class() int32 { return e.classGone &^ goneBit }
func (e enrollment) gone() bool   { return e.classGone < 0 }

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{orgs: newIDs(), sessions: newIDs(), courses: newIDs(), classes: newIDs(), users: newIDs(), words: map[string]string{},
		roleNames: []string{""}, roleOf: map[string]uint32{"": 0}}
}

// Reserve makes room for a district of counts records per entity (a snapshot's report has them),
// so that no list grows by copying itself: at 1,000,000 students the enrollments alone take 100 MB,
// and growing them held the old copy and the new one at once.
func (g *Graph) Reserve(counts map[roster.Entity]int) {
	g.orgs.reserve(counts[roster.Orgs])
	g.classes.reserve(counts[roster.Classes])
	g.users.reserve(counts[roster.Users])
	g.org = slices.Grow(g.org, counts[roster.Orgs])
	g.class = slices.Grow(g.class, counts[roster.Classes])
	g.user = slices.Grow(g.user, counts[roster.Users])
	g.roles = slices.Grow(g.roles, counts[roster.Roles])
	g.enrolls = slices.Grow(g.enrolls, counts[roster.Enrollments])
}

// whole stops what needs the links a filter shed: it would count and choose without them.
func (g *Graph) whole() {
	if g.shed {
		panic("selection: the graph's links were shed")
	}
}

// setRole gives a user its role.
func (g *Graph) setRole(u *userNode, role string) {
	n, ok := g.roleOf[role]
	if !ok {
		role = strings.Clone(role)
		n = uint32(len(g.roleNames))
		g.roleOf[role] = n
		g.roleNames = append(g.roleNames, role)
	}
	u.role, u.guardian = n, role == "guardian" || role == "parent" || role == "relative"
}

// statusCode is st's index in Statuses.
func statusCode(st Status) uint8 { return uint8(max(slices.Index(Statuses, st), 0)) }

// word returns the interned copy of a value many records share.
func (g *Graph) word(v string) string {
	w, ok := g.words[v]
	if !ok {
		w = strings.Clone(v)
		g.words[w] = w
	}
	return w
}

// grow extends a node slice so index n exists.
func grow[T any](s []T, n int32, zero T) []T {
	for int32(len(s)) <= n {
		s = append(s, zero)
	}
	return s
}

func (g *Graph) orgRef(id string) int32 {
	if id == "" {
		return none
	}
	n := g.orgs.of(id)
	g.org = grow(g.org, n, orgNode{parent: none})
	return n
}

func (g *Graph) sessionRef(id string) int32 {
	if id == "" {
		return none
	}
	n := g.sessions.of(id)
	g.session = grow(g.session, n, sessionNode{parent: none})
	return n
}

func (g *Graph) courseRef(id string) int32 {
	if id == "" {
		return none
	}
	n := g.courses.of(id)
	g.course = grow(g.course, n, courseNode{org: none, year: none})
	return n
}

func (g *Graph) classRef(id string) int32 {
	if id == "" {
		return none
	}
	n := g.classes.of(id)
	g.class = grow(g.class, n, classNode{school: none, course: none})
	return n
}

func (g *Graph) userRef(id string) int32 {
	if id == "" {
		return none
	}
	n := g.users.of(id)
	g.user = grow(g.user, n, userNode{})
	return n
}

// Columns lists, per entity, the columns Add reads: a caller reading records from a database only
// needs these (the sourcedId and status always).
var Columns = map[roster.Entity][]string{
	roster.Orgs:             {"sourcedId", "status", "name", "type", "identifier", "parentSourcedId"},
	roster.AcademicSessions: {"sourcedId", "status", "parentSourcedId"},
	roster.Courses:          {"sourcedId", "status", "orgSourcedId", "schoolYearSourcedId"},
	roster.Classes:          {"sourcedId", "status", "title", "classCode", "classType", "schoolSourcedId", "courseSourcedId", "termSourcedIds"},
	roster.Users:            {"sourcedId", "status", "enabledUser", "agentSourcedIds"},
	roster.Roles:            {"sourcedId", "status", "userSourcedId", "orgSourcedId", "role", "roleType"},
	roster.Demographics:     {"sourcedId", "status"},
	roster.Enrollments:      {"sourcedId", "status", "classSourcedId", "userSourcedId", "schoolSourcedId"},
}

// Add takes one record. delta says it comes from a delta file (or an API), where a record without a
// status is Blank; in a bulk file every row is active by definition.
func (g *Graph) Add(rec roster.Record, delta bool) {
	id := rec.SourcedID()
	switch rec.Entity {
	case roster.Orgs:
		n := g.orgRef(id)
		parent := g.orgRef(rec.Get("parentSourcedId"))
		o := &g.org[n]
		o.present, o.parent, o.name, o.typ, o.identifier = true, parent, strings.Clone(rec.Get("name")), g.word(rec.Get("type")), strings.Clone(rec.Get("identifier"))
	case roster.AcademicSessions:
		n := g.sessionRef(id)
		parent := g.sessionRef(rec.Get("parentSourcedId"))
		g.session[n] = sessionNode{present: true, parent: parent}
	case roster.Courses:
		n := g.courseRef(id)
		org, year := g.orgRef(rec.Get("orgSourcedId")), g.sessionRef(rec.Get("schoolYearSourcedId"))
		g.course[n] = courseNode{present: true, org: org, year: year}
	case roster.Classes:
		n := g.classRef(id)
		school, course := g.orgRef(rec.Get("schoolSourcedId")), g.courseRef(rec.Get("courseSourcedId"))
		var terms []int32
		for _, t := range splitList(rec.Get("termSourcedIds")) {
			terms = append(terms, g.sessionRef(t))
		}
		g.class[n] = classNode{present: true, school: school, course: course, terms: terms,
			title: strings.Clone(rec.Get("title")), code: strings.Clone(rec.Get("classCode")), ctype: g.word(rec.Get("classType"))}
	case roster.Users:
		n := g.userRef(id)
		for _, a := range splitList(rec.Get("agentSourcedIds")) {
			g.agents = append(g.agents, agentEdge{user: n, agent: g.userRef(a)})
		}
		u := &g.user[n]
		u.present, u.status = true, statusCode(userStatus(rec, delta))
	case roster.Roles:
		user, org := g.userRef(rec.Get("userSourcedId")), g.orgRef(rec.Get("orgSourcedId"))
		if user == none {
			return
		}
		g.roles = append(g.roles, roleEdge{user: user, org: org, gone: rec.Status() == roster.StatusToBeDeleted})
		if u := &g.user[user]; u.role == 0 || (!u.primaryRole && rec.Get("roleType") == "primary") {
			g.setRole(u, rec.Get("role"))
			u.primaryRole = rec.Get("roleType") == "primary"
		}
	case roster.Demographics:
		u := &g.user[g.userRef(id)]
		u.demographics, u.demographicsGone = true, rec.Status() == roster.StatusToBeDeleted
	case roster.Enrollments:
		class, user, school := g.classRef(rec.Get("classSourcedId")), g.userRef(rec.Get("userSourcedId")), g.orgRef(rec.Get("schoolSourcedId"))
		if class != none && user != none {
			g.enrolls = append(g.enrolls, newEnrollment(class, user, school, rec.Status() == roster.StatusToBeDeleted))
		}
	}
}

// Role returns a user's primary role, else its first; "" for a user the graph has no role of.
func (g *Graph) Role(user string) string {
	if n, ok := g.users.find(user); ok {
		return g.roleNames[g.user[n].role]
	}
	return ""
}

func userStatus(rec roster.Record, delta bool) Status {
	switch {
	case rec.Status() == roster.StatusToBeDeleted:
		return Deleted
	case strings.EqualFold(rec.Get("enabledUser"), "false"):
		return Inactive
	case rec.Status() == roster.StatusNone && delta:
		return Blank
	}
	return Active
}

// splitList reads a OneRoster list value ("a,b, c").
func splitList(v string) []string {
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
