package rest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// provider is a OneRoster REST API for tests. It serves a district made by district.Generate in the
// 1.1 or 1.2 JSON shape, signs clients in with OAuth 2 client credentials (or checks OAuth 1
// signatures, recomputed here independently of the client's code), and bends the rules the way real
// providers do when its quirks say so.
type provider struct {
	t       testing.TB
	version string
	oauth1  bool
	q       quirks
	srv     *httptest.Server

	mu       sync.Mutex
	data     map[string][]*item // collection → records, sorted by sourcedId
	users    int                // users in the district
	requests []*url.URL         // API requests as received
	tokens   map[string]string  // access token → the scopes it was granted
	nonces   map[string]bool
	count    int // API requests so far, for the quirks that fail some of them
}

const (
	testClient = "rosterdesk-test"
	testSecret = "s3cret with spaces & symbols=+/"
	modified   = "2026-01-01T00:00:00.000Z" // every record's dateLastModified until touched
)

type quirks struct {
	capLimit       int    // at most this many records per page, whatever limit asks
	shift          bool   // from the second page on, each page starts one record back, as when data shifts between requests
	lyingTotals    bool   // X-Total-Count and Link headers that say the first page is all there is
	every429       int    // every n-th API request is answered 429 with Retry-After: 0
	every500       int    // every n-th API request is answered 500
	everyDrop      int    // every n-th API request is cut off in the middle of its answer
	throttleFirst  int    // the first n API requests are answered 429 with Retry-After: retryAfter
	retryAfter     string // the Retry-After of those answers
	stringBools    bool   // booleans as "1" and "0"
	sparse         bool   // blank values and optional refs left out, empty lists as null, lists as comma strings, years as numbers
	scope          string // when set, an OAuth 2 token must carry this scope, else the API answers 403
	noDemographics bool   // the demographics endpoint answers 404
}

// item is one served record.
type item struct {
	rec   roster.Record
	roles []roster.Record // of a user
	json  []byte
}

func newProvider(t testing.TB, version string, oauth1 bool, students int, q quirks) *provider {
	t.Helper()
	p := &provider{t: t, version: version, oauth1: oauth1, q: q, tokens: map[string]string{}, nonces: map[string]bool{}}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	p.load(students, 1)
	return p
}

// settings reach the provider.
func (p *provider) settings() map[string]string {
	s := map[string]string{"baseUrl": p.srv.URL, "version": p.version, "clientId": testClient}
	if p.oauth1 {
		s["auth"] = "oauth1"
	} else {
		s["tokenUrl"] = p.srv.URL + "/token"
	}
	return s
}

func secrets() map[string]string { return map[string]string{"clientSecret": testSecret} }

// load replaces the served data with a generated district.
func (p *provider) load(students int, seed int64) {
	p.t.Helper()
	recs, sum := districtRecords(p.t, students, seed)
	roles := map[string][]roster.Record{}
	for _, r := range recs[roster.Roles] {
		roles[r.Get("userSourcedId")] = append(roles[r.Get("userSourcedId")], r)
	}
	data := map[string][]*item{}
	for e, list := range recs {
		if e == roster.Roles {
			continue
		}
		for _, r := range list {
			r.Set("status", "active")
			r.Set("dateLastModified", modified)
			it := &item{rec: r, roles: roles[r.SourcedID()]}
			p.encode(it)
			data[string(e)] = append(data[string(e)], it)
		}
		sort.Slice(data[string(e)], func(i, j int) bool { return data[string(e)][i].rec.SourcedID() < data[string(e)][j].rec.SourcedID() })
	}
	p.mu.Lock()
	p.data, p.users = data, sum.Counts[roster.Users]
	p.mu.Unlock()
}

// districtRecords generates a 1.2 district and reads it with the project's reader.
func districtRecords(t testing.TB, students int, seed int64) (map[roster.Entity][]roster.Record, district.Summary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := district.Generate(context.Background(), &buf, district.Options{Students: students, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "district.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, _ := readPackage(t, path)
	return recs, sum
}

// readPackage reads a package with the project's reader and fails on any error finding.
func readPackage(t testing.TB, path string) (map[roster.Entity][]roster.Record, *oneroster.Package) {
	t.Helper()
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pkg.Close() })
	recs := map[roster.Entity][]roster.Record{}
	rep, err := pkg.Read(context.Background(), func(r roster.Record) error { recs[r.Entity] = append(recs[r.Entity], r); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs := rep.Errors(); len(errs) > 0 {
		t.Fatalf("%s has %d errors, e.g. %+v", filepath.Base(path), len(errs), errs[0])
	}
	return recs, pkg
}

// touch marks records of a collection as changed at when, with a status.
func (p *provider) touch(collection, when, status string, ids ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, it := range p.data[collection] {
		if slices.Contains(ids, it.rec.SourcedID()) {
			it.rec.Set("dateLastModified", when)
			it.rec.Set("status", status)
			p.encode(it)
		}
	}
}

// seen returns the API requests received so far.
func (p *provider) seen() []*url.URL {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

var refTypes = map[roster.Entity]string{roster.Orgs: "org", roster.AcademicSessions: "academicSession", roster.Courses: "course",
	roster.Classes: "class", roster.Users: "user"}

func (p *provider) ref(target roster.Entity, id string) map[string]string {
	return map[string]string{"href": p.srv.URL + prefixes[p.version] + "/" + string(target) + "/" + id, "sourcedId": id, "type": refTypes[target]}
}

// encode writes a record in the provider's JSON shape.
func (p *provider) encode(it *item) {
	rec := it.rec
	obj := map[string]any{}
	put := func(key string, v any) {
		if p.q.sparse && (v == nil || v == "") {
			return
		}
		obj[key] = v
	}
	for i, c := range roster.Schema(rec.Entity).Columns {
		v := rec.Values[i]
		if p.version == "1.1" && rec.Entity == roster.Users && !slices.Contains(roster.Users11Columns, c.Name) {
			continue
		}
		var ids []string
		if v != "" {
			ids = strings.Split(v, ",")
		}
		switch c.Kind {
		case roster.Ref:
			var r any
			if v != "" {
				r = p.ref(c.Target, v)
			}
			put(strings.TrimSuffix(c.Name, "SourcedId"), r)
		case roster.RefList:
			refs := []any{}
			for _, id := range ids {
				refs = append(refs, p.ref(c.Target, id))
			}
			put(strings.TrimSuffix(c.Name, "SourcedIds")+"s", p.list(refs))
		case roster.List:
			if p.q.sparse {
				put(c.Name, v)
			} else {
				put(c.Name, append([]string{}, ids...))
			}
		case roster.Bool:
			put(c.Name, p.boolean(v))
		case roster.Year:
			if n, err := strconv.Atoi(v); err == nil && p.q.sparse {
				put(c.Name, n)
			} else {
				put(c.Name, v)
			}
		default:
			put(c.Name, v)
		}
	}
	switch rec.Entity {
	case roster.Orgs:
		obj["metadata"] = map[string]any{"region": "North", "rank": 3, "contacts": map[string]any{"office": "555-0100"}}
	case roster.Users:
		if p.version == "1.1" {
			orgs := []any{}
			for _, r := range it.roles {
				orgs = append(orgs, p.ref(roster.Orgs, r.Get("orgSourcedId")))
			}
			obj["orgs"] = orgs
			if len(it.roles) > 0 {
				obj["role"] = oneroster.Role11(it.roles[0].Get("role"))
			}
			break
		}
		roles := []any{}
		for _, r := range it.roles {
			role := map[string]any{"roleType": r.Get("roleType"), "role": r.Get("role"), "org": p.ref(roster.Orgs, r.Get("orgSourcedId"))}
			if b := r.Get("beginDate"); b != "" || !p.q.sparse {
				role["beginDate"] = b
			}
			roles = append(roles, role)
		}
		obj["roles"] = roles
	}
	var err error
	if it.json, err = json.Marshal(obj); err != nil {
		p.t.Fatal(err)
	}
}

func (p *provider) list(refs []any) any {
	if len(refs) == 0 && p.q.sparse {
		return nil // null where a list was due
	}
	return refs
}

func (p *provider) boolean(v string) any {
	switch {
	case v == "":
		return nil
	case p.q.stringBools && v == "true":
		return "1"
	case p.q.stringBools:
		return "0"
	}
	return v == "true"
}

func (p *provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch prefix := prefixes[p.version]; {
	case r.URL.Path == "/token" && r.Method == http.MethodPost:
		p.token(w, r)
	case strings.HasPrefix(r.URL.Path, prefix+"/") && r.Method == http.MethodGet:
		p.api(w, r, strings.TrimPrefix(r.URL.Path, prefix+"/"))
	default:
		http.NotFound(w, r)
	}
}

// token is the OAuth 2 token endpoint: client credentials in HTTP Basic, form-encoded per RFC 6749 §2.3.1.
func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	if err := r.ParseForm(); err != nil || !ok || r.PostForm.Get("client_secret") != "" {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if id != testClient || secret != testSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	tok := fmt.Sprintf("tok-%d", len(p.tokens)+1)
	p.tokens[tok] = r.PostForm.Get("scope")
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (p *provider) api(w http.ResponseWriter, r *http.Request, path string) {
	p.requests = append(p.requests, r.URL)
	if status := p.authorize(r); status != http.StatusOK {
		http.Error(w, http.StatusText(status), status)
		return
	}
	p.count++
	switch n := p.count; {
	case n <= p.q.throttleFirst:
		w.Header().Set("Retry-After", p.q.retryAfter)
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case p.q.every429 > 0 && n%p.q.every429 == 0:
		w.Header().Set("Retry-After", "0")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case p.q.every500 > 0 && n%p.q.every500 == 0:
		http.Error(w, "oops", http.StatusInternalServerError)
		return
	}
	name, school := path, ""
	if parts := strings.Split(path, "/"); len(parts) == 3 && parts[0] == "schools" && (parts[2] == "classes" || parts[2] == "enrollments") {
		name, school = parts[2], parts[1]
	}
	items, ok := p.data[name]
	if !ok || (p.q.noDemographics && name == "demographics") {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	var since time.Time
	if f := q.Get("filter"); f != "" {
		v, ok := strings.CutPrefix(f, "dateLastModified>'")
		t, err := time.Parse(time.RFC3339, strings.TrimSuffix(v, "'"))
		if !ok || err != nil {
			http.Error(w, "bad filter", http.StatusBadRequest)
			return
		}
		since = t
	}
	selected := items
	if school != "" || !since.IsZero() {
		selected = nil
		for _, it := range items {
			if school != "" && it.rec.Get("schoolSourcedId") != school {
				continue
			}
			if t, _ := time.Parse(time.RFC3339, it.rec.DateLastModified()); !since.IsZero() && !t.After(since) {
				continue
			}
			selected = append(selected, it)
		}
	}
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil {
		limit = 100
	}
	if p.q.capLimit > 0 {
		limit = min(limit, p.q.capLimit)
	}
	start, _ := strconv.Atoi(q.Get("offset"))
	if p.q.shift && start > 0 {
		start--
	}
	start = min(start, len(selected))
	page := selected[start:min(start+limit, len(selected))]
	var body bytes.Buffer
	fmt.Fprintf(&body, "{%q:[", name)
	for i, it := range page {
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(it.json)
	}
	body.WriteString("]}")
	total := len(selected)
	if p.q.lyingTotals {
		total = len(page)
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="last"`, r.URL))
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if p.q.everyDrop > 0 && p.count%p.q.everyDrop == 0 {
		drop(w, body.Bytes())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body.Bytes())
}

// drop announces the whole answer, sends half of it and closes the connection.
func drop(w http.ResponseWriter, body []byte) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	buf.Write(body[:len(body)/2])
	buf.Flush()
	conn.Close()
}

func (p *provider) authorize(r *http.Request) int {
	if p.oauth1 {
		if !p.verifyOAuth1(r) {
			return http.StatusUnauthorized
		}
		return http.StatusOK
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	scopes, ok := p.tokens[tok]
	switch {
	case !ok:
		return http.StatusUnauthorized
	case p.q.scope != "" && !slices.Contains(strings.Fields(scopes), p.q.scope):
		return http.StatusForbidden
	}
	return http.StatusOK
}

// verifyOAuth1 recomputes the request's HMAC-SHA256 signature from what arrived, as a 1.1 provider
// does, and refuses a stale timestamp or a nonce seen before.
func (p *provider) verifyOAuth1(r *http.Request) bool {
	h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "OAuth ")
	if !ok {
		return false
	}
	oauth := map[string]string{}
	for _, part := range strings.Split(h, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		v, err := url.PathUnescape(strings.Trim(v, `"`))
		if err != nil {
			return false
		}
		oauth[k] = v
	}
	ts, _ := strconv.ParseInt(oauth["oauth_timestamp"], 10, 64)
	if oauth["oauth_consumer_key"] != testClient || oauth["oauth_signature_method"] != "HMAC-SHA256" || oauth["oauth_version"] != "1.0" ||
		time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute || oauth["oauth_nonce"] == "" || p.nonces[oauth["oauth_nonce"]] {
		return false
	}
	p.nonces[oauth["oauth_nonce"]] = true
	// RFC 3986 encoding: QueryEscape leaves only unreserved characters, but writes a space as +.
	enc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	var pairs [][2]string
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			pairs = append(pairs, [2]string{enc(k), enc(v)})
		}
	}
	for k, v := range oauth {
		if k != "oauth_signature" && k != "realm" {
			pairs = append(pairs, [2]string{enc(k), enc(v)})
		}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	joined := make([]string, len(pairs))
	for i, kv := range pairs {
		joined[i] = kv[0] + "=" + kv[1]
	}
	base := r.Method + "&" + enc("http://"+r.Host+r.URL.EscapedPath()) + "&" + enc(strings.Join(joined, "&"))
	mac := hmac.New(sha256.New, []byte(enc(testSecret)+"&"))
	mac.Write([]byte(base))
	return hmac.Equal([]byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))), []byte(oauth["oauth_signature"]))
}
