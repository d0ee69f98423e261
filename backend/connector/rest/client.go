package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// maxTries bounds the attempts at one request: enough to ride out a provider's short overload or
// restart, few enough that a registrar is not left waiting on a provider that is down.
const maxTries = 5

// retryBase is the wait before the first retry; it doubles with every further try. Tests shorten it.
var retryBase = time.Second

// maxRecords ends a collection whose paging never ends. Tests lower it.
var maxRecords = connector.MaxRecords

// maxWait caps one wait, also when a Retry-After asks for longer: the registrar is watching.
const maxWait = time.Minute

// session is one Stage or Test: its context, its OAuth 2 token and what it learned about paging.
type session struct {
	*source
	ctx    context.Context
	rep    events.Reporter
	tokens oauth2.TokenSource // nil with oauth1
}

func (s *source) open(ctx context.Context, rep events.Reporter) *session {
	if rep == nil {
		rep = events.Discard
	}
	sess := &session{source: s, ctx: ctx, rep: rep}
	if !s.oauth1 {
		cc := &clientcredentials.Config{ClientID: s.clientID, ClientSecret: s.secret, TokenURL: s.tokenURL, Scopes: s.scopes,
			AuthStyle: oauth2.AuthStyleInHeader}
		sess.tokens = cc.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, s.http))
	}
	return sess
}

// collection is the address of a collection, or of a school's collection when school is not blank.
func (s *source) collection(name, school string, q url.Values) *url.URL {
	u := *s.root
	if school != "" {
		u.Path += "/schools/" + school + "/" + name
		u.RawPath = s.root.EscapedPath() + "/schools/" + url.PathEscape(school) + "/" + name
	} else {
		u.Path += "/" + name
	}
	u.RawQuery = q.Encode()
	return &u
}

// httpError is an answer outside 2xx, from the API or from the token URL.
type httpError struct {
	url        *url.URL
	status     int
	body       string        // the start of the answer, or the OAuth 2 error code and description
	retryAfter time.Duration // -1 when the answer has no Retry-After
	token      bool          // the token URL answered
	oauthCode  string        // RFC 6749 error code from the token URL
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d: %s", e.url, e.status, e.body)
}

// netError is a request that got no complete answer: none at all, or (inBody) part of one.
type netError struct {
	host, path string
	inBody     bool
	err        error
}

func (e *netError) Error() string { return e.host + ": " + e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// page fetches one page of a collection and returns its records, retrying what is worth retrying; its
// errors are for the registrar. An optional collection the provider does not offer, or not to this
// client, reads as empty.
func (s *session) page(u *url.URL, key, school string, optional bool) ([]map[string]json.RawMessage, error) {
	body, err := s.get(u)
	var he *httpError
	if optional && errors.As(err, &he) && !he.token && (he.status == http.StatusNotFound || he.status == http.StatusForbidden || he.status == http.StatusNotImplemented) {
		return nil, nil
	}
	if err != nil {
		return nil, s.explain(err, school)
	}
	recs, err := envelope(body, key)
	if err != nil {
		return nil, s.notOneRoster(u, key)
	}
	return recs, nil
}

// envelope reads the records of {"<key>": [...], ...} in one pass over the answer, skipping the
// other members; a missing key is an error, a null list an empty page.
func envelope(body []byte, key string) ([]map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var recs []map[string]json.RawMessage
	found := false
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if name == key {
			found = true
			err = dec.Decode(&recs)
		} else {
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, errors.New("no " + key)
	}
	return recs, nil
}

func (s *session) notOneRoster(u *url.URL, key string) error {
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s%s did not answer with a list of %s as OneRoster %s does: check the base URL and version.", u.Host, u.Path, key, s.version))
}

// get fetches u, retrying 429 and 5xx answers and broken connections with a growing wait, or the wait
// the provider asks for in Retry-After.
func (s *session) get(u *url.URL) ([]byte, error) {
	for try := 1; ; try++ {
		body, err := s.try(u)
		if err == nil {
			return body, nil
		}
		if cerr := s.ctx.Err(); cerr != nil {
			return nil, cerr
		}
		wait, again := retryable(err, try)
		if !again || try == maxTries {
			return nil, err
		}
		if err := retry.Sleep(s.ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (s *session) try(u *url.URL) ([]byte, error) {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if err := s.authorize(req); err != nil {
		return nil, err
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, &netError{host: u.Host, path: u.Path, err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		start, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		wait, ok := retry.After(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			wait = -1
		}
		return nil, &httpError{url: u, status: resp.StatusCode, body: strings.TrimSpace(string(start)), retryAfter: wait}
	}
	body, err := io.ReadAll(connector.LimitBody(resp.Body))
	if errors.Is(err, connector.ErrBodyTooLarge) {
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The API at %s sent more than %d MB in one answer (%s), the most Rosterdesk reads at once, so it stopped reading. Lower Records per page in the connection's settings; if it persists, tell your provider.", u.Host, connector.MaxBody>>20, u.Path))
	}
	if err != nil {
		return nil, &netError{host: u.Host, path: u.Path, inBody: true, err: err}
	}
	return body, nil
}

func (s *session) authorize(req *http.Request) error {
	if s.tokens == nil {
		return signOAuth1(req, s.clientID, s.secret, time.Now())
	}
	tok, err := s.tokens.Token()
	if err == nil {
		tok.SetAuthHeader(req)
		return nil
	}
	if cerr := s.ctx.Err(); cerr != nil {
		return cerr
	}
	tu, _ := url.Parse(s.tokenURL)
	var re *oauth2.RetrieveError
	var ue *url.Error
	switch {
	case errors.As(err, &re):
		he := &httpError{url: tu, status: re.Response.StatusCode, token: true, oauthCode: re.ErrorCode, retryAfter: -1,
			body: strings.TrimSpace(re.ErrorCode + " " + re.ErrorDescription)}
		if he.body == "" {
			he.body = strings.TrimSpace(string(re.Body[:min(len(re.Body), 300)]))
		}
		if he.status >= 200 && he.status <= 299 { // an OAuth error inside a 200: not worth retrying
			he.status = http.StatusBadRequest
		}
		return he
	case errors.As(err, &ue):
		return &netError{host: tu.Host, path: tu.Path, err: err}
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The token URL %s did not answer as OAuth 2 expects (%v): check the token URL.", tu.Redacted(), err))
}

// retryable says whether err is worth another try, and after how long.
func retryable(err error, try int) (time.Duration, bool) {
	wait := min(retryBase<<(try-1), maxWait)
	var he *httpError
	if errors.As(err, &he) {
		// 501 Not Implemented is an answer, not an outage.
		if he.status != http.StatusTooManyRequests && (he.status < 500 || he.status == http.StatusNotImplemented) {
			return 0, false
		}
		if he.retryAfter >= 0 {
			wait = min(he.retryAfter, maxWait)
		}
		return wait, true
	}
	var ne *netError
	if !errors.As(err, &ne) {
		return 0, false
	}
	// A name that does not exist or a certificate that is not trusted will not change in a minute.
	var dns *net.DNSError
	return wait, !(errors.As(err, &dns) && dns.IsNotFound) && !retry.Untrusted(err)
}

// explain turns a failed request into a message a registrar can act on; school is the school whose
// collection was asked for, if any.
func (s *session) explain(err error, school string) error {
	var he *httpError
	var ne *netError
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &he) && he.token:
		return apperr.New(apperr.CodeBadInput, tokenMessage(he))
	case errors.As(err, &he):
		return apperr.New(apperr.CodeBadInput, s.apiMessage(he, school))
	case errors.As(err, &ne):
		return apperr.New(apperr.CodeBadInput, s.netMessage(ne))
	}
	return err
}

func tokenMessage(he *httpError) string {
	switch {
	case he.status == http.StatusUnauthorized || he.oauthCode == "invalid_client" || he.oauthCode == "unauthorized_client":
		return fmt.Sprintf("Rosterdesk could not sign in at %s: the API refused the client id or secret. Check both in the connection's settings (a secret pasted with a space at the end is a common cause).", he.url.Host)
	case he.oauthCode == "invalid_scope":
		return fmt.Sprintf("The token URL refused the scopes asked for (%s). Check Scopes in the connection's settings against your provider's documentation.", he.body)
	case he.status == http.StatusNotFound:
		return fmt.Sprintf("The token URL %s does not exist (HTTP 404): check the token URL.", he.url.Redacted())
	}
	return fmt.Sprintf("The token URL %s answered HTTP %d (%s); check the token URL, or try again later.", he.url.Redacted(), he.status, he.body)
}

func (s *session) apiMessage(he *httpError, school string) string {
	switch {
	case he.status == http.StatusUnauthorized:
		return fmt.Sprintf("Rosterdesk could not sign in at %s: the API refused the client id or secret. Check both in the connection's settings.", he.url.Host)
	case he.status == http.StatusForbidden:
		return fmt.Sprintf("The API answered 403: the client lacks the roster scope (or permission for %s). Ask your provider to give this client read access to rostering data, or add the scope under Scopes.", he.url.Path)
	case he.status == http.StatusNotFound && school != "":
		return fmt.Sprintf("The API knows no school %q (HTTP 404 for %s); remove it from the selection and fetch again.", school, he.url.Path)
	case he.status == http.StatusNotFound:
		return fmt.Sprintf("There is no OneRoster %s API at %s: check the base URL and version.", s.version, s.root.Redacted())
	case he.status == http.StatusTooManyRequests:
		return fmt.Sprintf("The API at %s still asked Rosterdesk to slow down (HTTP 429) after %d tries; try again later.", he.url.Host, maxTries)
	case he.status >= 500 && he.status != http.StatusNotImplemented:
		return fmt.Sprintf("The API at %s answered HTTP %d %d times in a row: the provider has a problem; try again later.", he.url.Host, he.status, maxTries)
	}
	return fmt.Sprintf("The API at %s answered HTTP %d for %s: %s", he.url.Host, he.status, he.url.Path, he.body)
}

func (s *session) netMessage(ne *netError) string {
	err := ne.err
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if why, ok := retry.Certificate(err, ne.host); ok {
		return fmt.Sprintf("Rosterdesk refused to connect to %s: %s. Nothing was sent to it, and Rosterdesk never skips this check. Check the address; if it is right, ask your provider or IT department to fix the certificate.", ne.host, why)
	}
	var timeout interface{ Timeout() bool }
	reason := err.Error()
	switch {
	case retry.NoHandshake(err):
		reason = fmt.Sprintf("it accepted the connection but did not finish the secure handshake within %s", s.waits.Handshake)
	case retry.Silent(err) && ne.inBody:
		reason = fmt.Sprintf("it stopped sending in the middle of its answer to %s (nothing for %s)", ne.path, s.waits.Idle)
	case retry.Silent(err):
		reason = fmt.Sprintf("it accepted the connection but sent no answer to %s within %s", ne.path, s.waits.Idle)
	case errors.As(err, &timeout) && timeout.Timeout():
		reason = fmt.Sprintf("its answer to %s did not arrive whole within %s", ne.path, requestTimeout)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		reason = "the connection broke off in the middle of an answer"
	}
	tries := ""
	if _, again := retryable(ne, 1); again {
		tries = fmt.Sprintf(" (%d tries, with a growing pause between them)", maxTries)
	}
	return fmt.Sprintf("Rosterdesk cannot reach %s: %s%s. Nothing from this attempt was kept: the last fetch is as it was. Check the address and this computer's network connection, then try again.", ne.host, reason, tries)
}

// list reads a whole collection (of a school, when school is not blank) and calls fn once per
// sourcedId; seen holds the ids already passed on, shared by the schools of one collection.
//
// Paging: limit, offset and sort=sourcedId. X-Total-Count and Link are optional in the wild and
// sometimes wrong, so the end is found from the pages: an empty page, or a page shorter than the
// provider's full page. Some providers cap limit below what was asked, which would make every page
// look short; so until the provider has shown its full page length (by filling a page as asked, or by
// sending more after a short page), a short page is confirmed by one more request. The trade-off: a
// provider whose pages come up short before the end (e.g. filtering records after paging) ends the
// collection early; a collection that fits in its first page costs one extra request.
func (s *session) list(name, school, filter string, optional bool, seen idSet, fn func(map[string]json.RawMessage) error) error {
	// pageLen is the provider's full page once shown, per collection since caps can differ by endpoint.
	offset, short, pageLen := 0, 0, 0
	for {
		q := url.Values{"limit": {strconv.Itoa(s.pageSize)}, "offset": {strconv.Itoa(offset)}, "sort": {"sourcedId"}}
		if filter != "" {
			q.Set("filter", filter)
		}
		recs, err := s.page(s.collection(name, school, q), name, school, optional)
		if err != nil {
			return err
		}
		n := len(recs)
		if n == 0 {
			return nil
		}
		fresh := 0
		for _, obj := range recs {
			// A provider whose data shifts between requests repeats records on the next page.
			if id := scalar(obj["sourcedId"]); id != "" && !seen.add(id) {
				continue
			}
			fresh++
			if err := fn(obj); err != nil {
				return err
			}
		}
		s.rep.Report(events.Progress{Stage: "downloading " + name, Done: int64(len(seen)), Unit: "records"})
		if fresh == 0 && offset > 0 {
			if n < s.pageSize { // only repeats, and fewer than asked: the end, sent again
				return nil
			}
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The API at %s sent the same %s again for offset %d: it does not page with limit and offset as OneRoster asks. Tell your provider.", s.root.Host, name, offset))
		}
		offset += n
		if offset > maxRecords {
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The API at %s kept sending new %s past %d records, more than a state holds: its paging never ends. Rosterdesk stopped and imports nothing from this fetch; tell your provider.", s.root.Host, name, maxRecords))
		}
		switch {
		case n > s.pageSize: // the provider ignores limit and sent everything
			return nil
		case short > 0 && pageLen == 0: // more came after a short page: the provider caps its pages
			pageLen = short
		case pageLen == 0 && n == s.pageSize:
			pageLen = n
		}
		if pageLen > 0 && n < pageLen {
			return nil
		}
		short = n
	}
}

// idSet remembers the sourcedIds of one collection by 128-bit hash, so 600,000 enrollments cost about
// 20 MB; two ids sharing a hash is too unlikely to matter (about one in 10^26 for a million ids).
type idSet map[[16]byte]struct{}

// add records id and reports whether it was new.
func (s idSet) add(id string) bool {
	h := fnv.New128a()
	h.Write([]byte(id))
	var key [16]byte
	h.Sum(key[:0])
	if _, dup := s[key]; dup {
		return false
	}
	s[key] = struct{}{}
	return true
}
