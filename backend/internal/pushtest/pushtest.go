// Package pushtest is an in-memory REST API that takes records the way a SIS's import API does, for
// the rest-push tests, the bench and the browser end-to-end test. Every path is a collection: POST
// adds a record, PUT and DELETE {path}/{key} change or remove one, GET lists them (?limit). It signs
// clients in with OAuth 2 client credentials at /oauth/token or an API key, records every request,
// and misbehaves on demand the way real APIs do: rate limits, outages, refused records, slowness,
// expiring tokens, answers that never end or break off.
package pushtest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TokenPath is where the API hands out OAuth 2 tokens.
const TokenPath = "/oauth/token"

// Options choose how the API signs clients in and how it misbehaves; the zero value is an open API
// that takes everything.
type Options struct {
	// APIKey, when set, is accepted in the APIKeyHeader header (default X-API-Key).
	APIKey       string
	APIKeyHeader string
	// ClientID and ClientSecret, when set, are exchanged for bearer tokens at TokenPath. With either
	// an API key or a client set, a request without valid credentials is answered 401.
	ClientID, ClientSecret string
	// TokenUses makes a token expire at the API (401) after this many requests, while the client
	// still believes it valid; 0 means never.
	TokenUses int
	// KeyField is the body field whose value becomes a new record's id (what PUT and DELETE name);
	// blank, or absent from a body, and the API numbers the record itself.
	KeyField string
	// Throttle answers every Throttle-th request 429 with RetryAfter (no header when blank).
	Throttle   int
	RetryAfter string
	// Unavailable answers the first Unavailable requests 503; negative: every request.
	Unavailable int
	// RejectEmailWithoutAt answers 422 with a JSON message to a record whose "email" is given
	// without an "@" (a blank one is no address, and accepted).
	RejectEmailWithoutAt bool
	// Delay holds every answer this long.
	Delay time.Duration
	// EndlessBody makes every 2xx answer's body go on for ever; CutBody breaks the connection off in
	// the middle of it.
	EndlessBody, CutBody bool
}

// Request is one request the API received.
type Request struct {
	Method string
	Path   string // escaped, as sent
	Query  url.Values
	Body   []byte
	Header http.Header
	Status int       // what the API answered
	At     time.Time // when it arrived
}

// API is the handler; serve it on any listener, or use New.
type API struct {
	opts Options

	mu        sync.Mutex
	records   map[string]map[string]map[string]any // collection path → id → record
	order     map[string][]string                  // collection path → ids in the order added
	tokens    map[string]int                       // token → requests it may still make (-1: any)
	requests  []Request
	numbered  int
	served    int // API requests so far (token requests excluded)
	inFlight  int
	maxFlight int
	written   int64 // bytes of endless bodies written
}

// NewAPI returns the handler.
func NewAPI(opts Options) *API {
	if opts.APIKeyHeader == "" {
		opts.APIKeyHeader = "X-API-Key"
	}
	return &API{opts: opts, records: map[string]map[string]map[string]any{}, order: map[string][]string{}, tokens: map[string]int{}}
}

// Server is the API on a loopback port.
type Server struct {
	*httptest.Server
	*API
}

// New starts the API on a loopback port; Close stops it.
func New(opts Options) *Server {
	api := NewAPI(opts)
	return &Server{Server: httptest.NewServer(api), API: api}
}

// Requests returns every request the API received so far, token requests included.
func (a *API) Requests() []Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.requests)
}

// Records returns the records of a collection by id.
func (a *API) Records(collection string) map[string]map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.records[collection])
}

// MaxInFlight is the largest number of API requests the API was answering at one time.
func (a *API) MaxInFlight() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.maxFlight
}

// EndlessBytes is how much of endless bodies the API wrote before the clients hung up.
func (a *API) EndlessBytes() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.written
}

// RevokeTokens makes every token issued so far invalid, as when a token expires at the server
// before the client expected.
func (a *API) RevokeTokens() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.tokens)
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	req := Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Body: body, Header: r.Header.Clone(), At: time.Now()}
	if r.URL.Path == TokenPath {
		r.Body = io.NopCloser(bytes.NewReader(body))
		req.Status = a.token(w, r)
		a.log(req)
		return
	}
	a.mu.Lock()
	a.served++
	n := a.served
	a.inFlight++
	a.maxFlight = max(a.maxFlight, a.inFlight)
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.inFlight--
		a.mu.Unlock()
	}()
	if a.opts.Delay > 0 {
		select {
		case <-time.After(a.opts.Delay):
		case <-r.Context().Done():
			return
		}
	}
	req.Status = a.serve(w, r, req, n)
	a.log(req)
}

func (a *API) log(req Request) {
	a.mu.Lock()
	a.requests = append(a.requests, req)
	a.mu.Unlock()
}

// token answers a client credentials grant, with the client in Basic auth or in the form.
func (a *API) token(w http.ResponseWriter, r *http.Request) int {
	id, secret, basic := r.BasicAuth()
	if basic { // RFC 6749 §2.3.1: both parts are form-encoded inside Basic auth
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if r.Method != http.MethodPost || r.PostFormValue("grant_type") != "client_credentials" {
		return answer(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type"})
	}
	if a.opts.ClientID == "" || id != a.opts.ClientID || secret != a.opts.ClientSecret {
		return answer(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "unknown client or wrong secret"})
	}
	tok := rand.Text()
	a.mu.Lock()
	a.tokens[tok] = a.opts.TokenUses
	if a.opts.TokenUses == 0 {
		a.tokens[tok] = -1
	}
	a.mu.Unlock()
	return answer(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

// signedIn checks the request's credentials, using up one of its token's requests.
func (a *API) signedIn(r *http.Request) bool {
	if a.opts.APIKey == "" && a.opts.ClientID == "" {
		return true
	}
	if a.opts.APIKey != "" && r.Header.Get(a.opts.APIKeyHeader) == a.opts.APIKey {
		return true
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || a.opts.ClientID == "" {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	left, ok := a.tokens[tok]
	switch {
	case !ok || left == 0:
		return false
	case left > 0:
		a.tokens[tok] = left - 1
	}
	return true
}

// serve answers the n-th API request.
func (a *API) serve(w http.ResponseWriter, r *http.Request, req Request, n int) int {
	o := a.opts
	switch {
	case !a.signedIn(r):
		return answer(w, http.StatusUnauthorized, map[string]any{"error": "unauthorized", "message": "no valid API key or access token"})
	case o.Throttle > 0 && n%o.Throttle == 0:
		if o.RetryAfter != "" {
			w.Header().Set("Retry-After", o.RetryAfter)
		}
		return answer(w, http.StatusTooManyRequests, map[string]any{"message": "rate limit exceeded"})
	case o.Unavailable < 0 || n <= o.Unavailable:
		return answer(w, http.StatusServiceUnavailable, map[string]any{"message": "the service is down for maintenance"})
	}
	var rec map[string]any
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		if err := json.Unmarshal(req.Body, &rec); err != nil || rec == nil {
			return answer(w, http.StatusBadRequest, map[string]any{"message": "the body is not a JSON object"})
		}
		if email, ok := rec["email"].(string); o.RejectEmailWithoutAt && ok && email != "" && !strings.Contains(email, "@") {
			return answer(w, http.StatusUnprocessableEntity, map[string]any{"message": "email is not valid",
				"errors": []map[string]string{{"field": "email", "message": fmt.Sprintf("%q has no @", email)}}})
		}
	}
	collection, key := req.Path, ""
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		dir, last := path.Split(req.Path)
		collection = strings.TrimSuffix(dir, "/")
		var err error
		if key, err = url.PathUnescape(last); err != nil {
			return answer(w, http.StatusBadRequest, map[string]any{"message": "the address is not valid"})
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	recs := a.records[collection]
	switch r.Method {
	case http.MethodGet:
		limit, err := strconv.Atoi(req.Query.Get("limit"))
		if err != nil || limit < 0 {
			limit = len(a.order[collection])
		}
		list := []map[string]any{}
		for _, id := range a.order[collection][:min(limit, len(a.order[collection]))] {
			list = append(list, recs[id])
		}
		return a.ok(w, http.StatusOK, map[string]any{"records": list})
	case http.MethodPost:
		id, _ := rec[o.KeyField].(string)
		if o.KeyField == "" || id == "" {
			a.numbered++
			id = strconv.Itoa(a.numbered)
		}
		if _, dup := recs[id]; dup {
			return answer(w, http.StatusConflict, map[string]any{"message": fmt.Sprintf("a record with the id %s already exists", id)})
		}
		if recs == nil {
			recs = map[string]map[string]any{}
			a.records[collection] = recs
		}
		rec["id"] = id
		recs[id] = rec
		a.order[collection] = append(a.order[collection], id)
		return a.ok(w, http.StatusCreated, rec)
	case http.MethodPut, http.MethodDelete:
		if _, found := recs[key]; !found {
			return answer(w, http.StatusNotFound, map[string]any{"message": fmt.Sprintf("no record with the id %s", key)})
		}
		if r.Method == http.MethodDelete {
			delete(recs, key)
			a.order[collection] = slices.DeleteFunc(a.order[collection], func(id string) bool { return id == key })
			w.WriteHeader(http.StatusNoContent)
			return http.StatusNoContent
		}
		rec["id"] = key
		recs[key] = rec
		return a.ok(w, http.StatusOK, rec)
	}
	return answer(w, http.StatusMethodNotAllowed, map[string]any{"message": "method not allowed"})
}

// ok sends a 2xx answer, or the start of one that never ends or breaks off when asked; a.mu is held.
func (a *API) ok(w http.ResponseWriter, status int, v any) int {
	body, _ := json.Marshal(v)
	switch {
	case a.opts.EndlessBody:
		a.mu.Unlock()
		defer a.mu.Lock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		chunk := bytes.Repeat([]byte(" "), 32<<10)
		for {
			n, err := w.Write(chunk)
			a.mu.Lock()
			a.written += int64(n)
			a.mu.Unlock()
			if err != nil {
				return status
			}
		}
	case a.opts.CutBody:
		w.Header().Set("Content-Length", strconv.Itoa(len(body)+1000))
		w.WriteHeader(status)
		w.Write(body[:len(body)/2])
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return status
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
	return status
}

func answer(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
	return status
}
