package xpress

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
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
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
)

// Variables rather than constants so tests can page and retry quickly.
var (
	pageSize  = 200                    // records asked for per request
	retryBase = 500 * time.Millisecond // first wait after a 429 or 5xx without Retry-After; doubles per try
)

const (
	maxTries       = 5
	maxRetryWait   = 5 * time.Minute // a server asking for a longer pause gets a clear error instead of a silent hang
	requestTimeout = 2 * time.Minute
)

// client is a signed-in connection to one xPress service.
type client struct {
	baseURL    string
	host       string // for messages
	schoolYear string
	http       *http.Client
	tokens     oauth2.TokenSource
	tokenHost  string
}

// connect signs in: with the resource-owner password grant when a username is set, else with client
// credentials. The first token is fetched here so a refused secret is reported before any data is asked for.
func (s *source) connect(ctx context.Context) (*client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	base, _ := url.Parse(s.baseURL)
	tok, _ := url.Parse(s.tokenURL)
	c := &client{baseURL: s.baseURL, host: base.Host, schoolYear: s.schoolYear, tokenHost: tok.Host,
		http: &http.Client{Timeout: requestTimeout}}
	if s.apiKey != "" {
		c.http.Transport = apiKeyTransport{key: s.apiKey, base: http.DefaultTransport}
	}
	// Token requests go through the same client, so they carry the API key too.
	tctx := context.WithValue(ctx, oauth2.HTTPClient, c.http)
	if s.username != "" {
		conf := &oauth2.Config{ClientID: s.clientID, ClientSecret: s.clientSecret, Endpoint: oauth2.Endpoint{TokenURL: s.tokenURL}}
		c.tokens = oauth2.ReuseTokenSource(nil, passwordTokens{ctx: tctx, conf: conf, username: s.username, password: s.password})
	} else {
		conf := &clientcredentials.Config{ClientID: s.clientID, ClientSecret: s.clientSecret, TokenURL: s.tokenURL}
		c.tokens = conf.TokenSource(tctx)
	}
	if _, err := c.tokens.Token(); err != nil {
		return nil, c.signInError(ctx, err)
	}
	return c, nil
}

// passwordTokens signs in again with the password whenever the token expires, so a pull that outlasts
// a token does not depend on the server issuing refresh tokens.
type passwordTokens struct {
	ctx                context.Context
	conf               *oauth2.Config
	username, password string
}

func (p passwordTokens) Token() (*oauth2.Token, error) {
	return p.conf.PasswordCredentialsToken(p.ctx, p.username, p.password)
}

// apiKeyTransport adds the API key to every request. Assumption: providers that issue an API key (in
// practice an API gateway in front of the xPress service) read it from the x-api-key header; services
// without a gateway ignore the header.
type apiKeyTransport struct {
	key  string
	base http.RoundTripper
}

func (t apiKeyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("x-api-key", t.key)
	return t.base.RoundTrip(req)
}

func (c *client) signInError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		switch code := re.Response.StatusCode; {
		case re.ErrorCode == "invalid_grant":
			return apperr.New(apperr.CodeInvalid, "The xPress server refused the username or password. Check them, re-enter the password and test again.")
		case code == http.StatusBadRequest || code == http.StatusUnauthorized || code == http.StatusForbidden:
			return refused(fmt.Sprintf("signing in at %s", c.tokenHost))
		case code == http.StatusNotFound:
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("There is no sign-in service at %s (HTTP 404). Check the OAuth token URL.", re.Response.Request.URL.Redacted()))
		default:
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress sign-in service at %s answered HTTP %d. Try again later, or check the OAuth token URL.", c.tokenHost, code))
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return unreachable(c.tokenHost, ue)
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Signing in at %s failed: %v", c.tokenHost, err))
}

func refused(when string) error {
	return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The xPress server refused the client id or secret (%s). Check the client id, client secret and API key with your provider, re-enter the secret and test again.", when))
}

// unreachable explains a network failure in a registrar's words.
func unreachable(host string, ue *url.Error) error {
	cause := ue.Err.Error()
	var dns *net.DNSError
	var cert *x509.UnknownAuthorityError
	switch {
	case errors.As(ue, &dns):
		cause = "the name is not known; check the spelling"
	case ue.Timeout():
		cause = "it did not answer in time"
	case errors.As(ue, &cert):
		cause = "its certificate is not trusted by this computer"
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot reach %s: %s. Check the address and this computer's network connection.", host, cause))
}

// page is one page of an object list.
type page struct {
	items []json.RawMessage
	last  int // navigationLastPage; 0 when the server did not say
	size  int // the page size the server applied
}

// pages calls fn with every page of path in order. The server's navigationLastPage says when to stop;
// without it, an empty or short page is the last.
func (c *client) pages(ctx context.Context, path string, fn func([]json.RawMessage) error) error {
	var prevFirst json.RawMessage
	for n := 1; ; n++ {
		p, err := c.page(ctx, path, n)
		if err != nil {
			return err
		}
		if len(p.items) > 0 && bytes.Equal(p.items[0], prevFirst) {
			// Without this a server that ignores navigationPage would be asked for the same page forever.
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s sent the same page of %s twice: it seems to ignore the navigationPage header. Ask your xPress provider about paging.", c.host, path))
		}
		if err := fn(p.items); err != nil {
			return err
		}
		if len(p.items) == 0 || (p.last > 0 && n >= p.last) || (p.last == 0 && len(p.items) != p.size) {
			return nil
		}
		prevFirst = p.items[0]
	}
}

// page fetches page n (1-based) of path, retrying 429 and 5xx answers with backoff.
func (c *client) page(ctx context.Context, path string, n int) (page, error) {
	for try := 1; ; try++ {
		resp, err := c.get(ctx, path, n)
		if err != nil {
			return page{}, err
		}
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
			defer resp.Body.Close()
			return c.read(resp, path)
		}
		resp.Body.Close()
		if try == maxTries {
			return page{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s kept failing (HTTP %d for %s) after %d tries. Try again later; if it persists, tell your xPress provider.", c.host, resp.StatusCode, path, try))
		}
		wait := retryDelay(resp, try)
		if wait > maxRetryWait {
			return page{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s is busy and asks Rosterdesk to wait %s before reading %s. Fetch again later.", c.host, wait.Round(time.Minute), path))
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return page{}, err
		}
	}
}

func (c *client) get(ctx context.Context, path string, n int) (*http.Response, error) {
	tok, err := c.tokens.Token()
	if err != nil {
		return nil, c.signInError(ctx, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/"+path, nil)
	if err != nil {
		return nil, err
	}
	tok.SetAuthHeader(req)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("navigationPage", strconv.Itoa(n))
	req.Header.Set("navigationPageSize", strconv.Itoa(pageSize))
	if c.schoolYear != "" {
		// xPress services pick the school year of the data from this header (their current year without it).
		req.Header.Set("SchoolYear", c.schoolYear)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, unreachable(c.host, ue)
		}
		return nil, err
	}
	return resp, nil
}

// retryDelay honours Retry-After, else backs off exponentially.
func retryDelay(resp *http.Response, try int) time.Duration {
	if wait, ok := retry.After(resp.Header.Get("Retry-After"), time.Now()); ok {
		return wait
	}
	return retryBase << (try - 1)
}

func (c *client) read(resp *http.Response, path string) (page, error) {
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNoContent:
		return page{size: pageSize}, nil
	case http.StatusUnauthorized:
		return page{}, refused(fmt.Sprintf("HTTP 401 for %s", path))
	case http.StatusForbidden:
		return page{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The xPress server at %s refused access to %s (HTTP 403): this client id may not read it. Ask your xPress provider to grant access.", c.host, path))
	case http.StatusNotFound:
		return page{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The xPress server at %s has no %s (HTTP 404 for %s/%s). Check the service base URL.", c.host, path, c.baseURL, path))
	default:
		return page{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s answered HTTP %d for %s.", c.host, resp.StatusCode, path))
	}
	p := page{size: pageSize}
	if v, err := strconv.Atoi(resp.Header.Get("navigationLastPage")); err == nil && v > 0 {
		p.last = v
	}
	// A server that caps the page size says so here; a short page is then not the last one.
	if v, err := strconv.Atoi(resp.Header.Get("navigationPageSize")); err == nil && v > 0 {
		p.size = v
	}
	object := path[strings.LastIndex(path, "/")+1:]
	items, err := envelope(resp.Body, object)
	if err != nil {
		return page{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s answered %s with something Rosterdesk cannot read as xPress JSON (%v). Check the service base URL.", c.host, path, err))
	}
	p.items = items
	return p, nil
}

// envelope returns the objects of an answer. Providers write {"xStudents":{"xStudent":[...]}}, the bare
// {"xStudents":[...]}, and a single object instead of a one-element array; all are accepted.
func envelope(body io.Reader, object string) ([]json.RawMessage, error) {
	var outer map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&outer); err != nil {
		if errors.Is(err, io.EOF) { // an empty body: no objects
			return nil, nil
		}
		return nil, err
	}
	one := strings.TrimSuffix(object, "s")
	raw, ok := field(outer, object, one)
	if !ok {
		if len(outer) == 0 {
			return nil, nil
		}
		return nil, fmt.Errorf("no %s in the answer", object)
	}
	var inner map[string]json.RawMessage
	if json.Unmarshal(raw, &inner) == nil {
		if len(inner) == 0 {
			return nil, nil
		}
		if wrapped, ok := field(inner, one); ok {
			raw = wrapped
		}
	}
	var items list[json.RawMessage]
	return items, json.Unmarshal(raw, &items)
}

// field finds a member by any of names, in any case (providers differ on xStaffs vs XStaffs).
func field(obj map[string]json.RawMessage, names ...string) (json.RawMessage, bool) {
	for key, v := range obj {
		for _, n := range names {
			if strings.EqualFold(key, n) {
				return v, true
			}
		}
	}
	return nil, false
}
