package xpress

import (
	"bytes"
	"context"
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
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
)

// Variables rather than constants so tests can page, retry and expire tokens quickly.
var (
	pageSize  = 200                    // records asked for per request
	retryBase = 500 * time.Millisecond // first wait after a 429 or 5xx without Retry-After; doubles per try
	// loginLifetime is how long a login token lasts: the login answer does not say, and RIC One's last 60 minutes.
	loginLifetime = 60 * time.Minute
	maxRecords    = connector.MaxRecords // a list whose paging never ends stops here
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
	signIn     func(context.Context) (grant, error)
	signInHost string
	token      string
	renewAt    time.Time // when to sign in again before the token expires; zero: only once refused
}

// grant is what a sign-in gives: a token, how long it lasts (0 when the server does not say) and, from
// a login, the address of the data.
type grant struct {
	token    string
	lifetime time.Duration
	baseURL  string
}

// connect signs in, so a refused secret is reported before any data is asked for.
func (s *source) connect(ctx context.Context) (*client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tok, _ := url.Parse(s.tokenURL)
	c := &client{baseURL: s.baseURL, schoolYear: s.schoolYear, signInHost: tok.Host, http: &http.Client{Transport: retry.Web.Transport(), Timeout: requestTimeout}}
	if s.apiKey != "" {
		c.http.Transport = apiKeyTransport{header: s.apiKeyHeader, key: s.apiKey, base: c.http.Transport}
	}
	if s.login {
		c.signIn = s.loginGrant(c.http)
	} else {
		c.signIn = s.oauthGrant(c.http)
	}
	if err := c.renew(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// renew signs in (again) and keeps the token; it is renewed when a twelfth of its lifetime is left
// (5 minutes of 60), so a long pull is not refused halfway.
func (c *client) renew(ctx context.Context) error {
	g, err := c.signIn(ctx)
	if err != nil {
		return c.signInError(ctx, err)
	}
	if c.baseURL == "" {
		c.baseURL = g.baseURL
	}
	if u, err := url.Parse(c.baseURL); err == nil {
		c.host = u.Host
	}
	c.token, c.renewAt = g.token, time.Time{}
	if g.lifetime > 0 {
		c.renewAt = time.Now().Add(g.lifetime - g.lifetime/12)
	}
	return nil
}

// oauthGrant signs in with the resource-owner password grant when a username is set, else with client
// credentials. Each call asks for a new token, so a pull that outlasts one does not depend on the server
// issuing refresh tokens.
func (s *source) oauthGrant(hc *http.Client) func(context.Context) (grant, error) {
	password := &oauth2.Config{ClientID: s.clientID, ClientSecret: s.clientSecret, Endpoint: oauth2.Endpoint{TokenURL: s.tokenURL}}
	credentials := &clientcredentials.Config{ClientID: s.clientID, ClientSecret: s.clientSecret, TokenURL: s.tokenURL}
	return func(ctx context.Context) (grant, error) {
		// Token requests go through the same client, so they carry the API key too.
		ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
		var tok *oauth2.Token
		var err error
		if s.username != "" {
			tok, err = password.PasswordCredentialsToken(ctx, s.username, s.password)
		} else {
			tok, err = credentials.Token(ctx)
		}
		if err != nil {
			return grant{}, err
		}
		g := grant{token: tok.AccessToken}
		if !tok.Expiry.IsZero() {
			g.lifetime = time.Until(tok.Expiry)
		}
		return g, nil
	}
}

// loginAnswer is a login form's answer: a token for every service, and the services (providers) this
// client may read, each possibly with a token of its own.
type loginAnswer struct {
	Token    text `json:"token"`
	Endpoint list[struct {
		Name  text `json:"name"`
		Href  text `json:"href"`
		Token text `json:"token"`
	}] `json:"endpoint"`
}

// loginGrant posts the username and password as a form, the way RIC One's authentication library signs
// in; without a username the client id and secret are that pair, as RIC One issues them.
func (s *source) loginGrant(hc *http.Client) func(context.Context) (grant, error) {
	user, password := s.username, s.password
	if user == "" {
		user, password = s.clientID, s.clientSecret
	}
	return func(ctx context.Context) (grant, error) {
		form := url.Values{"username": {user}, "password": {password}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.tokenURL, strings.NewReader(form.Encode()))
		if err != nil {
			return grant{}, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return grant{}, err
		}
		defer resp.Body.Close()
		host := req.URL.Host
		switch code := resp.StatusCode; {
		case code == http.StatusBadRequest || code == http.StatusUnauthorized || code == http.StatusForbidden:
			return grant{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The xPress login at %s refused the username and password (HTTP %d). Check them (without a username: the client id and secret) and the API key with your provider, re-enter the password or secret and test again.", host, code))
		case code == http.StatusNotFound:
			return grant{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("There is no login service at %s (HTTP 404). Check the token or login URL.", req.URL.Redacted()))
		case code != http.StatusOK:
			return grant{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress login at %s answered HTTP %d. Try again later, or check the token or login URL.", host, code))
		}
		var a loginAnswer
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&a); err != nil {
			return grant{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The login at %s answered with something that is not an xPress login answer (%v). Check the token or login URL, and the sign-in method.", host, err))
		}
		g := grant{token: string(a.Token), lifetime: loginLifetime, baseURL: s.baseURL}
		var hrefs []string
		for _, e := range a.Endpoint {
			href := strings.TrimRight(string(e.Href), "/")
			hrefs = append(hrefs, fmt.Sprintf("%s (%s)", e.Name, href))
			if (s.baseURL == "" && len(a.Endpoint) == 1) || strings.EqualFold(href, s.baseURL) {
				g.baseURL = href
				if e.Token != "" {
					g.token = string(e.Token)
				}
			}
		}
		switch {
		case g.baseURL == "" && len(hrefs) == 0:
			return grant{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The login at %s did not say where the xPress data is. Enter the service base URL your provider gave you.", host))
		case g.baseURL == "":
			return grant{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The login at %s offers several xPress services: %s. Enter the address of the one to read as the service base URL.", host, strings.Join(hrefs, ", ")))
		case g.token == "":
			return grant{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The login at %s answered without a token. Check the token or login URL, and the sign-in method.", host))
		}
		if _, err := connector.WebAddress("The service address in the login answer", g.baseURL); err != nil {
			return grant{}, err
		}
		return g, nil
	}
}

// apiKeyTransport adds the API key to every request, in the header the connection names.
type apiKeyTransport struct {
	header, key string
	base        http.RoundTripper
}

func (t apiKeyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(t.header, t.key)
	return t.base.RoundTrip(req)
}

func (c *client) signInError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		switch code := re.Response.StatusCode; {
		case re.ErrorCode == "invalid_grant":
			return apperr.New(apperr.CodeInvalid, "The xPress server refused the username or password. Check them, re-enter the password and test again.")
		case code == http.StatusBadRequest || code == http.StatusUnauthorized || code == http.StatusForbidden:
			return refused(fmt.Sprintf("signing in at %s", c.signInHost))
		case code == http.StatusNotFound:
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("There is no sign-in service at %s (HTTP 404). Check the token or login URL, and the sign-in method.", re.Response.Request.URL.Redacted()))
		default:
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress sign-in service at %s answered HTTP %d. Try again later, or check the token or login URL.", c.signInHost, code))
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return unreachable(c.signInHost, ue)
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Signing in at %s failed: %v", c.signInHost, err))
}

func refused(when string) error {
	return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The xPress server refused the client id or secret (%s). Check the client id, client secret and API key with your provider, re-enter the secret and test again.", when))
}

// unreachable explains a network failure in a registrar's words.
func unreachable(host string, ue *url.Error) error {
	if why, ok := retry.Certificate(ue.Err, host); ok {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk refused to connect to %s: %s. Nothing was sent to it, and Rosterdesk never skips this check. Check the address; if it is right, ask your xPress provider or IT department to fix the certificate.", host, why))
	}
	cause := ue.Err.Error()
	var dns *net.DNSError
	switch {
	case errors.As(ue, &dns):
		cause = "the name is not known; check the spelling"
	case ue.Timeout():
		cause = "it did not answer in time"
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot reach %s: %s. Check the address and this computer's network connection.", host, cause))
}

// page is one page of an object list.
type page struct {
	items []json.RawMessage
	last  int // navigationLastPage; 0 when the server did not say
	size  int // the page size the server applied
}

// pages calls fn with every page of path in order; since, when not blank, is the changesSinceMarker.
// The server's navigationLastPage says when to stop; without it, an empty or short page is the last.
// X-Total-Count is not read: servers use it for the count of the page, not of the list.
func (c *client) pages(ctx context.Context, path, since string, fn func([]json.RawMessage) error) error {
	var prevFirst json.RawMessage
	for n := 1; ; n++ {
		p, err := c.page(ctx, path, since, n)
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
		if n*p.size > maxRecords {
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s kept sending pages of %s past %d records, more than a state holds: its paging never ends. Rosterdesk stopped and imports nothing from this fetch; tell your xPress provider.", c.host, path, maxRecords))
		}
		if len(p.items) == 0 || (p.last > 0 && n >= p.last) || (p.last == 0 && len(p.items) != p.size) {
			return nil
		}
		prevFirst = p.items[0]
	}
}

// page fetches page n (1-based) of path.
func (c *client) page(ctx context.Context, path, since string, n int) (page, error) {
	resp, err := c.answer(ctx, path, since, n)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	return c.read(resp, path, path[strings.LastIndex(path, "/")+1:])
}

// student reads one student by refId; nil when the server has no such student, or does not let this
// client read students one by one (any 4xx answer): the caller then does without.
func (c *client) student(ctx context.Context, id string) (json.RawMessage, error) {
	path := "xStudents/" + url.PathEscape(id)
	resp, err := c.answer(ctx, path, "", 1)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 4 {
		return nil, nil
	}
	p, err := c.read(resp, path, "xStudents")
	if err != nil || len(p.items) == 0 {
		return nil, err
	}
	return p.items[0], nil
}

// answer GETs page n of path, retrying 429 and 5xx answers with backoff, and signing in again once
// when the token is refused (it expired sooner than said, or the server restarted). The caller closes
// the body.
func (c *client) answer(ctx context.Context, path, since string, n int) (*http.Response, error) {
	renewed := false
	for try := 1; ; try++ {
		resp, err := c.get(ctx, path, since, n)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusUnauthorized && !renewed {
			resp.Body.Close()
			renewed = true
			if err := c.renew(ctx); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
			return resp, nil
		}
		resp.Body.Close()
		if try == maxTries {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s kept failing (HTTP %d for %s) after %d tries. Try again later; if it persists, tell your xPress provider.", c.host, resp.StatusCode, path, try))
		}
		wait := retryDelay(resp, try)
		if wait > maxRetryWait {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s is busy and asks Rosterdesk to wait %s before reading %s. Fetch again later.", c.host, wait.Round(time.Minute), path))
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (c *client) get(ctx context.Context, path, since string, n int) (*http.Response, error) {
	if !c.renewAt.IsZero() && time.Now().After(c.renewAt) {
		if err := c.renew(ctx); err != nil {
			return nil, err
		}
	}
	u := c.baseURL + "/" + path
	if since != "" {
		u += "?changesSinceMarker=" + url.QueryEscape(since)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
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

// read reads an answer holding objects of the named kind (xStudents).
func (c *client) read(resp *http.Response, path, object string) (page, error) {
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNoContent: // no (more) objects
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
	if v, err := strconv.Atoi(header(resp.Header, "navigationLastPage")); err == nil && v > 0 {
		p.last = v
	}
	// A server that caps the page size says so here; a short page is then not the last one.
	if v, err := strconv.Atoi(header(resp.Header, "navigationPageSize")); err == nil && v > 0 {
		p.size = v
	}
	items, err := envelope(connector.LimitBody(resp.Body), object)
	if errors.Is(err, connector.ErrBodyTooLarge) {
		return page{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s sent more than %d MB in one answer (%s), the most Rosterdesk reads at once, so it stopped reading. Tell your xPress provider.", c.host, connector.MaxBody>>20, path))
	}
	if err != nil {
		return page{}, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s answered %s with something Rosterdesk cannot read as xPress JSON (%v). Check the service base URL.", c.host, path, err))
	}
	p.items = items
	return p, nil
}

// header finds a response header by name in any case, ignoring spaces around the name: one xPress
// server writes "navigationLastPage " (a space before the colon), which Go keeps as it is instead of
// folding it into the canonical key.
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for key, values := range h {
		if strings.EqualFold(strings.TrimSpace(key), name) && len(values) > 0 {
			return values[0]
		}
	}
	return ""
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
