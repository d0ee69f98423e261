package selection

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// TestGraphHoldsNoCSVLine: the values a reader hands over are slices of their CSV line; a graph of
// a district that kept them would keep every line of users.csv and roles.csv in memory.
func TestGraphHoldsNoCSVLine(t *testing.T) {
	line := strings.Repeat("x", 64) + "d1,District,district,D1,s1,Math 3A,M3A,scheduled,u1,k1,teacher,primary"
	part := func(v string) string { i := strings.Index(line, v); return line[i : i+len(v)] }
	set := func(ent roster.Entity, kv ...string) roster.Record {
		rec := roster.NewRecord(ent)
		for i := 0; i+1 < len(kv); i += 2 {
			rec.Set(kv[i], part(kv[i+1]))
		}
		return rec
	}
	g := NewGraph()
	g.Add(set(roster.Orgs, "sourcedId", "d1", "name", "District", "type", "district", "identifier", "D1"), false)
	g.Add(set(roster.Classes, "sourcedId", "k1", "title", "Math 3A", "classCode", "M3A", "classType", "scheduled", "schoolSourcedId", "s1"), false)
	g.Add(set(roster.Users, "sourcedId", "u1"), false)
	g.Add(set(roster.Roles, "sourcedId", "u1", "userSourcedId", "u1", "orgSourcedId", "s1", "role", "teacher", "roleType", "primary"), false)
	start := uintptr(unsafe.Pointer(unsafe.StringData(line)))
	held := map[string]string{"org id": g.orgs.at(0), "school id": g.orgs.at(1), "org name": g.org[0].name, "org type": g.org[0].typ,
		"identifier": g.org[0].identifier, "class id": g.classes.at(0), "title": g.texts.at(g.class[0].title), "code": g.texts.at(g.class[0].code),
		"class type": g.classTypes.name(g.class[0].ctype), "user id": g.users.at(0), "role": g.roleNames.name(g.user[0].role)}
	for what, v := range held {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(v))); v == "" || (p >= start && p < start+uintptr(len(line))) {
			t.Errorf("the graph's %s %q is a slice of the CSV line", what, v)
		}
	}
	if n := []int32{g.users.of("a"), g.users.of("b"), g.users.of("a"), g.users.of("u1")}; n[0] != 1 || n[1] != 2 || n[2] != 1 || n[3] != 0 {
		t.Errorf("ids numbered %v, want [1 2 1 0]", n)
	}
}

// A user costs the graph a few dozen bytes: its node, its number and its id. 200,000 users with
// their roles are held in under 56 bytes each (129 when the index was a map and the node held its
// status and role as strings, 66 when each id was a string), so a state's 1,350,000 users fit in the
// window's memory. And their ids are not an object each: the collector marks every object held at
// every collection, and at a state's size it collected all along, marking 1,600,000 ids each time.
func TestGraphUserBytes(t *testing.T) {
	const n = 200000
	users := make([]roster.Record, n)
	roles := make([]roster.Record, n)
	for i := range users {
		id := fmt.Sprintf("usr-%06d", i)
		users[i] = roster.NewRecord(roster.Users)
		users[i].Set("sourcedId", id)
		roles[i] = roster.NewRecord(roster.Roles)
		roles[i].Set("sourcedId", id+"-r")
		roles[i].Set("userSourcedId", id)
		roles[i].Set("orgSourcedId", "s1")
		roles[i].Set("role", "student")
		roles[i].Set("roleType", "primary")
	}
	before, objects := hostile.InUse(), heapObjects()
	g := NewGraph()
	g.Reserve(map[roster.Entity]int{roster.Users: n, roster.Roles: n})
	for i := range users {
		g.Add(users[i], false)
		g.Add(roles[i], false)
	}
	per, perThousand := (hostile.InUse()-before)/n, (heapObjects()-objects)*1000/n
	if g.Role("usr-000007") != "student" || g.users.len() != n {
		t.Fatalf("role %q, %d users", g.Role("usr-000007"), g.users.len())
	}
	if per >= 56 {
		t.Errorf("the graph holds %d bytes a user (want < 56)", per)
	} else {
		t.Logf("%d bytes a user", per)
	}
	if perThousand > 5 {
		t.Errorf("the graph holds %d objects per 1,000 users (want at most 5)", perThousand)
	}
	runtime.KeepAlive(users)
	runtime.KeepAlive(roles)
}

// An enrollment is 12 bytes, its deletion a bit of its class: a state's 6,000,000 enrollments take
// 72 MB of the shape, not 96.
func TestEnrollmentIsTwelveBytes(t *testing.T) {
	if size := unsafe.Sizeof(enrollment{}); size != 12 {
		t.Errorf("an enrollment takes %d bytes, want 12", size)
	}
	e := newEnrollment(7, 3, 2, true)
	if e.class() != 7 || !e.gone() || newEnrollment(7, 3, 2, false).gone() {
		t.Errorf("class %d gone %v", e.class(), e.gone())
	}
}

// A class holds no object of its own either (its terms, title and code lie in lists of the graph),
// built from records or read from its binary form: a state has 240,000 classes.
func TestAClassIsNoObjectForTheCollector(t *testing.T) {
	const n = 40000
	classes := make([]roster.Record, n)
	for i := range classes {
		classes[i] = roster.NewRecord(roster.Classes)
		for k, v := range map[string]string{"sourcedId": fmt.Sprintf("cls-%06d", i), "title": fmt.Sprintf("Math %d", i), "classCode": fmt.Sprintf("M%d", i),
			"classType": "scheduled", "schoolSourcedId": "s1", "courseSourcedId": "c1", "termSourcedIds": "t1,t2"} {
			classes[i].Set(k, v)
		}
	}
	objects := heapObjects()
	g := NewGraph()
	for _, rec := range classes {
		g.Add(rec, false)
	}
	built := heapObjects() - objects
	var saved bytes.Buffer
	if err := g.WriteBinary(&saved); err != nil {
		t.Fatal(err)
	}
	objects = heapObjects()
	read, err := ReadGraph(bytes.NewReader(saved.Bytes()), int64(saved.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for what, held := range map[string]int64{"built": built * 1000 / n, "read": (heapObjects() - objects) * 1000 / n} {
		if held > 5 {
			t.Errorf("%s, the graph holds %d objects per 1,000 classes (want at most 5)", what, held)
		}
	}
	if c := read.class[n-1]; read.texts.at(c.title) != "Math 39999" || read.texts.at(c.code) != "M39999" || len(read.classTerms(c)) != 2 ||
		read.classTypes.name(c.ctype) != "scheduled" || read.classes.at(n-1) != "cls-039999" {
		t.Errorf("the last class read back is %+v", c)
	}
	runtime.KeepAlive(classes)
	runtime.KeepAlive(g)
	runtime.KeepAlive(read)
}

// heapObjects counts the objects the heap holds after a collection.
func heapObjects() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapObjects)
}
