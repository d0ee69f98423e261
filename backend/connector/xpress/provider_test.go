package xpress

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// provider is an xPress Roster service in the test process: an OAuth token endpoint at /token, a RIC
// One-style login form at /login, and the x-objects of a generated district under /api, paged by the
// navigation headers.
type provider struct {
	srv *httptest.Server

	mu      sync.Mutex
	objects map[string][]item     // by object name
	counts  map[roster.Entity]int // what the district holds, as the reader counts it
	clients map[string]string     // client id → secret
	users   map[string]string     // username → password
	apiKey  string                // "" requires requests without the key header
	// keyHeader is where the API key must come (x-api-key unless a test names another).
	keyHeader string
	tokens    map[string]time.Time // token → when it was issued
	// lifetime, when set, refuses (401) tokens older than this.
	lifetime time.Duration
	// delay slows every data request, so a stage outlasts a short token lifetime.
	delay time.Duration
	// logins counts the tokens issued; refusals the data requests answered 401.
	logins, refusals int
	// ricOne answers as RIC One-style servers do: objects carry their id as "@refId", numbers come as
	// strings, pages are capped at 5 without saying so (only the last-page header tells there is more),
	// that header is written "navigationLastPage " with a space before the colon, X-Total-Count is the
	// count of the page, and a page past the end is 204 No Content.
	ricOne bool
	// noContent answers 204 instead of an empty page.
	noContent bool
	// changes are the objects a changesSinceMarker request gets, by object name; markers lists those asked with.
	changes map[string][]map[string]any
	markers []string
	// bare serves {"xStudents":[...]} instead of {"xStudents":{"xStudent":[...]}}.
	bare bool
	// omitLastPage leaves out navigationLastPage, as some services do.
	omitLastPage bool
	// maxPageSize caps navigationPageSize and says so in the answer's navigationPageSize header.
	maxPageSize int
	// failures answer the next data requests with these statuses (429 with Retry-After: 1).
	failures []int
	// requests lists the data requests: path, "#", navigationPage.
	requests []string
	// schoolYears lists the SchoolYear headers received.
	schoolYears []string
}

// item is one x-object and the school it belongs to, for the school-scoped paths.
type item struct {
	school string
	body   map[string]any
}

func newProvider(t *testing.T, opts district.Options) *provider {
	p := &provider{clients: map[string]string{"rosterdesk": "s3cret", "other-app": "another secret"},
		users: map[string]string{"registrar": "correct horse"}, apiKey: "key-123", keyHeader: "x-api-key", tokens: map[string]time.Time{}}
	p.load(t, opts)
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) settings() map[string]string {
	return map[string]string{"baseUrl": p.srv.URL + "/api", "tokenUrl": p.srv.URL + "/token", "clientId": "rosterdesk"}
}

func (p *provider) secrets() map[string]string {
	return map[string]string{"clientSecret": "s3cret", "apiKey": "key-123"}
}

// loginSettings sign in with the login form and take the service address from its answer.
func (p *provider) loginSettings() map[string]string {
	return map[string]string{"auth": "login", "tokenUrl": p.srv.URL + "/login", "clientId": "rosterdesk"}
}

// load replaces the served data with a district from district.Generate, turned into x-objects.
func (p *provider) load(t *testing.T, opts district.Options) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "district.zip")
	if _, err := district.GenerateFile(context.Background(), path, opts); err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	var orgs, courses, classes, users []roster.Record
	var year roster.Record
	roleOf := map[string]roster.Record{}
	demographics := map[string]roster.Record{}
	enrolled := map[string][]roster.Record{}
	rep, err := pkg.Read(context.Background(), func(rec roster.Record) error {
		switch rec.Entity {
		case roster.Orgs:
			orgs = append(orgs, rec)
		case roster.AcademicSessions:
			if rec.Get("type") == "schoolYear" {
				year = rec
			}
		case roster.Courses:
			courses = append(courses, rec)
		case roster.Classes:
			classes = append(classes, rec)
		case roster.Users:
			users = append(users, rec)
		case roster.Roles:
			roleOf[rec.Get("userSourcedId")] = rec
		case roster.Demographics:
			demographics[rec.SourcedID()] = rec
		case roster.Enrollments:
			enrolled[rec.Get("classSourcedId")] = append(enrolled[rec.Get("classSourcedId")], rec)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}

	objects := map[string][]item{}
	add := func(object, school string, body map[string]any) {
		objects[object] = append(objects[object], item{school, body})
	}
	var lea string
	for _, o := range orgs {
		id := o.SourcedID()
		if o.Get("type") == "district" {
			lea = id
			add("xLeas", "", map[string]any{"refId": id, "localId": o.Get("identifier"), "leaName": o.Get("name")})
			continue
		}
		add("xSchools", id, map[string]any{"refId": id, "localId": o.Get("identifier"), "leaRefId": o.Get("parentSourcedId"), "schoolName": o.Get("name")})
		schoolYear, _ := strconv.Atoi(year.Get("schoolYear")) // a number, as some services write it
		add("xCalendars", id, map[string]any{"refId": "cal-" + id, "schoolRefId": id, "schoolYear": schoolYear,
			"days": map[string]any{"firstInstructionDate": year.Get("startDate"), "lastInstructionDate": year.Get("endDate")}})
	}
	for _, c := range courses {
		school := c.Get("orgSourcedId")
		add("xCourses", school, map[string]any{"refId": c.SourcedID(), "schoolRefId": school, "schoolCourseId": c.Get("courseCode"),
			"courseTitle": c.Get("title"), "subject": c.Get("subjects"),
			"applicableEducationLevels": map[string]any{"applicableEducationLevel": strings.Split(c.Get("grades"), ",")}})
	}
	for _, c := range classes {
		school := c.Get("schoolSourcedId")
		roster := map[string]any{"refId": c.SourcedID(), "courseRefId": c.Get("courseSourcedId"), "courseTitle": c.Get("title"),
			"schoolRefId": school, "schoolSectionId": c.Get("classCode"), "schoolYear": year.Get("schoolYear"),
			"schoolCalendarRefId": "cal-" + school, "subject": c.Get("subjects")}
		var students []any
		for _, e := range enrolled[c.SourcedID()] {
			person := map[string]any{"refId": e.Get("userSourcedId")}
			if e.Get("role") == "teacher" {
				roster["primaryStaff"] = map[string]any{"staffPersonReference": person, "teacherOfRecord": true}
			} else {
				students = append(students, person)
			}
		}
		roster["students"] = map[string]any{"studentReference": students}
		add("xRosters", school, roster)
	}
	for _, u := range users {
		id, role := u.SourcedID(), roleOf[u.SourcedID()]
		school := role.Get("orgSourcedId")
		body := map[string]any{"refId": id, "localId": u.Get("identifier"), "stateProvinceId": u.Get("userMasterIdentifier"),
			"name":        map[string]any{"familyName": u.Get("familyName"), "givenName": u.Get("givenName"), "middleName": u.Get("middleName")},
			"email":       map[string]any{"emailType": "Primary", "emailAddress": u.Get("email")},
			"appUserInfo": map[string]any{"applicationUser": map[string]any{"idType": "username", "userId": u.Get("username")}}}
		switch role.Get("role") {
		case "teacher":
			body["primaryAssignment"] = map[string]any{"leaRefId": lea, "schoolRefId": school, "jobFunction": "Teacher"}
			add("xStaffs", school, body)
		case "student":
			body["enrollment"] = map[string]any{"leaRefId": lea, "schoolRefId": school, "gradeLevel": u.Get("grades")}
			if agents := u.Get("agentSourcedIds"); agents != "" {
				body["studentContacts"] = map[string]any{"studentContactRefId": agents} // one contact, written without the array
			}
			if d, ok := demographics[id]; ok {
				body["birthDate"], body["sex"] = d.Get("birthDate"), strings.ToUpper(d.Get("sex")[:1])+d.Get("sex")[1:]
			}
			add("xStudents", school, body)
		case "guardian":
			body["phoneNumber"] = map[string]any{"phoneType": "Home", "number": u.Get("phone")}
			body["relationships"] = map[string]any{"relationship": []any{map[string]any{"studentRefId": u.Get("agentSourcedIds"), "relationshipCode": "Guardian"}}}
			add("xContacts", "", body)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.objects, p.counts = objects, rep.Counts
}

func (p *provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case r.URL.Path == "/token":
		p.token(w, r)
	case r.URL.Path == "/login":
		p.login(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/"):
		p.data(w, r, strings.TrimPrefix(r.URL.Path, "/api/"))
	default:
		http.NotFound(w, r)
	}
}

func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	refuse := func(status int, code string) {
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":%q}`, code)
	}
	if err := r.ParseForm(); err != nil {
		refuse(http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if want, known := p.clients[id]; !known || want != secret || !p.keyOK(r) {
		refuse(http.StatusUnauthorized, "invalid_client")
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
	case "password":
		if want, known := p.users[r.PostForm.Get("username")]; !known || want != r.PostForm.Get("password") {
			refuse(http.StatusBadRequest, "invalid_grant")
			return
		}
	default:
		refuse(http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":"3600"}`, p.issue()) // a number as a string
}

// keyOK tells whether the request carries the API key in the expected header, or no such header when
// the provider issued no key.
func (p *provider) keyOK(r *http.Request) bool {
	if p.apiKey == "" {
		return len(r.Header.Values(p.keyHeader)) == 0
	}
	return r.Header.Get(p.keyHeader) == p.apiKey
}

func (p *provider) issue() string {
	p.logins++
	tok := fmt.Sprintf("token-%d", p.logins)
	p.tokens[tok] = time.Now()
	return tok
}

// login is RIC One's sign-in: a form of username and password (a client id and secret, or a user's),
// answering a token and the services the client may read.
func (p *provider) login(w http.ResponseWriter, r *http.Request) {
	user, password := r.PostFormValue("username"), r.PostFormValue("password")
	if (p.clients[user] != password && p.users[user] != password) || password == "" || !p.keyOK(r) {
		http.Error(w, `{"message":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"id": "17", "user_name": user, "token": p.issue(),
		"endpoint": []any{map[string]any{"name": "Test RIC", "provider_id": "test", "href": p.srv.URL + "/api/"}}})
}

func (p *provider) data(w http.ResponseWriter, r *http.Request, path string) {
	issued, known := p.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	if !known || (p.lifetime > 0 && time.Since(issued) > p.lifetime) || !p.keyOK(r) {
		p.refusals++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	time.Sleep(p.delay)
	p.requests = append(p.requests, path+"#"+r.Header.Get("navigationPage"))
	if y := r.Header.Get("SchoolYear"); y != "" {
		p.schoolYears = append(p.schoolYears, y)
	}
	if len(p.failures) > 0 {
		status := p.failures[0]
		p.failures = p.failures[1:]
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(status)
		return
	}
	var object, school, refID string
	switch parts := strings.Split(path, "/"); {
	case len(parts) == 1:
		object = parts[0]
	case len(parts) == 2:
		object, refID = parts[0], parts[1]
	case len(parts) == 3 && parts[0] == "xSchools":
		school, object = parts[1], parts[2]
	}
	all, ok := p.objects[object]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if refID != "" {
		p.one(w, r, object, refID)
		return
	}
	var bodies []any
	if marker := r.URL.Query().Get("changesSinceMarker"); marker != "" {
		p.markers = append(p.markers, marker)
		for _, body := range p.changes[object] {
			bodies = append(bodies, body)
		}
	} else {
		for _, it := range all {
			if school == "" || it.school == school {
				bodies = append(bodies, it.body)
			}
		}
	}
	if p.ricOne {
		for i, body := range bodies {
			bodies[i] = ricOneObject(body.(map[string]any))
		}
	}
	n, _ := strconv.Atoi(r.Header.Get("navigationPage"))
	size, _ := strconv.Atoi(r.Header.Get("navigationPageSize"))
	if n < 1 || size < 1 {
		n, size = 1, max(len(bodies), 1)
	}
	if p.ricOne {
		size = min(size, 5)
	} else if p.maxPageSize > 0 && size > p.maxPageSize {
		size = p.maxPageSize
		w.Header().Set("navigationPageSize", strconv.Itoa(size))
	}
	lastPage := strconv.Itoa(max(1, (len(bodies)+size-1)/size))
	if !p.omitLastPage && !p.ricOne {
		w.Header().Set("navigationLastPage", lastPage)
	}
	pageItems := bodies[min((n-1)*size, len(bodies)):min(n*size, len(bodies))]
	if len(pageItems) == 0 && (p.noContent || p.ricOne) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	var list any = pageItems
	if len(pageItems) == 1 { // a list of one as an XML-to-JSON converter writes it: the element alone
		list = pageItems[0]
	}
	env := map[string]any{object: map[string]any{strings.TrimSuffix(object, "s"): list}}
	if p.bare {
		env = map[string]any{object: list}
	}
	if p.ricOne {
		body, _ := json.Marshal(env)
		rawReply(w, []string{"Content-Type: application/json", "navigationLastPage : " + lastPage,
			"X-Total-Count: " + strconv.Itoa(len(pageItems)), "navigationPage: " + strconv.Itoa(n)}, body)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(env)
}

// one answers a single object by refId, {"xStudent":{...}}.
func (p *provider) one(w http.ResponseWriter, r *http.Request, object, refID string) {
	for _, it := range p.objects[object] {
		if it.body["refId"] != refID {
			continue
		}
		body := it.body
		if p.ricOne {
			body = ricOneObject(body)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{strings.TrimSuffix(object, "s"): body})
		return
	}
	http.NotFound(w, r)
}

// ricOneObject writes an object as RIC One-style servers do: its own id as "@refId" (references inside
// keep "refId") and numbers as strings.
func ricOneObject(body map[string]any) map[string]any {
	out := maps.Clone(body)
	if id, ok := out["refId"]; ok {
		delete(out, "refId")
		out["@refId"] = id
	}
	for k, v := range out {
		if n, ok := v.(int); ok {
			out[k] = strconv.Itoa(n)
		}
	}
	return out
}

// rawReply writes a 200 answer byte for byte: net/http drops header names it finds invalid, such as
// one with a space before the colon, which real servers nevertheless send.
func rawReply(w http.ResponseWriter, headers []string, body []byte) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	for _, h := range headers {
		head.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&head, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	buf.Write(head.Bytes())
	buf.Write(body)
	buf.Flush()
}
