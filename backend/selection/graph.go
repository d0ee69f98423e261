package selection

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

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

	// words interns the few values many orgs share (a type), so none keeps its CSV line in memory.
	words map[string]string
	// roleNames number the users' roles ("" first, for none), classTypes the classes' types.
	roleNames, classTypes dict
	// terms are the classes' terms, texts their titles and codes: a class holds where its own are,
	// not a slice and two strings, so a state's 240,000 classes are no object for the collector.
	terms []int32
	texts strs

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

// classNode holds no pointer (see Graph.terms).
type classNode struct {
	present        bool
	school, course int32
	// terms are g.terms[terms : terms+nterms]; title and code are numbers in g.texts.
	terms, nterms int32
	title, code   int32
	ctype         uint32 // in g.classTypes
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
		roleNames: newDict(), classTypes: newDict()}
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
	u.role, u.guardian = g.roleNames.number(role), role == "guardian" || role == "parent" || role == "relative"
}

// classTerms returns class c's terms.
func (g *Graph) classTerms(c classNode) []int32 { return g.terms[c.terms : c.terms+c.nterms] }

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
		c := classNode{present: true, school: school, course: course, terms: int32(len(g.terms)),
			title: g.texts.add(rec.Get("title")), code: g.texts.add(rec.Get("classCode")), ctype: g.classTypes.number(rec.Get("classType"))}
		for _, t := range splitList(rec.Get("termSourcedIds")) {
			g.terms = append(g.terms, g.sessionRef(t))
		}
		c.nterms = int32(len(g.terms)) - c.terms
		g.class[n] = c
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
		return g.roleNames.name(g.user[n].role)
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
